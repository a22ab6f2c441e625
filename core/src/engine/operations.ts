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
import { compareWithServer, mergeServerIntoFile, SeriesComparison, seriesFromServer, sentFields, SERIES_KEY } from '../series';
import type { ValidationOptions } from '../validate';
import type { Connection } from './connection';
import type { LockedFile, SeriesFiles } from './files';
import { requestFingerprint, serverFingerprint } from './fingerprints';
import { EngineProblem } from './problems';
import { AnalyzedFile, analyzeFile, fieldsAnUpdateMayReset, FileStatus, lookupFor, withValidation } from './status';

type JsonObject = Record<string, unknown>;

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

/** One file's status on the connection's environment (one read, when the file records anything there). */
export async function fileStatus(connection: Connection, text: string, options: EngineOptions = {}): Promise<FileStatus> {
  const file = analyzeFile(text);
  const lookup = lookupFor(file, connection);
  const found = lookup.ids.length > 0 ? await fetchSeries(connection, lookup.ids, options) : new Map<number, ServerCouponSeries>();
  return withValidation(lookup.resolve((id) => found.get(id)), file, options.validation);
}

export interface FilePlan extends FileStatus {
  /** The file as the caller named it. */
  file: string;
  environment: string;
}

/**
 * The status of many files on one environment, with batched reads (`GET ?ids=`
 * takes several ids). Sends nothing that changes the server. A failed read
 * marks the files that needed it `unreachable`; the others are still planned.
 */
export async function planFiles(connection: Connection, inputs: readonly { file: string; text: string }[], options: EngineOptions = {}): Promise<FilePlan[]> {
  const files = inputs.map((input) => ({ input, file: analyzeFile(input.text) }));
  const lookups = files.map(({ file }) => lookupFor(file, connection));
  let found = new Map<number, ServerCouponSeries>();
  let failure: unknown;
  try {
    found = await fetchSeries(connection, lookups.flatMap((lookup) => lookup.ids), options);
  } catch (error) {
    failure = error;
  }
  return files.map(({ input, file }, index) => {
    const lookup = lookups[index];
    const about = { file: input.file, environment: connection.environment.name };
    if (failure !== undefined && lookup.ids.length > 0) {
      return { ...about, state: 'unreachable', action: 'none', migratesLegacyIds: false, locallyChanged: false, drifted: false, changes: [], notReturned: [], problem: messageOf(failure) };
    }
    return { ...about, ...withValidation(lookup.resolve((id) => found.get(id)), file, options.validation) };
  });
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

function deploymentAfter(previous: Deployment | undefined, server: ServerCouponSeries, orgId: number, sent: JsonObject): Deployment {
  return {
    id: server.id,
    orgId,
    ...(typeof server.seriesCode === 'string' ? { seriesCode: server.seriesCode } : previous?.seriesCode ? { seriesCode: previous.seriesCode } : {}),
    pushedAt: utcNow(),
    pushedFingerprint: requestFingerprint(sent),
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
        const orgId = typeof server.orgId === 'number' ? server.orgId : connection.environment.orgId;
        if (orgId === undefined) {
          throw new EngineProblem('write-back', `Series ${server.id} was created on ${connection.environment.name}, but the server did not say in which org, so the file could not record it. Set "orgId" on the environment, and add the series to the file's "deployments" by hand.`);
        }
        if (connection.environment.orgId !== undefined && orgId !== connection.environment.orgId) {
          warnings.push(`The server created series ${server.id} in org ${orgId}, but ${connection.environment.name} says orgId ${connection.environment.orgId}: recorded under org ${orgId}. Correct the environment's orgId.`);
        }
        const key = deploymentKey(orgId, connection.host);
        const written = await recordDeployment(locked, key, deploymentAfter(undefined, server, orgId, sent), false, connection);
        return { action, status, server, key, id: server.id, migrated: false, written, warnings };
      }
      const deployment = status.deployment as Deployment;
      const key = status.key as string;
      const server = await connection.client.updateSeries(
        deployment.id,
        { CouponSeriesV2: { ...sent, id: deployment.id, ...(deployment.seriesCode ? { seriesCode: deployment.seriesCode } : {}) } },
        { ...(signal ? { signal } : {}) },
      );
      const written = await recordDeployment(locked, key, deploymentAfter(deployment, server, deployment.orgId, sent), status.migratesLegacyIds, connection);
      return { action, status, server, key, id: server.id, migrated: status.migratesLegacyIds, written, warnings };
    },
    { ...(signal ? { signal } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) },
  );
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

function deploymentOfPull(server: ServerCouponSeries, orgId: number, series: JsonObject): Deployment {
  return {
    id: server.id,
    orgId,
    ...(typeof server.seriesCode === 'string' ? { seriesCode: server.seriesCode } : {}),
    pushedFingerprint: requestFingerprint(series),
    serverFingerprint: serverFingerprint(server),
  };
}

function orgOf(server: ServerCouponSeries, connection: Connection): number {
  const orgId = typeof server.orgId === 'number' ? server.orgId : connection.environment.orgId;
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
  const series = seriesFromServer(server);
  const key = deploymentKey(orgId, connection.host);
  const document = { [SERIES_KEY]: series, deployments: { [key]: deploymentOfPull(server, orgId, series) } };
  return { text: `${JSON.stringify(document, null, 2)}\n`, server, key, toFillIn: toFillIn(series) };
}

/** `pullSeries` into a new file at `file`; never replaces a file, even one that appeared while fetching. */
export async function pullSeriesToNewFile(connection: Connection, files: SeriesFiles, id: number, file: string, options: EngineOptions = {}): Promise<PulledSeries> {
  const pulled = await pullSeries(connection, id, options);
  await files.createNew(file, pulled.text);
  return pulled;
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
        let next = withDeployment(merged.text, status.key as string, { ...deploymentOfPull(server, (status.deployment as Deployment).orgId, series), ...(status.deployment?.pushedAt ? { pushedAt: status.deployment.pushedAt } : {}) });
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
