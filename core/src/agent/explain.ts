/**
 * coupon_explain: a rule by its code, or a field of CouponSeriesV2 by its
 * name, from the facts the project already keeps: the rule metadata (read
 * through `ruleFacts`, the one adapter to it) and the annotated schema (the
 * only list of fields).
 */
import { closestMatch } from '../closestMatch';
import { DIAGNOSTIC_CODES } from '../rules/index';
import { ERROR, RuleSource, VENDOR_DOCUMENTS } from '../rules/rule';
import { CouponSchema, DEPLOYMENTS_KEY, schemaAtPath, SERIES_KEY, seriesSchema, typeLabel } from '../schema';
import { AgentRefusal } from './host';

/** A rule's facts as the agent tools read them, whatever module keeps them. */
export interface RuleFacts {
  code: string;
  severity: 'error' | 'warning';
  source: RuleSource;
  /** What it catches, one sentence (Markdown). */
  summary: string;
  quotes: { document: string; text: string }[];
  /** Why only a warning (inferred rules, the tool's own). */
  reason?: string;
  /** Its documentation, where the metadata has some. */
  description?: string;
  /** What its quick fix does, or true when one exists without a description. */
  quickFix?: string | true;
}

const DOCUMENT_NAMES: Record<keyof typeof VENDOR_DOCUMENTS, string> = {
  create: `the create page (${VENDOR_DOCUMENTS.create})`,
  update: `the update page (${VENDOR_DOCUMENTS.update})`,
  facts: `the facts gathered from the docs (${VENDOR_DOCUMENTS.facts})`,
};

/** Every rule, in the registry's order: the one adapter between the rule modules' metadata and the agent tools. */
export function ruleFacts(): readonly RuleFacts[] {
  return Object.values(DIAGNOSTIC_CODES).map((info) => ({
    code: info.code,
    severity: info.severity === ERROR ? 'error' : 'warning',
    source: info.source,
    summary: info.summary,
    quotes: (info.quotes ?? []).map((quote) => ({ document: DOCUMENT_NAMES[quote.page], text: quote.text })),
    ...(info.reason ? { reason: info.reason } : {}),
    description: info.description,
    ...(info.fix ? { quickFix: info.fix.description } : {}),
  }));
}

export interface RuleExplanation {
  code: string;
  severity: 'error' | 'warning';
  source: RuleFacts['source'];
  catches: string;
  /** The rule's documentation (Markdown): where it applies, what it does not catch. */
  documentation?: string;
  quotes: { document: string; text: string }[];
  whyInferred?: string;
  howToFix: string;
  quickFix: boolean;
}

/** How to fix what a rule reports: what its kind of rule asks, and its quick fix when it has one (its documentation is given apart). */
function howToFix(facts: RuleFacts): string {
  const quickFix = facts.quickFix === undefined ? '' : ` coupon_validate gives a quick fix with each problem (its "fixes")${typeof facts.quickFix === 'string' ? `: ${facts.quickFix}` : ''}.`;
  const each = 'Each problem\'s message says what to change where.';
  switch (facts.source) {
    case 'json':
      return `Make the file strict JSON (no comments, no trailing commas, double-quoted keys and strings): the file is the request body. ${each}${quickFix}`;
    case 'vendor docs':
      return `Change the value to one the quoted docs allow: the API refuses the file until then. ${each}${quickFix}`;
    case 'this tool':
      return `The "deployments" record is this tool's own and never sent: fix the entry by hand, or bring the file up to date with coupon_pull {path}. ${each}${quickFix}`;
    default:
      return `Check the value: it is most likely a mistake, but the API may accept it, so it stays a warning and never blocks sending; keep it when it is meant. ${each}${quickFix}`;
  }
}

export function explainRule(code: string): RuleExplanation {
  const all = ruleFacts();
  const facts = all.find((candidate) => candidate.code === code.trim());
  if (!facts) {
    const codes = all.map((candidate) => candidate.code);
    const near = closestMatch(code.trim(), codes);
    throw new AgentRefusal('not-found', `No rule has the code "${code}".${near ? ` Did you mean "${near}"?` : ''} The codes: ${codes.join(', ')}.`);
  }
  return {
    code: facts.code,
    severity: facts.severity,
    source: facts.source,
    catches: facts.summary,
    ...(facts.description ? { documentation: facts.description } : {}),
    quotes: facts.quotes,
    ...(facts.reason ? { whyInferred: facts.reason } : {}),
    howToFix: howToFix(facts),
    quickFix: facts.quickFix !== undefined,
  };
}

