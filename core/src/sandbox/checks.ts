/**
 * What the sandbox checks in a create or update body: only what the vendor's
 * docs say the server checks, written here on their own (not the project's
 * rules), so a rule stricter than the server shows up as a payload the
 * validator refuses and the sandbox accepts. Field facts (types, documented
 * values, date fields, the mandatory list) come from the schema.
 *
 * Not checked, because the docs do not say the server checks them: unknown and
 * response-only fields (ignored), integer bounds, SMS tags, the keys and
 * ranges inside redemptionRange, whether a date is on the calendar (the day is
 * clamped to the month's last, as a lenient date parser would), the `id` and
 * `seriesCode` of an update body against the series in the path.
 */
import { daysInMonth, parseOffsetDateTime } from '../dates';
import { CouponSchema, MANDATORY_ON_UPDATE, REQUIRED_ON_CREATE, schemaAtPath, SERIES_KEY, seriesSchema } from '../schema';
import { isJsonObject, JsonObject, parseJsonOrUndefined } from '../util';

/** One refusal: the HTTP status and the message of its v2 error entry. */
export interface CheckFailure {
  status: 400 | 403;
  message: string;
}

const seriesFields = Object.entries(seriesSchema.properties ?? {});
/** Fields a request may carry and the server keeps: neither response-only nor server-assigned. */
export const STORED_REQUEST_FIELDS: ReadonlySet<string> = new Set(seriesFields.filter(([, schema]) => !schema.readOnly && !schema['x-serverAssigned']).map(([name]) => name));
export const DATE_FIELDS: readonly string[] = seriesFields.filter(([, schema]) => schema['x-dateTime']).map(([name]) => name);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string | string[] | undefined): boolean {
  if (type === undefined) return true;
  const actual = typeOf(value);
  return (Array.isArray(type) ? type : [type]).some((wanted) => wanted === actual || (wanted === 'number' && actual === 'integer'));
}

const ARTICLE: Record<string, string> = { integer: 'an integer', object: 'an object', array: 'an array' };

/** The docs' Data Type column and "Supported values": types and enums, through objects and arrays the schema describes. */
function typeAndEnumFailures(value: unknown, schema: CouponSchema, path: string, failures: CheckFailure[]): void {
  if (!typeMatches(value, schema.type)) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? ''];
    failures.push({ status: 400, message: `${path}: "${path.split('.').pop()}" must be ${types.map((type) => ARTICLE[type] ?? `a ${type}`).join(' or ')}, not ${ARTICLE[typeOf(value)] ?? `a ${typeOf(value)}`}.` });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    failures.push({ status: 400, message: `${path}: ${JSON.stringify(value)} is not a valid ${path.split('.').pop()} (supported: ${schema.enum.join(', ')}).` });
    return;
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => typeAndEnumFailures(item, schema.items as CouponSchema, `${path}[${index}]`, failures));
  } else if (isJsonObject(value)) {
    for (const [name, child] of Object.entries(value)) {
      const childSchema = schema.properties?.[name] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (childSchema) typeAndEnumFailures(child, childSchema, `${path}.${name}`, failures);
    }
  }
}

function parsesAs(text: string, test: (value: unknown) => boolean): boolean {
  const value = parseJsonOrUndefined(text);
  return value !== undefined && test(value);
}

