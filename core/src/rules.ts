/**
 * Cross-field rules beyond what JSON Schema can say, and the inferred checks
 * kept out of the strict schema, over the parsed document. Each rule reads the
 * facts it needs (enum values, known tags, embedded JSON schemas, read-only
 * fields, plausible minimums, the mandatory list) from the schema; its code,
 * severity and source live in codes.ts.
 *
 * Rules never throw on odd input: a value of the wrong type is the schema's
 * `wrong-type` diagnostic, so a rule silently skips it.
 */
import type { ValidateFunction } from 'ajv';
import { compileValidator } from './compiledValidators';
import { parseTree, findNodeAtLocation, Node as JsoncNode } from 'jsonc-parser';
import { ASTNode, Diagnostic, ObjectASTNode, PropertyASTNode, StringASTNode } from 'vscode-json-languageservice';
import { DiagnosticCode } from './codes';
import { explainInvalidDateTime, formatInstant, parseOffsetDateTime } from './dates';
import { closestMatch, CouponDiagnosticData, createDiagnostic, describeJsonType } from './diagnostics';
import { CouponDocument, nodeValue, propertyValue, rangeOf } from './parse';
import { CouponSchema, DEPLOYMENTS_KEY, isBoundFile, isDeploymentKey, MANDATORY_ON_UPDATE, parseDeploymentKey, REQUIRED_ON_CREATE, schemaAtPath, seriesSchema } from './schema';

/** A stretch of the document: an offset and a length, in UTF-16 code units. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

export interface RuleContext {
  readonly document: CouponDocument;
  readonly series: ObjectASTNode;
  readonly now: Date;
  /** The series exists somewhere (a deployment, or a legacy id): its next send may be an update. */
  readonly bound: boolean;
  /** The value node of a series field, if present. */
  field(name: string): ASTNode | undefined;
  /** Report on a node, or on any stretch of the text (e.g. a few characters inside a string). */
  report(at: ASTNode | Span, code: DiagnosticCode, message: string, data?: CouponDiagnosticData): void;
}

export type Rule = (context: RuleContext) => void;

// ---------------------------------------------------------------------------
// Small helpers shared by the rules
// ---------------------------------------------------------------------------

function fieldSchema(name: string): CouponSchema | undefined {
  return seriesSchema.properties?.[name];
}

/** The field's value when it is a finite number, else undefined (wrong types are the schema's job). */
function numberField(context: RuleContext, name: string): { node: ASTNode; value: number } | undefined {
  const node = context.field(name);
  return node?.type === 'number' && Number.isFinite(node.value) ? { node, value: node.value } : undefined;
}

