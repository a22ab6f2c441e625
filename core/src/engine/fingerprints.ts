/**
 * Fingerprints of a series, recorded in a deployment to tell "you changed it"
 * (the file's request fields differ from what was last pushed) from "someone
 * changed it on the server" (today's answer differs from the answer then).
 */
import { createHash } from 'node:crypto';
import { DATE_TIME_FIELDS, EMBEDDED_JSON_FIELDS, sentFields } from '../series';
import { JsonObject, parseJsonOrUndefined } from '../util';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as JsonObject).filter(([, inner]) => inner !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function digest(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16)}`;
}

/** Of the file's series as a push would send it: any change to a sent value changes it. */
export function requestFingerprint(series: JsonObject): string {
  return digest(sentFields(series));
}

/**
 * Of the server's series, on the request fields it returns, by meaning: dates
 * as instants and JSON-holding strings by their JSON, so the server's own
 * re-spelling (UTC dates) is not mistaken for a change.
 */
export function serverFingerprint(server: JsonObject): string {
  const fields = sentFields(server);
  for (const name of DATE_TIME_FIELDS) {
    const value = fields[name];
    const instant = typeof value === 'string' ? Date.parse(value) : NaN;
    if (!Number.isNaN(instant)) fields[name] = instant;
  }
  for (const name of EMBEDDED_JSON_FIELDS) {
    const value = fields[name];
    if (typeof value !== 'string') continue;
    const json = parseJsonOrUndefined(value);
    // Not JSON: the text is fingerprinted as it is.
    if (json !== undefined) fields[name] = { json };
  }
  return digest(fields);
}
