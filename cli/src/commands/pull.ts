/** `coupon pull ID [-o FILE]`: a server's series as a coupon file holding only request fields. */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { seriesFromServer } from '../../../core/src/series';
import { hasErrors, validateCouponSeries } from '../../../core/src/validate';
import { flag, stringOption, UsageError } from '../args';
import { CliFailure, CommandSpec, EXIT_FAILURE, EXIT_OK, JSON_OPTION } from '../command';
import { connect, CONNECTION_HELP, CONNECTION_OPTIONS, fetchSeries } from '../connection';
import { COUPON_SUFFIX, displayPath, writeFileAtomic } from '../files';

export function parseSeriesId(raw: string | undefined): number {
  if (raw === undefined) throw new UsageError('coupon pull needs a series ID');
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) throw new UsageError(`a series ID is a positive whole number, not "${raw}"`);
  return id;
}

export const pullCommand: CommandSpec = {
  name: 'pull',
  usage: 'coupon pull ID [-o FILE] (--env NAME | --host URL [--auth KIND]) [options]',
  details: [`Without -o the file is printed on stdout. An existing FILE is not overwritten without --force.`, '', ...CONNECTION_HELP],
  options: [
    { name: 'output', short: 'o', type: 'string', value: 'FILE', description: `Write the series to FILE (e.g. <ID>${COUPON_SUFFIX}).` },
    { name: 'force', type: 'boolean', description: 'Overwrite FILE when it exists.' },
    ...CONNECTION_OPTIONS,
    JSON_OPTION,
  ],

  async run(args, context) {
    const { output, io } = context;
    if (args.positionals.length > 1) throw new UsageError(`coupon pull takes one ID, not ${args.positionals.length}`);
    const id = parseSeriesId(args.positionals[0]);
    const target = stringOption(args, 'output');
    const file = target === undefined ? undefined : path.resolve(io.cwd, target);
    if (file && !flag(args, 'force') && (await stat(file).catch(() => undefined))) {
      throw new CliFailure(`${target} exists: choose another -o FILE, or add --force to overwrite it`);
    }
    const json = flag(args, 'json');
    const connection = connect(args, context);
    try {
      const series = await fetchSeries(connection, id, { context, json, about: { id }, exitCode: EXIT_FAILURE });
      const document = seriesFromServer(series);
      const text = `${JSON.stringify(document, null, 2)}\n`;
      const diagnostics = validateCouponSeries(text);
      if (file) {
        await writeFileAtomic(file, text).catch((error: NodeJS.ErrnoException) => {
          throw new CliFailure(`cannot write ${target}: ${error.code ?? error.message}`);
        });
        if (!json) output.out(`${displayPath(file, io.cwd)}: pulled series ${id} from ${connection.name}`);
      } else if (!json) {
        output.out(text.trimEnd());
      }
      if (hasErrors(diagnostics) && !json) output.warn(`the pulled series does not pass validation: run coupon validate on it`);
      if (json) output.json({ ok: true, id, environment: connection.name, ...(file ? { file: displayPath(file, io.cwd) } : {}), series: document });
      return EXIT_OK;
    } finally {
      await connection.close();
    }
  },
};
