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
  /** The org an earlier connection learned for this environment (the editor keeps it between commands). */
  learnedOrgId?: number;
}

export interface Connection {
  readonly environment: Environment;
  /** Lower-case `host[:port][/path]`: the host part of deployment keys. */
  readonly host: string;
  readonly client: CouponApiClient;
  /** The org these credentials reach: the environment's `orgId`, or the one the server's answers showed in this run. */
  readonly orgId?: number;
  /** This environment's deployment key (`<orgId>@<host>`), once its org is known. */
  readonly key?: string;
  /**
   * Records the org the server's answers showed (it shows each caller only its
   * own org's series, and every series carries its `orgId`). The settings'
   * `orgId` is never overridden.
   */
  learnOrg(orgId: number): void;
}

export async function openConnection(environment: Environment, options: ConnectionOptions): Promise<Connection> {
  const host = hostIdentity(environment.host);
  // A host the client refuses (http:// to a real host...) fails in createCouponApiClient with its own message.
  // Credentials are asked for on the first request that needs them: a create on a protected environment is confirmed first.
  const credentials = async () => {
    const found = await options.credentials.credentials(environment);
    if (!found) throw new EngineProblem('no-credentials', `No credentials are set for ${environment.name}.`);
    return found;
  };
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
  let learned = options.learnedOrgId;
  return {
    environment,
    host: resolvedHost,
    client,
    get orgId() {
      return environment.orgId ?? learned;
    },
    get key() {
      const orgId = environment.orgId ?? learned;
      return orgId === undefined ? undefined : deploymentKey(orgId, resolvedHost);
    },
    learnOrg(orgId) {
      if (environment.orgId === undefined) learned = orgId;
    },
  };
}
