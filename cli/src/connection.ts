/**
 * The CLI's flags for where API commands send and as whom, turned into the
 * engine's target (`core/src/node/targets.ts`: the rule for where
 * credentials may go lives there, shared with `coupon mcp`). This file parses
 * flags, prints where the command sends before it sends, and registers every
 * secret with the output's scrubber.
 */
import { Connection, formatBytes, MAX_RESPONSE_BYTES, SecretScrubber } from '../../core/src/engine';
import { AuthKind, isOrgId, LOCAL_SANDBOX_NAME, REGIONAL_HOSTS, SETTINGS_SECTION, SETTING_KEYS } from '../../core/src/environments';
import type { ProxyEnvironment } from '../../core/src/node/httpTransport';
import { connectTarget, CREDENTIAL_VARIABLES, describeTarget, resolveTarget, Target, TargetProblem, TargetRequest } from '../../core/src/node/targets';
import { flag, listOption, numberOption, OptionSpec, ParsedArgs, stringOption, UsageError } from './args';
import { CommandContext } from './command';

export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  { name: 'env', type: 'string', value: 'NAME', description: `An environment from .vscode/settings.json (${SETTINGS_SECTION}.environments), or "${LOCAL_SANDBOX_NAME}".` },
  { name: 'host', type: 'string', value: 'URL', description: 'The API host (https://, or http:// to loopback only), instead of --env.' },
  { name: 'auth', type: 'string', value: 'KIND', choices: ['basic', 'oauth'], description: 'How to authenticate with --host (inferred when only one kind of credentials is set).' },
  { name: 'org-id', type: 'string', value: 'ID', description: 'With --host: the org the credentials belong to (tells two orgs on one host apart).' },
  { name: 'timeout', type: 'string', value: 'SECONDS', description: 'Per-request timeout (default: the setting, else 30).' },
  { name: 'ca', type: 'list', value: 'FILE', description: 'Extra CA certificate (PEM) to trust, e.g. a corporate proxy\'s.' },
  {
    name: 'trust-workspace-ca',
    type: 'boolean',
    description: `Also trust the CA files named by ${SETTINGS_SECTION}.${SETTING_KEYS.extraCaCertificates} in .vscode/settings.json (a repository's file: only if you know them).`,
  },
  { name: 'verbose', type: 'boolean', description: 'Log every request and response on stderr (credentials redacted).' },
];

/** Details for each API command's help: where secrets come from, and where they may go. */
export const CONNECTION_HELP: readonly string[] = [
  'Credentials come only from environment variables, never from flags:',
  `  basic: ${CREDENTIAL_VARIABLES.username} and ${CREDENTIAL_VARIABLES.password} (the plain password; it is sent MD5-hashed)`,
  `  oauth: ${CREDENTIAL_VARIABLES.clientKey} and ${CREDENTIAL_VARIABLES.clientSecret}`,
  'They are sent only to a host you name: --host, the hosts in CAPILLARY_HOST (comma-separated), or the',
  `vendor's clusters (${REGIONAL_HOSTS.map((regional) => regional.host).join(', ')}). An --env environment whose`,
  'host is none of these (a repository\'s settings can name any host) is refused before anything is sent.',
  `"${LOCAL_SANDBOX_NAME}" always gets the sandbox's demo credentials, never yours.`,
  'Proxies: HTTPS_PROXY / HTTP_PROXY (http://[user:password@]host:port) and NO_PROXY; never for loopback hosts.',
  `Extra CAs: NODE_EXTRA_CA_CERTS or --ca FILE. Answers larger than ${formatBytes(MAX_RESPONSE_BYTES)} are refused.`,
];

/** The flags as the engine's request. */
function targetRequest(args: ParsedArgs): TargetRequest {
  const rawOrgId = stringOption(args, 'org-id');
  const orgId = rawOrgId === undefined ? undefined : Number(rawOrgId);
  if (rawOrgId !== undefined && (!/^\d+$/.test(rawOrgId) || !isOrgId(orgId))) throw new UsageError(`--org-id must be the org's id, a positive whole number, not "${rawOrgId}"`);
  const environmentName = stringOption(args, 'env');
  const host = stringOption(args, 'host');
  const auth = stringOption(args, 'auth') as AuthKind | undefined;
  const timeoutSeconds = numberOption(args, 'timeout', { min: 1, max: 600 });
  return {
    ...(environmentName !== undefined ? { environmentName } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(auth !== undefined ? { auth } : {}),
    ...(orgId !== undefined ? { orgId } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    caFiles: listOption(args, 'ca'),
    trustWorkspaceCa: flag(args, 'trust-workspace-ca'),
  };
}

/** The proxies in use, for --verbose: user-info hidden. */
function describeProxies(proxies: ProxyEnvironment): string {
  const shown = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
  const parts = [
    ...(proxies.httpsProxy ? [`HTTPS_PROXY ${shown(proxies.httpsProxy)}`] : []),
    ...(proxies.httpProxy ? [`HTTP_PROXY ${shown(proxies.httpProxy)}`] : []),
  ];
  if (parts.length === 0) return 'no proxy (HTTPS_PROXY and HTTP_PROXY are unset)';
  return `proxies: ${parts.join(', ')}${proxies.noProxy ? `; NO_PROXY ${proxies.noProxy}` : ''}; loopback hosts are never proxied`;
}

export interface CliConnection {
  connection: Connection;
  target: Target;
  /** The environment's name ("EU production") or the host. */
  name: string;
  close(): Promise<void>;
}

/** The flags' target: bad usage, an unknown environment or a host the user did not name throw `UsageError` before anything is sent. */
export function resolveCliTarget(args: ParsedArgs, context: CommandContext): Target {
  try {
    return resolveTarget(targetRequest(args), { cwd: context.io.cwd, env: context.io.env });
  } catch (error) {
    if (error instanceof TargetProblem) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Resolves the target, registers every secret with the output's scrubber,
 * says where the command sends, and opens the engine's connection.
 */
export async function connect(args: ParsedArgs, context: CommandContext): Promise<CliConnection> {
  const { output } = context;
  const target = resolveCliTarget(args, context);
  const scrubber = new SecretScrubber();
  for (const secret of target.secrets) scrubber.add(secret);
  output.setFilter((text) => scrubber.scrub(text));
  for (const warning of target.warnings) output.warn(warning);
  output.err(`coupon: ${describeTarget(target)}`);
  const verbose = flag(args, 'verbose');
  const { connection, close } = await connectTarget(target, verbose ? { log: (line) => output.err(`coupon: ${line}`) } : {});
  if (verbose) output.err(`coupon: ${describeProxies(target.proxies)}`);
  return { connection, target, name: target.environment.name, close };
}

/** Runs `work` on the flags' connection and closes it afterwards, whatever happens. */
export async function withConnection<T>(args: ParsedArgs, context: CommandContext, work: (cli: CliConnection) => Promise<T>): Promise<T> {
  const cli = await connect(args, context);
  try {
    return await work(cli);
  } finally {
    await cli.close();
  }
}
