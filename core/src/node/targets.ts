/**
 * Where a process sends (the `coupon` CLI, `coupon mcp`), and as whom: an
 * environment named on the command line (`--host`), or one from the
 * workspace's `.vscode/settings.json` (`--env`, plus the built-in "Local
 * sandbox"); credentials from `CAPILLARY_*` variables; extra CAs; proxies from
 * the standard variables; the timeout.
 *
 * Where credentials may go is the user's decision, never a repository's (a
 * branch can change `.vscode/settings.json`):
 * - secrets from the variables go only to a host the user named (`--host`, or
 *   `CAPILLARY_HOST`) or to one of the vendor's clusters; an environment from
 *   the settings pointing anywhere else is refused before anything is sent;
 * - the local sandbox gets its public demo credentials, never the user's;
 * - a CA file the settings name is trusted only when the user says so
 *   (`trustWorkspaceCa`).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Dispatcher } from 'undici';
import { basicAuthorization, credentialsFor, Credentials, md5Hex } from '../api/auth';
import { checkBaseUrl } from '../api/hosts';
import { Connection, openConnection } from '../engine/connection';
import type { LogLevel } from '../api/client';
import {
  allEnvironments,
  AuthKind,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  Environment,
  findEnvironment,
  hostIdentity,
  isLocalSandbox,
  localSandboxCredentials,
  LOCAL_SANDBOX_NAME,
  mayReceiveUserCredentials,
  parseSettings,
  SETTINGS_SECTION,
  SETTING_KEYS,
} from '../environments';
import { userCaCertificatePath } from './caCertificates';
import { createDispatcher, createUndiciTransport, proxyEnvironment, ProxyEnvironment, ProxyVariableError } from './httpTransport';
import { readWorkspaceSettings, SETTINGS_FILE } from './workspaceSettings';

/** The variables credentials come from (never flags: a command line is visible to every user of the machine). */
export const CREDENTIAL_VARIABLES = {
  username: 'CAPILLARY_USERNAME',
  password: 'CAPILLARY_PASSWORD',
  clientKey: 'CAPILLARY_CLIENT_KEY',
  clientSecret: 'CAPILLARY_CLIENT_SECRET',
  /** The hosts (comma-separated) the user allows these credentials to go to, besides `--host` and the vendor's clusters. */
  hosts: 'CAPILLARY_HOST',
} as const;

export type TargetSource = 'command line' | 'workspace settings' | 'built-in';

/** Why no target could be resolved: bad usage, said before anything is sent. */
export type TargetProblemKind =
  | 'usage'
  | 'unknown-environment'
  | 'no-credentials'
  /** The environment comes from the repository's settings and its host is not one the user named. */
  | 'host-not-named'
  | 'ca-file'
  | 'proxy';

export class TargetProblem extends Error {
  override readonly name = 'TargetProblem';
  constructor(
    readonly kind: TargetProblemKind,
    message: string,
  ) {
    super(message);
  }
}

/** What the user asked for (flags, or an agent tool's input). */
export interface TargetRequest {
  /** An environment of the workspace's settings, or "Local sandbox". */
  environmentName?: string;
  /** A host the user names: credentials may go there. */
  host?: string;
  auth?: AuthKind;
  orgId?: number;
  timeoutSeconds?: number;
  /** CA files the user names (`--ca`), relative to `cwd`. */
  caFiles?: readonly string[];
  /** Also trust the CA files named by the workspace's `extraCaCertificates`. */
  trustWorkspaceCa?: boolean;
}

export interface TargetContext {
  /** The workspace folder: its `.vscode/settings.json` names the environments. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Target {
  /** The environment, with the username or client key from the variables applied. */
  environment: Environment;
  source: TargetSource;
  credentials: Credentials;
  /** Where the credentials come from, for messages: "the sandbox's demo user", "CAPILLARY_PASSWORD"... */
  credentialsFrom: string;
  /** Every secret value to keep out of all output: the plain password, its hash, the Basic value, the client secret, proxy passwords. */
  secrets: string[];
  /** PEM texts trusted besides the system's. */
  caCertificates: string[];
  /** The CA files those came from. */
  caFiles: string[];
  proxies: ProxyEnvironment;
  timeoutSeconds: number;
  /** Problems in the settings (the usable entries are still used). */
  warnings: string[];
}

function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The hosts `CAPILLARY_HOST` names (comma-separated). */
export function namedHosts(env: NodeJS.ProcessEnv): string[] {
  return (variable(env, CREDENTIAL_VARIABLES.hosts) ?? '')
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
}

