/**
 * The coupon series JSON Schema, the project's only list of fields, and typed
 * look-ups into it. Rules, hover, completion, the sandbox and the CLI read field
 * facts from here rather than repeating them.
 *
 * This is the annotated source (schemas/coupon-series.annotated.json): the
 * strict schema any tool can load (schemas/coupon-series.schema.json) is
 * generated from it by dropping the annotations (`npm run generate`).
 */
import schemaJson from '../../schemas/coupon-series.annotated.json';
import { isJsonObject } from './util';

/** The subset of draft-07 plus the annotations (`x-*`) this project reads. */
export interface CouponSchema {
  $id?: string;
  $ref?: string;
  type?: string | string[];
  $comment?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, CouponSchema>;
  additionalProperties?: boolean | CouponSchema;
  required?: string[];
  items?: CouponSchema;
  enum?: unknown[];
  const?: unknown;
  enumDescriptions?: string[];
  markdownEnumDescriptions?: string[];
  default?: unknown;
  examples?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  errorMessage?: string;
  readOnly?: boolean;
  doNotSuggest?: boolean;
  allOf?: CouponSchema[];
  if?: CouponSchema;
  then?: CouponSchema;
  else?: CouponSchema;
  propertyNames?: CouponSchema;
  minProperties?: number;
  minLength?: number;
  contentMediaType?: string;
  definitions?: Record<string, CouponSchema>;
  defaultSnippets?: { label?: string; description?: string; body?: unknown; bodyText?: string }[];
  'x-serverAssigned'?: boolean;
  'x-unlimitedValue'?: number;
  'x-inferred'?: string;
  'x-dateTime'?: boolean;
  'x-epochMillis'?: boolean;
  'x-embeddedJson'?: CouponSchema;
  'x-knownTags'?: string[];
  'x-code'?: string;
  /** `never`: the server does not return the field; `partly`: it may return fewer keys than were sent. */
  'x-returned'?: 'never' | 'partly';
  /** The least value that makes sense (an inferred warning below it). */
  'x-minimum'?: number;
  'x-minLength'?: number;
  /** The inferred JSON type of an array's items (a warning otherwise). */
  'x-itemType'?: string;
  /** The exact documented form of a date (a warning when only the lenient `pattern` matches). */
  'x-documentedPattern'?: string;
  /** Keywords only the strict schema carries (scripts/generate.ts): a rule of this tool checks the same, with a better message. */
  'x-strict'?: CouponSchema;
  anyOf?: CouponSchema[];
  oneOf?: CouponSchema[];
}

export const couponSeriesSchema = schemaJson as unknown as CouponSchema;
export const COUPON_SCHEMA_URI: string = couponSeriesSchema.$id ?? 'coupon-series.schema.json';

/** Key of the single property the API wraps every series in. */
export const SERIES_KEY = 'CouponSeriesV2';
/** Key of the root-level record of where the series was created (never sent to the API). */
export const DEPLOYMENTS_KEY = 'deployments';

function resolveRef(schema: CouponSchema): CouponSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 8; hops++) {
    const match = /^#\/definitions\/(.+)$/.exec(current.$ref);
    const target = match && couponSeriesSchema.definitions?.[match[1]];
    if (!target) break;
    current = target;
  }
  return current;
}

/** The schema of the `CouponSeriesV2` object. */
export const seriesSchema: CouponSchema = resolveRef(couponSeriesSchema.properties?.[SERIES_KEY] ?? {});

/**
 * The schema that applies at a JSON path (property names and array indices),
 * following `$ref`, `properties`, `additionalProperties` and `items`.
 */
export function schemaAtPath(path: readonly (string | number)[]): CouponSchema | undefined {
  let current: CouponSchema | undefined = couponSeriesSchema;
  for (const segment of path) {
    if (!current) return undefined;
    current = resolveRef(current);
    if (typeof segment === 'number') {
      current = current.items;
    } else {
      const additional: boolean | CouponSchema | undefined = current.additionalProperties;
      current = current.properties?.[segment] ?? (typeof additional === 'object' ? additional : undefined);
    }
  }
  return current && resolveRef(current);
}

