/**
 * `coupon diff FILE`: the file against its series on the server, both reduced
 * to the fields a file carries (`compareWithServer`: dates as instants,
 * embedded JSON by value, fields the server does not return listed apart).
 * Exit 0 when the same, 1 when different, 2 when they could not be compared (like diff(1)).
 */
import { compareWithServer } from '../../../core/src/series';
import { flag, UsageError } from '../args';
import { CliFailure, CommandSpec, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, JSON_OPTION } from '../command';
import { connect, CONNECTION_HELP, CONNECTION_OPTIONS, fetchSeries } from '../connection';
import type { Output } from '../output';
import { loadSeriesFile, printDiagnostics, seriesId } from '../seriesFile';
import { unifiedDiff } from '../textDiff';

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
    'Server-owned fields are left out, dates are compared as instants, and fields the server does not return',
    'are listed as not compared rather than shown as changes.',
    'Exit 0 when the same, 1 when different, 2 when they could not be compared (no id, request failed...).',
    '',
    ...CONNECTION_HELP,
  ],
  options: [...CONNECTION_OPTIONS, JSON_OPTION],

  async run(args, context) {
    const { output, io } = context;
    if (args.positionals.length !== 1) throw new UsageError('coupon diff takes one FILE');
    const json = flag(args, 'json');
    const connection = connect(args, context);
    try {
      const file = await loadSeriesFile(args.positionals[0], io.cwd);
      const syntax = file.diagnostics.filter((diagnostic) => diagnostic.code === 'json-syntax' || diagnostic.code === 'not-a-series');
      if (syntax.length > 0) {
        printDiagnostics(output, file.display, syntax);
        throw new CliFailure(`${file.display} is not a readable coupon series: fix it first`, EXIT_USAGE);
      }
      const id = seriesId(file);
      if (id === undefined) throw new CliFailure(`${file.display} has no "id": it has not been created on a server yet (coupon create ${file.display})`, EXIT_USAGE);

      const server = await fetchSeries(connection, id, { context, json, about: { id, file: file.display }, exitCode: EXIT_USAGE });
      const comparison = compareWithServer(file.root as Record<string, unknown>, server);
      const same = comparison.differences.length === 0;
      if (json) {
        output.json({ ok: true, same, id, file: file.display, environment: connection.name, differences: comparison.differences, notReturned: comparison.notReturned });
        return same ? EXIT_OK : EXIT_FAILURE;
      }
      if (same) {
        output.out(`${file.display}: the same as series ${id} on ${connection.name}`);
      } else {
        const lines = unifiedDiff(`${JSON.stringify(comparison.left, null, 2)}\n`, `${JSON.stringify(comparison.right, null, 2)}\n`);
        output.out(output.paint('bold', `--- series ${id} on ${connection.name}`));
        output.out(output.paint('bold', `+++ ${file.display}`));
        for (const line of lines) output.out(paintDiffLine(output, line));
        const count = comparison.differences.length;
        output.err(`${file.display}: ${count} field${count === 1 ? '' : 's'} differ${count === 1 ? 's' : ''} from series ${id} on ${connection.name}: ${comparison.differences.map((difference) => difference.path).join(', ')}`);
      }
      if (comparison.notReturned.length > 0) {
        output.out(`Not returned by the server (not compared): ${comparison.notReturned.join(', ')}`);
      }
      return same ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await connection.close();
    }
  },
};
