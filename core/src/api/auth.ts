/**
 * The two ways the API authenticates: Basic with an MD5-hashed password, and
 * OAuth tokens (fetched with a client key and secret, cached until shortly
 * before they expire, persisted through a `TokenStore`).
 */
import { createHash } from 'node:crypto';
import { CouponApiError } from './errors';
import { abortable } from './transport';

export type AuthKind = 'basic' | 'oauth';

export type Credentials =
  | { kind: 'basic'; username: string; passwordMd5: string }
  | { kind: 'oauth'; clientKey: string; clientSecret: string };

export const OAUTH_TOKEN_HEADER = 'X-CAP-API-OAUTH-TOKEN';
export const OAUTH_TOKEN_PATH = '/v3/oauth/token/generate';

/** Lower-case hex MD5, as the API expects the password in Basic auth. */
export function md5Hex(password: string): string {
  return createHash('md5').update(password, 'utf8').digest('hex');
}

/** `Basic base64(<username>:<md5-hex(password)>)`. */
export function basicAuthorization(username: string, passwordMd5: string): string {
  return `Basic ${Buffer.from(`${username}:${passwordMd5}`, 'utf8').toString('base64')}`;
}

/** Who authenticates: the auth kind and the principal (till user or OAuth client key). */
export interface Principal {
  auth: AuthKind;
  username?: string;
  clientKey?: string;
}

/** Credentials for a principal from the secret the user typed (a password for basic, the client secret for OAuth). */
export function credentialsFor(principal: Principal, secret: string): Credentials {
  return principal.auth === 'basic'
    ? { kind: 'basic', username: principal.username ?? '', passwordMd5: md5Hex(secret) }
    : { kind: 'oauth', clientKey: principal.clientKey ?? '', clientSecret: secret };
}

export interface StoredToken {
  token: string;
  /** Epoch ms after which the token is no longer used (already minus the safety margin). */
  expiresAt: number;
}

/** Where tokens survive between runs; the extension backs it with SecretStorage. */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();

  async get(key: string): Promise<StoredToken | undefined> {
    return this.tokens.get(key);
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.tokens.set(key, token);
  }

  async delete(key: string): Promise<void> {
    this.tokens.delete(key);
  }
}

const MAX_REFRESH_MARGIN_MS = 30_000;

/** When to stop using a token that lives `ttlSeconds`: 10% of its life, at most 30 s, before it ends. */
export function tokenUseUntil(ttlSeconds: number, now = Date.now()): number {
  const lifeMs = Math.max(0, ttlSeconds) * 1000;
  return now + lifeMs - Math.min(MAX_REFRESH_MARGIN_MS, lifeMs * 0.1);
}

export interface OAuthToken {
  accessToken: string;
  ttlSeconds: number;
}

/** Rejects with a `cancelled` error as soon as `signal` aborts, without cancelling `promise` itself. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return abortable(signal, promise).catch((error: unknown) => {
    throw signal.aborted && error === signal.reason ? new CouponApiError('cancelled', 'The request was cancelled.') : error;
  });
}

/**
 * One environment's token: reused from the store while valid, fetched when
 * missing or stale. Concurrent callers share one fetch; a caller that cancels
 * stops waiting without cancelling the fetch the others wait for.
 */
export class TokenCache {
  private pending: Promise<string> | undefined;

  constructor(
    private readonly store: TokenStore,
    private readonly key: string,
    private readonly fetchToken: () => Promise<OAuthToken>,
    private readonly now: () => number = Date.now,
  ) {}

  async token(signal?: AbortSignal): Promise<string> {
    const stored = await this.store.get(this.key);
    if (stored && stored.expiresAt > this.now()) return stored.token;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return untilAborted(this.pending, signal);
  }

  /** Forget `token` after the server refused it, unless another request already replaced it. */
  async invalidate(token: string): Promise<void> {
    const stored = await this.store.get(this.key);
    if (stored?.token === token) await this.store.delete(this.key);
  }

  private async refresh(): Promise<string> {
    const fetched = await this.fetchToken();
    await this.store.set(this.key, { token: fetched.accessToken, expiresAt: tokenUseUntil(fetched.ttlSeconds, this.now()) });
    return fetched.accessToken;
  }
}
