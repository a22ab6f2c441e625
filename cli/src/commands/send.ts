/**
 * `coupon create FILE`, `coupon update FILE`, `coupon push FILE...`: the
 * editor's rules. Validate first (errors: print them, send nothing); a file
 * with an id is never created again; a create is never retried; the server's
 * id is written back (minimal edit, atomic write) only after success; a
 * failed request leaves the file untouched.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { CouponApiErrorKind, ServerCouponSeries } from '../../../core/src/api';
import { createRequestBody, textWithCreatedIds, updateRequestBody } from '../../../core/src/operations';
import { flag, UsageError } from '../args';
import { CliFailure, CommandContext, CommandSpec, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, JSON_OPTION } from '../command';
import { ApiFailure, apiFailure, connect, Connection, CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection';
import { withoutByteOrderMark, writeFileAtomic } from '../files';
import { filesWithErrors, jsonDiagnostics, loadSeriesFile, SeriesFile, seriesId } from '../seriesFile';

type Mode = 'create' | 'update' | 'push';
type Action = 'create' | 'update';

export interface SendResult {
  file: string;
  action: Action;
  ok: boolean;
  id?: number;
  seriesCode?: string;
  orgId?: number;
  /** The file was rewritten with the server's ids. */
  written?: boolean;
  error?: ApiFailure;
  skipped?: boolean;
}

/** Failures that would repeat for every file of a batch: stop instead of sending the rest. */
const STOPS_BATCH: ReadonlySet<CouponApiErrorKind> = new Set(['auth', 'forbidden', 'connection-refused', 'dns', 'tls', 'insecure-url', 'unsupported-media-type', 'cancelled']);

/**
 * Writes the server's ids into the file as it is now (it may have been edited
 * meanwhile: the edit is minimal either way). Returns whether the text changed.
 */
async function writeBack(file: SeriesFile, server: ServerCouponSeries): Promise<boolean> {
  const raw = await readFile(file.file, 'utf8');
  const current = withoutByteOrderMark(raw);
  const updated = textWithCreatedIds(current, server);
  if (updated === current) return false;
  await writeFileAtomic(file.file, raw.slice(0, raw.length - current.length) + updated);
  return true;
}

function hint(action: Action, error: ApiFailure, file: SeriesFile): string {
  if (action === 'update' && error.kind === 'not-found') {
    return ` If the series no longer exists, remove "id" and "seriesCode" from ${file.display} and run coupon create ${file.display}.`;
  }
  return '';
}

async function sendOne(file: SeriesFile, action: Action, connection: Connection, context: CommandContext, json: boolean): Promise<SendResult> {
  const { output } = context;
  // The same bodies as the editor's commands: request fields only.
  const body = action === 'create' ? createRequestBody(file.series) : updateRequestBody(file.series);
  let server: ServerCouponSeries;
  const id = seriesId(file);
  try {
    server = action === 'create' ? await connection.client.createSeries(body) : await connection.client.updateSeries(id as number, body);
  } catch (caught) {
    const error = apiFailure(caught);
    error.message += hint(action, error, file);
    if (!json) output.error(`${file.display}: ${error.message}`);
    return { file: file.display, action, ok: false, ...(id ? { id } : {}), error };
  }
  const ids = { id: server.id, ...(typeof server.seriesCode === 'string' ? { seriesCode: server.seriesCode } : {}), ...(typeof server.orgId === 'number' ? { orgId: server.orgId } : {}) };
  let written: boolean;
  try {
    written = action === 'create' ? await writeBack(file, server) : false;
  } catch (error) {
    const message = `${file.display}: series ${server.id} was ${action}d on ${connection.name}, but its id could not be written back (${(error as Error).message}). Add "id": ${server.id}${ids.seriesCode ? `, "seriesCode": "${ids.seriesCode}"` : ''} to the file by hand before sending it again.`;
    if (!json) output.error(message);
    return { file: file.display, action, ok: false, ...ids, written: false, error: { kind: 'write-back', message } };
  }
  if (!json) {
    const code = ids.seriesCode ? ` (seriesCode ${ids.seriesCode})` : '';
    output.out(`${file.display}: ${action === 'create' ? 'created' : 'updated'} series ${server.id}${code} on ${connection.name}${written ? '; id written to the file' : ''}`);
  }
  return { file: file.display, action, ok: true, ...ids, written };
}