interface Chosen {
  environment: Environment;
  source: TargetSource;
  timeoutSeconds: number;
  workspaceCaFiles: string[];
  warnings: string[];
}

function fromSettings(name: string, context: TargetContext): Chosen {
  const workspace = readWorkspaceSettings(context.cwd);
  const { settings, problems } = parseSettings(workspace.read);
  const environments = allEnvironments(settings.environments, settings.sandboxPort);
  const environment = findEnvironment(environments, name);
  if (!environment) {
    throw new TargetProblem(
      'unknown-environment',
      `no environment "${name}" in ${SETTINGS_FILE} of ${context.cwd} (setting ${SETTINGS_SECTION}.${SETTING_KEYS.environments}); known: ${environments.map((known) => `"${known.name}"`).join(', ')}`,
    );
  }
  // Relative to the settings file that names them; `~/` is the home folder, as in the editor.
  const settingsFolder = path.dirname(path.join(context.cwd, SETTINGS_FILE));
  const workspaceCaFiles = settings.extraCaCertificates.map((file) => userCaCertificatePath(file) ?? path.resolve(settingsFolder, file));
  return {
    environment,
    source: isLocalSandbox(environment) ? 'built-in' : 'workspace settings',
    timeoutSeconds: settings.requestTimeoutSeconds,
    workspaceCaFiles,
    warnings: [...workspace.problems, ...problems],
  };
}

function inferAuth(env: NodeJS.ProcessEnv): AuthKind {
  const set = (name: string) => variable(env, name) !== undefined;
  const basic = set(CREDENTIAL_VARIABLES.username) || set(CREDENTIAL_VARIABLES.password);
  const oauth = set(CREDENTIAL_VARIABLES.clientKey) || set(CREDENTIAL_VARIABLES.clientSecret);
  if (basic !== oauth) return basic ? 'basic' : 'oauth';
  throw new TargetProblem(
    basic ? 'usage' : 'no-credentials',
    basic
      ? `--auth basic or --auth oauth is needed: both ${CREDENTIAL_VARIABLES.username}/PASSWORD and ${CREDENTIAL_VARIABLES.clientKey}/SECRET are set`
      : `--host needs credentials: set ${CREDENTIAL_VARIABLES.username} and ${CREDENTIAL_VARIABLES.password} (basic) or ${CREDENTIAL_VARIABLES.clientKey} and ${CREDENTIAL_VARIABLES.clientSecret} (oauth)`,
  );
}

function fromHost(request: TargetRequest, env: NodeJS.ProcessEnv): Chosen {
  const host = request.host as string;
  const checked = checkBaseUrl(host);
  if (!checked.ok) throw new TargetProblem('usage', `--host: ${checked.problem}`);
  const auth = request.auth ?? inferAuth(env);
  const environment: Environment = { name: checked.url.host, host, auth, ...(request.orgId !== undefined ? { orgId: request.orgId } : {}) };
  return { environment, source: 'command line', timeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS, workspaceCaFiles: [], warnings: [] };
}

/** Refuses an environment of the repository's settings whose host the user did not name, before anything is read or sent. */
function checkCredentialHost(chosen: Chosen, env: NodeJS.ProcessEnv): void {
  if (chosen.source !== 'workspace settings') return;
  const { environment } = chosen;
  if (mayReceiveUserCredentials(environment.host, namedHosts(env))) return;
  const host = hostIdentity(environment.host) ?? environment.host;
  throw new TargetProblem(
    'host-not-named',
    `"${environment.name}" in ${SETTINGS_FILE} points at ${host}, which you have not named: your CAPILLARY_* credentials go only to --host, ` +
      `to the hosts in ${CREDENTIAL_VARIABLES.hosts}, or to the vendor's own clusters, never to a host only a repository's settings name. ` +
      `Nothing was sent. If ${host} is yours, allow it: ${CREDENTIAL_VARIABLES.hosts}=${host} (or --host ${environment.host} instead of --env).`,
  );
}

