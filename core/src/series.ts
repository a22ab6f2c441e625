/**
 * Pure functions between coupon files and server answers: which fields a file
 * carries, comparing a file with the server, turning a server answer into a
 * file, and merging an answer into an existing file. The schema is the only
 * list of fields: response-only ones are `readOnly`, id / seriesCode / orgId
 * are `x-serverAssigned` (a file records them in `deployments`, see deployments.ts).
 */
import { applyEdits } from 'jsonc-parser';
import { editsToSet } from './edits';
import { SERIES_KEY, seriesSchema } from './schema';
import { isJsonObject, JsonObject, parseJsonOrUndefined } from './util';

export { SERIES_KEY };

const seriesProperties = Object.entries(seriesSchema.properties ?? {});

/** Fields a file carries, in the schema's order: every request field plus the server-assigned id, seriesCode, orgId. */
export const FILE_FIELDS: readonly string[] = seriesProperties
  .filter(([, schema]) => !schema.readOnly || schema['x-serverAssigned'])
  .map(([name]) => name);
/** Fields only the server assigns (`x-serverAssigned`): id, seriesCode, orgId. */
export const SERVER_ASSIGNED_FIELDS: readonly string[] = seriesProperties.filter(([, schema]) => schema['x-serverAssigned']).map(([name]) => name);
/** Date-time fields (`x-dateTime`): compared as instants, rewritten to UTC by the server. */
export const DATE_TIME_FIELDS: readonly string[] = seriesProperties.filter(([, schema]) => schema['x-dateTime']).map(([name]) => name);
/** Strings that hold JSON (`x-embeddedJson`): compared by the JSON they hold, not by spelling. */
export const EMBEDDED_JSON_FIELDS: readonly string[] = seriesProperties.filter(([, schema]) => schema['x-embeddedJson']).map(([name]) => name);

const fileFieldSet = new Set(FILE_FIELDS);

