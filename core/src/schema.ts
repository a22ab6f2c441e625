/**
 * The coupon series JSON Schema, the project's only list of fields, and typed
 * look-ups into it. Rules, hover, completion, the sandbox and the CLI read field
 * facts from here rather than repeating them.
 */
import schemaJson from '../../schemas/coupon-series.schema.json';

/** The subset of draft-07 plus the annotations (`x-*`) this project reads. */
export interface CouponSchema {
  $id?: string;
  $ref?: string;
  type?: string | string[];
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
}

export const couponSeriesSchema = schemaJson as unknown as CouponSchema;
export const COUPON_SCHEMA_URI: string = couponSeriesSchema.$id ?? 'coupon-series.schema.json';

/** Key of the single property the API wraps every series in. */
export const SERIES_KEY = 'CouponSeriesV2';

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