function userCredentials(environment: Environment, env: NodeJS.ProcessEnv): { credentials: Credentials; credentialsFrom: string; secrets: string[] } {
  const { username: userVariable, password: passwordVariable, clientKey: keyVariable, clientSecret: secretVariable } = CREDENTIAL_VARIABLES;
  if (environment.auth === 'basic') {
    const username = variable(env, userVariable) ?? environment.username;
    const password = variable(env, passwordVariable);
    if (!username || password === undefined) {
      throw new TargetProblem('no-credentials', `basic auth to ${environment.name} needs ${username ? '' : `${userVariable} and `}${passwordVariable} in the environment (the plain password: the tool hashes it)`);
    }
    const credentials = credentialsFor({ ...environment, username }, password);
    const basic = credentials as Extract<Credentials, { kind: 'basic' }>;
    return { credentials, credentialsFrom: passwordVariable, secrets: [password, basic.passwordMd5, basicAuthorization(username, basic.passwordMd5).slice('Basic '.length)] };
  }
  const clientKey = variable(env, keyVariable) ?? environment.clientKey;
  const secret = variable(env, secretVariable);
  if (!clientKey || secret === undefined) {
    throw new TargetProblem('no-credentials', `oauth to ${environment.name} needs ${clientKey ? '' : `${keyVariable} and `}${secretVariable} in the environment`);
  }
  return { credentials: credentialsFor({ ...environment, clientKey }, secret), credentialsFrom: secretVariable, secrets: [secret] };
}

/**
 * Every secret the process's environment holds, before any target is resolved
 * (for a long-lived process to scrub from the start): the password with its
 * MD5 and Basic header, the client secret, the proxies' passwords. A target
 * adds the Basic header of a username that only an environment's settings give.
 */
export function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  const secrets: string[] = [];
  const password = variable(env, CREDENTIAL_VARIABLES.password);
  if (password !== undefined) {
    const passwordMd5 = md5Hex(password);
    secrets.push(password, passwordMd5);
    const username = variable(env, CREDENTIAL_VARIABLES.username);
    if (username) secrets.push(basicAuthorization(username, passwordMd5).slice('Basic '.length));
  }
  const secret = variable(env, CREDENTIAL_VARIABLES.clientSecret);
  if (secret !== undefined) secrets.push(secret);
  try {
    secrets.push(...readProxies(env).secrets);
  } catch {
    // A malformed proxy variable is reported when a target is resolved; it holds no password that could be read here.
  }
  return secrets;
}

