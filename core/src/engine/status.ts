/**
 * Where a file stands on one environment, from the file's deployments and the
 * server's answers: which recorded series is this environment's (checked on
 * the server: its org and seriesCode), whether the file or the server changed
 * since the last push, and what a push would do. Pure: the reads are batched
 * by the caller (`lookupFor` says which ids to fetch).
 */
import type { Diagnostic } from 'vscode-json-languageservice';
import type { ServerCouponSeries } from '../api';
import { Deployment, FileDeployments, LegacyIds, deploymentKeyParts, readDeployments, readLegacyIds } from '../deployments';
import { deploymentKey } from '../environments';
import { FIELDS_NOT_RETURNED } from '../schema';
import { compareWithServer, SERIES_KEY } from '../series';
import { isJsonObject, JsonObject, parseJsonOrUndefined } from '../util';
import { hasErrors, validateCouponSeries, ValidationOptions } from '../validate';
import type { Connection } from './connection';
import { requestFingerprint, serverFingerprint } from './fingerprints';

export type SeriesState =
  /** No series for this environment in the file: a push creates one. */
  | 'not-created'
  /** The file and the server agree with the last push. */
  | 'in-sync'
  /** The file changed since the last push: a push updates the series. */
  | 'changed'
  /** The server's series changed since the last push (and maybe the file too). */
  | 'drifted'
  /** The recorded series is not on the server. */
  | 'missing'
  /** The recorded id is another series on this server: never sent to. */
  | 'mismatch'
  /** Which of the file's series is this environment's cannot be told (the environment needs `orgId`). */
  | 'ambiguous'
  /** The file has errors for what a push would do. */
  | 'invalid'
  /** The server could not be asked (the request failed). */
  | 'unreachable';

export type PushAction = 'create' | 'update' | 'none';

export interface FileStatus {
  state: SeriesState;
  /** What a push would do; `none` too when it cannot (invalid, mismatch, ambiguous, unreachable). */
  action: PushAction;
  /** This environment's deployment key, when known. */
  key?: string;
  /** The recorded series (for legacy ids: the deployment they would move into). */
  deployment?: Deployment;
  server?: ServerCouponSeries;
  /** The file's ids are still inside `CouponSeriesV2` and move into `deployments` on the next push. */
  migratesLegacyIds: boolean;
  locallyChanged: boolean;
  drifted: boolean;
  /** Fields a push would change on the server. */
  changes: string[];
  /** Fields of the file the server does not return (not compared). */
  notReturned: string[];
  /** Why, for `missing`, `mismatch`, `ambiguous`, `invalid`, `unreachable`. */
  problem?: string;
  /** The errors, for `invalid`. */
  diagnostics?: Diagnostic[];
}

/** A file as the engine reads it. */
export interface AnalyzedFile {
  text: string;
  /** The `CouponSeriesV2` object; undefined when the file is not JSON or has none. */
  series?: JsonObject;
  deployments: FileDeployments;
  legacy?: LegacyIds;
}

export function analyzeFile(text: string): AnalyzedFile {
  const root = parseJsonOrUndefined(text);
  if (root === undefined) return { text, deployments: readDeployments(undefined) };
  const series = isJsonObject(root) && isJsonObject(root[SERIES_KEY]) ? root[SERIES_KEY] : undefined;
  const legacy = readLegacyIds(root);
  return { text, ...(series ? { series } : {}), deployments: readDeployments(root), ...(legacy ? { legacy } : {}) };
}

/** The errors that stop this file from being sent as `action` (warnings never do). */
export function blockingErrors(text: string, action: 'create' | 'update', options: ValidationOptions = {}): Diagnostic[] {
  const diagnostics = validateCouponSeries(text, { ...options, sendAs: action });
  return hasErrors(diagnostics) ? diagnostics.filter((diagnostic) => diagnostic.severity === 1) : [];
}

function baseStatus(state: SeriesState, action: PushAction): FileStatus {
  return { state, action, migratesLegacyIds: false, locallyChanged: false, drifted: false, changes: [], notReturned: [] };
}