/** The checks common to create and update, each resting on a sentence of the docs. */
function bodyFailures(series: JsonObject): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [name, value] of Object.entries(series)) {
    const schema = schemaAtPath([SERIES_KEY, name]);
    if (schema && STORED_REQUEST_FIELDS.has(name)) typeAndEnumFailures(value, schema, `${SERIES_KEY}.${name}`, failures);
  }
  if (failures.length > 0) return failures;

  // "Format: YYYY-MM-DDTHH:MM:SS+/-(time-zone)": the server parses the date (and answers it in UTC).
  for (const name of DATE_FIELDS) {
    const value = series[name];
    if (typeof value === 'string' && serverInstant(value) === undefined) failures.push({ status: 400, message: `${SERIES_KEY}.${name}: "${value}" is not a date and time with a time zone.` });
  }
  // genericCode: "Only required if the clientHandlingType is set to GENERIC."
  if (series.clientHandlingType === 'GENERIC' && series.genericCode === undefined) failures.push({ status: 400, message: `${SERIES_KEY}.genericCode is required for clientHandlingType GENERIC.` });
  // "For expiryStrategyType: "SERIES_EXPIRY", expiryStrategyValue is always 1".
  if (series.expiryStrategyType === 'SERIES_EXPIRY' && series.expiryStrategyValue !== undefined && series.expiryStrategyValue !== 1) {
    failures.push({ status: 400, message: `${SERIES_KEY}.expiryStrategyValue must be 1 for SERIES_EXPIRY.` });
  }
  // "redemptionRange is a string containing JSON"; "mutualExclusiveSeriesIds is a string containing a JSON array of series ids".
  if (typeof series.redemptionRange === 'string' && !parsesAs(series.redemptionRange, isJsonObject)) {
    failures.push({ status: 400, message: `${SERIES_KEY}.redemptionRange must hold a JSON object such as {"dom": [-1], "dow": [-1], "hours": [-1]}.` });
  }
  if (typeof series.mutualExclusiveSeriesIds === 'string' && !parsesAs(series.mutualExclusiveSeriesIds, (ids) => Array.isArray(ids) && ids.every((id) => Number.isInteger(id)))) {
    failures.push({ status: 400, message: `${SERIES_KEY}.mutualExclusiveSeriesIds must hold a JSON array of series ids such as [10, 11].` });
  }
  // "A productInfo entry with more than 1,000 CATEGORY ids is rejected with 400."
  if (Array.isArray(series.productInfo)) {
    series.productInfo.forEach((entry, index) => {
      if (isJsonObject(entry) && entry.productType === 'CATEGORY' && Array.isArray(entry.productIds) && entry.productIds.length > 1000) {
        failures.push({ status: 400, message: `${SERIES_KEY}.productInfo[${index}]: a CATEGORY entry takes at most 1000 ids, not ${entry.productIds.length}.` });
      }
    });
  }
  // redemptionPerCouponMaxLimit: "The value must be greater than 0", "set value as null or -1" for no limit. (The page's
  // "Applicable only when the anyUser parameter is set to true" and "Not applicable for GENERIC" say where the limit
  // applies, not that the server refuses it: not checked.)
  const limit = series.redemptionPerCouponMaxLimit;
  if (typeof limit === 'number' && limit !== -1 && limit <= 0) {
    failures.push({ status: 400, message: `${SERIES_KEY}.redemptionPerCouponMaxLimit must be greater than 0, or -1 or null for no limit.` });
  }
  // couponPrefix / couponSuffix: "at most 10 characters of letters, digits, -, _".
  for (const name of ['couponPrefix', 'couponSuffix']) {
    const value = series[name];
    if (typeof value === 'string' && !/^[A-Za-z0-9_-]{0,10}$/.test(value)) failures.push({ status: 400, message: `${SERIES_KEY}.${name} takes at most 10 letters, digits, - or _.` });
  }
  return failures;
}

/** A create: the body checks, and "validTillDate is required on create". */
export function createFailures(series: JsonObject): CheckFailure[] {
  const failures = bodyFailures(series);
  for (const name of REQUIRED_ON_CREATE) if (series[name] === undefined) failures.push({ status: 400, message: `${SERIES_KEY}.${name} is required to create a series.` });
  return failures;
}

/** An update: the update page's mandatory list first (403 "mandatory field missing"), then the body checks. */
export function updateFailures(series: JsonObject): CheckFailure[] {
  const missing = [...MANDATORY_ON_UPDATE, 'seriesCode'].filter((name) => series[name] === undefined || series[name] === null);
  if (missing.length > 0) return [{ status: 403, message: `Mandatory field missing: ${missing.map((name) => `${SERIES_KEY}.${name}`).join(', ')}.` }];
  return bodyFailures(series);
}

/**
 * The instant a date stands for, as the server would read it: any ISO 8601
 * date-time with a zone; a day beyond the month's end is clamped to its last
 * day (the docs do not say; a lenient parser does this). Undefined when it is no date.
 */
export function serverInstant(value: string): number | undefined {
  const parsed = parseOffsetDateTime(value);
  if (parsed) return parsed.epochMs;
  const match = /^(\d{4})-(\d{2})-(\d{2})(T.*)$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day <= daysInMonth(year, month)) return undefined;
  return parseOffsetDateTime(`${match[1]}-${match[2]}-${String(daysInMonth(year, month)).padStart(2, '0')}${match[4]}`)?.epochMs;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form the server answers dates in. */
export function utcText(epochMs: number): string {
  const date = new Date(epochMs);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}Z`;
}
