/** `coupon sandbox`: the local sandbox in the foreground until Ctrl+C (SIGINT) or SIGTERM. */
import * as path from 'node:path';
import { DEFAULT_SANDBOX_PORT, LOCAL_SANDBOX_NAME } from '../../../core/src/environments';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_PASSWORD, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { flag, numberOption, stringOption, UsageError } from '../args';
import { CliFailure, CommandSpec, EXIT_OK, JSON_OPTION } from '../command';
import type { CliIo } from '../output';

/** Resolves when `io.signal` aborts, or on the process's SIGINT / SIGTERM. */
function stopRequested(io: CliIo): Promise<string> {
  if (io.signal) {
    const { signal } = io;
    return new Promise((resolve) => (signal.aborted ? resolve('abort') : signal.addEventListener('abort', () => resolve('abort'), { once: true })));
  }
  return new Promise((resolve) => {
    const stop = (name: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(name);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

export const sandboxCommand: CommandSpec = {
  name: 'sandbox',
  usage: 'coupon sandbox [--port N] [--data FILE] [options]',
  details: [
    `Listens on 127.0.0.1 (port ${DEFAULT_SANDBOX_PORT} by default, the "${LOCAL_SANDBOX_NAME}" environment's) and prints its URL and its`,
    'public demo credentials. Series live in memory, or in FILE with --data. Stops on Ctrl+C or SIGTERM.',
  ],
  options: [
    { name: 'port', short: 'p', type: 'string', value: 'N', description: `Port to listen on (0: any free port; default ${DEFAULT_SANDBOX_PORT}).` },
    { name: 'data', type: 'string', value: 'FILE', description: 'Keep the series in this JSON file across runs.' },
    { ...JSON_OPTION, description: 'Print the URL and credentials as one JSON line when ready.' },
  ],

  async run(args, { io, output }) {
    if (args.positionals.length > 0) throw new UsageError(`coupon sandbox takes no arguments, not "${args.positionals[0]}"`);
    const port = numberOption(args, 'port', { integer: true, min: 0, max: 65535 }) ?? DEFAULT_SANDBOX_PORT;
    const data = stringOption(args, 'data');
    const dataFile = data === undefined ? undefined : path.resolve(io.cwd, data);
    let sandbox;
    try {
      sandbox = await startSandbox({ port, host: '127.0.0.1', ...(dataFile ? { dataFile } : {}) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CliFailure(`port ${port} is in use: is a sandbox already running? Choose another with --port N (0 for any free port)`);
      throw new CliFailure(`the sandbox could not start: ${(error as Error).message}`);
    }
    const stop = stopRequested(io);
    const credentials = { basic: { username: SANDBOX_USERNAME, password: SANDBOX_PASSWORD }, oauth: { clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET } };
    if (flag(args, 'json')) {
      io.stdout.write(`${JSON.stringify({ url: sandbox.url, port: sandbox.port, dataFile: dataFile ?? null, credentials })}\n`);
    } else {
      const envHint = sandbox.port === DEFAULT_SANDBOX_PORT ? `--env "${LOCAL_SANDBOX_NAME}"` : `--host ${sandbox.url} --auth basic`;
      output.out(
        [
          `Coupon series sandbox listening on ${output.paint('bold', sandbox.url)}`,
          `Series: ${dataFile ? `kept in ${dataFile}` : 'in memory (use --data FILE to keep them)'}`,
          'Demo credentials (public, for this sandbox only):',
          `  basic: CAPILLARY_USERNAME=${SANDBOX_USERNAME} CAPILLARY_PASSWORD=${SANDBOX_PASSWORD}`,
          `  oauth: CAPILLARY_CLIENT_KEY=${SANDBOX_CLIENT_KEY} CAPILLARY_CLIENT_SECRET=${SANDBOX_CLIENT_SECRET}`,
          `Try: CAPILLARY_USERNAME=${SANDBOX_USERNAME} CAPILLARY_PASSWORD=${SANDBOX_PASSWORD} coupon push ${envHint} FILE`,
          'Press Ctrl+C to stop.',
        ].join('\n'),
      );
    }
    const reason = await stop;
    await sandbox.close();
    output.err(`coupon: sandbox stopped (${reason}); ${sandbox.state().seriesCount} series${dataFile ? ` kept in ${dataFile}` : ''}`);
    return EXIT_OK;
  },
};
