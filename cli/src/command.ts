/** What every `coupon` command is: its options, its help, and how it runs. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { OptionSpec, ParsedArgs } from './args';
import type { CliIo, Output } from './output';

/** Exit codes: 0 success, 1 a check or a request failed, 2 bad usage (or, for `diff`, could not compare). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure already explained in one sentence: printed as `coupon: error: <message>`. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

export interface CommandContext {
  io: CliIo;
  output: Output;
}

export interface CommandSpec {
  name: string;
  /** `coupon validate [PATH|GLOB...] [options]`. */
  usage: string;
  /** Paragraphs and examples after the usage line. */
  details: readonly string[];
  options: readonly OptionSpec[];
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help.' };
export const JSON_OPTION: OptionSpec = { name: 'json', type: 'boolean', description: 'Print a machine-readable JSON result on stdout.' };

function optionLine(spec: OptionSpec): [string, string] {
  const names = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
  const choices = spec.choices ? ` (${spec.choices.join(' | ')})` : '';
  const repeat = spec.type === 'list' ? ' Repeatable.' : '';
  return [names, `${spec.description}${choices}${repeat}`];
}

/** A command's help; `summary` is its line in the tool's help (kept in cli.ts, so help needs no command loaded). */
export function commandHelp(command: CommandSpec, summary: string): string {
  const rows = [...command.options, HELP_OPTION].map(optionLine);
  const width = Math.max(...rows.map(([names]) => names.length));
  return [
    `Usage: ${command.usage}`,
    '',
    summary,
    ...(command.details.length > 0 ? ['', ...command.details] : []),
    '',
    'Options:',
    ...rows.map(([names, text]) => `  ${names.padEnd(width)}  ${text}`),
  ].join('\n');
}

/** The package's version: read from the nearest package.json above this module (bundled or compiled). */
export function toolVersion(): string {
  for (let folder = __dirname, depth = 0; depth < 6; depth++, folder = path.dirname(folder)) {
    try {
      const json = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { bin?: unknown; version?: string };
      if (json.bin && json.version) return json.version;
    } catch {
      // Not here: look one folder up.
    }
  }
  return '0.0.0';
}