export interface FieldExplanation {
  name: string;
  path: string[];
  type: string;
  meaning: string;
  allowedValues?: { value: unknown; meaning?: string }[];
  unlimitedValue?: number;
  example?: unknown;
  default?: unknown;
  serverAssigned?: boolean;
  notReturned?: boolean;
  inferred?: string;
  fields?: string[];
}

function isArraySchema(schema: CouponSchema | undefined): boolean {
  return schema !== undefined && (schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array')));
}

/** The schema path of a field named `discountType`, `productInfo.productType` or `deployments` (array items stepped into). */
function fieldPath(field: string): (string | number)[] {
  const segments = field.trim().split('.').filter((segment) => segment !== '');
  const path: (string | number)[] = segments[0] === DEPLOYMENTS_KEY || segments[0] === SERIES_KEY ? [] : [SERIES_KEY];
  for (const segment of segments) {
    if (isArraySchema(schemaAtPath(path))) path.push(0);
    path.push(segment);
  }
  return path;
}

export function explainField(field: string): FieldExplanation {
  const path = fieldPath(field);
  const schema = path.length > 0 ? schemaAtPath(path) : undefined;
  const name = String(path[path.length - 1] ?? field);
  if (!schema || path.length === 0) {
    const near = closestMatch(name, Object.keys(seriesSchema.properties ?? {}));
    throw new AgentRefusal('not-found', `No field "${field}" in a coupon file.${near ? ` Did you mean "${near}"?` : ''} coupon_explain with no input lists the fields.`);
  }
  const descriptions = schema.markdownEnumDescriptions ?? schema.enumDescriptions ?? [];
  const item = isArraySchema(schema) ? schema.items : undefined;
  const ownFields = Object.keys((item ?? schema).properties ?? {});
  return {
    name,
    path: path.map(String),
    type: typeLabel(schema),
    meaning: schema.markdownDescription ?? schema.description ?? '',
    ...(schema.enum ? { allowedValues: schema.enum.map((value, index) => ({ value, ...(descriptions[index] ? { meaning: descriptions[index] } : {}) })) } : {}),
    ...(schema['x-unlimitedValue'] !== undefined ? { unlimitedValue: schema['x-unlimitedValue'] } : {}),
    ...(schema.examples?.length ? { example: schema.examples[0] } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
    ...(schema.readOnly || schema['x-serverAssigned'] ? { serverAssigned: true } : {}),
    ...(schema['x-returned'] === 'never' ? { notReturned: true } : {}),
    ...(schema['x-inferred'] ? { inferred: schema['x-inferred'] } : {}),
    ...(ownFields.length ? { fields: ownFields } : {}),
  };
}

/** Every rule code and every field of CouponSeriesV2: what coupon_explain with no input lists. */
export function explainIndex(): { rules: { code: string; severity: string; catches: string }[]; fields: string[] } {
  return {
    rules: ruleFacts().map((facts) => ({ code: facts.code, severity: facts.severity, catches: facts.summary })),
    fields: Object.keys(seriesSchema.properties ?? {}),
  };
}

/** A rule as Markdown: its resource in `coupon mcp` and the text answer of coupon_explain. */
export function ruleMarkdown(rule: RuleExplanation): string {
  return [
    `# ${rule.code}`,
    '',
    `**${rule.severity}**, ${rule.source === 'inferred' ? 'inferred (not documented)' : `from ${rule.source}`}. ${rule.catches}`,
    ...(rule.quotes.length ? ['', 'The docs:', ...rule.quotes.map((quote) => `> ${quote.text} (${quote.document})`)] : []),
    ...(rule.whyInferred ? ['', `Why only a warning: ${rule.whyInferred}`] : []),
    '',
    `How to fix: ${rule.howToFix}`,
  ].join('\n');
}

export function fieldMarkdown(field: FieldExplanation): string {
  const value = (shown: unknown) => `\`${JSON.stringify(shown)}\``;
  return [
    `# ${field.path.join('.')}: ${field.type}`,
    '',
    field.meaning,
    ...(field.allowedValues ? ['', 'Allowed values:', ...field.allowedValues.map((allowed) => `- ${value(allowed.value)}${allowed.meaning ? `: ${allowed.meaning}` : ''}`)] : []),
    ...(field.unlimitedValue !== undefined ? ['', `${value(field.unlimitedValue)} means unlimited.`] : []),
    ...(field.example !== undefined ? ['', `Example: ${value(field.example)}`] : []),
    ...(field.serverAssigned ? ['', 'Set by the server.'] : []),
    ...(field.notReturned ? ['', 'The server never returns it.'] : []),
    ...(field.inferred ? ['', `Inferred, not documented: ${field.inferred}`] : []),
    ...(field.fields ? ['', `Fields: ${field.fields.join(', ')}`] : []),
  ].join('\n');
}
