/**
 * `coupon plan [PATH...]`, `coupon push [PATH...]`, `coupon create FILE`,
 * `coupon update FILE`: the engine's plan and push on one environment, printed.
 * Every decision (which series is this environment's, drift, locks, what is
 * written back, the counts) is the engine's; this file parses flags and prints.
 */
import {
  CANNOT_PUSH,
  describePlanCounts,
  describePlannedAction,
  describePushCounts,
  describePushResult,
  FilePlan,
  FilePushResult,
  jsonPlan,
  jsonPushResult,
  Plan,
  planChangesServer,
  planFiles,
  pushFiles,
  pushOneFile,
} from '../../../core/src/engine';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { reportOf } from '../advice';
import { flag, ParsedArgs, UsageError } from '../args';
import { CommandContext, CommandSpec, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, JSON_OPTION } from '../command';
import { CliConnection, CONNECTION_HELP, CONNECTION_OPTIONS, withConnection } from '../connection';
import { displayPath, readFiles } from '../files';
import { Output, printDiagnostics } from '../output';
import { SELECTION_OPTIONS, selectCouponFiles } from '../selection';

const FORCE_OPTION = { name: 'force', type: 'boolean', description: 'Overwrite a series changed on the server since the last push, and create anew one that is gone.' } as const;
const YES_OPTION = { name: 'yes', type: 'boolean', description: 'Send to an environment marked "protected" (production): without it, nothing is sent there.' } as const;

interface NamedFile {
  /** Absolute path. */
  path: string;
  /** As shown: relative to the working folder. */
  display: string;
  text: string;
}

/** The files the command names (paths, folders, globs; default the working folder), as `coupon validate` selects them, with their texts. */
async function coupons(args: ParsedArgs, context: CommandContext): Promise<NamedFile[]> {
  const found = await selectCouponFiles(args, context);
  const texts = await readFiles(found.files, (result) => result.text ?? '');
  return found.files.map((file, index) => ({ path: file, display: displayPath(file, context.io.cwd), text: texts[index] }));
}

/** One plan line per file: its action, and why it cannot be pushed when it cannot. */
function planLine(output: Output, entry: FilePlan): string {
  const id = entry.deployment ? ` series ${entry.deployment.id}` : '';
  const described = describePlannedAction(entry);
  if (CANNOT_PUSH.has(entry.state)) return `  ${output.paint('red', 'skip  ')}  ${entry.file}: ${described}`;
  if (entry.action === 'create') return `  ${output.paint('green', 'create')}  ${entry.file}${entry.state === 'missing' ? ` (${entry.problem} push needs --force)` : ''}`;
  if (entry.action === 'update') {
    const drift = entry.drifted ? output.paint('yellow', ' (changed on the server since the last push: push needs --force)') : '';
    return `  ${output.paint('yellow', 'update')}  ${entry.file}${id}${drift}${entry.changes.length ? `: ${entry.changes.join(', ')}` : ''}`;
  }
  return `  ${output.paint('dim', 'none  ')}  ${entry.file}${id}${entry.migratesLegacyIds ? ' (its ids move into "deployments" on push)' : ''}`;
}

/** The plan, with each invalid file's errors (as `coupon validate` prints them) and the failure to read the server, said once. */
function printPlan(output: Output, plan: Plan, cli: CliConnection, withErrors: boolean): void {
  output.out(output.paint('bold', `Plan for ${cli.name} (${plan.key ?? cli.connection.host}):`));
  for (const entry of plan.files) {
    output.out(planLine(output, entry));
    // A push prints them with the file's result instead.
    if (withErrors && entry.state === 'invalid') printDiagnostics(output, entry.file, entry.diagnostics ?? []);
  }
  if (plan.failure) output.error(`${cli.name} could not be read: ${reportOf(plan.failure).message}`);
  output.err(describePlanCounts(plan.counts));
}

/** 0 nothing would change, 1 something would, 2 it cannot tell (the server could not be read, or a file cannot be pushed). */
function planExitCode(plan: Plan): number {
  if (plan.failure || plan.counts.cannot > 0) return EXIT_USAGE;
  return plan.counts.create + plan.counts.update > 0 ? EXIT_FAILURE : EXIT_OK;
}

export const planCommand: CommandSpec = {
  name: 'plan',
  usage: 'coupon plan [PATH|GLOB...] (--env NAME | --host URL [--auth KIND]) [options]',
  details: [
    'Shows what coupon push would do on the environment, file by file: create, update (with the fields',
    'that would change) or none; whether the series changed on the server since the last push; and the',
    'files that cannot be pushed (invalid, or their series there cannot be identified). Sends nothing that',
    'changes the server: it only reads (several series per request), and always reads once, so wrong',
    'credentials are found here rather than at push time.',
    'Exit 0 when nothing would change, 1 when something would, 2 when it cannot tell. For CI:',
    '  coupon plan series/ --env "EU production"   # fails when production is behind the branch',
    '',
    ...CONNECTION_HELP,
  ],
  options: [...CONNECTION_OPTIONS, ...SELECTION_OPTIONS, { ...JSON_OPTION, description: 'Print the plan as JSON: environment, key, files (file, action, state, id, drifted, changes...), counts, failure.' }],

  async run(args, context) {
    const files = await coupons(args, context);
    return withConnection(args, context, async (cli) => {
      const plan = await planFiles(cli.connection, files.map((file) => ({ file: file.display, text: file.text })));
      if (flag(args, 'json')) context.output.json(jsonPlan(plan, cli.name));
      else printPlan(context.output, plan, cli, true);
      return planExitCode(plan);
    });
  },
};

