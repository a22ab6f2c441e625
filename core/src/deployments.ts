/**
 * Where a coupon file's series lives: the root-level `deployments` object,
 * beside `CouponSeriesV2`, one entry per environment (an org on a host):
 *
 *   "deployments": {
 *     "100458@eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163…", "orgId": 100458, … }
 *   }
 *
 * It is committed with the series and moves with the file; it is never sent
 * to the API. Files made before it existed carry `id` / `seriesCode` / `orgId`
 * inside `CouponSeriesV2` ("legacy ids"), which the engine migrates.
 * Pure functions over text and values: no I/O.
 */
import { applyEdits } from 'jsonc-parser';
import { editsToSet } from './edits';
import { Environment, hostIdentity, isOrgId } from './environments';
import { DEPLOYMENTS_KEY, parseDeploymentKey, SERIES_KEY } from './schema';
import { isJsonObject } from './util';

export { DEPLOYMENTS_KEY };

/** One environment's record of the series. */
export interface Deployment {
  id: number;
  /** Required by the schema; tolerated missing (the engine fills it from the server). */
  seriesCode?: string;
  orgId: number;
  /** When this file was last pushed there (UTC, `YYYY-MM-DDTHH:MM:SSZ`). */
  pushedAt?: string;
  /** Fingerprint of the request fields last pushed (or pulled): "changed locally" when the file's differs. */
  pushedFingerprint?: string;
  /** Fingerprint of what the server answered then: "changed on the server" when today's answer differs. */
  serverFingerprint?: string;
}

/** Property order in the file: the identity first, then the bookkeeping. */
const DEPLOYMENT_FIELDS = ['id', 'seriesCode', 'orgId', 'pushedAt', 'pushedFingerprint', 'serverFingerprint'] as const;

export interface FileDeployments {
  /** Readable entries by key (`<orgId>@<host>`). */
  entries: Map<string, Deployment>;
  /** Entries that cannot be used, with why (a person can fix them by hand). */
  problems: { key: string; problem: string }[];
}

/** Ids written into `CouponSeriesV2` by versions before `deployments` existed. */
export interface LegacyIds {
  id: number;
  seriesCode?: string;
  orgId?: number;
}

