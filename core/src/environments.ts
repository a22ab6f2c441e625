/**
 * The typed settings shared by the extension and the CLI: environments (host +
 * auth kind + who + org), timeout, confirmation and extra CA files. Settings
 * never hold a password, a secret or a token: those live in secret storage
 * under `environmentKey(env)` (CLI: environment variables).
 *
 * An environment's identity is the org on a host (`deploymentKey`), not its
 * display name: bindings recorded in a file survive renaming it.
 */
import { AuthKind, Credentials, md5Hex } from './api/auth';
import type { Attribution } from './api/client';
import { checkBaseUrl } from './api/hosts';
import { SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_USERNAME } from './sandbox/credentials';
import { isJsonObject } from './util';

export const SETTINGS_SECTION = 'couponSeries';

export const SETTING_KEYS = {
  environments: 'environments',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  confirmBeforeSending: 'confirmBeforeSending',
  extraCaCertificates: 'extraCaCertificates',
  sandboxPort: 'sandboxPort',
} as const;

export type { AuthKind } from './api/auth';
export type { Attribution } from './api/client';

export interface Environment {
  name: string;
  /** Free text: a bare host (`eu.api.capillarytech.com`) or a URL. */
  host: string;
  auth: AuthKind;
  /** Till / store user for `basic`. */
  username?: string;
  /** OAuth client key for `oauth`. */
  clientKey?: string;
  attribution?: Attribution;
  /**
   * The org the credentials belong to. Optional: without it the tool recognises
   * the org from the server's answers, which cannot tell two orgs on one host apart.
   */
  orgId?: number;
  /** Production: shown in the warning colour, and every send asks first, whatever other settings say. */
  protected?: boolean;
}

export const LOCAL_SANDBOX_NAME = 'Local sandbox';
export const DEFAULT_SANDBOX_PORT = 47631;
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
const MAX_REQUEST_TIMEOUT_SECONDS = 600;

/** The built-in environment: the local sandbox on loopback, basic auth as its demo user. */
export function localSandboxEnvironment(port = DEFAULT_SANDBOX_PORT): Environment {
  return { name: LOCAL_SANDBOX_NAME, host: `http://127.0.0.1:${port}`, auth: 'basic', username: SANDBOX_USERNAME, orgId: SANDBOX_DEFAULT_ORG_ID };
}

/** The built-in environment (its name is reserved: no setting can take it). */
export function isLocalSandbox(environment: Environment): boolean {
  return environment.name === LOCAL_SANDBOX_NAME;
}

/**
 * What the local sandbox is sent: its public demo credentials, never a
 * user's (whatever listens on a loopback port may be another user's program).
 */
export function localSandboxCredentials(environment: Environment): Credentials {
  return { kind: 'basic', username: environment.username ?? SANDBOX_USERNAME, passwordMd5: md5Hex(SANDBOX_PASSWORD) };
}

/** The vendor's regional clusters (the docs disagree, so these are suggestions for a free-text host). */
export const REGIONAL_HOSTS: readonly { name: string; host: string }[] = [
  { name: 'EU', host: 'eu.api.capillarytech.com' },
  { name: 'EU CRM', host: 'eucrm.cc.capillarytech.com' },
  { name: 'APAC', host: 'apac.api.capillarytech.com' },
  { name: 'APAC 2', host: 'apac2.api.capillarytech.com' },
  { name: 'US', host: 'us.api.capillarytech.com' },
  { name: 'US HC', host: 'ushc.api.capillarytech.com' },
  { name: 'SEA', host: 'sea.api.capillarytech.com' },
  { name: 'China', host: 'api.capillarytech.cn.com' },
];

/** True for HTTPS on the default port to one of the vendor's clusters (`REGIONAL_HOSTS`). */
export function isVendorCluster(host: string): boolean {
  const checked = checkBaseUrl(host);
  if (!checked.ok || checked.url.protocol !== 'https:' || checked.url.port !== '') return false;
  const hostname = checked.url.hostname.toLowerCase();
  return REGIONAL_HOSTS.some((regional) => regional.host === hostname);
}

/**
 * Whether credentials the user holds (CLI: `CAPILLARY_*` variables) may go to
 * `host`: one of `namedHosts` (what the user named: `--host`, `CAPILLARY_HOST`)
 * or a vendor cluster. A repository's settings may name environments, but
 * they never decide where a user's secrets go.
 */
export function mayReceiveUserCredentials(host: string, namedHosts: readonly string[]): boolean {
  if (isVendorCluster(host)) return true;
  const identity = hostIdentity(host);
  return identity !== undefined && namedHosts.some((named) => hostIdentity(named) === identity);
}