/** What differs between a recorded series and the server's; empty when it is the one recorded. */
function identityMismatch(recorded: { id: number; seriesCode?: string; orgId?: number }, server: ServerCouponSeries): string[] {
  const differences: string[] = [];
  if (server.orgId === undefined) differences.push('the server does not say which org it belongs to');
  else if (recorded.orgId !== undefined && server.orgId !== recorded.orgId) differences.push(`it belongs to org ${String(server.orgId)}, not ${recorded.orgId}`);
  if (recorded.seriesCode !== undefined && server.seriesCode !== recorded.seriesCode) {
    differences.push(`its seriesCode is ${JSON.stringify(server.seriesCode)}, not ${JSON.stringify(recorded.seriesCode)}`);
  }
  return differences;
}

/** The status of a file whose series on this environment is `deployment` (found or not). */
function boundStatus(file: AnalyzedFile, connection: Connection, key: string, deployment: Deployment, server: ServerCouponSeries | undefined, legacy: boolean): FileStatus {
  const where = `${connection.environment.name} (${key})`;
  if (!server) {
    const status = { ...baseStatus('missing', 'create'), key, deployment, migratesLegacyIds: legacy };
    return { ...status, problem: `Series ${deployment.id} recorded for ${where} is not on the server: it may have been deleted.` };
  }
  const mismatch = identityMismatch(deployment, server);
  if (mismatch.length > 0) {
    return {
      ...baseStatus('mismatch', 'none'),
      key,
      deployment,
      problem: `Series ${deployment.id} on ${where} is not the one this file recorded: ${mismatch.join('; ')}.`,
    };
  }
  const series = file.series ?? {};
  const comparison = compareWithServer(series, server);
  const locallyChanged = deployment.pushedFingerprint ? requestFingerprint(series) !== deployment.pushedFingerprint : comparison.differences.length > 0;
  const drifted = deployment.serverFingerprint ? serverFingerprint(server) !== deployment.serverFingerprint : false;
  let changes = comparison.differences.map((difference) => difference.path);
  // Changed only where the server cannot show it: name those fields.
  if (locallyChanged && changes.length === 0) changes = comparison.notReturned;
  const state: SeriesState = drifted ? 'drifted' : locallyChanged ? 'changed' : 'in-sync';
  return {
    ...baseStatus(state, drifted || locallyChanged ? 'update' : 'none'),
    key,
    deployment: { ...deployment, ...(deployment.seriesCode === undefined && typeof server.seriesCode === 'string' ? { seriesCode: server.seriesCode } : {}) },
    server,
    migratesLegacyIds: legacy,
    locallyChanged,
    drifted,
    changes,
    notReturned: comparison.notReturned,
  };
}

/** Legacy ids: this environment's series only if the server shows it with the file's org (and seriesCode). */
function legacyStatus(file: AnalyzedFile, connection: Connection, legacy: LegacyIds, expectedOrgId: number | undefined, server: ServerCouponSeries | undefined): FileStatus {
  const name = connection.environment.name;
  const otherOrg = connection.environment.orgId === undefined ? ` If ${name} is another org, give it its "orgId": the file is then created there as a new series.` : '';
  const unverified = (why: string): FileStatus => ({
    ...baseStatus('mismatch', 'none'),
    problem:
      `This file holds series ${legacy.id} inside ${SERIES_KEY} (made before deployments were recorded), and ${why}, so it cannot be this environment's: nothing was sent. ` +
      `Run the command against the environment where the series was created (its ids then move into "deployments"), or remove "id", "seriesCode" and "orgId" from ${SERIES_KEY} to create it on ${name} as a new series.${otherOrg}`,
  });
  if (!server) return unverified(`${name} has no series ${legacy.id}${expectedOrgId === undefined ? '' : ` in org ${expectedOrgId}`}`);
  const mismatch = identityMismatch({ ...legacy, ...(expectedOrgId === undefined ? {} : { orgId: expectedOrgId }) }, server);
  if (mismatch.length > 0) return unverified(`series ${legacy.id} on ${name} ${mismatch.join('; ').replace(/^it /, '')}`);
  const orgId = server.orgId as number;
  const deployment: Deployment = { id: legacy.id, orgId, ...(typeof server.seriesCode === 'string' ? { seriesCode: server.seriesCode } : {}) };
  return boundStatus(file, connection, deploymentKey(orgId, connection.host), deployment, server, true);
}

