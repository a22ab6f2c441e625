/**
 * `coupon plan [PATH...]`, `coupon push [PATH...]`, `coupon create FILE`,
 * `coupon update FILE`: the engine's plan and push on one environment, printed.
 * Every decision (which series is this environment's, drift, locks, what is
 * written back) is the engine's; this file parses flags and prints results.
 */
import type { Diagnostic } from 'vscode-json-languageservice';
import { FilePlan, planFiles, PushMode, PushOutcome, pushFile } from '../../../core/src/engine';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { describeFailure, FailureReport, isExpectedFailure } from '../advice';
import { flag, ParsedArgs, UsageError } from '../args';
import { CommandContext, CommandSpec, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, JSON_OPTION } from '../command';
import { CliConnection, connect, CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection';
import { displayPath, readFiles } from '../files';
import { SELECTION_OPTIONS, selectCouponFiles } from '../selection';
import { jsonDiagnostic, Output, printDiagnostics } from '../output';

const FORCE_OPTION = { name: 'force', type: 'boolean', description: 'Overwrite a series changed on the server since the last push, and create anew one that is gone.' } as const;
const YES_OPTION = { name: 'yes', type: 'boolean', description: 'Send to an environment marked "protected" (production): without it, nothing is sent there.' } as const;

/** A protected environment is sent to only with --yes (the editor asks every time; a terminal or CI says so once). */
function checkProtected(args: ParsedArgs, cli: CliConnection, sends: boolean): void {
  if (!sends || !cli.target.environment.protected || flag(args, 'yes')) return;
  throw new UsageError(`${cli.name} is marked protected: nothing was sent. Check what would be sent (coupon plan), then run again with --yes.`);
}

interface NamedFile {
  /** Absolute path. */
  path: string;
  /** As shown: relative to the working folder. */
  display: string;
}

/** The files the command names (paths, folders, globs; default the working folder), as `coupon validate` selects them. */
async function coupons(args: ParsedArgs, context: CommandContext): Promise<NamedFile[]> {
  const found = await selectCouponFiles(args, context);
  return found.files.map((file) => ({ path: file, display: displayPath(file, context.io.cwd) }));
}

async function planOf(files: readonly NamedFile[], cli: CliConnection): Promise<FilePlan[]> {
  const texts = await readFiles(files.map((file) => file.path), (result) => result.text ?? '');
  return planFiles(
    cli.connection,
    files.map((file, index) => ({ file: file.display, text: texts[index] })),
  );
}

/** The plan's JSON form: the fields CI scripts read, stable. */
function planJson(plan: FilePlan): Record<string, unknown> {
  return {
    file: plan.file,
    environment: plan.environment,
    action: plan.action,
    state: plan.state,
    ...(plan.key ? { key: plan.key } : {}),
    ...(plan.deployment ? { id: plan.deployment.id } : {}),
    drifted: plan.drifted,
    changes: plan.changes,
    ...(plan.migratesLegacyIds ? { migratesLegacyIds: true } : {}),
    ...(plan.problem ? { problem: plan.problem } : {}),
    ...(plan.diagnostics ? { diagnostics: plan.diagnostics.map(jsonDiagnostic) } : {}),
  };
}

const CANNOT_TELL = new Set<FilePlan['state']>(['invalid', 'mismatch', 'ambiguous', 'unreachable']);

function printPlan(output: Output, plan: readonly FilePlan[], cli: CliConnection): void {
  const where = cli.connection.key ?? cli.connection.host;
  output.out(output.paint('bold', `Plan for ${cli.name} (${where}):`));
  for (const entry of plan) {
    const id = entry.deployment ? ` series ${entry.deployment.id}` : '';
    let line: string;
    if (CANNOT_TELL.has(entry.state)) {
      line = `  ${output.paint('red', 'skip  ')}  ${entry.file}: ${entry.state}: ${entry.problem ?? ''}`;
    } else if (entry.action === 'create') {
      line = `  ${output.paint('green', 'create')}  ${entry.file}${entry.state === 'missing' ? ` (${entry.problem} push needs --force)` : ''}`;
    } else if (entry.action === 'update') {
      const drift = entry.drifted ? output.paint('yellow', ' (changed on the server since the last push: push needs --force)') : '';
      line = `  ${output.paint('yellow', 'update')}  ${entry.file}${id}${drift}${entry.changes.length ? `: ${entry.changes.join(', ')}` : ''}`;
    } else {
      line = `  ${output.paint('dim', 'none  ')}  ${entry.file}${id}${entry.migratesLegacyIds ? ' (its ids move into "deployments" on push)' : ''}`;
    }
    output.out(line);
  }
  const count = (test: (entry: FilePlan) => boolean) => plan.filter(test).length;
  const changes = count((entry) => entry.action !== 'none');
  const cannot = count((entry) => CANNOT_TELL.has(entry.state));
  output.err(`${changes} to create or update, ${count((entry) => entry.action === 'none' && !CANNOT_TELL.has(entry.state))} up to date, ${cannot} cannot be pushed`);
}

/** 0 nothing would change, 1 something would, 2 it cannot tell. */
function planExitCode(plan: readonly FilePlan[]): number {
  if (plan.some((entry) => CANNOT_TELL.has(entry.state))) return EXIT_USAGE;
  return plan.some((entry) => entry.action !== 'none') ? EXIT_FAILURE : EXIT_OK;
}

export const planCommand: CommandSpec = {
  name: 'plan',
  usage: 'coupon plan [PATH|GLOB...] (--env NAME | --host URL [--auth KIND]) [options]',
  details: [
    'Shows what coupon push would do on the environment, file by file: create, update (with the fields',
    'that would change) or none; whether the series changed on the server since the last push; and the',
    'files that cannot be pushed (invalid, or their series there cannot be identified). Sends nothing that',
    'changes the server: it only reads (several series per request).',
    'Exit 0 when nothing would change, 1 when something would, 2 when it cannot tell. For CI:',
    '  coupon plan series/ --env "EU production"   # fails when production is behind the branch',
    '',
    ...CONNECTION_HELP,
  ],
  options: [...CONNECTION_OPTIONS, ...SELECTION_OPTIONS, { ...JSON_OPTION, description: 'Print the plan as a JSON array (file, environment, action, id, drifted, changes...).' }],

  async run(args, context) {
    const files = await coupons(args, context);
    const cli = await connect(args, context);
    try {
      const plan = await planOf(files, cli);
      if (flag(args, 'json')) context.output.json(plan.map(planJson));
      else printPlan(context.output, plan, cli);
      return planExitCode(plan);
    } finally {
      await cli.close();
    }
  },
};

interface PushResult {
  file: string;
  ok: boolean;
  action: PushOutcome['action'] | 'skip';
  id?: number;
  key?: string;
  written?: boolean;
  warnings?: string[];
  error?: FailureReport;
  diagnostics?: Diagnostic[];
}

function outcomeLine(file: string, outcome: PushOutcome, cli: CliConnection): string {
  const id = outcome.id !== undefined ? ` series ${outcome.id}` : '';
  const code = typeof outcome.server?.seriesCode === 'string' ? ` (seriesCode ${outcome.server.seriesCode})` : '';
  const moved = outcome.migrated ? '; its ids moved into "deployments"' : '';
  if (outcome.action === 'create') return `${file}: created${id}${code} on ${cli.name}; recorded in the file`;
  if (outcome.action === 'update') return `${file}: updated${id} on ${cli.name}${moved}`;
  return `${file}: up to date on ${cli.name}${id}, nothing sent${moved}`;
}

/** Pushes one file in `mode`; a failure is reported and returned, never thrown (the other files go on). */
async function pushOne(file: NamedFile, mode: PushMode, cli: CliConnection, context: CommandContext, force: boolean, json: boolean): Promise<PushResult> {
  const { output } = context;
  try {
    const outcome = await pushFile(cli.connection, createNodeSeriesFiles(), file.path, {
      mode,
      force,
      onWait: (holder) => output.err(`coupon: ${file.display} is locked by ${holder}: waiting`),
    });
    if (!json) {
      for (const warning of outcome.warnings) output.warn(`${file.display}: ${warning}`);
      output.out(outcomeLine(file.display, outcome, cli));
    }
    return {
      file: file.display,
      ok: true,
      action: outcome.action,
      ...(outcome.id !== undefined ? { id: outcome.id } : {}),
      ...(outcome.key ? { key: outcome.key } : {}),
      written: outcome.written,
      warnings: outcome.warnings,
    };
  } catch (error) {
    if (!isExpectedFailure(error)) throw error;
    const report = describeFailure(error, cli.connection.client.baseUrl.hostname);
    const diagnostics = (error as { diagnostics?: Diagnostic[] }).diagnostics ?? [];
    if (!json) {
      printDiagnostics(output, file.display, diagnostics);
      output.error(`${file.display}: ${report.message}`);
    }
    return { file: file.display, ok: false, action: 'skip', error: report, ...(diagnostics.length ? { diagnostics } : {}) };
  }
}

function resultJson(result: PushResult): Record<string, unknown> {
  const { diagnostics, ...rest } = result;
  return { ...rest, ...(diagnostics ? { diagnostics: diagnostics.map(jsonDiagnostic) } : {}) };
}

export const pushCommand: CommandSpec = {
  name: 'push',
  usage: 'coupon push [PATH|GLOB...] (--env NAME | --host URL [--auth KIND]) [options]',
  details: [
    'Does what coupon plan shows, file by file: creates the series where the file has none on the',
    'environment, updates it where the file changed, and records each series in the file\'s "deployments".',
    'Prints the plan first. A file that fails keeps its text and its records exactly as they were and does',
    'not stop the others; exit 1 when any failed. A series changed on the server since the last push is',
    'refused unless --force. Two pushes of one file never both create: the second waits for the first.',
    '',
    'Example (CI): CAPILLARY_CLIENT_KEY=... CAPILLARY_CLIENT_SECRET=... coupon push series/ --env "EU production"',
    '',
    ...CONNECTION_HELP,
  ],
  options: [...CONNECTION_OPTIONS, ...SELECTION_OPTIONS, FORCE_OPTION, YES_OPTION, JSON_OPTION],

  async run(args, context) {
    const { output } = context;
    const json = flag(args, 'json');
    const force = flag(args, 'force');
    const files = await coupons(args, context);
    const cli = await connect(args, context);
    try {
      const plan = await planOf(files, cli);
      if (!json) printPlan(output, plan, cli);
      checkProtected(args, cli, plan.some((entry) => entry.action !== 'none' || entry.migratesLegacyIds));
      const results: PushResult[] = [];
      for (const [index, entry] of plan.entries()) {
        const file = files[index];
        if (entry.action === 'none' && !entry.migratesLegacyIds && !CANNOT_TELL.has(entry.state)) {
          results.push({ file: file.display, ok: true, action: 'none', ...(entry.deployment ? { id: entry.deployment.id } : {}) });
          continue;
        }
        // The plan was a read without the lock; the push judges the file again under it.
        results.push(await pushOne(file, 'push', cli, context, force, json));
      }
      const ok = results.every((result) => result.ok);
      if (json) output.json({ ok, environment: cli.name, plan: plan.map(planJson), results: results.map(resultJson) });
      else output.err(`${results.filter((result) => result.ok).length} of ${results.length} files done on ${cli.name}`);
      return ok ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await cli.close();
    }
  },
};

function singleFileCommand(mode: 'create' | 'update', details: readonly string[]): CommandSpec {
  return {
    name: mode,
    usage: `coupon ${mode} FILE (--env NAME | --host URL [--auth KIND]) [options]`,
    details: [...details, '', ...CONNECTION_HELP],
    options: [...CONNECTION_OPTIONS, FORCE_OPTION, YES_OPTION, JSON_OPTION],
    async run(args, context) {
      if (args.positionals.length !== 1) throw new UsageError(`coupon ${mode} takes one FILE${args.positionals.length > 1 ? ' (use coupon push for several)' : ''}`);
      const matched = await coupons(args, context);
      // A glob or folder must name exactly one file: a create or update of "whichever came first" is never right.
      if (matched.length !== 1) {
        const shown = matched.slice(0, 5).map((file) => file.display).join(', ');
        throw new UsageError(`coupon ${mode} takes one FILE, and "${args.positionals[0]}" matches ${matched.length === 0 ? 'no coupon file' : `${matched.length} files (${shown}${matched.length > 5 ? ', …' : ''}): use coupon push for several`}`);
      }
      const [file] = matched;
      const json = flag(args, 'json');
      const cli = await connect(args, context);
      try {
        checkProtected(args, cli, true);
        const result = await pushOne(file, mode, cli, context, flag(args, 'force'), json);
        if (json) context.output.json({ ...resultJson(result), environment: cli.name });
        return result.ok ? EXIT_OK : EXIT_FAILURE;
      } finally {
        await cli.close();
      }
    },
  };
}

export const createCommand = singleFileCommand('create', [
  'Creates the series of FILE on the environment and records it in FILE\'s "deployments" (keeping its formatting).',
  'Refused where the file already has its series. A create is never retried: after a timeout, look for the',
  'series (coupon pull) before creating it again. On failure FILE is untouched. Validates first.',
]);

export const updateCommand = singleFileCommand('update', [
  'Sends FILE to its series on the environment (PUT), after checking on the server that the recorded id is',
  'that series (its org and seriesCode). Refused where the series was never created, and where it changed',
  'on the server since the last push (unless --force). Validates first.',
]);
