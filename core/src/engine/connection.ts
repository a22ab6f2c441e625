/**
 * Environment + credentials + network → a connection the operations use. The
 * front ends inject where secrets come from (SecretStorage, environment
 * variables) and the network (VS Code's, undici); the rest is the same for both.
 */
import { CouponApiClient, createCouponApiClient, Credentials, LogLevel, TokenStore } from '../api';
import type { HttpTransport } from '../api/transport';
import { deploymentKey, Environment, environmentKey, hostIdentity } from '../environments';
import { EngineProblem } from './problems';

/** Where an environment's credentials come from. */
export interface CredentialSource {
  /** The environment's credentials, or undefined when none are set (a `no-credentials` problem follows). */
  credentials(environment: Environment): Promise<Credentials | undefined>;
}

export interface ConnectionOptions {
  credentials: CredentialSource;
  transport: HttpTransport;
  timeoutMs: number;
  /** One summary line per exchange (`info`), headers and bodies (`debug`), credentials redacted. */
  log?: (line: string, level: LogLevel) => void;
  /** Where OAuth tokens survive between runs (the extension's SecretStorage); in memory otherwise. */
  tokenStore?: TokenStore;
}

export interface Connection {
  readonly environment: Environment;
  /** Lower-case `host[:port][/path]`: the host part of deployment keys. */
  readonly host: string;
  readonly client: CouponApiClient;
  /** The deployment key of this environment when its org is known from the settings. */
  readonly key?: string;
}

export async function openConnection(environment: Environment, options: ConnectionOptions): Promise<Connection> {
  const host = hostIdentity(environment.host);
  // A host the client refuses (http:// to a real host...) fails in createCouponApiClient with its own message.
  const credentials = await options.credentials.credentials(environment);
  if (!credentials) throw new EngineProblem('no-credentials', `No credentials are set for ${environment.name}.`);
  const client = createCouponApiClient({
    baseUrl: environment.host,
    credentials,
    transport: options.transport,
    timeoutMs: options.timeoutMs,
    environmentName: environment.name,
    tokenKey: environmentKey(environment),
    ...(options.tokenStore ? { tokenStore: options.tokenStore } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(environment.attribution ? { attribution: environment.attribution } : {}),
  });
  const resolvedHost = host ?? client.baseUrl.host.toLowerCase();
  return {
    environment,
    host: resolvedHost,
    client,
    ...(environment.orgId !== undefined ? { key: deploymentKey(environment.orgId, resolvedHost) } : {}),
  };
}