/**
 * Which of a file's records is its series on an environment, as far as the
 * file alone tells: the one function behind every answer to "which series is
 * this file there" (the code lens and the status bar show it; the engine then
 * checks it on the server before sending).
 */
export type RecordedSeries =
  /** The org is known and the file records a series for it: this is the one an update goes to. */
  | { kind: 'recorded'; key: string; deployment: Deployment }
  /** Ids made before deployments were recorded (inside `CouponSeriesV2`): checked on the server, then moved. */
  | { kind: 'legacy'; legacy: LegacyIds }
  /** The org is not known: one of these records on the host, or none; the server's answers tell. */
  | { kind: 'candidates'; records: [string, Deployment][] }
  /** Nothing recorded for this environment: a push creates the series (`key` when the org is known). */
  | { kind: 'none'; key?: string };

/** What the file records for `environment` on `host`, whose org is `orgId` when known. */
export function recordedSeries(file: AnalyzedFile, host: string, orgId: number | undefined): RecordedSeries {
  const { legacy } = file;
  if (orgId !== undefined) {
    const key = deploymentKey(orgId, host);
    const deployment = file.deployments.entries.get(key);
    if (deployment) return { kind: 'recorded', key, deployment };
    // Old ids of another org are not this environment's; without their org they cannot be told apart (refused below).
    if (legacy && (legacy.orgId === undefined || legacy.orgId === orgId)) return { kind: 'legacy', legacy };
    return { kind: 'none', key };
  }
  const records = [...file.deployments.entries].filter(([key]) => deploymentKeyParts(key)?.host === host);
  if (records.length > 0) return { kind: 'candidates', records };
  return legacy ? { kind: 'legacy', legacy } : { kind: 'none' };
}

export interface Lookup {
  /** Series ids to fetch from the environment before `resolve`. */
  ids: number[];
  /**
   * The status, given what the server returned for those ids, and the org
   * its answers showed these credentials reach (when the environment has no orgId).
   */
  resolve(found: (id: number) => ServerCouponSeries | undefined, learnedOrgId?: number): FileStatus;
}

/**
 * The one org that series returned to these credentials belong to (the server
 * shows each caller only its own org's series); undefined when none says, or they disagree.
 */
export function orgShownBy(series: Iterable<ServerCouponSeries | undefined>): number | undefined {
  const orgs = new Set<number>();
  for (const one of series) if (one && typeof one.orgId === 'number') orgs.add(one.orgId);
  return orgs.size === 1 ? [...orgs][0] : undefined;
}

/** Which of the file's recorded series may be this environment's, and how to judge the server's answer. */
export function lookupFor(file: AnalyzedFile, connection: Connection): Lookup {
  const none = (status: FileStatus): Lookup => ({ ids: [], resolve: () => status });
  if (!file.series) {
    return none({ ...baseStatus('invalid', 'none'), problem: `The file is not a coupon series ({"${SERIES_KEY}": {...}}) or not valid JSON.` });
  }
  const { environment, host } = connection;
  const recorded = recordedSeries(file, host, connection.orgId);
  switch (recorded.kind) {
    case 'recorded': {
      const { key, deployment } = recorded;
      return { ids: [deployment.id], resolve: (found) => boundStatus(file, connection, key, deployment, found(deployment.id), false) };
    }
    case 'legacy': {
      const { legacy } = recorded;
      // The server shows each caller only its own org's series, so an old id without its org proves nothing: refused.
      if (legacy.orgId === undefined) return none(unownedLegacy(legacy.id, environment.name));
      return { ids: [legacy.id], resolve: (found) => legacyStatus(file, connection, legacy, legacy.orgId, found(legacy.id)) };
    }
    case 'none':
      return none({ ...baseStatus('not-created', 'create'), ...(recorded.key ? { key: recorded.key } : {}) });
    case 'candidates':
      return candidatesLookup(file, connection, recorded.records);
  }
}