function stringField(context: RuleContext, name: string): { node: StringASTNode; value: string } | undefined {
  const node = context.field(name);
  return node?.type === 'string' ? { node, value: node.value } : undefined;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string | undefined>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * For a string node, the document offset of each character of its decoded value
 * (index `value.length` is the closing quote), so a span of the value maps to the
 * exact characters in the file even when the JSON string holds escapes
 * (`\"`, `\n`, `\u00e9`). `undefined` when the raw text does not decode to the
 * node's value (parser recovery on a broken string): callers then use the whole node.
 */
export function stringValueOffsets(document: CouponDocument, node: StringASTNode): number[] | undefined {
  // Only the string's own characters: a large file's whole text is not built for this (offsets pushed are the file's).
  const text = document.textDocument.getText(rangeOf(document.textDocument, node));
  const base = node.offset;
  const start = 0;
  const end = node.length;
  if (node.length < 2 || text[start] !== '"' || text[end - 1] !== '"') return undefined;
  const offsets: number[] = [];
  let decoded = '';
  let i = start + 1;
  while (i < end - 1) {
    offsets.push(base + i);
    const ch = text[i];
    if (ch !== '\\') {
      decoded += ch;
      i += 1;
      continue;
    }
    const escape = text[i + 1];
    if (escape === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      decoded += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else {
      const unescaped = SIMPLE_ESCAPES[escape];
      if (unescaped === undefined) return undefined;
      decoded += unescaped;
      i += 2;
    }
  }
  offsets.push(base + end - 1);
  return decoded === node.value ? offsets : undefined;
}

/** The span in the file of characters [from, to) of a string node's value; the whole node as a fallback. */
function spanInString(offsets: number[] | undefined, node: StringASTNode, from: number, to: number): Span {
  if (!offsets || from < 0 || to >= offsets.length || from > to) return node;
  return { offset: offsets[from], length: offsets[to] - offsets[from] };
}

const embeddedValidators = new Map<string, ValidateFunction | undefined>();

/** The field's `x-embeddedJson` schema compiled with ajv, once, on first use. */
function embeddedValidator(name: string): ValidateFunction | undefined {
  if (!embeddedValidators.has(name)) {
    const embedded = fieldSchema(name)?.['x-embeddedJson'];
    let validate: ValidateFunction | undefined;
    try {
      validate = embedded ? compileValidator(embedded) : undefined;
    } catch {
      validate = undefined;
    }
    embeddedValidators.set(name, validate);
  }
  return embeddedValidators.get(name);
}

/** ajv's verdict as a plain boolean (its type guard would narrow the value to `never` on failure). */
function passes(validate: ValidateFunction, value: unknown): boolean {
  return validate(value) === true;
}

/** A string field holding JSON, parsed: the JSON.parse result, or the parse error's message. */
function parseEmbedded(value: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The field's first schema example as it would be written in the file (with its escapes). */
function exampleLiteral(name: string): string {
  const example = fieldSchema(name)?.examples?.find((candidate) => typeof candidate === 'string');
  return example === undefined ? '' : `, for example ${JSON.stringify(example)}`;
}

/** A value from embedded JSON for a message: short scalars as written, anything else by its type. */
function describeItem(item: unknown): string {
  if (typeof item === 'number' || typeof item === 'boolean' || item === null) return String(item);
  if (typeof item === 'string') return item.length <= 20 ? JSON.stringify(item) : 'a string';
  return describeJsonType(item);
}

// ---------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------

/** Server-owned response fields (schema `readOnly`) should not be sent back. */
const readOnlyFields: Rule = ({ series, report }) => {
  for (const property of series.properties) {
    const name = property.keyNode.value;
    if (seriesSchema.properties?.[name]?.readOnly) {
      report(property.keyNode, 'read-only-property', `"${name}" is set by the server (it appears in responses, not requests): remove it from the file.`);
    }
  }
};

/** GENERIC is the only handling type that uses one shared code. */
const genericCodeUnused: Rule = ({ field, report }) => {
  const code = field('genericCode');
  const handling = nodeValue(field('clientHandlingType'));
  if (code && typeof handling === 'string' && handling !== 'GENERIC') {
    report(code, 'generic-code-unused', `"genericCode" is only used when clientHandlingType is "GENERIC" (this series is "${handling}"): remove it, or switch to GENERIC.`);
  }
};

/** SERIES_EXPIRY: coupons expire with the series, and the docs say the value is then always 1. */
const expiryValueForSeriesExpiry: Rule = (context) => {
  if (stringField(context, 'expiryStrategyType')?.value !== 'SERIES_EXPIRY') return;
  const value = numberField(context, 'expiryStrategyValue');
  if (value && value.value !== 1) {
    context.report(value.node, 'expiry-value-series', `With expiryStrategyType "SERIES_EXPIRY" the expiryStrategyValue must be 1 (coupons expire with the series): change ${value.value} to 1.`, { suggestion: '1' });
  }
};

/** DAYS / MONTHS_END count days or months from issue: a count of at least 1 is expected (inferred from the examples). */
const expiryValueMinimum: Rule = (context) => {
  const type = stringField(context, 'expiryStrategyType');
  if (type?.value !== 'DAYS' && type?.value !== 'MONTHS_END') return;
  const unit = type.value === 'DAYS' ? 'days' : 'months';
  const valueNode = context.field('expiryStrategyValue');
  if (!valueNode) {
    context.report(type.node, 'expiry-value-min', `expiryStrategyType "${type.value}" counts ${unit} from issue, but expiryStrategyValue is missing: add how many ${unit} a coupon stays valid (at least 1).`);
    return;
  }
  const value = numberField(context, 'expiryStrategyValue');
  if (value && value.value < 1) {
    context.report(value.node, 'expiry-value-min', `With expiryStrategyType "${type.value}" the expiryStrategyValue is a number of ${unit}: ${value.value} would make coupons expire on issue; use at least 1.`);
  }
};

/** A percentage discount above 100 would pay the customer (inferred: warning). */
const percentOver100: Rule = (context) => {
  if (stringField(context, 'discountType')?.value !== 'PERC') return;
  const value = numberField(context, 'discountValue');
  if (value && value.value > 100) {
    context.report(value.node, 'percent-over-100', `discountType is "PERC", so discountValue is a percentage: ${value.value}% is more than the whole bill. Use a value from 0 to 100, or switch discountType to "ABS" for a fixed amount.`);
  }
};

/**
 * minBillAmount above maxBillAmount leaves no bill that qualifies.
 *
 * Decision: the docs give no "no maximum" value for maxBillAmount. A maximum of 0
 * or below (or the schema's `x-unlimitedValue`, should it ever declare one) cannot
 * be a real maximum bill (no coupon could ever apply), and the vendor uses 0 for
 * "no cap" elsewhere (`discountUpto: 0`) and -1 for "unlimited" on other fields,
 * so such a maxBillAmount is read as "no maximum" and this rule stays quiet.
 */
const billAmountRange: Rule = (context) => {
  const min = numberField(context, 'minBillAmount');
  const max = numberField(context, 'maxBillAmount');
  if (!min || !max) return;
  const unlimited = fieldSchema('maxBillAmount')?.['x-unlimitedValue'];
  if (max.value <= 0 || max.value === unlimited) return;
  if (min.value > max.value) {
    context.report(min.node, 'bill-amount-range', `minBillAmount (${min.value}) is greater than maxBillAmount (${max.value}), so no bill qualifies: lower minBillAmount or raise maxBillAmount.`);
  }
};

/** The series fields the schema marks as date-times (`x-dateTime`). */
function dateTimeFields(): string[] {
  return Object.entries(seriesSchema.properties ?? {})
    .filter(([, schema]) => schema['x-dateTime'])
    .map(([name]) => name);
}

/** A date of the right shape that is not on the calendar (2029-02-30): the schema's pattern cannot see it. */
const invalidDates: Rule = (context) => {
  for (const name of dateTimeFields()) {
    const date = stringField(context, name);
    if (!date) continue;
    const pattern = fieldSchema(name)?.pattern;
    let matchesPattern = true;
    try {
      matchesPattern = pattern ? new RegExp(pattern, 'u').test(date.value) : true;
    } catch {
      matchesPattern = true;
    }
    // A string of the wrong shape is the schema's invalid-format diagnostic.
    if (!matchesPattern) continue;
    const reason = explainInvalidDateTime(date.value);
    if (reason) {
      context.report(date.node, 'invalid-date', `"${date.value}" is not a real date and time (${reason}): the server may refuse it or roll it over; correct ${name}.`);
    }
  }
};

/** A parsed date-time field, or undefined (absent, wrong type, or not a real date). */
function dateField(context: RuleContext, name: string): { node: ASTNode; epochMs: number; offsetMinutes: number } | undefined {
  const date = stringField(context, name);
  const parsed = date && parseOffsetDateTime(date.value);
  return date && parsed ? { node: date.node, ...parsed } : undefined;
}

/** Redemption opening after the series expires means no coupon can ever be redeemed. Instants, not text, are compared. */
const redemptionAfterExpiry: Rule = (context) => {
  const from = dateField(context, 'redemptionValidFrom');
  const till = dateField(context, 'validTillDate');
  if (from && till && from.epochMs > till.epochMs) {
    context.report(
      from.node,
      'redemption-after-expiry',
      `redemptionValidFrom (${formatInstant(from.epochMs)}) is after validTillDate (${formatInstant(till.epochMs)}): no coupon could ever be redeemed. Move redemptionValidFrom earlier or validTillDate later.`,
    );
  }
};

/** A series that has already expired (warning: an update of an old series may be deliberate). */
const validTillPast: Rule = (context) => {
  const till = dateField(context, 'validTillDate');
  if (till && till.epochMs < context.now.getTime()) {
    context.report(till.node, 'valid-till-past', `validTillDate (${formatInstant(till.epochMs)}) is in the past: coupons of this series could not be issued or redeemed. Set a future date.`);
  }
};

/**
 * `redemptionRange` is a string holding a JSON object `{dom, dow, hours}`. A
 * string that is not JSON, or JSON that is not an object, is an error (the docs
 * say it holds JSON of that shape); a missing, unknown or non-list key and
 * values outside the (inferred) ranges are warnings, each where it is.
 */
const redemptionRangeRule: Rule = (context) => {
  const range = stringField(context, 'redemptionRange');
  const embedded = fieldSchema('redemptionRange')?.['x-embeddedJson'];
  if (!range || !embedded) return;
  const parsed = parseEmbedded(range.value);
  if (!parsed.ok) {
    context.report(range.node, 'redemption-range-invalid', `redemptionRange must be a string holding JSON, and this is not valid JSON (${parsed.error})${exampleLiteral('redemptionRange')}.`);
    return;
  }
  const keys = embedded.required ?? Object.keys(embedded.properties ?? {});
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    context.report(range.node, 'redemption-range-invalid', `redemptionRange must hold a JSON object with ${keys.map((key) => `"${key}"`).join(', ')} lists, not ${describeJsonType(value)}${exampleLiteral('redemptionRange')}.`);
    return;
  }
  const object = value as Record<string, unknown>;
  const missing = keys.filter((key) => !(key in object));
  const notArrays = keys.filter((key) => key in object && embedded.properties?.[key]?.type === 'array' && !Array.isArray(object[key]));
  const known = Object.keys(embedded.properties ?? {});
  const extra = embedded.additionalProperties === false ? Object.keys(object).filter((key) => !known.includes(key)) : [];
  const problems: string[] = [];
  if (missing.length) problems.push(`add ${missing.map((key) => `"${key}"`).join(', ')} (use [-1] for all)`);
  if (notArrays.length) problems.push(`make ${notArrays.map((key) => `"${key}"`).join(', ')} a list such as [-1]`);
  for (const key of extra) {
    const suggestion = closestMatch(key, known);
    problems.push(suggestion ? `"${key}" is not a known key: did you mean "${suggestion}"?` : `remove the unknown key "${key}" (known: ${known.map((k) => `"${k}"`).join(', ')})`);
  }
  if (problems.length) {
    context.report(range.node, 'redemption-range-values', `redemptionRange is expected to hold {${keys.map((key) => `"${key}": [...]`).join(', ')}}: ${problems.join('; ')}.`);
    return;
  }
  const validate = embeddedValidator('redemptionRange');
  if (!validate || passes(validate, value)) return;

  // The shape is right, so what remains are values: explain each, on the number at fault when it can be located.
  const offsets = stringValueOffsets(context.document, range.node);
  const tree = parseTree(range.value);
  const failingKeys = new Set((validate.errors ?? []).map((error) => error.instancePath.split('/')[1]).filter((key): key is string => !!key));
  for (const key of keys) {
    if (!failingKeys.has(key)) continue;
    const keySchema = embedded.properties?.[key] ?? {};
    const list = object[key] as unknown[];
    const bounds = itemBounds(keySchema);
    const allowed = bounds ? `${bounds.minimum}-${bounds.maximum}` : 'the allowed values';
    const spanOf = (path: (string | number)[]): Span => jsoncSpan(tree, path, offsets, range.node);
    if (list.length === 0) {
      context.report(spanOf([key]), 'redemption-range-values', `"${key}" is empty: list values ${allowed}, or [-1] for all.`);
      continue;
    }
    let explained = false;
    list.forEach((item, index) => {
      if (typeof item !== 'number' || !Number.isInteger(item)) {
        context.report(spanOf([key, index]), 'redemption-range-values', `"${key}" holds ${describeItem(item)}, which is not a whole number: use ${allowed} (or [-1] for all).`);
        explained = true;
      } else if (item === -1 && list.length > 1) {
        context.report(spanOf([key, index]), 'redemption-range-values', `"${key}" mixes -1 with other values: -1 means all and must stand alone ([-1]); remove it or the others.`);
        explained = true;
      } else if (item !== -1 && bounds && (item < bounds.minimum || item > bounds.maximum)) {
        context.report(spanOf([key, index]), 'redemption-range-values', `"${key}" ${item} is outside ${allowed} (or [-1] for all): change or remove it.`);
        explained = true;
      }
    });
    if (!explained) {
      context.report(spanOf([key]), 'redemption-range-values', `"${key}" does not hold allowed values: ${keySchema.description ?? `use ${allowed}, or [-1] for all.`}`);
    }
  }
};

/** The `minimum`/`maximum` of the items of an embedded list schema (looked for in oneOf/anyOf branches too). */
function itemBounds(schema: CouponSchema): { minimum: number; maximum: number } | undefined {
  const candidates: CouponSchema[] = [schema];
  const withBranches = schema as CouponSchema & { oneOf?: CouponSchema[]; anyOf?: CouponSchema[] };
  candidates.push(...(withBranches.oneOf ?? []), ...(withBranches.anyOf ?? []));
  for (const candidate of candidates) {
    const items = candidate.items;
    if (items && typeof items.minimum === 'number' && typeof items.maximum === 'number') return { minimum: items.minimum, maximum: items.maximum };
  }
  return undefined;
}

/** Where the embedded JSON's node at `path` is in the file; the whole string value when it cannot be mapped. */
function jsoncSpan(tree: JsoncNode | undefined, path: (string | number)[], offsets: number[] | undefined, node: StringASTNode): Span {
  const found = tree && findNodeAtLocation(tree, path);
  return found ? spanInString(offsets, node, found.offset, found.offset + found.length) : node;
}

/** `mutualExclusiveSeriesIds` is a string holding a JSON array of series ids: `"[10, 11]"`. */
const mutualExclusiveIds: Rule = (context) => {
  const ids = stringField(context, 'mutualExclusiveSeriesIds');
  if (!ids) return;
  const parsed = parseEmbedded(ids.value);
  const validate = embeddedValidator('mutualExclusiveSeriesIds');
  const example = exampleLiteral('mutualExclusiveSeriesIds');
  if (!parsed.ok) {
    context.report(ids.node, 'mutual-exclusive-ids-invalid', `mutualExclusiveSeriesIds must be a string holding a JSON list of series ids, and this is not valid JSON (${parsed.error})${example}.`);
  } else if (validate && !passes(validate, parsed.value)) {
    const list = parsed.value;
    const bad = Array.isArray(list) ? list.find((item) => typeof item !== 'number' || !Number.isInteger(item)) : undefined;
    const message = Array.isArray(list)
      ? `mutualExclusiveSeriesIds lists ${describeItem(bad)}, which is not a series id: list whole numbers only, e.g. "[10, 11]".`
      : `mutualExclusiveSeriesIds must hold a JSON list of series ids such as "[10, 11]" or "[]", not ${describeJsonType(list)}.`;
    context.report(ids.node, 'mutual-exclusive-ids-invalid', message);
  }
};

/** The limit's node when it sets a limit: absent, null and -1 all mean "no limit" (the update page). */
function setRedemptionLimit(context: RuleContext): ASTNode | undefined {
  const limit = context.field('redemptionPerCouponMaxLimit');
  if (!limit || limit.type === 'null') return undefined;
  const unlimited = fieldSchema('redemptionPerCouponMaxLimit')?.['x-unlimitedValue'] ?? -1;
  return limit.type === 'number' && limit.value === unlimited ? undefined : limit;
}

/** The update page: a per-coupon redemption limit only applies to coupons any user can redeem. */
const redemptionLimitAnyUser: Rule = (context) => {
  const limit = setRedemptionLimit(context);
  if (!limit) return;
  if (context.field('anyUser')?.value !== true) {
    context.report(limit, 'redemption-limit-any-user', 'redemptionPerCouponMaxLimit applies only when anyUser is true: set "anyUser": true, or remove the limit.');
  }
};

/** The update page: not for GENERIC (one shared code) series. */
const redemptionLimitGeneric: Rule = (context) => {
  const limit = setRedemptionLimit(context);
  if (!limit) return;
  if (stringField(context, 'clientHandlingType')?.value === 'GENERIC') {
    context.report(limit, 'redemption-limit-generic', 'redemptionPerCouponMaxLimit does not apply to GENERIC series (only to DISC_CODE and DISC_CODE_PIN): remove it.');
  }
};

/** The update page: greater than 0, or -1 / null for no limit. */
const redemptionLimitValue: Rule = (context) => {
  const limit = numberField(context, 'redemptionPerCouponMaxLimit');
  if (!limit) return;
  const unlimited = fieldSchema('redemptionPerCouponMaxLimit')?.['x-unlimitedValue'] ?? -1;
  if (!(limit.value > 0 || limit.value === unlimited)) {
    context.report(limit.node, 'redemption-limit-value', `redemptionPerCouponMaxLimit must be greater than 0, or ${unlimited} (or null) for no limit, not ${limit.value}.`);
  }
};

/** The series fields whose schema lists known template tags (`x-knownTags`). */
function templateFields(): [string, string[]][] {
  return Object.entries(seriesSchema.properties ?? {})
    .filter(([, schema]) => Array.isArray(schema['x-knownTags']))
    .map(([name, schema]) => [name, schema['x-knownTags'] as string[]]);
}

/** A run of braces with what they enclose: `{{tag}}`, `{tag}`, `{{tag}`, or a lone `{{` / `}}`. */
const BRACE_TOKEN = /\{+[^{}]*\}+|\{+|\}+/g;

/**
 * SMS placeholders: each must be exactly `{{tag}}` (reported on the characters at
 * fault), and the tag one the docs show (unknown tags: a warning on the tag, with
 * a "did you mean").
 */
const smsPlaceholders: Rule = (context) => {
  for (const [name, knownTags] of templateFields()) {
    const template = stringField(context, name);
    if (!template || (!template.value.includes('{') && !template.value.includes('}'))) continue;
    const offsets = stringValueOffsets(context.document, template.node);
    const text = template.value;
    for (const match of text.matchAll(BRACE_TOKEN)) {
      const token = match[0];
      const start = match.index ?? 0;
      const opens = /^\{*/.exec(token)?.[0].length ?? 0;
      const closes = /\}*$/.exec(token)?.[0].length ?? 0;
      const inner = token.slice(opens, token.length - closes);
      if (opens === 2 && closes === 2 && inner.length > 0) {
        if (!knownTags.includes(inner)) {
          const suggestion = closestMatch(inner.trim(), knownTags);
          const hint = suggestion ? ` Did you mean "{{${suggestion}}}"?` : ` Known tags: ${knownTags.map((tag) => `{{${tag}}}`).join(', ')}.`;
          context.report(
            spanInString(offsets, template.node, start + 2, start + 2 + inner.length),
            'sms-unknown-tag',
            `"{{${inner}}}" is not a tag the vendor's docs show, so the SMS may go out with it unreplaced.${hint}`,
            suggestion ? { suggestion } : undefined,
          );
        }
        continue;
      }
      // Extend a lone `{{` over the tag that follows it, and a lone `}}` over the tag before it.
      let from = start;
      let to = start + token.length;
      if (closes === 0) to += /^\w*/.exec(text.slice(to))?.[0].length ?? 0;
      if (opens === 0) from -= /\w*$/.exec(text.slice(0, from))?.[0].length ?? 0;
      const shown = text.slice(from, to);
      const tag = (inner || shown.replace(/[{}]/g, '')).trim();
      const fix = tag ? `write it as "{{${tag}}}"` : 'remove the stray braces';
      let message: string;
      if (opens === 0) message = `"${shown}" closes a placeholder that was never opened: ${fix}.`;
      else if (closes === 0) message = `"${shown}" opens a placeholder that is never closed: ${fix}.`;
      else if (inner.length === 0) message = `"${shown}" is an empty placeholder: put a tag inside, e.g. "{{${knownTags[0] ?? 'first_name'}}}", or remove it.`;
      else message = `"${shown}" is not a placeholder: tags take two braces on each side, so ${fix}.`;
      context.report(spanInString(offsets, template.node, from, to), 'sms-placeholder-unbalanced', message);
    }
  }
};

/**
 * Where each integer first occurred, in an open-addressing table over typed arrays:
 * O(1) per look-up, and about three times faster than a Map on 50,000 ids.
 */
class IntegerFirstIndex {
  private keys = new Float64Array(16);
  private firsts = new Int32Array(16);
  private mask = 15;

  /** Empties the table for `count` values, reusing its memory: this runs on every keystroke. */
  reset(count: number): this {
    let size = 16;
    while (size < count * 2) size *= 2;
    if (size > this.keys.length) {
      this.keys = new Float64Array(size);
      this.firsts = new Int32Array(size);
    }
    this.mask = size - 1;
    this.firsts.fill(-1, 0, size);
    return this;
  }

  /** The index where `value` occurred first; `undefined` (and `index` recorded) when this is its first occurrence. */
  firstOrAdd(value: number, index: number): number | undefined {
    const mixed = Math.imul((value | 0) ^ ((value / 4294967296) | 0), 0x9e3779b1);
    let slot = (mixed ^ (mixed >>> 15)) & this.mask;
    while (this.firsts[slot] !== -1) {
      if (this.keys[slot] === value) return this.firsts[slot];
      slot = (slot + 1) & this.mask;
    }
    this.keys[slot] = value;
    this.firsts[slot] = index;
    return undefined;
  }
}

const integerIndex = new IntegerFirstIndex();

/** The same id twice in one productInfo entry: reported on each repeat, in one pass (files may hold 50,000 ids). */
const duplicateProductIds: Rule = (context) => {
  const productInfo = context.field('productInfo');
  if (productInfo?.type !== 'array') return;
  for (const entry of productInfo.items) {
    if (entry.type !== 'object') continue;
    const ids = propertyValue(entry, 'productIds');
    if (ids?.type !== 'array') continue;
    // Integers (the normal case) in a typed hash table; anything else in a Map. 30 and "30" are different
    // JSON values (the string is the schema's wrong-type), so they never count as repeats of each other.
    const items = ids.items;
    const integers = integerIndex.reset(items.length);
    const others = new Map<string, number>();
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      let first: number | undefined;
      if (item.type === 'number' && Number.isSafeInteger(item.value)) {
        first = integers.firstOrAdd(item.value, index);
      } else if (item.type === 'number' || item.type === 'string') {
        const key = `${item.type}:${item.value}`;
        first = others.get(key);
        if (first === undefined) others.set(key, index);
      } else {
        continue;
      }
      if (first !== undefined) {
        context.report(item, 'duplicate-product-id', `Product id ${JSON.stringify(item.value)} is already listed in this productInfo entry (at position ${first + 1}): remove the repeat.`);
      }
    }
  }
};


/** The series key (`"CouponSeriesV2"`), where a missing field is reported. */
function seriesAnchor(context: RuleContext): ASTNode {
  const parent = context.series.parent;
  return parent?.type === 'property' ? parent.keyNode : context.series;
}

/**
 * A series not created yet: the update page's mandatory fields are advised, not
 * required (the create page marks nothing mandatory). An existing series gets the
 * schema's `mandatory-field-missing` error instead.
 */
const mandatoryForCreate: Rule = (context) => {
  if (context.bound) return;
  for (const name of MANDATORY_ON_UPDATE) {
    if (context.field(name)) continue;
    const description = fieldSchema(name)?.description?.replace(/\.$/, '');
    const what = description ? ` (${description.charAt(0).toLowerCase()}${description.slice(1)})` : '';
    context.report(
      seriesAnchor(context),
      'missing-property',
      `"${name}" is missing${what}: the create page does not require it, but every update will (the update page lists it as mandatory), and a series without it is most likely unfinished.`,
    );
  }
};

/** An existing series may omit validTillDate on update; creating it on another environment needs it. */
const validTillForPromotion: Rule = (context) => {
  if (!context.bound) return;
  for (const name of REQUIRED_ON_CREATE) {
    if (context.field(name)) continue;
    context.report(seriesAnchor(context), 'valid-till-missing', `"${name}" is missing: an update may leave it out, but creating this series on another environment (where the file has no deployment yet) needs it.`);
  }
};

/** Numbers below what the field can mean, and empty strings that must say something (`x-minimum`, `x-minLength`: inferred). */
const plausibleValues: Rule = (context) => {
  const visit = (object: ObjectASTNode, path: string[]): void => {
    for (const property of object.properties) {
      const value = property.valueNode;
      const name = property.keyNode.value;
      const schema = schemaAtPath([...path, name]);
      if (!value || !schema) continue;
      if (value.type === 'object') {
        visit(value, [...path, name]);
        continue;
      }
      const minimum = schema['x-minimum'];
      if (value.type === 'number' && minimum !== undefined && value.value < minimum) {
        const unlimited = schema['x-unlimitedValue'];
        const meaning = unlimited === minimum ? ` (${unlimited} means no limit)` : minimum === -1 ? ' (the vendor writes -1 for "not set")' : '';
        context.report(value, 'out-of-range', `${name} ${value.value} is below ${minimum}${meaning}: most likely a mistake, though the docs set no bound.`);
      }
      const minLength = schema['x-minLength'];
      if (value.type === 'string' && minLength !== undefined && value.value.length < minLength) {
        context.report(value, 'out-of-range', value.value.length === 0 ? `${name} is empty: write the code customers will use.` : `${name} is shorter than ${minLength} characters.`);
      }
    }
  };
  visit(context.series, ['CouponSeriesV2']);
};

const MAX_ITEM_REPORTS = 100;

/** productIds hold ids: the docs say only "Array", the examples list integers (`x-itemType`, inferred). */
const productIdTypes: Rule = (context) => {
  const productInfo = context.field('productInfo');
  if (productInfo?.type !== 'array') return;
  const expected = schemaAtPath(['CouponSeriesV2', 'productInfo', 0, 'productIds'])?.['x-itemType'];
  if (expected !== 'integer') return;
  let reported = 0;
  for (const entry of productInfo.items) {
    if (entry.type !== 'object') continue;
    const ids = propertyValue(entry, 'productIds');
    if (ids?.type !== 'array') continue;
    for (const item of ids.items) {
      if (item.type === 'number' && Number.isInteger(item.value)) continue;
      if (reported++ >= MAX_ITEM_REPORTS) return;
      const shown = item.type === 'string' || item.type === 'number' ? JSON.stringify(item.value) : describeJsonType(nodeValue(item));
      const asNumber = item.type === 'string' && /^(0|[1-9]\d*)$/.test(item.value) && Number.isSafeInteger(Number(item.value)) ? item.value : undefined;
      const hint = asNumber ? ` Write it as ${asNumber}.` : '';
      context.report(item, 'product-id-type', `Product id ${shown} is not an integer: the vendor's examples list integer ids, and the server may refuse anything else.${hint}`, asNumber ? { replacement: asNumber } : undefined);
    }
  }
};

/** A date in the lenient form (fraction, +0530) that is not the documented `YYYY-MM-DDTHH:MM:SS±hh:mm` or the server's `Z`. */
const dateFormVariants: Rule = (context) => {
  for (const name of dateTimeFields()) {
    const date = stringField(context, name);
    const documented = fieldSchema(name)?.['x-documentedPattern'];
    const pattern = fieldSchema(name)?.pattern;
    if (!date || !documented || !pattern) continue;
    if (!new RegExp(pattern, 'u').test(date.value) || new RegExp(documented, 'u').test(date.value)) continue;
    const fraction = /:\d\d(\.\d+)/.exec(date.value)?.[1];
    const offset = /([+-]\d\d)(\d\d)$/.exec(date.value);
    const problems: string[] = [];
    if (fraction) problems.push(`fractional seconds (${fraction})`);
    if (offset) problems.push(`an offset without a colon (${offset[0]}, documented as ${offset[1]}:${offset[2]})`);
    // The documented form of the same wall time and offset (the fraction dropped: the docs count whole seconds).
    const documentedForm = date.value.replace(/(:\d\d)\.\d+/, '$1').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
    context.report(
      date.node,
      'date-format-variant',
      `${name} has ${problems.join(' and ')}: a date the server may well read, but the documented form is YYYY-MM-DDTHH:MM:SS±hh:mm: "${documentedForm}".`,
      new RegExp(documented, 'u').test(documentedForm) ? { suggestion: documentedForm } : undefined,
    );
  }
};

/** The root's `deployments` entries: keys `<orgId>@<host>` whose org is the entry's orgId. */
const deploymentKeys: Rule = (context) => {
  const root = context.document.root;
  if (root?.type !== 'object') return;
  const deployments = propertyValue(root, DEPLOYMENTS_KEY);
  if (deployments?.type !== 'object') return;
  for (const property of deployments.properties) {
    const key = property.keyNode.value;
    const problem = deploymentKeyProblem(key);
    if (problem) {
      context.report(property.keyNode, 'deployment-invalid', `The deployment key "${key}" ${problem}: write "<orgId>@<host>", e.g. "100458@eu.api.capillarytech.com" or "100458@127.0.0.1:47631".`);
      continue;
    }
    const orgId = property.valueNode?.type === 'object' ? propertyValue(property.valueNode, 'orgId') : undefined;
    const keyOrg = parseDeploymentKey(key)?.orgId;
    if (orgId?.type === 'number' && keyOrg !== undefined && orgId.value !== keyOrg) {
      context.report(
        orgId,
        'deployment-invalid',
        `The key "${key}" names org ${keyOrg}, but orgId is ${orgId.value}: one of them is wrong. The tool identifies an environment by its key, so fix the key or orgId to the org the series belongs to.`,
      );
    }
  }
};

function deploymentKeyProblem(key: string): string | undefined {
  if (isDeploymentKey(key)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(key) || /@[a-z][a-z0-9+.-]*:\/\//i.test(key)) return 'has a scheme (https://): leave it out';
  if (!key.includes('@')) return 'has no "@" between the org id and the host';
  const parsed = /^([^@]*)@(.*)$/.exec(key);
  if (parsed && !/^[1-9][0-9]*$/.test(parsed[1])) return `starts with "${parsed[1]}", which is not an org id`;
  if (parsed && parsed[2] !== parsed[2].toLowerCase() && isDeploymentKey(`${parsed[1]}@${parsed[2].toLowerCase()}`)) return 'has upper-case letters in the host (hosts are written in lower case)';
  return 'is not an org id and a host';
}

export const RULES: readonly Rule[] = [
  mandatoryForCreate,
  validTillForPromotion,
  readOnlyFields,
  genericCodeUnused,
  expiryValueForSeriesExpiry,
  expiryValueMinimum,
  percentOver100,
  billAmountRange,
  invalidDates,
  redemptionAfterExpiry,
  validTillPast,
  redemptionRangeRule,
  mutualExclusiveIds,
  redemptionLimitAnyUser,
  redemptionLimitGeneric,
  redemptionLimitValue,
  smsPlaceholders,
  duplicateProductIds,
  plausibleValues,
  productIdTypes,
  dateFormVariants,
  deploymentKeys,
];

/** The file's value for `isBoundFile`: only the two properties it looks at, without building the whole value. */
function rootValue(document: CouponDocument): unknown {
  const root = document.root;
  if (root?.type !== 'object') return undefined;
  const deployments = propertyValue(root, DEPLOYMENTS_KEY);
  const series = document.series;
  return {
    [DEPLOYMENTS_KEY]: deployments?.type === 'object' ? Object.fromEntries(deployments.properties.map((property: PropertyASTNode) => [property.keyNode.value, true])) : undefined,
    CouponSeriesV2: series ? { id: propertyValue(series, 'id') ? true : undefined } : undefined,
  };
}

export interface RunRulesOptions {
  /** Let a rule's exception through instead of skipping that rule (tests use this to prove rules do not throw). */
  readonly rethrow?: boolean;
}

export function runRules(document: CouponDocument, now: Date, rules: readonly Rule[] = RULES, options: RunRulesOptions = {}): Diagnostic[] {
  const series = document.series;
  if (!series) return [];
  const diagnostics: Diagnostic[] = [];
  const context: RuleContext = {
    document,
    series,
    now,
    bound: isBoundFile(rootValue(document)),
    field: (name) => propertyValue(series, name),
    report: (at, code, message, data) => {
      const range = 'type' in at ? at : rangeOf(document.textDocument, at);
      diagnostics.push(createDiagnostic(document, range, code, message, data));
    },
  };
  for (const rule of rules) {
    // One rule's bug must not hide the other rules' diagnostics (or crash the server).
    try {
      rule(context);
    } catch (error) {
      // Rules are written not to throw; this is the last line of defence for the server.
      if (options.rethrow) throw error;
    }
  }
  return diagnostics;
}
