/**
 * What plan, create, update, push, compare and pull mean for coupon files on
 * an environment, for every front end (the editor's commands and view, the
 * `coupon` CLI):
 *
 * - an id is only ever sent to the environment it was recorded for, after the
 *   server showed it is that series (its org and seriesCode);
 * - a push of one file holds the file's lock from the read to the write-back,
 *   so two pushes never both create, and the second sees the first's record;
 * - a failed request leaves the file exactly as it was; a create is never retried;
 * - the request body is `CouponSeriesV2` alone, with `id` and `seriesCode` put in
 *   for an update; the file's `deployments` are never sent.
 */
import type { CallOptions, ServerCouponSeries } from '../api';
import { CouponApiError } from '../api';
import { Deployment, utcNow, withDeployment, withoutLegacyIds } from '../deployments';
import { deploymentKey } from '../environments';
import { FILE_SUFFIX as COUPON_FILE_SUFFIX } from '../protocol';
import { compareWithServer, mergeServerIntoFile, SeriesComparison, seriesFromServer, sentFields, SERIES_KEY } from '../series';
import type { JsonObject } from '../util';
import type { ValidationOptions } from '../validate';
import type { Connection } from './connection';
import type { LockedFile, SeriesFiles } from './files';
import { requestFingerprint, serverFingerprint } from './fingerprints';
import { EngineProblem } from './problems';
import { Failure, failureOf, isExpectedFailure } from './failures';
import { AnalyzedFile, analyzeFile, fieldsAnUpdateMayReset, FileStatus, lookupFor, orgShownBy, SeriesState, withValidation } from './status';

/** How many ids one `GET ?ids=` asks for. */
const IDS_PER_READ = 50;

export interface EngineOptions extends CallOptions {
  validation?: ValidationOptions;
}

/**
 * Fetches `ids` in batches; an id the server does not return is absent from
 * the map. A request that fails throws (the caller decides what it means).
 */
async function fetchSeries(connection: Connection, ids: readonly number[], options: CallOptions): Promise<Map<number, ServerCouponSeries>> {
  const unique = [...new Set(ids)];
  const found = new Map<number, ServerCouponSeries>();
  for (let start = 0; start < unique.length; start += IDS_PER_READ) {
    for (const series of await readIds(connection, unique.slice(start, start + IDS_PER_READ), options)) found.set(series.id, series);
  }
  return found;
}

/**
 * The series of `ids` that exist. How the server answers a batch with an
 * unknown id in it is not documented (the docs show one id per read): a 404
 * or 400 for all of it would hide the others, so such a batch is read again
 * in halves (one deleted series among 50 costs about a dozen reads, not 50).
 */
async function readIds(connection: Connection, ids: readonly number[], options: CallOptions): Promise<ServerCouponSeries[]> {
  try {
    return await connection.client.getSeries(ids.length === 1 ? ids[0] : ids, options);
  } catch (error) {
    const refusedBatch = ids.length > 1 && error instanceof CouponApiError && error.kind === 'validation';
    if (!isNotFound(error) && !refusedBatch) throw error;
    if (ids.length === 1) return [];
    const middle = Math.ceil(ids.length / 2);
    return [...(await readIds(connection, ids.slice(0, middle), options)), ...(await readIds(connection, ids.slice(middle), options))];
  }
}

/** None of the ids exists: an answer, not a failure. */
function isNotFound(error: unknown): boolean {
  return error instanceof CouponApiError && error.kind === 'not-found';
}

/** Learns the org from the answers (an environment without orgId), and returns it. */
function learnFrom(connection: Connection, found: Map<number, ServerCouponSeries>): number | undefined {
  if (connection.environment.orgId !== undefined) return connection.environment.orgId;
  const shown = orgShownBy(found.values());
  if (shown !== undefined) connection.learnOrg(shown);
  return connection.orgId;
}

