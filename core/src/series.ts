/**
 * Pure functions between coupon files and server answers: which fields a file
 * carries, writing the server's ids back into a file with a minimal edit,
 * comparing a file with the server, and turning a server answer into a file.
 * The schema is the only list of fields: response-only ones are `readOnly`,
 * id / seriesCode / orgId are `x-serverAssigned`.
 */
import { applyEdits, Edit, findNodeAtLocation, modify, Node, parseTree } from 'jsonc-parser';
import { SERIES_KEY, seriesSchema } from './schema';

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
const EMBEDDED_JSON_FIELDS: readonly string[] = seriesProperties.filter(([, schema]) => schema['x-embeddedJson']).map(([name]) => name);

const fileFieldSet = new Set(FILE_FIELDS);

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of a series that a file carries (request fields + id/seriesCode/orgId), in the object's own order. */
export function requestFields(series: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(series).filter(([name]) => fileFieldSet.has(name)));
}

export interface ServerIds {
  id: number;
  seriesCode?: string;
  orgId?: number;
}

/** The newline style and one level of indentation the text already uses. */
function detectStyle(text: string): { eol: string; indentUnit: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indentUnit = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return { eol, indentUnit };
}

function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

/** One edit inserting `entries` after the last property of `object`, spaced like that property. */
function insertionEdit(text: string, object: Node, entries: readonly (readonly [string, unknown])[]): Edit {
  const { eol, indentUnit } = detectStyle(text);
  const properties = object.children ?? [];
  const last = properties[properties.length - 1];
  if (!last?.children || last.children.length < 2) {
    // An empty object: open it up like its surroundings (one line stays one line).
    const multiLine = text.includes('\n');
    const indent = multiLine ? lineIndent(text, object.offset) + indentUnit : '';
    const newline = multiLine ? eol : '';
    const body = entries.map(([name, value]) => `${indent}${JSON.stringify(name)}: ${JSON.stringify(value)}`).join(`,${newline || ' '}`);
    const closingIndent = multiLine ? lineIndent(text, object.offset) : '';
    return { offset: object.offset + 1, length: object.length - 2, content: `${newline}${body}${newline}${closingIndent}` };
  }
  const [keyNode, valueNode] = last.children;
  const separator = text.slice(keyNode.offset + keyNode.length, valueNode.offset);
  const leading = text.slice(text.lastIndexOf('\n', last.offset - 1) + 1, last.offset);
  const onOwnLine = /^[ \t]*$/.test(leading) && text.slice(object.offset, last.offset).includes('\n');
  let gap = onOwnLine ? eol + leading : '';
  if (!onOwnLine && properties.length > 1) {
    const previous = properties[properties.length - 2];
    gap = text.slice(previous.offset + previous.length, last.offset).replace(',', '');
  }
  const content = entries.map(([name, value]) => `,${gap}${JSON.stringify(name)}${separator}${JSON.stringify(value)}`).join('');
  return { offset: last.offset + last.length, length: 0, content };
}

/**
 * Writes the server's id (and seriesCode, orgId when given) into the file's
 * `CouponSeriesV2` object: existing values are replaced in place, missing ones
 * are inserted after the last property with the file's own indentation,
 * newlines and spacing. Nothing else in the text changes.
 */
export function writeServerIds(text: string, ids: ServerIds): string {
  const root = parseTree(text);
  const series = root && findNodeAtLocation(root, [SERIES_KEY]);
  if (!series || series.type !== 'object') throw new Error(`The file has no "${SERIES_KEY}" object to write the server's id into.`);
  const edits: Edit[] = [];
  const missing: [string, unknown][] = [];
  for (const [name, value] of Object.entries(ids)) {
    if (value === undefined) continue;
    if (findNodeAtLocation(series, [name])) edits.push(...modify(text, [SERIES_KEY, name], value, {}));
    else missing.push([name, value]);
  }
  if (missing.length > 0) edits.push(insertionEdit(text, series, missing));
  return applyEdits(text, edits);
}

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function embeddedJson(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
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

/**
 * The file's series (bare or wrapped in `CouponSeriesV2`) against the server's
 * (bare, as `getSeries` returns it), both reduced to the fields a file carries.
 */
export function compareWithServer(fileSeries: JsonObject, serverSeries: JsonObject): SeriesComparison {
  const result = { notReturned: [] as string[], differences: [] as SeriesDifference[] };
  const { left, right } = compareObjects(requestFields(unwrap(fileSeries)), requestFields(serverSeries), '', result);
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

/**
 * A file's content from a server answer: `{"CouponSeriesV2": {...}}` with only
 * the fields a file carries (in the schema's order), UTC dates written `+00:00`.
 */
export function seriesFromServer(serverSeries: JsonObject): { [SERIES_KEY]: JsonObject } {
  const series: JsonObject = {};
  for (const name of FILE_FIELDS) {
    const value = serverSeries[name];
    if (value === undefined) continue;
    const isUtcDate = DATE_TIME_FIELDS.includes(name) && typeof value === 'string' && /Z$/i.test(value);
    series[name] = isUtcDate ? formatUtc(value, '+00:00') ?? value : value;
  }
  return { [SERIES_KEY]: series };
}
