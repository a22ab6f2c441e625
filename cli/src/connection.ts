/**
 * Where API commands send and as whom: `--host URL --auth basic|oauth`, or
 * `--env NAME` from the workspace's `.vscode/settings.json` (the setting the
 * extension reads, plus the built-in "Local sandbox"). Secrets come only from
 * environment variables; proxies from the standard variables (undici's
 * `EnvHttpProxyAgent`; loopback never proxied); extra CAs from `--ca` and the
 * `extraCaCertificates` setting. The connection itself is the
 * engine's (`openConnection`): this file only turns flags into its inputs.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { basicAuthorization, checkBaseUrl, credentialsFor, SecretScrubber } from '../../core/src/api';
import { formatBytes, MAX_RESPONSE_BYTES } from '../../core/src/api/transport';
import { Connection, openConnection } from '../../core/src/engine';
import {
  allEnvironments,
  AuthKind,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  Environment,
  findEnvironment,
  isOrgId,
  LOCAL_SANDBOX_NAME,
  parseSettings,
  SETTINGS_SECTION,
} from '../../core/src/environments';
import { userCaCertificatePath } from '../../core/src/node/caCertificates';
import { createDispatcher, createUndiciTransport, proxyEnvironment, ProxyEnvironment, ProxyVariableError } from '../../core/src/node/httpTransport';
import { SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../../core/src/sandbox';
import { listOption, numberOption, OptionSpec, ParsedArgs, stringOption, UsageError, flag } from './args';
import { CommandContext } from './command';
import { readWorkspaceSettings, SETTINGS_FILE } from './workspaceSettings';

export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  { name: 'env', type: 'string', value: 'NAME', description: `An environment from .vscode/settings.json (${SETTINGS_SECTION}.environments), or "${LOCAL_SANDBOX_NAME}".` },
  { name: 'host', type: 'string', value: 'URL', description: 'The API host (https://, or http:// to loopback only), instead of --env.' },
  { name: 'auth', type: 'string', value: 'KIND', choices: ['basic', 'oauth'], description: 'How to authenticate with --host (inferred when only one kind of credentials is set).' },
  { name: 'org-id', type: 'string', value: 'ID', description: 'With --host: the org the credentials belong to (tells two orgs on one host apart).' },
  { name: 'timeout', type: 'string', value: 'SECONDS', description: 'Per-request timeout (default: the setting, else 30).' },
  { name: 'ca', type: 'list', value: 'FILE', description: 'Extra CA certificate (PEM) to trust, e.g. a corporate proxy\'s.' },
  { name: 'verbose', type: 'boolean', description: 'Log every request and response on stderr (credentials redacted).' },
];

/** Details for each API command's help: where secrets go. */
export const CONNECTION_HELP: readonly string[] = [
  'Credentials come only from environment variables, never from flags:',
  '  basic: CAPILLARY_USERNAME and CAPILLARY_PASSWORD (the plain password; it is sent MD5-hashed)',
  '  oauth: CAPILLARY_CLIENT_KEY and CAPILLARY_CLIENT_SECRET',
  `With --env "${LOCAL_SANDBOX_NAME}" the sandbox's demo credentials are used when none are set.`,
  'Proxies: HTTPS_PROXY / HTTP_PROXY (http://[user:password@]host:port) and NO_PROXY; never for loopback hosts.',
  `Extra CAs: NODE_EXTRA_CA_CERTS or --ca FILE. Answers larger than ${formatBytes(MAX_RESPONSE_BYTES)} are refused.`,
];

function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

interface Target {
  environment: Environment;
  timeoutSeconds: number;
  caFiles: string[];
}

