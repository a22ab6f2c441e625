/**
 * A small argv parser for the `coupon` commands: long options (`--name value`,
 * `--name=value`), short aliases (`-o FILE`), boolean flags, repeatable
 * options and `--` to end options. Bad usage throws `UsageError` (exit 2).
 */

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

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short as string, spec]));
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const equals = arg.indexOf('=');
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const name = flag.replace(/^--?/, '');
    if (isSecretFlag(name)) throw new UsageError(secretFlagMessage(flag));
    const spec = long ? byName.get(name) : byShort.get(name);
    if (!spec) throw new UsageError(`unknown option ${flag} for "coupon ${command}" (see coupon ${command} --help)`);
    if (spec.type === 'boolean') {
      if (equals > 0) throw new UsageError(`${flag} takes no value`);
      options[spec.name] = true;
      continue;
    }
    let value: string | undefined;
    if (equals > 0) value = arg.slice(equals + 1);
    else if (index + 1 < argv.length && !(argv[index + 1].startsWith('-') && argv[index + 1] !== '-')) value = argv[++index];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value${spec.value ? ` (${spec.value})` : ''}`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`${flag} must be one of ${spec.choices.join(', ')}, not "${value}"`);
    }
    if (spec.type === 'list') {
      const previous = options[spec.name];
      options[spec.name] = [...(Array.isArray(previous) ? previous : []), value];
    } else {
      if (options[spec.name] !== undefined) throw new UsageError(`${flag} is given twice`);
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