/** A protected environment is sent to only with --yes (the editor asks every time; a terminal or CI says so once). */
function protectedRefusal(args: ParsedArgs, cli: CliConnection): string | undefined {
  if (!cli.target.environment.protected || flag(args, 'yes')) return undefined;
  return `${cli.name} is marked protected: nothing was sent. Check what would be sent (coupon plan), then run again with --yes.`;
}

/** One file's result as it is known: its line on stdout, or its errors and the failure on stderr. */
function printResult(output: Output, result: FilePushResult, cli: CliConnection): void {
  for (const warning of result.warnings) output.warn(`${result.file}: ${warning}`);
  if (result.outcome !== 'failed' || !result.failure) {
    output.out(describePushResult(result, cli.name));
    return;
  }
  if (result.failure.cancelled) return;
  printDiagnostics(output, result.file, result.failure.diagnostics);
  output.error(`${result.file}: ${reportOf(result.failure).message}`);
}

/**
 * Pushes `files` (the engine plans once, then sends each file that needs it).
 * Prints as it goes, or one JSON document; exit 1 when any file failed, 2 when
 * nothing could be sent (the server could not be read, a protected environment without --yes).
 */
async function pushAndReport(args: ParsedArgs, context: CommandContext, cli: CliConnection, files: readonly NamedFile[]): Promise<number> {
  const { output } = context;
  const json = flag(args, 'json');
  let refusal: string | undefined;
  const report = await pushFiles(
    cli.connection,
    createNodeSeriesFiles(),
    files.map((file) => ({ file: file.display, path: file.path, text: file.text })),
    {
      force: flag(args, 'force'),
      onWait: (holder) => output.err(`coupon: a file is locked by ${holder}: waiting`),
      beforeSending(plan) {
        if (!json) printPlan(output, plan, cli, false);
        refusal = planChangesServer(plan) ? protectedRefusal(args, cli) : undefined;
        return refusal === undefined;
      },
      onResult: (result) => {
        if (!json) printResult(output, result, cli);
      },
    },
  );
  if (!json && report.plan.failure) printPlan(output, report.plan, cli, false);
  if (refusal !== undefined && !json) output.error(refusal);
  const refused = refusal !== undefined || report.plan.failure !== undefined;
  if (json) {
    output.json({
      ok: report.counts.failed === 0,
      environment: cli.name,
      plan: jsonPlan(report.plan, cli.name),
      results: report.results.map((result) => jsonPushResult(result, result.failure && (refusal ?? reportOf(result.failure).message))),
      counts: report.counts,
    });
  } else if (!refused) {
    output.err(describePushCounts(report.counts, cli.name));
  }
  if (refused) return EXIT_USAGE;
  return report.counts.failed === 0 ? EXIT_OK : EXIT_FAILURE;
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
    'An environment marked "protected" is sent to only with --yes.',
    '',
    'Example (CI): CAPILLARY_CLIENT_KEY=... CAPILLARY_CLIENT_SECRET=... coupon push series/ --env "EU production" --yes',
    '',
    ...CONNECTION_HELP,
  ],
  options: [...CONNECTION_OPTIONS, ...SELECTION_OPTIONS, FORCE_OPTION, YES_OPTION, JSON_OPTION],

  async run(args, context) {
    const files = await coupons(args, context);
    return withConnection(args, context, (cli) => pushAndReport(args, context, cli, files));
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
      return withConnection(args, context, (cli) => sendOne(args, context, cli, matched[0], mode));
    },
  };
}

/** Create or update one file (no plan printed): its result line, or its failure. */
async function sendOne(args: ParsedArgs, context: CommandContext, cli: CliConnection, file: NamedFile, mode: 'create' | 'update'): Promise<number> {
  const { output } = context;
  const json = flag(args, 'json');
  const refusal = protectedRefusal(args, cli);
  if (refusal) throw new UsageError(refusal);
  const result = await pushOneFile(cli.connection, createNodeSeriesFiles(), { file: file.display, path: file.path }, {
    mode,
    force: flag(args, 'force'),
    onWait: (holder) => output.err(`coupon: ${file.display} is locked by ${holder}: waiting`),
  });
  if (json) output.json({ ...jsonPushResult(result, result.failure && reportOf(result.failure).message), ok: result.outcome !== 'failed', environment: cli.name });
  else printResult(output, result, cli);
  return result.outcome === 'failed' ? EXIT_FAILURE : EXIT_OK;
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
