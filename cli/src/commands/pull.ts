/**
 * `coupon pull ID [-o FILE]`: a server's series as a new coupon file (request
 * fields, and its deployment on the environment), never replacing a file.
 * `coupon pull FILE`: brings a file to its series on the environment, keeping
 * the fields the server does not return (genericCode, productInfo...).
 */
import * as path from 'node:path';
import { pullIntoFile, pullSeries, pullSeriesToNewFile } from '../../../core/src/engine';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { describeFailure, isExpectedFailure } from '../advice';
import { flag, stringOption, UsageError } from '../args';
import { CliFailure, CommandSpec, EXIT_OK, JSON_OPTION } from '../command';
import { connect, CONNECTION_HELP, CONNECTION_OPTIONS } from '../connection';
import { COUPON_SUFFIX, displayPath } from '../files';

export function parseSeriesId(raw: string): number | undefined {
  const id = Number(raw);
  return /^\d+$/.test(raw) && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export const pullCommand: CommandSpec = {
  name: 'pull',
  usage: 'coupon pull (ID [-o FILE] | FILE) (--env NAME | --host URL [--auth KIND]) [options]',
  details: [
    `ID: the series as a new coupon file, printed on stdout or written to -o FILE (e.g. <ID>${COUPON_SUFFIX}),`,
    'with its deployment on the environment recorded. An existing FILE is never replaced.',
    'FILE: brings that file to its series on the environment; fields the server does not return',
    '(genericCode, productInfo, redemptionOrgEntityDetails, some customPropertyMap keys) keep the file\'s values.',
    'Changes not pushed yet are not overwritten without --force.',
    '',
    ...CONNECTION_HELP,
  ],
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE', description: 'With ID: write the series to this new file.' },
    { name: 'force', type: 'boolean', description: 'With FILE: overwrite changes not pushed yet.' },
    ...CONNECTION_OPTIONS,
    JSON_OPTION,
  ],

  async run(args, context) {
    const { output, io } = context;
    if (args.positionals.length !== 1) throw new UsageError('coupon pull takes one series ID or one FILE');
    const [subject] = args.positionals;
    const id = parseSeriesId(subject);
    const target = stringOption(args, 'output');
    if (id === undefined && target !== undefined) throw new UsageError('-o goes with a series ID; with FILE the file itself is brought up to date');
    if (id === undefined && !subject.toLowerCase().endsWith('.json')) throw new UsageError(`"${subject}" is neither a series ID (a positive whole number) nor a coupon FILE`);
    const json = flag(args, 'json');
    const files = createNodeSeriesFiles();
    const cli = await connect(args, context);
    const fail = (error: unknown): never => {
      if (!isExpectedFailure(error)) throw error;
      const report = describeFailure(error, cli.connection.client.baseUrl.hostname, id === undefined ? { 'not-created': 'To fetch a series by its id into a new file: coupon pull ID -o FILE.' } : {});
      if (json) output.json({ ok: false, environment: cli.name, error: report });
      throw new CliFailure(report.message);
    };
    try {
      if (id === undefined) {
        const file = path.resolve(io.cwd, subject);
        const display = displayPath(file, io.cwd);
        const outcome = await pullIntoFile(cli.connection, files, file, { force: flag(args, 'force') }).catch(fail);
        if (json) {
          output.json({ ok: true, file: display, environment: cli.name, id: outcome.server.id, changed: outcome.changed, kept: outcome.kept, toFillIn: outcome.toFillIn });
          return EXIT_OK;
        }
        output.out(`${display}: ${outcome.changed.length ? `took ${outcome.changed.join(', ')} from` : 'already the same as'} series ${outcome.server.id} on ${cli.name}`);
        if (outcome.kept.length) output.out(`Kept the file's values (the server does not return them): ${outcome.kept.join(', ')}`);
        for (const field of outcome.toFillIn) output.warn(`${display}: fill in ${field}`);
        return EXIT_OK;
      }
      const file = target === undefined ? undefined : path.resolve(io.cwd, target);
      const pulled = await (file ? pullSeriesToNewFile(cli.connection, files, id, file) : pullSeries(cli.connection, id)).catch(fail);
      const display = file ? displayPath(file, io.cwd) : undefined;
      if (json) {
        output.json({ ok: true, id, environment: cli.name, ...(display ? { file: display } : {}), key: pulled.key, toFillIn: pulled.toFillIn, document: JSON.parse(pulled.text) as unknown });
      } else {
        if (display) output.out(`${display}: pulled series ${id} from ${cli.name}`);
        else output.out(pulled.text.trimEnd());
        for (const field of pulled.toFillIn) output.warn(`${display ?? `series ${id}`}: fill in ${field}`);
      }
      return EXIT_OK;
    } finally {
      await cli.close();
    }
  },
};