/** The fields of a series that a file carries (request fields + id/seriesCode/orgId), in the object's own order. */
export function requestFields(series: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(series).filter(([name]) => fileFieldSet.has(name)));
}

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function embeddedJson(value: unknown): unknown {
  return typeof value === 'string' ? parseJsonOrUndefined(value) : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/** Same meaning though maybe not the same spelling: dates as instants, JSON-holding strings by their JSON. */
function sameMeaning(field: string, fileValue: unknown, serverValue: unknown): boolean {
  if (DATE_TIME_FIELDS.includes(field)) {
    const fileInstant = instant(fileValue);
    if (fileInstant !== undefined && fileInstant === instant(serverValue)) return true;
  }
  if (EMBEDDED_JSON_FIELDS.includes(field)) {
    const fileJson = embeddedJson(fileValue);
    if (fileJson !== undefined && deepEqual(fileJson, embeddedJson(serverValue))) return true;
  }
  return deepEqual(fileValue, serverValue);
}

export interface SeriesDifference {
  /** Dotted path: `discountValue`, `customPropertyMap.milestone`. */
  path: string;
  file: unknown;
  server: unknown;
}

export interface SeriesComparison {
  /** The server's series, reduced to what the file can be compared on (ordered like the file). */
  left: JsonObject;
  /** The file's series, reduced the same way. */
  right: JsonObject;
  /** Fields the file has that the server did not return: not compared, not changes. */
  notReturned: string[];
  differences: SeriesDifference[];
}

/**
 * Compares one object level. Fields of the file the server did not return go
 * to `notReturned` and out of both sides; values equal in meaning show the
 * file's spelling on both sides, so a diff editor shows only real changes.
 */
function compareObjects(file: JsonObject, server: JsonObject, prefix: string, result: Omit<SeriesComparison, 'left' | 'right'>): { left: JsonObject; right: JsonObject } {
  const left: JsonObject = {};
  const right: JsonObject = {};
  for (const [name, fileValue] of Object.entries(file)) {
    const path = prefix + name;
    if (!(name in server) || server[name] === undefined) {
      result.notReturned.push(path);
      continue;
    }
    const serverValue = server[name];
    if (isJsonObject(fileValue) && isJsonObject(serverValue)) {
      const nested = compareObjects(fileValue, serverValue, `${path}.`, result);
      left[name] = nested.left;
      right[name] = nested.right;
      continue;
    }
    right[name] = fileValue;
    if (prefix === '' ? sameMeaning(name, fileValue, serverValue) : deepEqual(fileValue, serverValue)) {
      left[name] = fileValue;
    } else {
      left[name] = serverValue;
      result.differences.push({ path, file: fileValue, server: serverValue });
    }
  }
  for (const [name, serverValue] of Object.entries(server)) {
    if (name in file || serverValue === undefined) continue;
    left[name] = serverValue;
    result.differences.push({ path: prefix + name, file: undefined, server: serverValue });
  }
  return { left, right };
}

function unwrap(series: JsonObject): JsonObject {
  return isJsonObject(series[SERIES_KEY]) ? series[SERIES_KEY] : series;
}

/** The request fields without the server-assigned ids: what a push sends, and what is compared. */
export function sentFields(series: JsonObject): JsonObject {
  const fields = requestFields(series);
  for (const name of SERVER_ASSIGNED_FIELDS) delete fields[name];
  return fields;
}

/**
 * The file's series (bare or wrapped in `CouponSeriesV2`) against the server's
 * (bare, as `getSeries` returns it), both reduced to the request fields; the
 * ids are not compared (the file records them per environment).
 */
export function compareWithServer(fileSeries: JsonObject, serverSeries: JsonObject): SeriesComparison {
  const result = { notReturned: [] as string[], differences: [] as SeriesDifference[] };
  const { left, right } = compareObjects(sentFields(unwrap(fileSeries)), sentFields(serverSeries), '', result);
  return { left, right, ...result };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * A date-time as `YYYY-MM-DDTHH:MM:SS` in UTC followed by `zone`; undefined
 * when the value is not a date. The server answers with `Z`; files use `+00:00`.
 */
export function formatUtc(value: string, zone: 'Z' | '+00:00'): string | undefined {
  const time = instant(value);
  if (time === undefined) return undefined;
  const date = new Date(time);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return `${day}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${zone}`;
}

/** A server's value as a file writes it: UTC dates `…Z` become `…+00:00` (the documented format). */
function fileSpelling(name: string, value: unknown): unknown {
  const isUtcDate = DATE_TIME_FIELDS.includes(name) && typeof value === 'string' && /Z$/i.test(value);
  return isUtcDate ? formatUtc(value, '+00:00') ?? value : value;
}

/**
 * A series object for a file from a server answer: the request fields only
 * (in the schema's order, ids left to `deployments`), UTC dates written `+00:00`.
 */
export function seriesFromServer(serverSeries: JsonObject): JsonObject {
  const series: JsonObject = {};
  for (const name of FILE_FIELDS) {
    if (SERVER_ASSIGNED_FIELDS.includes(name) || serverSeries[name] === undefined) continue;
    series[name] = fileSpelling(name, serverSeries[name]);
  }
  return series;
}

export interface MergedSeries {
  text: string;
  /** Fields (and `customPropertyMap` keys) of the file the server did not return: kept as the file had them. */
  kept: string[];
  /** Fields whose value changed to the server's. */
  changed: string[];
}

/**
 * The file's text with its `CouponSeriesV2` brought to the server's values,
 * field by field (a minimal diff in the file's own formatting): equal meanings
 * keep the file's spelling, and what the server never returns (genericCode,
 * productInfo, some customPropertyMap keys...) is kept rather than dropped.
 */
export function mergeServerIntoFile(text: string, serverSeries: JsonObject): MergedSeries {
  const root = JSON.parse(text) as JsonObject;
  const file = isJsonObject(root[SERIES_KEY]) ? root[SERIES_KEY] : {};
  const server = seriesFromServer(serverSeries);
  const kept: string[] = [];
  const changed: string[] = [];
  let next = text;
  const set = (path: string[], value: unknown) => {
    next = applyEdits(next, editsToSet(next, [SERIES_KEY, ...path], value));
  };
  for (const name of FILE_FIELDS) {
    if (SERVER_ASSIGNED_FIELDS.includes(name)) continue;
    const fileValue = file[name];
    const serverValue = server[name];
    if (serverValue === undefined) {
      if (fileValue !== undefined) kept.push(name);
      continue;
    }
    if (isJsonObject(fileValue) && isJsonObject(serverValue)) {
      // customPropertyMap: the server may return fewer keys; each key is merged on its own.
      for (const key of Object.keys(fileValue)) if (!(key in serverValue)) kept.push(`${name}.${key}`);
      for (const [key, inner] of Object.entries(serverValue)) {
        if (!deepEqual(fileValue[key], inner)) {
          set([name, key], inner);
          changed.push(`${name}.${key}`);
        }
      }
      continue;
    }
    if (fileValue !== undefined && sameMeaning(name, fileValue, serverValue)) continue;
    set([name], serverValue);
    changed.push(name);
  }
  return { text: next, kept, changed };
}

/** The two sides of a comparison as pretty-printed JSON texts, for a diff view. */
export function comparisonTexts(comparison: SeriesComparison): { server: string; file: string } {
  return {
    server: `${JSON.stringify({ [SERIES_KEY]: comparison.left }, null, 2)}\n`,
    file: `${JSON.stringify({ [SERIES_KEY]: comparison.right }, null, 2)}\n`,
  };
}
