/**
 * `coupon diff FILE`: the file against its series on the environment, both
 * reduced to the request fields (the engine's `compareFile`: dates as instants,
 * embedded JSON by value, fields the server does not return listed apart).
 * Exit 0 when the same, 1 when different, 2 when they could not be compared (like diff(1)).
 */
import { compareFile, isExpectedFailure } from '../../../core/src/engine';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { reportOf } from '../advice';
import { flag, UsageError } from '../args';
import { CliFailure, CommandSpec, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, JSON_OPTION } from '../command';
import { CONNECTION_HELP, CONNECTION_OPTIONS, withConnection } from '../connection';
import { displayPath } from '../files';
import type { Output } from '../output';
import { unifiedDiff } from '../textDiff';
import * as path from 'node:path';

function paintDiffLine(output: Output, line: string): string {
  if (line.startsWith('@@')) return output.paint('cyan', line);
  if (line.startsWith('-')) return output.paint('red', line);
  if (line.startsWith('+')) return output.paint('green', line);
  return line;
}

export const diffCommand: CommandSpec = {
  name: 'diff',
  usage: 'coupon diff FILE (--env NAME | --host URL [--auth KIND]) [options]',
  details: [
    'Prints a unified diff: "-" lines are the server\'s, "+" lines the file\'s (what pushing would change).',
    'The series is the one the file records for the environment, checked on the server. Dates are compared',
    'as instants, and fields the server does not return are listed as not compared rather than as changes.',
    'Exit 0 when the same, 1 when different, 2 when they could not be compared (not created there, request failed...).',
    '',
    ...CONNECTION_HELP,
  ],
  options: [...CONNECTION_OPTIONS, JSON_OPTION],

  async run(args, context) {
    const { output, io } = context;
    if (args.positionals.length !== 1) throw new UsageError('coupon diff takes one FILE');
    const json = flag(args, 'json');
    const filePath = path.resolve(io.cwd, args.positionals[0]);
    const display = displayPath(filePath, io.cwd);
    return withConnection(args, context, async (cli) => {
      let comparison;
      try {
        comparison = await compareFile(cli.connection, await createNodeSeriesFiles().read(filePath));
      } catch (error) {
        if (!isExpectedFailure(error)) throw error;
        const report = reportOf(error, cli.connection.environment);
        if (json) output.json({ ok: false, file: display, environment: cli.name, error: report });
        throw new CliFailure(`${display}: ${report.message}`, EXIT_USAGE);
      }
      const { id, differences, notReturned } = comparison;
      const same = differences.length === 0;
      if (json) {
        output.json({ ok: true, same, id, file: display, environment: cli.name, differences, notReturned });
        return same ? EXIT_OK : EXIT_FAILURE;
      }
      if (same) {
        output.out(`${display}: the same as series ${id} on ${cli.name}`);
      } else {
        const lines = unifiedDiff(`${JSON.stringify(comparison.left, null, 2)}\n`, `${JSON.stringify(comparison.right, null, 2)}\n`);
        output.out(output.paint('bold', `--- series ${id} on ${cli.name}`));
        output.out(output.paint('bold', `+++ ${display}`));
        for (const line of lines) output.out(paintDiffLine(output, line));
        const count = differences.length;
        output.err(`${display}: ${count} field${count === 1 ? '' : 's'} differ${count === 1 ? 's' : ''} from series ${id} on ${cli.name}: ${differences.map((difference) => difference.path).join(', ')}`);
      }
      if (notReturned.length > 0) output.out(`Not returned by the server (not compared): ${notReturned.join(', ')}`);
      return same ? EXIT_OK : EXIT_FAILURE;
    });
  },
};
