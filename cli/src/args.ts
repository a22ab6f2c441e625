/**
 * The `coupon` commands' options: node's `util.parseArgs` reads the argv;
 * this module describes each command's options (for parsing and for help),
 * refuses secret-looking flags, and words bad usage as a `UsageError` (exit 2).
 */
import { parseArgs as parseArgv } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  /** Long name without the dashes: `format`. */
  name: string;
  /** One-letter alias without the dash: `o`. */
  short?: string;
  /** `boolean` flags take no value; `string` options take one; `list` options may repeat. */
  type: 'boolean' | 'string' | 'list';
  /** Placeholder in the help: `FILE`, `N`. */
  value?: string;
  description: string;
  /** Allowed values (checked here, listed in the help). */
  choices?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  /** string for `string` options, string[] for `list`, true for flags; absent when not given. */
  options: Record<string, string | string[] | true>;
}

/** Flags that would carry a secret: refused outright, whatever the command. */
const SECRET_FLAG = /passw(or)?d|^pass$|^pw$|secret|token|credential/i;

/** True for a flag name that would carry a secret (`--password`, `--client-secret`, `--token`...). */
export function isSecretFlag(flag: string): boolean {
  return SECRET_FLAG.test(flag.replace(/^--?/, ''));
}

/** The one place that tells a person where secrets go instead of a flag. */
export function secretFlagMessage(flag: string): string {
  return (
    `${flag}: secrets are never accepted as command-line flags (they end up in shell history and process lists). ` +
    'Set CAPILLARY_USERNAME and CAPILLARY_PASSWORD, or CAPILLARY_CLIENT_KEY and CAPILLARY_CLIENT_SECRET, in the environment instead.'
  );
}

/** The secret-looking flags of an argv, up to `--`: refused before anything is parsed. */
function refuseSecretFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (arg.startsWith('-') && arg !== '-') {
      const flag = arg.split('=')[0];
      if (isSecretFlag(flag)) throw new UsageError(secretFlagMessage(flag));
    }
  }
}

/** What the user wrote, checked against the spec (node's parser left lenient so that the messages are ours). */
function optionValue(token: OptionToken, spec: OptionSpec): string | true {
  const flag = token.rawName;
  if (spec.type === 'boolean') {
    if (token.value !== undefined) throw new UsageError(`${flag} takes no value`);
    return true;
  }
  const value = token.value;
  const needs = `${flag} needs a value${spec.value ? ` (${spec.value})` : ''}`;
  if (value === undefined || value === '') throw new UsageError(needs);
  // node's parser takes the next argument even when it is an option: `--format --strict`.
  if (!token.inlineValue && value.startsWith('-') && value !== '-') throw new UsageError(`${needs}; for a value that starts with "-", write ${flag}=${spec.value ?? 'VALUE'}`);
  if (spec.choices && !spec.choices.includes(value)) throw new UsageError(`${flag} must be one of ${spec.choices.join(', ')}, not "${value}"`);
  return value;
}

type OptionToken = Extract<NonNullable<ReturnType<typeof parseArgv>['tokens']>[number], { kind: 'option' }>;

/**
 * Parses a command's argv with node's `util.parseArgs` (long options,
 * `--name=value`, short aliases and `-ovalue`, `--` ending the options),
 * then checks it against the command's specs.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  refuseSecretFlags(argv);
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const { tokens } = parseArgv({
    args: [...argv],
    options: Object.fromEntries(specs.map((spec) => [spec.name, { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}), multiple: spec.type === 'list' }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = byName.get(token.name);
    if (!spec) throw new UsageError(`unknown option ${token.rawName} for "coupon ${command}" (see coupon ${command} --help)`);
    const value = optionValue(token, spec);
    if (spec.type === 'list') {
      const previous = options[spec.name];
      options[spec.name] = [...(Array.isArray(previous) ? previous : []), value as string];
    } else if (spec.type === 'string' && options[spec.name] !== undefined) {
      throw new UsageError(`${token.rawName} is given twice`);
    } else {
      options[spec.name] = value;
    }
  }
  return { positionals, options };
}

/** Typed reads of parsed options. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}

/** A positive number option (`--timeout 30`, `--port 8080`), checked against `max`. */
export function numberOption(args: ParsedArgs, name: string, options: { integer?: boolean; min: number; max: number }): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || (options.integer && !Number.isInteger(value)) || value < options.min || value > options.max) {
    throw new UsageError(`--${name} must be ${options.integer ? 'a whole number' : 'a number'} from ${options.min} to ${options.max}, not "${raw}"`);
  }
  return value;
}