function readCertificates(files: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string[] {
  if (files.length === 0) return [];
  // Passing CAs replaces Node's own list (NODE_EXTRA_CA_CERTS included): keep that file's certificates too.
  const nodeExtra = variable(env, 'NODE_EXTRA_CA_CERTS');
  return [...files, ...(nodeExtra ? [nodeExtra] : [])].map((file) => {
    try {
      return readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new TargetProblem('ca-file', `cannot read the CA certificate file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });
}

function readProxies(env: NodeJS.ProcessEnv): { proxies: ProxyEnvironment; secrets: string[] } {
  let proxies: ProxyEnvironment;
  try {
    proxies = proxyEnvironment(env);
  } catch (error) {
    if (error instanceof ProxyVariableError) throw new TargetProblem('proxy', error.message);
    throw error;
  }
  // A proxy's password is a secret like the others (undici sends it as Proxy-Authorization).
  const secrets: string[] = [];
  for (const proxy of [proxies.httpProxy, proxies.httpsProxy]) {
    const password = proxy ? new URL(proxy).password : '';
    if (password) secrets.push(password, decodeURIComponent(password));
  }
  return { proxies, secrets };
}

/**
 * The target of `request`, with its credentials: a `TargetProblem` for bad
 * usage, an unknown environment, missing credentials, or a host the user did
 * not name; nothing is sent here.
 */
export function resolveTarget(request: TargetRequest, context: TargetContext): Target {
  const { env, cwd } = context;
  if (request.environmentName !== undefined && request.host !== undefined) throw new TargetProblem('usage', 'give either --env NAME or --host URL, not both');
  if (request.environmentName === undefined && request.host === undefined) {
    throw new TargetProblem('usage', `say where to send: --env NAME (from ${SETTINGS_FILE}, or "${LOCAL_SANDBOX_NAME}") or --host URL [--auth basic|oauth]`);
  }
  if (request.environmentName !== undefined && request.auth !== undefined) throw new TargetProblem('usage', '--auth goes with --host; an environment from --env has its own auth kind');
  if (request.environmentName !== undefined && request.orgId !== undefined) throw new TargetProblem('usage', '--org-id goes with --host; an environment from --env has its own orgId');
  const chosen = request.environmentName !== undefined ? fromSettings(request.environmentName, context) : fromHost(request, env);
  checkCredentialHost(chosen, env);
  const sandbox = chosen.source === 'built-in';
  const user = sandbox
    ? { credentials: localSandboxCredentials(chosen.environment), credentialsFrom: 'the sandbox\'s demo user', secrets: [] }
    : userCredentials(chosen.environment, env);
  const { proxies, secrets: proxySecrets } = readProxies(env);
  const workspaceCa = request.trustWorkspaceCa ? chosen.workspaceCaFiles : [];
  const warnings = [...chosen.warnings];
  if (chosen.workspaceCaFiles.length > 0 && !request.trustWorkspaceCa) {
    warnings.push(`not trusting the CA certificates named by ${SETTINGS_SECTION}.${SETTING_KEYS.extraCaCertificates} in ${SETTINGS_FILE} (a repository's file may name any CA): pass --trust-workspace-ca if they are yours, or --ca FILE`);
  }
  const caFiles = [...(request.caFiles ?? []), ...workspaceCa];
  const { credentials } = user;
  const environment: Environment = credentials.kind === 'basic' ? { ...chosen.environment, username: credentials.username } : { ...chosen.environment, clientKey: credentials.clientKey };
  return {
    environment,
    source: chosen.source,
    credentials,
    credentialsFrom: user.credentialsFrom,
    secrets: [...user.secrets, ...proxySecrets],
    caCertificates: readCertificates(caFiles, env, cwd),
    caFiles,
    proxies,
    timeoutSeconds: request.timeoutSeconds ?? chosen.timeoutSeconds,
    warnings,
  };
}

/** One line saying where a target sends and as whom (no secret): printed before anything is sent. */
export function describeTarget(target: Target): string {
  const { environment } = target;
  const checked = checkBaseUrl(environment.host);
  const url = checked.ok ? checked.url.origin + checked.url.pathname.replace(/\/+$/, '') : environment.host;
  const who = target.credentials.kind === 'basic' ? `basic auth as ${target.credentials.username}` : `OAuth client ${target.credentials.clientKey}`;
  const name = target.source === 'command line' ? '' : `${environment.name} (${target.source === 'built-in' ? 'built in' : SETTINGS_FILE}): `;
  const ca = target.caFiles.length > 0 ? `; also trusting ${target.caFiles.join(', ')}` : '';
  return `sending to ${name}${url}${environment.orgId !== undefined ? `, org ${environment.orgId}` : ''}, ${who} (from ${target.credentialsFrom})${ca}`;
}

export interface TargetConnection {
  connection: Connection;
  /** Ends the network connections (nothing is in flight once a command is done). */
  close(): Promise<void>;
}

/** The engine's connection to a resolved target, over undici with its proxies, CAs and timeout. */
export async function connectTarget(target: Target, options: { log?: (line: string, level: LogLevel) => void } = {}): Promise<TargetConnection> {
  const timeoutMs = target.timeoutSeconds * 1000;
  const dispatcher: Dispatcher = createDispatcher({
    strictSSL: true,
    timeoutMs,
    proxies: target.proxies,
    ...(target.caCertificates.length > 0 ? { extraCaCertificates: target.caCertificates } : {}),
  });
  const connection = await openConnection(target.environment, {
    credentials: { credentials: async () => target.credentials },
    transport: createUndiciTransport(dispatcher),
    timeoutMs,
    ...(options.log ? { log: options.log } : {}),
  });
  // Destroy also drops a connection attempt a timeout abandoned.
  return { connection, close: () => dispatcher.destroy() };
}

/** An environment as an agent or a listing shows it: never a secret, and whether credentials would be sent. */
export interface EnvironmentSummary {
  name: string;
  host: string;
  orgId?: number;
  protected: boolean;
  source: TargetSource;
  /** `demo` (the sandbox's), `variables` (set, and the host may receive them), `missing`, or `refused` (the host was not named by the user). */
  credentials: 'demo' | 'variables' | 'missing' | 'refused';
}

/** The workspace's environments (the built-in sandbox first) and which credentials each would get. */
export function summarizeEnvironments(context: TargetContext): { environments: EnvironmentSummary[]; warnings: string[] } {
  const workspace = readWorkspaceSettings(context.cwd);
  const { settings, problems } = parseSettings(workspace.read);
  const named = namedHosts(context.env);
  const environments = allEnvironments(settings.environments, settings.sandboxPort).map((environment): EnvironmentSummary => {
    const sandbox = isLocalSandbox(environment);
    let credentials: EnvironmentSummary['credentials'];
    if (sandbox) credentials = 'demo';
    else if (!mayReceiveUserCredentials(environment.host, named)) credentials = 'refused';
    else {
      try {
        userCredentials(environment, context.env);
        credentials = 'variables';
      } catch {
        credentials = 'missing';
      }
    }
    return {
      name: environment.name,
      host: hostIdentity(environment.host) ?? environment.host,
      ...(environment.orgId !== undefined ? { orgId: environment.orgId } : {}),
      protected: environment.protected === true,
      source: sandbox ? 'built-in' : 'workspace settings',
      credentials,
    };
  });
  return { environments, warnings: [...workspace.problems, ...problems] };
}