/** One file's status on the connection's environment (one read, when the file records anything there). */
export async function fileStatus(connection: Connection, text: string, options: EngineOptions = {}): Promise<FileStatus> {
  const file = analyzeFile(text);
  const lookup = lookupFor(file, connection);
  const found = lookup.ids.length > 0 ? await fetchSeries(connection, lookup.ids, options) : new Map<number, ServerCouponSeries>();
  const learned = learnFrom(connection, found);
  return withValidation(lookup.resolve((id) => found.get(id), learned), file, options.validation);
}

export interface FilePlan extends FileStatus {
  /** The file as the caller named it. */
  file: string;
  environment: string;
}

/** What a plan found, file by file, and the counts every front end reports. */
export interface Plan {
  files: FilePlan[];
  /** The deployment key (`<orgId>@<host>`) of the environment, when its org is known (set, or shown by the server). */
  key?: string;
  /**
   * Why the server could not be asked (unreachable, credentials refused...):
   * said once here; every file that needed the answer is `unreachable`.
   */
  failure?: Failure;
  counts: PlanCounts;
}

export interface PlanCounts {
  create: number;
  update: number;
  /** Up to date: nothing to send (legacy ids may still move into `deployments`). */
  none: number;
  /** Invalid, or their series there cannot be identified or read. */
  cannot: number;
}

/** States where a push cannot tell what to do. */
export const CANNOT_PUSH: ReadonlySet<SeriesState> = new Set<SeriesState>(['invalid', 'mismatch', 'ambiguous', 'unreachable']);

/** Whether pushing `plan` would change the server (a create or an update): what a protected environment or the user's setting asks about. */
export function planChangesServer(plan: Plan): boolean {
  return plan.counts.create + plan.counts.update > 0;
}

/** Whether pushing `plan` would do anything: change the server, or move a legacy file's ids into its `deployments`. */
export function planHasWork(plan: Plan): boolean {
  return planChangesServer(plan) || plan.files.some((entry) => entry.migratesLegacyIds && !CANNOT_PUSH.has(entry.state));
}

function planCounts(files: readonly FilePlan[]): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, none: 0, cannot: 0 };
  for (const file of files) {
    if (CANNOT_PUSH.has(file.state)) counts.cannot++;
    else counts[file.action]++;
  }
  return counts;
}

/**
 * A read that proves the credentials when nothing else needs reading (a plan
 * of new files would otherwise pass with a wrong password). Any answer but a
 * refusal of the credentials will do: an unknown id is fine.
 */
export async function checkCredentials(connection: Connection, options: CallOptions = {}): Promise<Map<number, ServerCouponSeries>> {
  try {
    return await fetchSeries(connection, [CREDENTIALS_PROBE_ID], options);
  } catch (error) {
    if (error instanceof CouponApiError && error.kind === 'validation') return new Map();
    throw error;
  }
}

/** Any id will do for the probe: the server authenticates before it judges the id. */
const CREDENTIALS_PROBE_ID = 1;

export interface PlanOptions extends EngineOptions {
  /** Prove the credentials with a read even when no file needs one (default true). */
  proveCredentials?: boolean;
}

/**
 * The status of many files on one environment, with batched reads (`GET ?ids=`
 * takes several ids). Sends nothing that changes the server. A failed read is
 * the plan's `failure` (said once) and marks the files that needed it
 * `unreachable`; the others are still planned.
 */
export async function planFiles(connection: Connection, inputs: readonly { file: string; text: string }[], options: PlanOptions = {}): Promise<Plan> {
  const analyzed = inputs.map((input) => ({ input, file: analyzeFile(input.text) }));
  const lookups = analyzed.map(({ file }) => lookupFor(file, connection));
  const ids = lookups.flatMap((lookup) => lookup.ids);
  let found = new Map<number, ServerCouponSeries>();
  let failure: Failure | undefined;
  try {
    found = ids.length > 0 ? await fetchSeries(connection, ids, options) : options.proveCredentials === false ? found : await checkCredentials(connection, options);
  } catch (error) {
    if (!isExpectedFailure(error)) throw error;
    failure = failureOf(error, connection.environment);
  }
  const learned = learnFrom(connection, found);
  const files = analyzed.map(({ input, file }, index): FilePlan => {
    const about = { file: input.file, environment: connection.environment.name };
    const lookup = lookups[index];
    if (failure !== undefined && lookup.ids.length > 0) return { ...about, ...baseUnreachable(failure.message) };
    const status = withValidation(lookup.resolve((id) => found.get(id), learned), file, options.validation);
    // A new file's key, once the answers showed the org.
    const key = status.key ?? (status.state === 'not-created' ? connection.key : undefined);
    return { ...about, ...status, ...(key ? { key } : {}) };
  });
  return { files, ...(connection.key ? { key: connection.key } : {}), ...(failure ? { failure } : {}), counts: planCounts(files) };
}