function unownedLegacy(id: number, name: string): FileStatus {
  return {
    ...baseStatus('mismatch', 'none'),
    problem:
      `This file holds series ${id} inside ${SERIES_KEY} (made before deployments were recorded) without the "orgId" it belongs to, so whether it is ${name}'s series cannot be checked: nothing was sent. ` +
      `Add its "orgId" next to "id" (then the first command against its environment moves the ids into "deployments"), or remove "id" and "seriesCode" to create it as a new series.`,
  };
}

/** An environment without orgId and records on its host: the server's answers show which org (if any) is this one. */
function candidatesLookup(file: AnalyzedFile, connection: Connection, records: [string, Deployment][]): Lookup {
  const { environment, host } = connection;
  return {
    ids: records.map(([, deployment]) => deployment.id),
    resolve(found, learnedOrgId) {
      const verified = records.filter(([, deployment]) => {
        const server = found(deployment.id);
        return server !== undefined && identityMismatch(deployment, server).length === 0;
      });
      if (verified.length === 1) {
        const [key, deployment] = verified[0];
        return boundStatus(file, connection, key, deployment, found(deployment.id), false);
      }
      // No record is reachable here, but the answers show the org: the file's record for it, or none yet.
      const orgId = verified.length === 0 ? learnedOrgId ?? orgShownBy(records.map(([, deployment]) => found(deployment.id))) : undefined;
      if (orgId !== undefined) {
        const key = deploymentKey(orgId, host);
        const own = records.find(([recordKey]) => recordKey === key);
        return own ? boundStatus(file, connection, key, own[1], found(own[1].id), false) : { ...baseStatus('not-created', 'create'), key };
      }
      const listed = records.map(([key, deployment]) => `${key} (series ${deployment.id}: ${found(deployment.id) ? 'another series here' : 'not found'})`).join(', ');
      const why = verified.length > 1 ? 'the credentials reach several of them' : `none of them is found as recorded: ${listed}`;
      return {
        ...baseStatus('ambiguous', 'none'),
        problem: `${environment.name} has no orgId, and this file records series on ${host} for ${records.map(([key]) => key).join(', ')}: ${why}. Which org ${environment.name} reaches cannot be told, so nothing was sent.`,
      };
    },
  };
}

/** Fields the server never returns that the file lacks: an update (a full replace) may reset them on the server. */
export function fieldsAnUpdateMayReset(series: JsonObject): string[] {
  // genericCode exists only for GENERIC series (and a GENERIC file without one is an error anyway).
  return FIELDS_NOT_RETURNED.filter((name) => series[name] === undefined && (name !== 'genericCode' || series.clientHandlingType === 'GENERIC'));
}

/**
 * `status` judged for sending: `invalid` (keeping what is known of the series) when the file has errors for its action.
 * An update is judged against the server's copy of the series too (maxCreate above what it has issued).
 */
export function withValidation(status: FileStatus, file: AnalyzedFile, options: ValidationOptions = {}): FileStatus {
  // Not a coupon series at all: its diagnostics (`json-syntax` with its line) say why, as `coupon validate` would.
  if (!file.series) return status.diagnostics ? status : { ...status, diagnostics: blockingErrors(file.text, 'create', options) };
  if (status.action === 'none') return status;
  const errors = blockingErrors(file.text, status.action, status.action === 'update' && status.server ? { ...options, server: status.server } : options);
  if (errors.length === 0) return status;
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    ...status,
    state: 'invalid',
    action: 'none',
    diagnostics: errors,
    problem: `The file has ${errors.length} error${errors.length > 1 ? 's' : ''}: line ${first.range.start.line + 1}: ${String(first.message)}${more}`,
  };
}
