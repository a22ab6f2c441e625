/**
 * The strict schema, schemas/coupon-series.schema.json, from its annotated
 * source, schemas/coupon-series.annotated.json: the schema any other tool
 * loads (plain draft-07, Ajv's strict mode included). It says every rule of
 * this tool that is an error and that draft-07 can say, and nothing it only
 * warns about:
 *
 * - only draft-07 keywords are kept (the editor's annotations and the facts
 *   the rules read are this project's);
 * - a keyword whose failure this tool reports as a warning (an unknown
 *   property, an entry's missing field, the `deployments` record) is left out,
 *   so no validator rejects a file this tool would send; the code a keyword
 *   fails with comes from core/src/schemaValidation.ts, its severity from the
 *   rule registry;
 * - `x-strict` keywords are added: what a rule of ours checks with a better
 *   message (the JSON held in strings), said as draft-07 can;
 * - each enum value's meaning (`enumDescriptions`) is written into the
 *   `description`, which is what other editors show.
 */
import * as path from 'node:path';
import { DIAGNOSTIC_CODES, DiagnosticCode } from '../core/src/rules/index';
import { WARNING } from '../core/src/rules/rule';
import { codeOfFailure } from '../core/src/schemaValidation';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ANNOTATED_SCHEMA = path.join(REPO_ROOT, 'schemas', 'coupon-series.annotated.json');
export const STRICT_SCHEMA = path.join(REPO_ROOT, 'schemas', 'coupon-series.schema.json');

/** Draft-07's keywords (validation, applicators, annotations); anything else is an annotation of this project's. */
const DRAFT_07_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$comment', 'title', 'description', 'default', 'readOnly', 'writeOnly', 'examples',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'additionalItems', 'items', 'maxItems', 'minItems', 'uniqueItems', 'contains', 'maxProperties', 'minProperties',
  'required', 'properties', 'patternProperties', 'additionalProperties', 'dependencies', 'propertyNames',
  'const', 'enum', 'type', 'format', 'contentMediaType', 'contentEncoding', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not', 'definitions',
]);
/** Annotations: they never fail a value. */
const ANNOTATIONS = new Set(['$schema', '$id', '$ref', '$comment', 'title', 'description', 'default', 'readOnly', 'writeOnly', 'examples', 'contentMediaType', 'contentEncoding']);
/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', 'dependencies']);
/** Keywords whose value is a schema (or a list of schemas) that must hold where they apply. */
const APPLICATORS = new Set(['items', 'additionalItems', 'contains', 'then', 'else', 'allOf']);
/** Keywords whose schemas are conditions, or fail as a whole: kept as they are (leaving out a keyword inside `if` or `not` could make the schema stricter). */
const KEPT_WHOLE = new Set(['if', 'not', 'anyOf', 'oneOf', 'propertyNames']);

interface Walk {
  /** The `x-code` that reaches this schema from above (the root's reaches no further than the root, as in annotationsFor). */
  readonly inherited?: DiagnosticCode;
  /** Whether keywords this tool only warns about are left out (not inside conditions). */
  readonly dropWarnings: boolean;
  readonly atRoot: boolean;
}

function isWarning(code: DiagnosticCode | undefined): boolean {
  return code !== undefined && DIAGNOSTIC_CODES[code]?.severity === WARNING;
}

/** The description with the meaning of each enum value, for tools that show no `enumDescriptions`. */
function describedEnum(schema: Record<string, unknown>): string | undefined {
  const values = schema.enum;
  const meanings = schema.enumDescriptions;
  if (!Array.isArray(values) || !Array.isArray(meanings) || typeof schema.description !== 'string') return undefined;
  const lines = values.map((value, index) => `${typeof value === 'string' ? value : JSON.stringify(value)}: ${String(meanings[index] ?? '')}`);
  return `${schema.description}\nValues:\n${lines.join('\n')}`;
}

