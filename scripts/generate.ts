/**
 * `npm run generate`: writes the two files derived from a single source each,
 * and `--check` says whether they are current (a test runs the same check):
 *
 *   - schemas/coupon-series.schema.json, the strict draft-07 schema any tool can
 *     load, from schemas/coupon-series.annotated.json (the source: the same
 *     schema plus the editor's annotations) by keeping only draft-07 keywords;
 *   - the README's rule table, from core/src/codes.ts;
 *   - package.json's `contributes.languageModelTools`, from the agent tools'
 *     definitions (core/src/agent/tools.ts), which `coupon mcp` serves as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { languageModelToolsManifest } from '../core/src/agent/tools';
import { DIAGNOSTIC_CODES, DiagnosticCodeInfo, ruleAnchor, VENDOR_DOCUMENTS } from '../core/src/codes';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ANNOTATED_SCHEMA = path.join(REPO_ROOT, 'schemas', 'coupon-series.annotated.json');
export const STRICT_SCHEMA = path.join(REPO_ROOT, 'schemas', 'coupon-series.schema.json');
export const README = path.join(REPO_ROOT, 'README.md');
export const PACKAGE_JSON = path.join(REPO_ROOT, 'package.json');

/** Draft-07's keywords (validation, applicators, annotations); anything else is an annotation of this project's. */
const DRAFT_07_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$comment', 'title', 'description', 'default', 'readOnly', 'writeOnly', 'examples',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'additionalItems', 'items', 'maxItems', 'minItems', 'uniqueItems', 'contains', 'maxProperties', 'minProperties',
  'required', 'properties', 'patternProperties', 'additionalProperties', 'dependencies', 'propertyNames',
  'const', 'enum', 'type', 'format', 'contentMediaType', 'contentEncoding', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not', 'definitions',
]);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
/** Keywords whose value is a schema or a list of schemas. */
const SUBSCHEMAS = new Set(['items', 'additionalItems', 'contains', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf']);

const STRICT_COMMENT =
  'Generated from coupon-series.annotated.json by `npm run generate`: do not edit. Draft-07 keywords only, so any validator loads it (Ajv in strict mode included); the editor annotations and the inferred rules live in the annotated source.';

function strictSubschema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSubschema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const strict: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!DRAFT_07_KEYWORDS.has(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null) {
      strict[keyword] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, Array.isArray(child) ? child : strictSubschema(child)]));
    } else if (SUBSCHEMAS.has(keyword)) {
      strict[keyword] = strictSubschema(value);
    } else {
      strict[keyword] = value;
    }
  }
  return strict;
}

/** The annotated schema without its annotations: draft-07 keywords only, the same structure (so schema paths agree). */
export function strictSchemaOf(annotated: object): object {
  // Spread first: the keys keep the source's order, and the comment says where the file comes from.
  return { ...(strictSubschema(annotated) as Record<string, unknown>), $comment: STRICT_COMMENT };
}

export function strictSchemaText(annotatedText: string): string {
  return `${JSON.stringify(strictSchemaOf(JSON.parse(annotatedText) as object), null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// The README's rule table
// ---------------------------------------------------------------------------

export const RULES_BEGIN = '<!-- rules:begin (generated from core/src/codes.ts by `npm run generate`) -->';
export const RULES_END = '<!-- rules:end -->';

const PAGE_NAMES: Record<keyof typeof VENDOR_DOCUMENTS, string> = { create: 'create page', update: 'update page', facts: 'FACTS' };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function why(info: DiagnosticCodeInfo): string {
  if (info.quotes?.length) return info.quotes.map((quote) => `${PAGE_NAMES[quote.page]}: “${quote.text}”`).join(' ');
  if (info.reason) return info.reason;
  return info.source === 'json' ? 'The file is sent as the request body, and JSON allows no comments or trailing commas.' : '';
}

export function ruleTableMarkdown(): string {
  const rows = Object.entries(DIAGNOSTIC_CODES as Record<string, DiagnosticCodeInfo>).map(([code, info]) => {
    const severity = info.severity === 1 ? 'error' : 'warning';
    const source = info.source === 'inferred' ? '**inferred**' : info.source;
    return `| <a id="${ruleAnchor(code)}"></a>\`${code}\` | ${severity} | ${source} | ${cell(info.summary)} | ${cell(why(info))} |`;
  });
  return ['| Code | Severity | Source | What it catches | Why (the docs\' words, or why only a warning) |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The README with its rule table (between the markers) replaced by the generated one. */
export function readmeWithRuleTable(readme: string): string {
  const begin = readme.indexOf(RULES_BEGIN);
  const end = readme.indexOf(RULES_END);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the rule table markers ${RULES_BEGIN} … ${RULES_END}`);
  return `${readme.slice(0, begin + RULES_BEGIN.length)}\n${ruleTableMarkdown()}\n${readme.slice(end)}`;
}

// ---------------------------------------------------------------------------
// package.json's language model tools
// ---------------------------------------------------------------------------

/** package.json with `contributes.languageModelTools` replaced by the generated one (after `contributes.commands`, where it first went). */
export function packageJsonWithTools(text: string): string {
  const manifest = JSON.parse(text) as { contributes: Record<string, unknown> };
  const contributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(manifest.contributes)) {
    if (key === 'languageModelTools') continue;
    contributes[key] = value;
    if (key === 'commands') contributes.languageModelTools = languageModelToolsManifest();
  }
  if (!('languageModelTools' in contributes)) contributes.languageModelTools = languageModelToolsManifest();
  return `${JSON.stringify({ ...manifest, contributes }, null, 2)}\n`;
}

function main(): void {
  const check = process.argv.includes('--check');
  const outputs: [file: string, current: string, wanted: string][] = [
    [STRICT_SCHEMA, readFileSync(STRICT_SCHEMA, { encoding: 'utf8', flag: 'a+' }), strictSchemaText(readFileSync(ANNOTATED_SCHEMA, 'utf8'))],
    [README, readFileSync(README, 'utf8'), readmeWithRuleTable(readFileSync(README, 'utf8'))],
    [PACKAGE_JSON, readFileSync(PACKAGE_JSON, 'utf8'), packageJsonWithTools(readFileSync(PACKAGE_JSON, 'utf8'))],
  ];
  let stale = 0;
  for (const [file, current, wanted] of outputs) {
    if (current === wanted) continue;
    stale++;
    if (check) console.error(`${path.relative(REPO_ROOT, file)} is not current: run npm run generate`);
    else writeFileSync(file, wanted, 'utf8');
    if (!check) console.log(`wrote ${path.relative(REPO_ROOT, file)}`);
  }
  process.exitCode = check && stale > 0 ? 1 : 0;
}

if (require.main === module) main();