function targetFromSettings(name: string, context: CommandContext): Target {
  const { cwd } = context.io;
  const workspace = readWorkspaceSettings(cwd);
  const { settings, problems } = parseSettings(workspace.read);
  const environments = allEnvironments(settings.environments, settings.sandboxPort);
  const environment = findEnvironment(environments, name);
  for (const problem of [...workspace.problems, ...problems]) context.output.warn(problem);
  if (!environment) {
    throw new UsageError(
      `no environment "${name}" in ${SETTINGS_FILE} of ${cwd} (setting ${SETTINGS_SECTION}.environments); known: ${environments.map((known) => `"${known.name}"`).join(', ')}`,
    );
  }
  // Relative to the settings file that names them; `~/` is the home folder, as in the editor.
  const settingsFolder = path.dirname(path.join(cwd, SETTINGS_FILE));
  const caFiles = settings.extraCaCertificates.map((file) => userCaCertificatePath(file) ?? path.resolve(settingsFolder, file));
  return { environment, timeoutSeconds: settings.requestTimeoutSeconds, caFiles };
}

function inferAuth(env: NodeJS.ProcessEnv): AuthKind {
  const basic = variable(env, 'CAPILLARY_USERNAME') !== undefined || variable(env, 'CAPILLARY_PASSWORD') !== undefined;
  const oauth = variable(env, 'CAPILLARY_CLIENT_KEY') !== undefined || variable(env, 'CAPILLARY_CLIENT_SECRET') !== undefined;
  if (basic !== oauth) return basic ? 'basic' : 'oauth';
  throw new UsageError(
    basic
      ? '--auth basic or --auth oauth is needed: both CAPILLARY_USERNAME/PASSWORD and CAPILLARY_CLIENT_KEY/SECRET are set'
      : '--host needs credentials: set CAPILLARY_USERNAME and CAPILLARY_PASSWORD (basic) or CAPILLARY_CLIENT_KEY and CAPILLARY_CLIENT_SECRET (oauth)',
  );
}

function targetFromHost(host: string, args: ParsedArgs, env: NodeJS.ProcessEnv): Target {
  const checked = checkBaseUrl(host);
  if (!checked.ok) throw new UsageError(`--host: ${checked.problem}`);
  const auth = (stringOption(args, 'auth') as AuthKind | undefined) ?? inferAuth(env);
  const rawOrgId = stringOption(args, 'org-id');
  const orgId = rawOrgId === undefined ? undefined : Number(rawOrgId);
  if (rawOrgId !== undefined && (!/^\d+$/.test(rawOrgId) || !isOrgId(orgId))) throw new UsageError(`--org-id must be the org's id, a positive whole number, not "${rawOrgId}"`);
  const environment: Environment = { name: checked.url.host, host, auth, ...(orgId !== undefined ? { orgId } : {}) };
  return { environment, timeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS, caFiles: [] };
}

/** The secret and the principal (username or client key) for the environment, from the variables. */
function credentialsOf(environment: Environment, env: NodeJS.ProcessEnv) {
  const sandboxDefaults = environment.name === LOCAL_SANDBOX_NAME;
  if (environment.auth === 'basic') {
    let username = variable(env, 'CAPILLARY_USERNAME') ?? environment.username;
    let password = variable(env, 'CAPILLARY_PASSWORD');
    if (sandboxDefaults && password === undefined) {
      username ??= SANDBOX_USERNAME;
      password = SANDBOX_PASSWORD;
    }
    if (!username || password === undefined) {
      throw new UsageError(`basic auth to ${environment.name} needs ${username ? '' : 'CAPILLARY_USERNAME and '}CAPILLARY_PASSWORD in the environment (the plain password: the tool hashes it)`);
    }
    return credentialsFor({ ...environment, username }, password);
  }
  const clientKey = variable(env, 'CAPILLARY_CLIENT_KEY') ?? environment.clientKey;
  const secret = variable(env, 'CAPILLARY_CLIENT_SECRET');
  if (!clientKey || secret === undefined) {
    throw new UsageError(`oauth to ${environment.name} needs ${clientKey ? '' : 'CAPILLARY_CLIENT_KEY and '}CAPILLARY_CLIENT_SECRET in the environment`);
  }
  return credentialsFor({ ...environment, clientKey }, secret);
}