/** Keywords that apply to values of one JSON type only (Ajv's strict mode wants that type declared beside them). */
const TYPE_SPECIFIC = new Set([
  'properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'dependencies', 'required', 'minProperties', 'maxProperties',
  'items', 'additionalItems', 'contains', 'minItems', 'maxItems', 'uniqueItems',
  'pattern', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
]);

/**
 * A schema whose `type` was left out (this tool only warns about another type)
 * still describes what a value of that type holds, for completion and hover:
 * "a value of that type holds these, or it is not of that type" (`anyOf`), which
 * rejects nothing more and keeps Ajv's strict mode content.
 */
function withoutType(strict: Record<string, unknown>, type: unknown): Record<string, unknown> {
  if (typeof type !== 'string') return strict;
  const specific = Object.entries(strict).filter(([keyword]) => TYPE_SPECIFIC.has(keyword));
  if (specific.length === 0) return strict;
  const rest = Object.fromEntries(Object.entries(strict).filter(([keyword]) => !TYPE_SPECIFIC.has(keyword)));
  return { ...rest, anyOf: [{ type, ...Object.fromEntries(specific) }, { not: { type } }] };
}

function strictNode(schema: unknown, walk: Walk): unknown {
  if (Array.isArray(schema)) return schema.map((item) => strictNode(item, walk));
  if (typeof schema !== 'object' || schema === null) return schema;
  const source = schema as Record<string, unknown>;
  const code = (source['x-code'] as DiagnosticCode | undefined) ?? walk.inherited;
  const below: Walk = { inherited: walk.atRoot ? undefined : code, dropWarnings: walk.dropWarnings, atRoot: false };
  let strict: Record<string, unknown> = {};
  let droppedType: unknown;
  for (const [keyword, value] of Object.entries(source)) {
    if (!DRAFT_07_KEYWORDS.has(keyword)) continue;
    if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null) {
      strict[keyword] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, Array.isArray(child) ? child : strictNode(child, below)]));
    } else if (ANNOTATIONS.has(keyword)) {
      strict[keyword] = value;
    } else if (APPLICATORS.has(keyword) || (keyword === 'additionalProperties' && typeof value === 'object' && value !== null)) {
      strict[keyword] = strictNode(value, below);
    } else if (walk.dropWarnings && isWarning(codeOfFailure(keyword, code, walk.atRoot))) {
      // This tool only warns about it: a strict validator must not reject it.
      if (keyword === 'type') droppedType = value;
      continue;
    } else if (KEPT_WHOLE.has(keyword)) {
      strict[keyword] = strictNode(value, { ...below, dropWarnings: false });
    } else {
      strict[keyword] = value;
    }
  }
  const extra = source['x-strict'];
  if (typeof extra === 'object' && extra !== null) Object.assign(strict, strictNode(extra, { ...below, dropWarnings: false }));
  const description = describedEnum(source);
  if (description) strict.description = description;
  if (droppedType !== undefined) strict = withoutType(strict, droppedType);
  return strict;
}

const STRICT_COMMENT =
  'Generated from coupon-series.annotated.json by `npm run generate`: do not edit. Draft-07 keywords only, so any validator loads it (Ajv in strict mode included). It rejects only what the coupon-series tool reports as an error; what the tool only warns about (unknown properties, inferred rules, the deployments record) it accepts.';

/** The annotated schema as the strict one: the same structure (so schema paths agree), draft-07 keywords only. */
export function strictSchemaOf(annotated: object): object {
  // Spread first: the keys keep the source's order, and the comment says where the file comes from.
  return { ...(strictNode(annotated, { dropWarnings: true, atRoot: true }) as Record<string, unknown>), $comment: STRICT_COMMENT };
}

export function strictSchemaText(annotatedText: string): string {
  return `${JSON.stringify(strictSchemaOf(JSON.parse(annotatedText) as object), null, 2)}\n`;
}