function isSeriesId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** `<orgId>@<host>` split into its parts with the host in lower case (the schema's parser, made tolerant of case), or undefined. */
export function deploymentKeyParts(key: string): { orgId: number; host: string } | undefined {
  const parsed = parseDeploymentKey(key);
  return parsed && isOrgId(parsed.orgId) ? { orgId: parsed.orgId, host: parsed.host.toLowerCase() } : undefined;
}

function readDeployment(key: string, raw: unknown): Deployment | string {
  const parsedKey = deploymentKeyParts(key);
  if (!parsedKey) return `the key "${key}" is not <orgId>@<host>, e.g. "100458@eu.api.capillarytech.com"`;
  if (!isJsonObject(raw)) return 'it is not an object';
  if (!isSeriesId(raw.id)) return '"id" is not a series id (a positive whole number)';
  if (!isOrgId(raw.orgId)) return '"orgId" is not an org id (a positive whole number)';
  if (raw.orgId !== parsedKey.orgId) return `"orgId" ${raw.orgId} is not the org of its key (${parsedKey.orgId})`;
  if (raw.seriesCode !== undefined && typeof raw.seriesCode !== 'string') return '"seriesCode" is not a string';
  const deployment: Deployment = { id: raw.id, orgId: raw.orgId };
  if (typeof raw.seriesCode === 'string' && raw.seriesCode !== '') deployment.seriesCode = raw.seriesCode;
  for (const name of ['pushedAt', 'pushedFingerprint', 'serverFingerprint'] as const) {
    if (typeof raw[name] === 'string') deployment[name] = raw[name] as string;
  }
  return deployment;
}

/** The deployments recorded in a file's root value (JSON.parse of the file). */
export function readDeployments(root: unknown): FileDeployments {
  const result: FileDeployments = { entries: new Map(), problems: [] };
  const raw = isJsonObject(root) ? root[DEPLOYMENTS_KEY] : undefined;
  if (raw === undefined) return result;
  if (!isJsonObject(raw)) {
    result.problems.push({ key: DEPLOYMENTS_KEY, problem: `"${DEPLOYMENTS_KEY}" is not an object` });
    return result;
  }
  for (const [key, value] of Object.entries(raw)) {
    const read = readDeployment(key, value);
    if (typeof read === 'string') result.problems.push({ key, problem: read });
    else result.entries.set(normalisedKey(key), read);
  }
  return result;
}

/** Keys are compared with the host in lower case (a hand-written key may differ in case). */
function normalisedKey(key: string): string {
  const parsed = deploymentKeyParts(key);
  return parsed ? `${parsed.orgId}@${parsed.host}` : key;
}

/** The legacy ids inside `CouponSeriesV2`, when it has a usable `id`. */
export function readLegacyIds(root: unknown): LegacyIds | undefined {
  const series = isJsonObject(root) && isJsonObject(root[SERIES_KEY]) ? root[SERIES_KEY] : undefined;
  if (!series || !isSeriesId(series.id)) return undefined;
  const legacy: LegacyIds = { id: series.id };
  if (typeof series.seriesCode === 'string' && series.seriesCode !== '') legacy.seriesCode = series.seriesCode;
  if (isOrgId(series.orgId)) legacy.orgId = series.orgId;
  return legacy;
}

/** The exact key text used in the file for `key` (its case may differ), so edits replace rather than add. */
function keyAsWritten(root: unknown, key: string): string {
  const raw = isJsonObject(root) ? root[DEPLOYMENTS_KEY] : undefined;
  if (!isJsonObject(raw)) return key;
  return Object.keys(raw).find((candidate) => normalisedKey(candidate) === key) ?? key;
}

function setPath(text: string, path: (string | number)[], value: unknown): string {
  return applyEdits(text, editsToSet(text, path, value));
}

/**
 * The text with `deployment` recorded under `key`: a new entry is inserted
 * whole, an existing one is changed field by field (a minimal diff), in the
 * file's own indentation and line endings. Nothing else changes.
 */
export function withDeployment(text: string, key: string, deployment: Deployment): string {
  const root: unknown = JSON.parse(text);
  const written = keyAsWritten(root, key);
  const existing = isJsonObject(root) && isJsonObject(root[DEPLOYMENTS_KEY]) ? root[DEPLOYMENTS_KEY][written] : undefined;
  const ordered = Object.fromEntries(DEPLOYMENT_FIELDS.filter((name) => deployment[name] !== undefined).map((name) => [name, deployment[name]]));
  if (!isJsonObject(existing)) return setPath(text, [DEPLOYMENTS_KEY, written], ordered);
  let next = text;
  for (const name of DEPLOYMENT_FIELDS) {
    if (existing[name] !== deployment[name]) next = setPath(next, [DEPLOYMENTS_KEY, written, name], deployment[name]);
  }
  return next;
}

/** The text without `id`, `seriesCode` and `orgId` inside `CouponSeriesV2` (after they moved into a deployment). */
export function withoutLegacyIds(text: string): string {
  let next = text;
  for (const name of ['id', 'seriesCode', 'orgId']) {
    const root: unknown = JSON.parse(next);
    if (isJsonObject(root) && isJsonObject(root[SERIES_KEY]) && name in root[SERIES_KEY]) next = setPath(next, [SERIES_KEY, name], undefined);
  }
  return next;
}

/**
 * Whether a recorded deployment may be this environment's, judged from the
 * settings alone (the same host, and the same org when the environment names
 * one). For display; before sending, the engine asks the server.
 */
export function mayBelongTo(environment: Environment, key: string): boolean {
  const parsed = deploymentKeyParts(key);
  if (!parsed || parsed.host !== hostIdentity(environment.host)) return false;
  return environment.orgId === undefined || environment.orgId === parsed.orgId;
}

/** Now in the `pushedAt` format: UTC to the second. */
export function utcNow(now = new Date()): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}