function baseUnreachable(problem: string): FileStatus {
  return { state: 'unreachable', action: 'none', migratesLegacyIds: false, locallyChanged: false, drifted: false, changes: [], notReturned: [], problem };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type PushMode =
  /** Create or update as the plan says; nothing when in sync. */
  | 'push'
  /** Only a create: refused where the series exists. */
  | 'create'
  /** Only an update (sent even when in sync): refused where it was never created. */
  | 'update';

/** What is about to be sent, for the front end to confirm (the editor asks; protected environments always). */
export interface SendQuestion {
  action: 'create' | 'update';
  environment: Connection['environment'];
  file: string;
  /** The series an update goes to. */
  id?: number;
  /** The server's series changed since the last push: an update overwrites that. */
  drifted: boolean;
  /** The recorded series is gone: the create makes a new one in its place. */
  replacesMissing: boolean;
  /** Fields that differ (an update), for the question's details. */
  changes: string[];
  /** Things worth knowing before sending (e.g. fields an update may reset). */
  warnings: string[];
}

export interface PushOptions extends EngineOptions {
  mode: PushMode;
  /** Overwrite a series that changed on the server, and create anew where the recorded one is gone. */
  force?: boolean;
  /**
   * Asked before anything is sent; false sends nothing. Without it, a drifted or
   * missing series is refused unless `force` (the CLI); with it, the question says so (the editor).
   */
  confirm?: (question: SendQuestion) => Promise<boolean>;
  /** Another process holds the file: waiting for it. */
  onWait?: (holder: string) => void;
  /**
   * The text the caller planned for `file` (an agent's plan token covers it):
   * when the file holds another text once locked, nothing is sent (`stale`).
   * The plan was read without the lock; this holds it to the moment of sending.
   */
  plannedText?: (file: string) => string | undefined;
}

export interface PushOutcome {
  action: 'create' | 'update' | 'none';
  /** The status the decision was made on. */
  status: FileStatus;
  /** The server's answer to the create or update. */
  server?: ServerCouponSeries;
  key?: string;
  id?: number;
  /** Legacy ids were moved into `deployments`. */
  migrated: boolean;
  /** The file's text changed (a deployment recorded, legacy ids moved). */
  written: boolean;
  warnings: string[];
}

function describeChanges(changes: readonly string[]): string {
  return changes.length === 0 ? '' : `: ${changes.slice(0, 8).join(', ')}${changes.length > 8 ? ` and ${changes.length - 8} more` : ''}`;
}

/** Refuses, with the reason, what the mode cannot do from this status. */
function decide(status: FileStatus, mode: PushMode, connection: Connection, force: boolean, canAsk: boolean): 'create' | 'update' | 'none' {
  const name = connection.environment.name;
  switch (status.state) {
    case 'invalid':
      throw new EngineProblem('invalid', `${status.problem ?? 'The file has errors.'} Nothing was sent.`, status.diagnostics ?? []);
    case 'mismatch':
    case 'ambiguous':
      throw new EngineProblem(status.state, status.problem ?? `The file's series on ${name} cannot be identified: nothing was sent.`);
    case 'unreachable':
      throw new EngineProblem('unreadable', status.problem ?? `${name} could not be asked.`);
    case 'not-created':
      if (mode === 'update') throw new EngineProblem('not-created', `The series has not been created on ${name} yet: nothing was sent.`);
      return 'create';
    case 'missing':
      if (!force && !canAsk) throw new EngineProblem('missing', `${status.problem} Nothing was sent.`);
      return 'create';
    default:
      break;
  }
  // in-sync, changed, drifted: the series exists here.
  if (mode === 'create') {
    throw new EngineProblem('already-created', `The series already exists on ${name} as series ${status.deployment?.id}: nothing was sent (creating it again would make a duplicate).`);
  }
  if (status.drifted && !force && !canAsk) {
    throw new EngineProblem(
      'drifted',
      `Series ${status.deployment?.id} on ${name} was changed on the server since this file last pushed it${describeChanges(status.changes)}. Nothing was sent.`,
    );
  }
  if (mode === 'push' && status.action === 'none') return 'none';
  return 'update';
}

/**
 * What a file records of its series on an environment after a push or a
 * pull: the ids the server answered, and the fingerprints of the file's
 * series and of the answer, which later tell "changed locally" from "changed
 * on the server". `pushedAt`: now after a push, the recorded time after a
 * pull. A server that leaves out the series code keeps the one `previous` had.
 */
function deploymentOf(server: ServerCouponSeries, orgId: number, fileSeries: JsonObject, previous?: Deployment, pushedAt?: string): Deployment {
  const seriesCode = typeof server.seriesCode === 'string' ? server.seriesCode : previous?.seriesCode;
  return {
    id: server.id,
    orgId,
    ...(seriesCode ? { seriesCode } : {}),
    ...(pushedAt ? { pushedAt } : {}),
    pushedFingerprint: requestFingerprint(fileSeries),
    serverFingerprint: serverFingerprint(server),
  };
}

/** Records the deployment (and moves legacy ids out) in the file as it is now; the request already succeeded. */
async function recordDeployment(locked: LockedFile, key: string, deployment: Deployment, migrate: boolean, connection: Connection): Promise<boolean> {
  let changed = false;
  try {
    await locked.update((current) => {
      let next = withDeployment(current, key, deployment);
      if (migrate) next = withoutLegacyIds(next);
      changed = next !== current;
      return next;
    });
  } catch (error) {
    const entry = JSON.stringify({ [key]: deployment });
    throw new EngineProblem(
      'write-back',
      `Series ${deployment.id} is on ${connection.environment.name}, but the file could not record it (${messageOf(error)}). Add this to the file's "deployments" by hand before sending it again: ${entry}`,
    );
  }
  return changed;
}

/**
 * Create, update or push one file on the connection's environment, holding
 * the file's lock throughout. See `PushMode` for what each mode may do.
 */
export async function pushFile(connection: Connection, files: SeriesFiles, file: string, options: PushOptions): Promise<PushOutcome> {
  const { signal } = options;
  return files.withLock(
    file,
    async (locked) => {
      const planned = options.plannedText?.(file);
      if (planned !== undefined && planned !== locked.text) throw new EngineProblem('stale', 'The file changed since it was planned: nothing was sent. Plan again.');
      const analyzed: AnalyzedFile = analyzeFile(locked.text);
      let status = await fileStatus(connection, locked.text, options);
      const action = decide(status, options.mode, connection, options.force ?? false, options.confirm !== undefined);
      const series = analyzed.series ?? {};
      if (action === 'none') {
        // In sync; legacy ids still move into deployments (the first command against this environment).
        const written = status.migratesLegacyIds && status.key && status.deployment
          ? await recordDeployment(locked, status.key, { ...status.deployment, serverFingerprint: serverFingerprint(status.server ?? {}) }, true, connection)
          : false;
        return { action, status, ...(status.key ? { key: status.key } : {}), ...(status.deployment ? { id: status.deployment.id } : {}), migrated: written, written, warnings: [] };
      }
      // The status was judged for the plan's action; a forced or confirmed create from `missing` is judged again.
      if (action === 'create' && status.state === 'missing') status = withValidation({ ...status, action: 'create' }, analyzed, options.validation);
      if (status.state === 'invalid') throw new EngineProblem('invalid', `${status.problem} Nothing was sent.`, status.diagnostics ?? []);
      if (action === 'update') {
        const updateErrors = withValidation({ ...status, action: 'update' }, analyzed, options.validation);
        if (updateErrors.state === 'invalid') throw new EngineProblem('invalid', `${updateErrors.problem} Nothing was sent.`, updateErrors.diagnostics ?? []);
      }
      const warnings = action === 'update' ? resetWarnings(series) : [];
      if (options.confirm) {
        const question: SendQuestion = {
          action,
          environment: connection.environment,
          file,
          ...(action === 'update' && status.deployment ? { id: status.deployment.id } : {}),
          drifted: action === 'update' && status.drifted,
          replacesMissing: status.state === 'missing',
          changes: status.changes,
          warnings,
        };
        if (!(await options.confirm(question))) throw new EngineProblem('cancelled', 'Nothing was sent.');
      }
      const sent = sentFields(series);
      // A confirmation may have waited long; if our lock was taken meanwhile, another run may be sending this very file.
      await locked.stillHeld();
      if (action === 'create') {
        const server = await connection.client.createSeries({ CouponSeriesV2: sent }, { ...(signal ? { signal } : {}) });
        const orgId = typeof server.orgId === 'number' ? server.orgId : connection.orgId;
        if (orgId === undefined) {
          throw new EngineProblem('write-back', `Series ${server.id} was created on ${connection.environment.name}, but the server did not say in which org, so the file could not record it. Set "orgId" on the environment, and add the series to the file's "deployments" by hand.`);
        }
        if (connection.environment.orgId !== undefined && orgId !== connection.environment.orgId) {
          warnings.push(`The server created series ${server.id} in org ${orgId}, but ${connection.environment.name} says orgId ${connection.environment.orgId}: recorded under org ${orgId}. Correct the environment's orgId.`);
        }
        // The answer shows the org these credentials reach: the next files of this run are judged with it.
        if (typeof server.orgId === 'number') connection.learnOrg(server.orgId);
        const key = deploymentKey(orgId, connection.host);
        const written = await recordDeployment(locked, key, deploymentOf(server, orgId, sent, undefined, utcNow()), false, connection);
        return { action, status, server, key, id: server.id, migrated: false, written, warnings };
      }
      const deployment = status.deployment as Deployment;
      const key = status.key as string;
      const server = await connection.client.updateSeries(
        deployment.id,
        { CouponSeriesV2: { ...sent, id: deployment.id, ...(deployment.seriesCode ? { seriesCode: deployment.seriesCode } : {}) } },
        { ...(signal ? { signal } : {}) },
      );
      const written = await recordDeployment(locked, key, deploymentOf(server, deployment.orgId, sent, deployment, utcNow()), status.migratesLegacyIds, connection);
      return { action, status, server, key, id: server.id, migrated: status.migratesLegacyIds, written, warnings };
    },
    { ...(signal ? { signal } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) },
  );
}

/** What a push did to one file. */
export interface FilePushResult {
  /** The file as the caller named it. */
  file: string;
  outcome: 'created' | 'updated' | 'up-to-date' | 'failed';
  id?: number;
  key?: string;
  seriesCode?: string;
  /** Legacy ids moved into `deployments`. */
  migrated: boolean;
  /** The file's text changed (a deployment recorded). */
  written: boolean;
  warnings: string[];
  /** Why nothing (or not everything) was done, for `failed`. */
  failure?: Failure;
}

export interface PushCounts {
  created: number;
  updated: number;
  upToDate: number;
  failed: number;
}

export interface PushReport {
  /** The plan the push followed (made once, with batched reads). */
  plan: Plan;
  results: FilePushResult[];
  counts: PushCounts;
}

export interface PushFilesOptions extends Omit<PushOptions, 'mode'> {
  /** After the plan, before anything is sent: false sends nothing (the CLI's check for a protected environment). */
  beforeSending?: (plan: Plan) => Promise<boolean> | boolean;
  /** Each file's result as it is known. */
  onResult?: (result: FilePushResult) => void;
}

function resultOf(file: string, outcome: PushOutcome): FilePushResult {
  const seriesCode = typeof outcome.server?.seriesCode === 'string' ? outcome.server.seriesCode : outcome.status.deployment?.seriesCode;
  return {
    file,
    outcome: outcome.action === 'create' ? 'created' : outcome.action === 'update' ? 'updated' : 'up-to-date',
    ...(outcome.id !== undefined ? { id: outcome.id } : {}),
    ...(outcome.key ? { key: outcome.key } : {}),
    ...(seriesCode ? { seriesCode } : {}),
    migrated: outcome.migrated,
    written: outcome.written,
    warnings: outcome.warnings,
  };
}

function countResults(results: readonly FilePushResult[]): PushCounts {
  const counts: PushCounts = { created: 0, updated: 0, upToDate: 0, failed: 0 };
  for (const result of results) {
    if (result.outcome === 'created') counts.created++;
    else if (result.outcome === 'updated') counts.updated++;
    else if (result.outcome === 'up-to-date') counts.upToDate++;
    else counts.failed++;
  }
  return counts;
}

/** `pushFile` as a result: a failure the engine or the API reports is the result's `failure`, not thrown. */
export async function pushOneFile(connection: Connection, files: SeriesFiles, input: { file: string; path: string }, options: PushOptions): Promise<FilePushResult> {
  try {
    return resultOf(input.file, await pushFile(connection, files, input.path, options));
  } catch (error) {
    if (!isExpectedFailure(error)) throw error;
    return { file: input.file, outcome: 'failed', migrated: false, written: false, warnings: [], failure: failureOf(error, connection.environment) };
  }
}

/**
 * Push many files to one environment: one plan with batched reads, then each
 * file that needs it is created or updated under its lock (judged again
 * there: the plan was read without locks). A file that fails keeps its text
 * and does not stop the others. Nothing is sent when the plan could not read
 * the server (its `failure`) or `beforeSending` says no.
 */
export async function pushFiles(connection: Connection, files: SeriesFiles, inputs: readonly { file: string; path: string; text: string }[], options: PushFilesOptions = {}): Promise<PushReport> {
  const plan = await planFiles(connection, inputs, options);
  const failAll = (failure: Failure): PushReport => {
    const results = inputs.map(({ file }): FilePushResult => ({ file, outcome: 'failed', migrated: false, written: false, warnings: [], failure }));
    return { plan, results, counts: countResults(results) };
  };
  if (plan.failure) return failAll(plan.failure);
  if (options.beforeSending && !(await options.beforeSending(plan))) {
    return failAll(failureOf(new EngineProblem('cancelled', 'Nothing was sent.'), connection.environment));
  }
  const results: FilePushResult[] = [];
  for (const [index, entry] of plan.files.entries()) {
    const input = inputs[index];
    let result: FilePushResult;
    if (entry.action === 'none' && !entry.migratesLegacyIds && !CANNOT_PUSH.has(entry.state)) {
      result = { file: input.file, outcome: 'up-to-date', ...(entry.deployment ? { id: entry.deployment.id, ...(entry.deployment.seriesCode ? { seriesCode: entry.deployment.seriesCode } : {}) } : {}), ...(entry.key ? { key: entry.key } : {}), migrated: false, written: false, warnings: [] };
    } else {
      result = await pushOneFile(connection, files, input, { ...options, mode: 'push' });
    }
    results.push(result);
    options.onResult?.(result);
  }
  return { plan, results, counts: countResults(results) };
}

/** The warning before an update of a file that lacks fields the server never returns. */
function resetWarnings(series: JsonObject): string[] {
  const missing = fieldsAnUpdateMayReset(series);
  if (missing.length === 0) return [];
  return [
    `The file has no ${missing.map((name) => `"${name}"`).join(', ')}. The server never returns ${missing.length > 1 ? 'these' : 'this'}, so whether the series has ${missing.length > 1 ? 'them' : 'it'} cannot be checked; an update replaces the whole series and may reset ${missing.length > 1 ? 'them' : 'it'} on the server.`,
  ];
}

export interface FileComparison extends SeriesComparison {
  id: number;
  key: string;
  status: FileStatus;
}

/** The file against its series on the connection's environment (nothing is written). */
export async function compareFile(connection: Connection, text: string, options: EngineOptions = {}): Promise<FileComparison> {
  const status = await fileStatus(connection, text, options);
  const name = connection.environment.name;
  if (status.state === 'not-created') throw new EngineProblem('not-created', `The series has not been created on ${name}: there is nothing to compare it with.`);
  if (status.state === 'missing' || status.state === 'mismatch' || status.state === 'ambiguous' || status.state === 'unreachable') {
    throw new EngineProblem(status.state === 'unreachable' ? 'unreadable' : status.state, status.problem ?? `Nothing to compare on ${name}.`);
  }
  if (!status.server || !status.deployment || !status.key) throw new EngineProblem('unreadable', 'The file is not a readable coupon series: fix it before comparing.');
  const series = analyzeFile(text).series ?? {};
  return { id: status.deployment.id, key: status.key, status, ...compareWithServer(series, status.server) };
}

export interface PulledSeries {
  /** The new file's text: the series' request fields and its deployment on this environment. */
  text: string;
  server: ServerCouponSeries;
  key: string;
  /** Fields the series needs that the server does not return (a GENERIC series' `genericCode`), with why. */
  toFillIn: string[];
}

function orgOf(server: ServerCouponSeries, connection: Connection): number {
  const orgId = typeof server.orgId === 'number' ? server.orgId : connection.orgId;
  if (orgId === undefined) throw new EngineProblem('unreadable', `The server did not say which org series ${server.id} belongs to; set "orgId" on ${connection.environment.name}.`);
  return orgId;
}

function toFillIn(series: JsonObject): string[] {
  if (series.clientHandlingType === 'GENERIC' && series.genericCode === undefined) {
    return ['"genericCode": the series is GENERIC (one code every customer uses), and the server does not return that code. Fill it in before pushing: the API refuses a GENERIC series without it.'];
  }
  return [];
}

/** Fetches series `id` as the text of a new coupon file, bound to this environment. */
export async function pullSeries(connection: Connection, id: number, options: EngineOptions = {}): Promise<PulledSeries> {
  const found = await connection.client.getSeries(id, options);
  const server = found.find((candidate) => candidate.id === id);
  if (!server) throw new CouponApiError('not-found', `Coupon series ${id} was not found on ${connection.environment.name}.`);
  const orgId = orgOf(server, connection);
  if (typeof server.orgId === 'number') connection.learnOrg(server.orgId);
  const series = seriesFromServer(server);
  const key = deploymentKey(orgId, connection.host);
  const document = { [SERIES_KEY]: series, deployments: { [key]: deploymentOf(server, orgId, series) } };
  return { text: `${JSON.stringify(document, null, 2)}\n`, server, key, toFillIn: toFillIn(series) };
}

/** `pullSeries` into a new file at `file`; never replaces a file, even one that appeared while fetching. */
export async function pullSeriesToNewFile(connection: Connection, files: SeriesFiles, id: number, file: string, options: EngineOptions = {}): Promise<PulledSeries> {
  const pulled = await pullSeries(connection, id, options);
  await files.createNew(file, pulled.text);
  return pulled;
}

/** How many names (`<id>.coupon.json`, `<id>-2.coupon.json`...) a pull into a folder tries. */
const PULL_NAMES = 20;

export interface PulledToFolder extends PulledSeries {
  /** The file that holds the series now. */
  file: string;
  /** It was there already (it records this very series on this environment): opened, not written. */
  existing: boolean;
}

/**
 * Series `id` into `folder`: the file that already records it on this
 * environment, else a new file at the first free name of `<id>.coupon.json`,
 * `<id>-2.coupon.json`... (ids overlap between orgs, so an existing
 * `<id>.coupon.json` may be another series: only an exact record, for the org
 * the server's answer shows, proves it is this one). Never replaces a file.
 */
export async function pullSeriesToFolder(connection: Connection, files: SeriesFiles, id: number, folder: string, options: EngineOptions = {}): Promise<PulledToFolder> {
  const pulled = await pullSeries(connection, id, options);
  for (let attempt = 1; attempt <= PULL_NAMES; attempt++) {
    const file = files.resolve(folder, `${id}${attempt > 1 ? `-${attempt}` : ''}${COUPON_FILE_SUFFIX}`);
    const existing = await files.read(file).catch(() => undefined);
    if (existing !== undefined) {
      const recorded = analyzeFile(existing).deployments.entries.get(pulled.key);
      if (recorded?.id === id) return { ...pulled, file, existing: true };
      continue;
    }
    try {
      await files.createNew(file, pulled.text);
      return { ...pulled, file, existing: false };
    } catch (error) {
      // One appeared meanwhile: never replaced, the next name is tried.
      if (!(error instanceof EngineProblem && error.kind === 'exists')) throw error;
    }
  }
  throw new EngineProblem('exists', `${id}${COUPON_FILE_SUFFIX} to ${id}-${PULL_NAMES}${COUPON_FILE_SUFFIX} all exist in ${folder}: nothing was written.`);
}

export interface PullIntoOptions extends EngineOptions {
  /** Overwrite changes made to the file since its last push. */
  force?: boolean;
  /** Asked when the file has changes the pull would overwrite (the editor); without it they are refused unless `force`. */
  confirmOverwrite?: (changes: string[]) => Promise<boolean>;
  onWait?: (holder: string) => void;
}

export interface PullIntoOutcome {
  status: FileStatus;
  server: ServerCouponSeries;
  /** Fields the server did not return, kept as the file had them. */
  kept: string[];
  changed: string[];
  toFillIn: string[];
  written: boolean;
}

/** Brings a bound file to its series on this environment, keeping what the server does not return. */
export async function pullIntoFile(connection: Connection, files: SeriesFiles, file: string, options: PullIntoOptions = {}): Promise<PullIntoOutcome> {
  const { signal } = options;
  return files.withLock(
    file,
    async (locked) => {
      const status = await fileStatus(connection, locked.text, options);
      const name = connection.environment.name;
      if (status.state === 'not-created') throw new EngineProblem('not-created', `This file has no series on ${name} to pull.`);
      if (!status.server || !status.key || !status.deployment) {
        throw new EngineProblem(status.state === 'missing' || status.state === 'mismatch' || status.state === 'ambiguous' ? status.state : 'unreadable', status.problem ?? `Nothing to pull from ${name}.`);
      }
      if (status.locallyChanged && !options.force) {
        const allowed = options.confirmOverwrite ? await options.confirmOverwrite(status.changes) : false;
        if (!allowed) {
          throw new EngineProblem(options.confirmOverwrite ? 'cancelled' : 'drifted', `The file has changes not pushed to ${name}${describeChanges(status.changes)}: the pull would overwrite them. Nothing was changed.`);
        }
      }
      const server = status.server;
      let merged = { text: locked.text, kept: [] as string[], changed: [] as string[] };
      let written = false;
      await locked.stillHeld();
      await locked.update((current) => {
        merged = mergeServerIntoFile(current, server);
        const series = analyzeFile(merged.text).series ?? {};
        const recorded = status.deployment as Deployment;
        let next = withDeployment(merged.text, status.key as string, deploymentOf(server, recorded.orgId, series, recorded, recorded.pushedAt));
        if (status.migratesLegacyIds) next = withoutLegacyIds(next);
        written = next !== current;
        return next;
      });
      const series = analyzeFile(merged.text).series ?? {};
      return { status, server, kept: merged.kept, changed: merged.changed, toFillIn: toFillIn(series), written };
    },
    { ...(signal ? { signal } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) },
  );
}
