/**
 * `coupon pull ID [-o FILE|FOLDER]`: a server's series as a new coupon file
 * (request fields, and its deployment on the environment), never replacing a
 * file; into a folder, the engine picks the file (the one that already holds
 * the series, else `<ID>.coupon.json` or the next free name).
 * `coupon pull FILE`: brings a file to its series on the environment, keeping
 * the fields the server does not return (genericCode, productInfo...).
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { describePullInto, isExpectedFailure, pullIntoFile, pullSeries, pullSeriesToFolder, pullSeriesToNewFile } from '../../../core/src/engine';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { reportOf } from '../advice';
import { flag, ParsedArgs, stringOption, UsageError } from '../args';
import { CliFailure, CommandContext, CommandSpec, EXIT_OK, JSON_OPTION } from '../command';
import { CliConnection, CONNECTION_HELP, CONNECTION_OPTIONS, withConnection } from '../connection';
import { COUPON_SUFFIX, displayPath } from '../files';

export function parseSeriesId(raw: string): number | undefined {
  const id = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Reports an expected failure (JSON too) and ends the command; anything else is a bug and propagates. */
function failWith(error: unknown, cli: CliConnection, context: CommandContext, json: boolean, commandAdvice: Parameters<typeof reportOf>[2] = {}): never {
  if (!isExpectedFailure(error)) throw error;
  const report = reportOf(error, cli.connection.environment, commandAdvice);
  if (json) context.output.json({ ok: false, environment: cli.name, error: report });
  throw new CliFailure(report.message);
}

async function pullFile(subject: string, args: ParsedArgs, context: CommandContext, cli: CliConnection): Promise<number> {
  const { output, io } = context;
  const json = flag(args, 'json');
  const file = path.resolve(io.cwd, subject);
  const display = displayPath(file, io.cwd);
  const outcome = await pullIntoFile(cli.connection, createNodeSeriesFiles(), file, { force: flag(args, 'force') }).catch((error: unknown) =>
    failWith(error, cli, context, json, { 'create-first': 'To fetch a series by its id into a new file: coupon pull ID -o FILE.' }),
  );
  if (json) {
    output.json({ ok: true, file: display, environment: cli.name, id: outcome.server.id, changed: outcome.changed, kept: outcome.kept, toFillIn: outcome.toFillIn });
    return EXIT_OK;
  }
  output.out(describePullInto(outcome, display, cli.name));
  for (const field of outcome.toFillIn) output.warn(`${display}: fill in ${field}`);
  return EXIT_OK;
}

async function pullId(id: number, args: ParsedArgs, context: CommandContext, cli: CliConnection): Promise<number> {
  const { output, io } = context;
  const json = flag(args, 'json');
  const target = stringOption(args, 'output');
  const files = createNodeSeriesFiles();
  const resolved = target === undefined ? undefined : path.resolve(io.cwd, target);
  const fail = (error: unknown): never => failWith(error, cli, context, json);
  let written: { file?: string; existing: boolean; text: string; key: string; toFillIn: string[] };
  if (resolved === undefined) written = { ...(await pullSeries(cli.connection, id).catch(fail)), existing: false };
  else if (isFolder(resolved)) written = await pullSeriesToFolder(cli.connection, files, id, resolved).catch(fail);
  else written = { ...(await pullSeriesToNewFile(cli.connection, files, id, resolved).catch(fail)), file: resolved, existing: false };
  const display = written.file ? displayPath(written.file, io.cwd) : undefined;
  if (json) {
    output.json({ ok: true, id, environment: cli.name, ...(display ? { file: display, existing: written.existing } : {}), key: written.key, toFillIn: written.toFillIn, document: JSON.parse(written.text) as unknown });
    return EXIT_OK;
  }
  if (!display) output.out(written.text.trimEnd());
  else if (written.existing) output.out(`${display} already holds series ${id} of ${cli.name}: nothing was written (coupon pull ${display} brings it up to date)`);
  else output.out(`${display}: pulled series ${id} from ${cli.name}`);
  for (const field of written.toFillIn) output.warn(`${display ?? `series ${id}`}: fill in ${field}`);
  return EXIT_OK;
}

export const pullCommand: CommandSpec = {
  name: 'pull',
  usage: 'coupon pull (ID [-o FILE|FOLDER] | FILE) (--env NAME | --host URL [--auth KIND]) [options]',
  details: [
    `ID: the series as a new coupon file, printed on stdout or written to -o FILE (e.g. <ID>${COUPON_SUFFIX}),`,
    `with its deployment on the environment recorded. -o FOLDER picks the file there: the one that already`,
    `holds the series, else <ID>${COUPON_SUFFIX} (or <ID>-2${COUPON_SUFFIX}... when that is another series'). An existing file is never replaced.`,
    'FILE: brings that file to its series on the environment; fields the server does not return',
    '(genericCode, productInfo, redemptionOrgEntityDetails, some customPropertyMap keys) keep the file\'s values.',
    'Changes not pushed yet are not overwritten without --force.',
    '',
    ...CONNECTION_HELP,
  ],
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE', description: 'With ID: write the series to this new file, or into this folder.' },
    { name: 'force', type: 'boolean', description: 'With FILE: overwrite changes not pushed yet.' },
    ...CONNECTION_OPTIONS,
    JSON_OPTION,
  ],

  async run(args, context) {
    if (args.positionals.length !== 1) throw new UsageError('coupon pull takes one series ID or one FILE');
    const [subject] = args.positionals;
    const id = parseSeriesId(subject);
    if (id === undefined && stringOption(args, 'output') !== undefined) throw new UsageError('-o goes with a series ID; with FILE the file itself is brought up to date');
    if (id === undefined && !subject.toLowerCase().endsWith('.json')) throw new UsageError(`"${subject}" is neither a series ID (a positive whole number) nor a coupon FILE`);
    return withConnection(args, context, (cli) => (id === undefined ? pullFile(subject, args, context, cli) : pullId(id, args, context, cli)));
  },
};
