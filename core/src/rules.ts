/**
 * Cross-field rules beyond what JSON Schema can say, over the parsed document.
 * Each rule reads the facts it needs (enum values, known tags, embedded JSON
 * schemas, read-only fields) from the schema; its code, severity and origin
 * live in codes.ts.
 *
 * Rules never throw on odd input: a value of the wrong type is the schema's
 * `wrong-type` diagnostic, so a rule silently skips it.
 */
import type { ValidateFunction } from 'ajv';
import { compileValidator } from './compiledValidators';
import { parseTree, findNodeAtLocation, Node as JsoncNode } from 'jsonc-parser';
import { ASTNode, Diagnostic, ObjectASTNode, StringASTNode } from 'vscode-json-languageservice';
import { DiagnosticCode } from './codes';
import { explainInvalidDateTime, formatInstant, parseOffsetDateTime } from './dates';
import { closestMatch, CouponDiagnosticData, createDiagnostic, describeJsonType } from './diagnostics';
import { CouponDocument, nodeValue, propertyValue, rangeOf } from './parse';
import { CouponSchema, seriesSchema } from './schema';

/** A stretch of the document: an offset and a length, in UTF-16 code units. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

export interface RuleContext {
  readonly document: CouponDocument;
  readonly series: ObjectASTNode;
  readonly now: Date;
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

/** DAYS / MONTHS_END count days or months from issue: the count must be at least 1, and must be given. */
const expiryValueMinimum: Rule = (context) => {
  const type = stringField(context, 'expiryStrategyType');
  if (type?.value !== 'DAYS' && type?.value !== 'MONTHS_END') return;
  const unit = type.value === 'DAYS' ? 'days' : 'months';
  const valueNode = context.field('expiryStrategyValue');
  if (!valueNode) {
    context.report(type.node, 'expiry-value-min', `expiryStrategyType "${type.value}" needs expiryStrategyValue: add it and say how many ${unit} after issue a coupon stays valid (at least 1).`);
    return;
  }
  const value = numberField(context, 'expiryStrategyValue');
  if (value && value.value < 1) {
    context.report(value.node, 'expiry-value-min', `With expiryStrategyType "${type.value}" the expiryStrategyValue is a number of ${unit} and must be at least 1, not ${value.value}.`);
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
 * so such a maxBillAmount is read as "no maximum" and this rule stays quiet
 * (the schema's `minimum` still reports -1 as out of range).
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
      context.report(date.node, 'invalid-date', `"${date.value}" is not a real date and time (${reason}): correct ${name}.`);
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
 * `redemptionRange` is a string holding JSON `{dom, dow, hours}`. A string that is
 * not JSON, or JSON of the wrong shape, is an error; values outside the (inferred)
 * ranges of the embedded schema are warnings, each on the offending number.
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
    context.report(range.node, 'redemption-range-invalid', `redemptionRange must hold {${keys.map((key) => `"${key}": [...]`).join(', ')}}: ${problems.join('; ')}.`);
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

/** The update page: a per-coupon redemption limit only applies to coupons any user can redeem. */
const redemptionLimitAnyUser: Rule = (context) => {
  const limit = context.field('redemptionPerCouponMaxLimit');
  if (!limit || limit.type === 'null') return;
  if (context.field('anyUser')?.value !== true) {
    context.report(limit, 'redemption-limit-any-user', 'redemptionPerCouponMaxLimit applies only when anyUser is true: set "anyUser": true, or remove the limit.');
  }
};

/** The update page: not for GENERIC (one shared code) series. */
const redemptionLimitGeneric: Rule = (context) => {
  const limit = context.field('redemptionPerCouponMaxLimit');
  if (!limit || limit.type === 'null') return;
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

export const RULES: readonly Rule[] = [
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
];

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