/** The properties an environment entry may have (the manifest's schema lists the same: a test checks it). */
export const ENVIRONMENT_PROPERTIES: readonly string[] = ['name', 'host', 'auth', 'username', 'clientKey', 'attribution', 'orgId', 'protected'];
const SECRET_LIKE = /password|secret|token/i;

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function parseAttribution(raw: unknown, where: string, problems: string[]): Attribution | undefined {
  if (raw === undefined) return undefined;
  if (isJsonObject(raw) && nonEmptyString(raw.tillCode) && raw.entityType === undefined && raw.entityCode === undefined) {
    return { tillCode: raw.tillCode };
  }
  if (isJsonObject(raw) && nonEmptyString(raw.entityType) && nonEmptyString(raw.entityCode) && raw.tillCode === undefined) {
    return { entityType: raw.entityType, entityCode: raw.entityCode };
  }
  problems.push(`${where}.attribution must be {"tillCode": "..."} or {"entityType": "...", "entityCode": "..."}.`);
  return undefined;
}

function parseEnvironment(raw: unknown, where: string, problems: string[]): Environment | undefined {
  if (!isJsonObject(raw)) {
    problems.push(`${where} must be an object like {"name": "EU production", "host": "eu.api.capillarytech.com", "auth": "basic", "username": "store.server"}.`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(raw)) {
    if (SECRET_LIKE.test(key)) {
      problems.push(`${where} has "${key}": settings must never hold passwords, secrets or tokens. Remove it and use the command "Set Credentials" (kept in the system keychain).`);
    } else if (!ENVIRONMENT_PROPERTIES.includes(key)) {
      problems.push(`${where} has an unknown property "${key}" (known: ${ENVIRONMENT_PROPERTIES.join(', ')}).`);
    }
  }
  const { name, host, auth, username, clientKey } = raw;
  if (!nonEmptyString(name)) problems.push(`${where}.name must be a non-empty string.`);
  if (!nonEmptyString(host)) {
    problems.push(`${where}.host must be a host such as eu.api.capillarytech.com.`);
  } else {
    const checked = checkBaseUrl(host);
    if (!checked.ok) problems.push(`${where}.host: ${checked.problem}`);
  }
  if (auth !== 'basic' && auth !== 'oauth') {
    problems.push(`${where}.auth must be "basic" (till user and password) or "oauth" (client key and secret).`);
  } else if (auth === 'basic' && !nonEmptyString(username)) {
    problems.push(`${where}.username is required with "auth": "basic" (the till / store user).`);
  } else if (auth === 'oauth' && !nonEmptyString(clientKey)) {
    problems.push(`${where}.clientKey is required with "auth": "oauth".`);
  }
  if (username !== undefined && typeof username !== 'string') problems.push(`${where}.username must be a string.`);
  if (clientKey !== undefined && typeof clientKey !== 'string') problems.push(`${where}.clientKey must be a string.`);
  const attribution = parseAttribution(raw.attribution, where, problems);
  const { orgId } = raw;
  if (orgId !== undefined && !isOrgId(orgId)) problems.push(`${where}.orgId must be the org's id, a positive whole number such as 100458.`);
  if (raw.protected !== undefined && typeof raw.protected !== 'boolean') problems.push(`${where}.protected must be true or false.`);
  if (problems.length > before) return undefined;

  const environment: Environment = { name: (name as string).trim(), host: (host as string).trim(), auth: auth as AuthKind };
  if (auth === 'basic') environment.username = (username as string).trim();
  if (auth === 'oauth') environment.clientKey = (clientKey as string).trim();
  if (attribution) environment.attribution = attribution;
  if (isOrgId(orgId)) environment.orgId = orgId;
  if (raw.protected === true) environment.protected = true;
  return environment;
}

/** An org id: a positive whole number. */
export function isOrgId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The host part of an environment's identity: lower-case `host[:port][/path]`
 * without the scheme (https is implied; http only ever reaches loopback).
 * Undefined for a host that `checkBaseUrl` refuses.
 */
export function hostIdentity(host: string): string | undefined {
  const checked = checkBaseUrl(host);
  if (!checked.ok) return undefined;
  return `${checked.url.host}${checked.url.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

/** The key of a deployment in a file: `<orgId>@<host identity>`, e.g. `100458@eu.api.capillarytech.com`. */
export function deploymentKey(orgId: number, host: string): string {
  return `${orgId}@${host}`;
}

export interface ParsedEnvironments {
  /** The entries that are valid (a broken entry does not take the others down). */
  environments: Environment[];
  /** One sentence per problem, naming the setting and the entry. */
  problems: string[];
}

/** Validates the user's `couponSeries.environments` setting. */
export function parseEnvironments(raw: unknown): ParsedEnvironments {
  const setting = `${SETTINGS_SECTION}.${SETTING_KEYS.environments}`;
  if (raw === undefined || raw === null) return { environments: [], problems: [] };
  if (!Array.isArray(raw)) return { environments: [], problems: [`${setting} must be a list of environments.`] };
  const problems: string[] = [];
  const environments: Environment[] = [];
  const seen = new Set([LOCAL_SANDBOX_NAME.toLowerCase()]);
  raw.forEach((entry, index) => {
    const where = `${setting}[${index}]`;
    const environment = parseEnvironment(entry, where, problems);
    if (!environment) return;
    const key = environment.name.toLowerCase();
    if (seen.has(key)) {
      problems.push(`${where}.name "${environment.name}" is ${key === LOCAL_SANDBOX_NAME.toLowerCase() ? 'reserved for the built-in sandbox' : 'used twice'}: names must be unique.`);
      return;
    }
    seen.add(key);
    environments.push(environment);
  });
  return { environments, problems };
}

/** The built-in sandbox followed by the user's environments. */
export function allEnvironments(userEnvironments: readonly Environment[], sandboxPort = DEFAULT_SANDBOX_PORT): Environment[] {
  return [localSandboxEnvironment(sandboxPort), ...userEnvironments];
}

/** The environment called `name` (case-insensitive), or undefined. */
export function findEnvironment(environments: readonly Environment[], name: string | undefined): Environment | undefined {
  const wanted = name?.trim().toLowerCase();
  return wanted ? environments.find((environment) => environment.name.toLowerCase() === wanted) : undefined;
}

/**
 * Secret-storage key of an environment's credentials and tokens. Built from
 * what the credentials belong to (auth kind, normalised host, user or client
 * key), not the display name: renaming keeps them, pointing at another host or
 * user does not reuse them.
 */
export function environmentKey(environment: Environment): string {
  const checked = checkBaseUrl(environment.host);
  const host = checked.ok ? `${checked.url.protocol}//${checked.url.host}${checked.url.pathname.replace(/\/+$/, '')}` : environment.host.trim().toLowerCase();
  const principal = environment.auth === 'basic' ? environment.username ?? '' : environment.clientKey ?? '';
  return `${SETTINGS_SECTION}/${environment.auth}/${host}/${principal}`;
}

export interface CouponSeriesSettings {
  environments: Environment[];
  requestTimeoutSeconds: number;
  confirmBeforeSending: boolean;
  /** Paths of PEM files with extra CA certificates (corporate TLS interception). */
  extraCaCertificates: string[];
  /** Loopback port of the built-in "Local sandbox" environment. */
  sandboxPort: number;
}

export interface ParsedSettings {
  settings: CouponSeriesSettings;
  problems: string[];
}

/**
 * Reads and validates every setting of the section; `read(key)` returns the raw
 * value (VS Code's `getConfiguration('couponSeries').get(key)`, or a CLI's config
 * file). Invalid values fall back to defaults and are listed in `problems`.
 */
export function parseSettings(read: (key: string) => unknown): ParsedSettings {
  const { environments, problems } = parseEnvironments(read(SETTING_KEYS.environments));
  const name = (key: string) => `${SETTINGS_SECTION}.${key}`;

  const timeout = read(SETTING_KEYS.requestTimeoutSeconds);
  let requestTimeoutSeconds = DEFAULT_REQUEST_TIMEOUT_SECONDS;
  if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 && timeout <= MAX_REQUEST_TIMEOUT_SECONDS) requestTimeoutSeconds = timeout;
  else if (timeout !== undefined && timeout !== null) problems.push(`${name(SETTING_KEYS.requestTimeoutSeconds)} must be a number of seconds between 1 and ${MAX_REQUEST_TIMEOUT_SECONDS}.`);

  const confirm = read(SETTING_KEYS.confirmBeforeSending);
  let confirmBeforeSending = true;
  if (typeof confirm === 'boolean') confirmBeforeSending = confirm;
  else if (confirm !== undefined && confirm !== null) problems.push(`${name(SETTING_KEYS.confirmBeforeSending)} must be true or false.`);

  const certificates = read(SETTING_KEYS.extraCaCertificates);
  let extraCaCertificates: string[] = [];
  if (Array.isArray(certificates) && certificates.every(nonEmptyString)) extraCaCertificates = certificates.map((path) => path.trim());
  else if (certificates !== undefined && certificates !== null) problems.push(`${name(SETTING_KEYS.extraCaCertificates)} must be a list of paths to PEM files.`);

  const port = read(SETTING_KEYS.sandboxPort);
  let sandboxPort = DEFAULT_SANDBOX_PORT;
  if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) sandboxPort = port;
  else if (port !== undefined && port !== null) problems.push(`${name(SETTING_KEYS.sandboxPort)} must be a port number (1-65535).`);

  return { settings: { environments, requestTimeoutSeconds, confirmBeforeSending, extraCaCertificates, sandboxPort }, problems };
}
