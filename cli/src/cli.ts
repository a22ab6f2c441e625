/**
 * `coupon`: validate coupon series files and send them to the API from a
 * terminal or CI, on the modules the extension uses (no `vscode` import).
 * `runCli` returns the exit code so tests can run it in-process.
 */
import { isSecretFlag, parseArgs, secretFlagMessage, UsageError } from './args';
import { CliFailure, commandHelp, CommandSpec, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, toolVersion } from './command';
import { CliIo, Output } from './output';

export type { CliIo } from './output';

interface CommandEntry {
  name: string;
  /** Its line in `coupon --help`. */
  summary: string;
  /**
   * Loaded on use: `require` keeps the bundle from evaluating the HTTP client
   * and the sandbox when only `validate` runs (a tenth of a second at start-up).
   */
  load(): CommandSpec;
}

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on use (see `load`): an import would evaluate every command at start-up */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', summary: 'Check coupon files with the same rules, codes and ranges as the editor.', load: () => require('./commands/validate').validateCommand },
  { name: 'plan', summary: 'Show what push would do on an environment: create, update (which fields) or none, and drift.', load: () => require('./commands/push').planCommand },
  { name: 'push', summary: 'Create or update each file\'s series on an environment, recording it in the file.', load: () => require('./commands/push').pushCommand },
  { name: 'create', summary: 'Create the series of FILE on an environment and record it in FILE.', load: () => require('./commands/push').createCommand },
  { name: 'update', summary: 'Send FILE to its series on an environment (PUT), checked on the server first.', load: () => require('./commands/push').updateCommand },
  { name: 'pull', summary: 'Fetch series ID as a new coupon file, or bring FILE up to date with its series.', load: () => require('./commands/pull').pullCommand },
  { name: 'diff', summary: 'Compare FILE with its series on an environment.', load: () => require('./commands/diff').diffCommand },
  { name: 'sandbox', summary: 'Run the local sandbox (the coupon series API on 127.0.0.1) in the foreground.', load: () => require('./commands/sandbox').sandboxCommand },
  { name: 'mcp', summary: 'Serve the agent tools (validate, explain, plan, push, pull) to an AI assistant over MCP on stdio.', load: () => require('./commands/mcp').mcpCommand },
];
/* eslint-enable @typescript-eslint/no-require-imports */

function toolHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: coupon <command> [options]',
    '',
    'Validate Capillary coupon series files (*.coupon.json) and send them to the API.',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run coupon <command> --help for its options. Exit codes: 0 ok, 1 errors found or a request failed, 2 bad usage.',
    'Secrets are read only from environment variables (CAPILLARY_PASSWORD, CAPILLARY_CLIENT_SECRET...), never from flags.',
  ].join('\n');
}

function isHelp(arg: string): boolean {
  return arg === '--help' || arg === '-h';
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const output = new Output(io);
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      output.err(toolHelp());
      return EXIT_USAGE;
    }
    if (isHelp(first)) {
      output.out(toolHelp());
      return EXIT_OK;
    }
    if (first === '--version' || first === '-V') {
      output.out(toolVersion());
      return EXIT_OK;
    }
    if (first === 'help') {
      const command = COMMANDS.find((candidate) => candidate.name === rest[0]);
      if (rest.length > 0 && !command) throw new UsageError(`unknown command "${rest[0]}" (commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')})`);
      output.out(command ? commandHelp(command.load(), command.summary) : toolHelp());
      return EXIT_OK;
    }
    if (first.startsWith('-')) {
      const name = first.split('=')[0];
      if (isSecretFlag(name)) throw new UsageError(secretFlagMessage(name));
      throw new UsageError(`the command comes first: coupon <command> ${first} (see coupon --help)`);
    }
    const entry = COMMANDS.find((candidate) => candidate.name === first);
    if (!entry) throw new UsageError(`unknown command "${first}" (commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')}; see coupon --help)`);
    const command = entry.load();
    const helpIndex = rest.findIndex(isHelp);
    if (helpIndex >= 0 && !rest.slice(0, helpIndex).includes('--')) {
      output.out(commandHelp(command, entry.summary));
      return EXIT_OK;
    }
    const args = parseArgs(rest, command.options, command.name);
    return await command.run(args, { io, output });
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(error.message);
      return EXIT_USAGE;
    }
    if (error instanceof CliFailure) {
      output.error(error.message);
      return error.exitCode;
    }
    output.error(`unexpected failure: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  // `coupon validate | head` closes stdout early: that is not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    // Only `coupon mcp` reads stdin: the stream is made when first asked for.
    get stdin() {
      return process.stdin;
    },
    cwd: process.cwd(),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`coupon: error: ${String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
