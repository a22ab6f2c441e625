/**
 * The documentation generated from the rule registry (core/src/rules/):
 * one page per diagnostic code, docs/rules/<code>.md, and the README's rule
 * index, one line per code linking to its page. `npm run generate` writes
 * them; a test fails when the committed ones differ.
 */
import * as path from 'node:path';
import { DIAGNOSTIC_CODES, DiagnosticCode, RegisteredCode } from '../core/src/rules/index';
import { Checker, ERROR, VENDOR_DOCUMENTS, WARNING } from '../core/src/rules/rule';
import { RULE_PAGES_PATH } from '../core/src/rules/rulePages';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RULE_PAGES_DIR = path.join(REPO_ROOT, ...RULE_PAGES_PATH.split('/'));
export const README = path.join(REPO_ROOT, 'README.md');

export const RULES_BEGIN = '<!-- rules:begin (generated from core/src/rules/ by `npm run generate`) -->';
export const RULES_END = '<!-- rules:end -->';

const CODES = Object.values(DIAGNOSTIC_CODES) as RegisteredCode[];

const PAGE_NAMES: Record<keyof typeof VENDOR_DOCUMENTS, string> = {
  create: 'The create page',
  update: 'The update page',
  facts: 'FACTS.md (facts gathered from the vendor\'s documentation)',
};

const CHECKERS: Record<Checker, string> = {
  file: 'the JSON parser, on the text as you type',
  schema: 'the schema (`schemas/coupon-series.annotated.json`), as you type',
  rule: 'a rule of this tool, as you type',
  server: 'the tool before it sends an update, against the server\'s copy of the series (not while you type)',
};

function severityLine(info: RegisteredCode): string {
  return info.severity === ERROR
    ? '**Error**: Create, Update, Push and `coupon push` send nothing while the file has one.'
    : '**Warning**: shown, never blocks sending.';
}

function sourceLine(info: RegisteredCode): string {
  switch (info.source) {
    case 'vendor docs':
      return 'the vendor\'s docs (quoted below)';
    case 'inferred':
      return '**inferred**: not documented (why below)';
    case 'json':
      return 'JSON itself: the file is the request body';
    case 'this tool':
      return 'this tool\'s own record, never sent to the API';
  }
}

/** What another editor gets from the strict schema (schemas/coupon-series.schema.json), where that follows from the code's metadata. */
function strictSchemaRow(info: RegisteredCode): string[] {
  if (info.severity === WARNING) return ['| Other editors | the strict schema (`schemas/coupon-series.schema.json`) accepts it: only this tool warns |'];
  if (info.checkedBy.includes('schema')) return ['| Other editors | the strict schema (`schemas/coupon-series.schema.json`) catches it too |'];
  return [];
}

/** An example as the page shows it, with the note on `…`. */
function exampleBlock(example: RegisteredCode['examples']['wrong']): string {
  const text = (example.shownAs ?? example.text).replace(/\s+$/, '');
  const server = example.server ? `With the server's copy of the series at ${Object.entries(example.server).map(([key, value]) => `\`"${key}": ${JSON.stringify(value)}\``).join(', ')}:\n\n` : '';
  const note = text.includes('…') ? '\n\n`…` stands for the rest of the series.' : '';
  return `${server}\`\`\`json\n${text}\n\`\`\`${note}`;
}

/** The page of one code. */
export function rulePageMarkdown(code: DiagnosticCode): string {
  const info = DIAGNOSTIC_CODES[code];
  const sections: string[] = [
    `<!-- Generated from core/src/rules/${info.owner.name}.ts by \`npm run generate\`: edit the rule module, not this page. -->`,
    `# \`${code}\`: ${info.title}`,
    info.summary,
    [
      '| | |',
      '|---|---|',
      `| Severity | ${severityLine(info)} |`,
      `| Source | ${sourceLine(info)} |`,
      `| Checked by | ${info.checkedBy.map((checker) => CHECKERS[checker]).join('; ')} |`,
      `| Quick fix | ${info.fix ? 'yes (below)' : 'none'} |`,
      ...strictSchemaRow(info),
    ].join('\n'),
    '## What it catches',
    info.description,
  ];
  if (info.quotes?.length) {
    sections.push(info.source === 'vendor docs' ? "## The docs' words" : "## What the docs say");
    sections.push(info.quotes.map((quote) => `${PAGE_NAMES[quote.page]}:\n\n> ${quote.text.replace(/\s+/g, ' ')}`).join('\n\n'));
  }
  if (info.reason) {
    sections.push(info.source === 'json' ? '## Why' : info.severity === ERROR ? '## Why an error' : '## Why only a warning');
    sections.push(info.reason);
  }
  sections.push('## Wrong', exampleBlock(info.examples.wrong), '## Right', exampleBlock(info.examples.right));
  sections.push('## Quick fix', info.fix ? info.fix.description : 'None: the right value depends on what you meant.');
  sections.push(`The rule is \`core/src/rules/${info.owner.name}.ts\`.`);
  return `${sections.join('\n\n')}\n`;
}

/** Every page: file name → text. */
export function rulePages(): Map<string, string> {
  return new Map(CODES.map((info) => [`${info.code}.md`, rulePageMarkdown(info.code)]));
}

/** The README's rule index: one line per code, linking to its page. */
export function ruleIndexMarkdown(): string {
  return CODES.map((info) => {
    const severity = info.severity === ERROR ? 'error' : 'warning';
    const source = info.source === 'inferred' ? ', **inferred**' : info.source === 'this tool' ? ', this tool\'s record' : '';
    return `- [\`${info.code}\`](${RULE_PAGES_PATH}/${info.code}.md): ${info.title} (${severity}${source})`;
  }).join('\n');
}

/** The README with its rule index (between the markers) replaced by the generated one. */
export function readmeWithRuleIndex(readme: string): string {
  const begin = readme.indexOf(RULES_BEGIN);
  const end = readme.indexOf(RULES_END);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the rule index markers ${RULES_BEGIN} … ${RULES_END}`);
  return `${readme.slice(0, begin + RULES_BEGIN.length)}\n${ruleIndexMarkdown()}\n${readme.slice(end)}`;
}