async function send(mode: Mode, inputs: readonly string[], args: Parameters<CommandSpec['run']>[0], context: CommandContext): Promise<number> {
  const { output, io } = context;
  const json = flag(args, 'json');
  if (inputs.length === 0) throw new UsageError(`coupon ${mode} needs ${mode === 'push' ? 'at least one FILE' : 'a FILE'}`);
  if (mode !== 'push' && inputs.length > 1) throw new UsageError(`coupon ${mode} takes one FILE (use coupon push for several)`);
  // Where to send and as whom, before reading anything: bad usage fails fast.
  const connection = connect(args, context);
  try {
    // The same file named twice (a.coupon.json ./a.coupon.json, or a glob and a name) is sent once.
    const byPath = new Map<string, string>();
    for (const input of inputs) if (!byPath.has(path.resolve(io.cwd, input))) byPath.set(path.resolve(io.cwd, input), input);
    const unique = [...byPath.values()];
    const files = await Promise.all(unique.map((input) => loadSeriesFile(input, io.cwd)));

    const failing = filesWithErrors(output, files, json);
    if (failing.length > 0) {
      if (json) {
        output.json({ ok: false, sent: false, results: failing.map((file) => ({ file: file.display, ok: false, diagnostics: jsonDiagnostics(file.diagnostics) })) });
      }
      return EXIT_FAILURE;
    }

    const actions = files.map((file): Action => (seriesId(file) !== undefined ? 'update' : 'create'));
    if (mode === 'create' && actions[0] === 'update') {
      throw new CliFailure(
        `${files[0].display} already has "id": ${seriesId(files[0])}: the series exists on the server and is not created again. Use coupon update ${files[0].display} (or coupon push).`,
      );
    }
    if (mode === 'update' && actions[0] === 'create') {
      throw new CliFailure(`${files[0].display} has no "id": it has not been created yet. Use coupon create ${files[0].display} (or coupon push).`);
    }
    if (files.some((file) => file.series.id !== undefined && seriesId(file) === undefined)) {
      throw new CliFailure(`"id" must be a positive integer in ${files.filter((file) => file.series.id !== undefined && seriesId(file) === undefined).map((file) => file.display).join(', ')}`, EXIT_USAGE);
    }

    const results: SendResult[] = [];
    let stopped: CouponApiErrorKind | undefined;
    for (const [index, file] of files.entries()) {
      const action = actions[index];
      if (stopped) {
        results.push({ file: file.display, action, ok: false, skipped: true });
        continue;
      }
      if (files.length > 1) output.err(`[${index + 1}/${files.length}] ${action === 'create' ? 'creating' : 'updating'} ${file.display}`);
      const result = await sendOne(file, action, connection, context, json);
      results.push(result);
      const kind = result.error?.kind as CouponApiErrorKind | undefined;
      if (kind && STOPS_BATCH.has(kind) && index < files.length - 1) {
        stopped = kind;
        output.error(`stopping: the remaining ${files.length - index - 1} file(s) would fail the same way (${kind}); nothing else was sent`);
      }
    }
    const ok = results.every((result) => result.ok);
    if (json) output.json({ ok, environment: connection.name, results });
    else if (files.length > 1) output.err(`${results.filter((result) => result.ok).length} of ${files.length} files sent to ${connection.name}`);
    return ok ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await connection.close();
  }
}

function sendCommand(mode: Mode, usage: string, details: readonly string[]): CommandSpec {
  return {
    name: mode,
    usage,
    details: [...details, '', ...CONNECTION_HELP],
    options: [...CONNECTION_OPTIONS, JSON_OPTION],
    run: (args, context) => send(mode, args.positionals, args, context),
  };
}

export const createCommand = sendCommand('create', 'coupon create FILE (--env NAME | --host URL [--auth KIND]) [options]', [
  'Validates first: with any error nothing is sent. A file that already has an "id" is refused (use update or push).',
  'A create is never retried: after a timeout, look for the series (coupon pull) before creating it again.',
  'On success "id", "seriesCode" and "orgId" are written into FILE, keeping its formatting; on failure FILE is untouched.',
]);

export const updateCommand = sendCommand('update', 'coupon update FILE (--env NAME | --host URL [--auth KIND]) [options]', [
  'Validates first: with any error nothing is sent. A file without an "id" is refused (use create or push).',
]);

export const pushCommand = sendCommand('push', 'coupon push FILE... (--env NAME | --host URL [--auth KIND]) [options]', [
  'Validates every file first: if any has errors, nothing at all is sent.',
  'Files are sent one after another; progress goes to stderr. Exit 1 when any file failed.',
  '',
  'Example (CI): CAPILLARY_CLIENT_KEY=... CAPILLARY_CLIENT_SECRET=... coupon push --host eu.api.capillarytech.com --auth oauth series/*.coupon.json',
]);