/** Names of the properties an object schema declares, excluding read-only (server-owned) ones. */
export function writableProperties(schema: CouponSchema): string[] {
  return Object.entries(resolveRef(schema).properties ?? {})
    .filter(([, property]) => !property.readOnly)
    .map(([name]) => name);
}

/** Short type label for docs: `integer`, `string (JSON)`, `array of object`... */
export function typeLabel(schema: CouponSchema): string {
  const resolved = resolveRef(schema);
  const type = Array.isArray(resolved.type) ? resolved.type.join(' | ') : resolved.type;
  if (type === 'array' && resolved.items) return `array of ${typeLabel(resolved.items)}`;
  if (resolved['x-embeddedJson']) return `${type ?? 'string'} (holding JSON)`;
  if (resolved['x-dateTime']) return 'string (date-time)';
  if (resolved['x-epochMillis']) return 'integer (epoch milliseconds)';
  return type ?? (resolved.enum ? 'enum' : 'any');
}

function seriesFieldsWhere(test: (schema: CouponSchema) => boolean): readonly string[] {
  return Object.entries(seriesSchema.properties ?? {})
    .filter(([, schema]) => test(schema))
    .map(([name]) => name);
}

/** Request fields the server never returns (`x-returned: never`): genericCode, productInfo, redemptionOrgEntityDetails. */
export const FIELDS_NOT_RETURNED: readonly string[] = seriesFieldsWhere((schema) => schema['x-returned'] === 'never');
/** Request fields the server may return with fewer keys than were sent (`x-returned: partly`): customPropertyMap. */
export const FIELDS_RETURNED_IN_PART: readonly string[] = seriesFieldsWhere((schema) => schema['x-returned'] === 'partly');

/** The schema branch holding the diagnostic code `code` (an if/then/else of the root or of the series). */
function branchWithCode(code: string): CouponSchema | undefined {
  for (const holder of [couponSeriesSchema, seriesSchema]) {
    for (const rule of holder.allOf ?? []) {
      for (const branch of [rule.then, rule.else]) if (branch?.['x-code'] === code) return branch;
    }
  }
  return undefined;
}

/** What a branch requires of the series: its own `required`, or that of its `CouponSeriesV2`. */
function requiredOfBranch(code: string): readonly string[] {
  const branch = branchWithCode(code);
  return branch?.properties?.[SERIES_KEY]?.required ?? branch?.required ?? [];
}

/**
 * The update page's mandatory list, without seriesCode (the tool puts it in at
 * send time): required of a series that exists somewhere (an error), advised
 * for a new one (a warning). Read from the schema's root if/then.
 */
export const MANDATORY_ON_UPDATE: readonly string[] = requiredOfBranch('mandatory-field-missing');
/** What a create needs (validTillDate), from the schema's root if/else. */
export const REQUIRED_ON_CREATE: readonly string[] = requiredOfBranch('valid-till-required');

/**
 * A file is bound (its series already exists somewhere, so its next send may
 * be an update) when `deployments` has an entry, or when `CouponSeriesV2`
 * holds an `id` (a file from before deployments).
 */
export function isBoundFile(file: unknown): boolean {
  if (!isJsonObject(file)) return false;
  const deployments = file[DEPLOYMENTS_KEY];
  if (isJsonObject(deployments) && Object.keys(deployments).length > 0) return true;
  const series = file[SERIES_KEY];
  return isJsonObject(series) && series.id !== undefined;
}

/** `<orgId>@<host>`: the org, then the lower-case host with its port and path prefix, without scheme. */
const DEPLOYMENT_KEY = /^([1-9][0-9]*)@(.+)$/;

/** The org and host of a `deployments` key, or undefined when it is not `<orgId>@<host>`. */
export function parseDeploymentKey(key: string): { orgId: number; host: string } | undefined {
  const match = DEPLOYMENT_KEY.exec(key);
  if (!match) return undefined;
  const orgId = Number(match[1]);
  return Number.isSafeInteger(orgId) ? { orgId, host: match[2] } : undefined;
}

/** Whether `key` has the form the schema asks of a `deployments` key (lower-case host, no scheme). */
export function isDeploymentKey(key: string): boolean {
  const pattern = resolveRef(couponSeriesSchema.properties?.[DEPLOYMENTS_KEY] ?? {}).propertyNames?.pattern;
  return pattern !== undefined && new RegExp(pattern, 'u').test(key);
}