function readCertificates(files: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string[] {
  if (files.length === 0) return [];
  // Passing CAs replaces Node's own list (NODE_EXTRA_CA_CERTS included): keep that file's certificates too.
  const nodeExtra = variable(env, 'NODE_EXTRA_CA_CERTS');
  return [...files, ...(nodeExtra ? [nodeExtra] : [])].map((file) => {
    try {
      return readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the CA certificate file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });
}

function readProxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  try {
    return proxyEnvironment(env);
  } catch (error) {
    if (error instanceof ProxyVariableError) throw new UsageError(error.message);
    throw error;
  }
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
  /** The environment's name ("EU production") or the host. */
  name: string;
  close(): Promise<void>;
}

/**
 * Resolves the target and credentials (bad usage throws `UsageError`, before
 * anything is sent), registers every secret with the output's scrubber, and
 * opens the engine's connection.
 */
export async function connect(args: ParsedArgs, context: CommandContext): Promise<CliConnection> {
  const { env, cwd } = context.io;
  const envName = stringOption(args, 'env');
  const host = stringOption(args, 'host');
  if (envName !== undefined && host !== undefined) throw new UsageError('give either --env NAME or --host URL, not both');
  if (envName === undefined && host === undefined) {
    throw new UsageError(`say where to send: --env NAME (from ${SETTINGS_FILE}, or "${LOCAL_SANDBOX_NAME}") or --host URL [--auth basic|oauth]`);
  }
  if (envName !== undefined && stringOption(args, 'auth') !== undefined) throw new UsageError('--auth goes with --host; an environment from --env has its own auth kind');
  if (envName !== undefined && stringOption(args, 'org-id') !== undefined) throw new UsageError('--org-id goes with --host; an environment from --env has its own orgId');
  const target = envName !== undefined ? targetFromSettings(envName, context) : targetFromHost(host as string, args, env);
  const timeoutSeconds = numberOption(args, 'timeout', { min: 1, max: 600 }) ?? target.timeoutSeconds;
  const credentials = credentialsOf(target.environment, env);

  const scrubber = new SecretScrubber();
  if (credentials.kind === 'basic') {
    scrubber.add(variable(env, 'CAPILLARY_PASSWORD'));
    scrubber.add(credentials.passwordMd5);
    scrubber.add(basicAuthorization(credentials.username, credentials.passwordMd5).slice('Basic '.length));
  } else {
    scrubber.add(credentials.clientSecret);
  }
  context.output.setFilter((text) => scrubber.scrub(text));

  const proxies = readProxyEnvironment(env);
  // A proxy's password is a secret like the others (undici sends it as Proxy-Authorization).
  for (const proxy of [proxies.httpProxy, proxies.httpsProxy]) {
    const password = proxy ? new URL(proxy).password : '';
    if (password) {
      scrubber.add(password);
      scrubber.add(decodeURIComponent(password));
    }
  }
  if (target.caFiles.length > 0) {
    // The editor takes CAs only from user settings; a terminal run in a folder is the user's own choice, so say where they came from.
    context.output.warn(`trusting the CA certificates named by ${SETTINGS_SECTION}.extraCaCertificates in ${SETTINGS_FILE}: ${target.caFiles.join(', ')}`);
  }
  const certificates = readCertificates([...listOption(args, 'ca'), ...target.caFiles], env, cwd);
  const dispatcher = createDispatcher({
    strictSSL: true,
    timeoutMs: timeoutSeconds * 1000,
    proxies,
    ...(certificates.length > 0 ? { extraCaCertificates: certificates } : {}),
  });
  const verbose = flag(args, 'verbose');
  // The user's username / client key from the variables override the environment's.
  const environment: Environment = credentials.kind === 'basic' ? { ...target.environment, username: credentials.username } : { ...target.environment, clientKey: credentials.clientKey };
  const connection = await openConnection(environment, {
    credentials: { credentials: async () => credentials },
    transport: createUndiciTransport(dispatcher),
    timeoutMs: timeoutSeconds * 1000,
    ...(verbose ? { log: (line: string) => context.output.err(`coupon: ${line}`) } : {}),
  });
  if (verbose) context.output.err(`coupon: ${describeProxies(proxies)}`);
  return {
    connection,
    name: target.environment.name,
    async close() {
      // Nothing is in flight once a command is done; destroy also drops a connection attempt a timeout abandoned.
      await dispatcher.destroy();
    },
  };
}
