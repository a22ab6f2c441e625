/**
 * What every endpoint's request goes through: credentials asked for when first
 * needed, the Basic or OAuth header, one HTTP exchange under a per-attempt
 * timeout, retries of idempotent calls, a fresh token after a refused one,
 * redacted logging, and every failure as a `CouponApiError`. The endpoints
 * themselves (paths, bodies, what an answer must hold) are in client.ts.
 */
import { sleep } from '../util';
import { errorFromAnswer, HttpAnswer } from './answerErrors';
import { basicAuthorization, Credentials, MemoryTokenStore, OAUTH_TOKEN_HEADER, OAuthToken, TokenCache, TokenStore } from './auth';
import { CouponApiError, RequestContext, Scrub } from './errors';
import { redactBodyText, redactHeaders, redactUrl, SecretScrubber } from './redact';
import { DEFAULT_RETRY_POLICY, RetryPolicy, retryDelayMs } from './retry';
import { HttpTransport, MAX_RESPONSE_BYTES } from './transport';
import { errorFromFailure, failureCode } from './transportFailures';
import { endpointUrl, parseBaseUrl } from './url';

/** `info`: one summary line per exchange; `debug`: headers and bodies. */
export type LogLevel = 'info' | 'debug';

/** Optional headers naming the till or org entity a request is made for. */
export type Attribution = { tillCode: string } | { entityType: string; entityCode: string };

export interface CouponApiClientOptions {
  /** A bare host (`eu.api.capillarytech.com`, https implied) or a URL; `http://` only for loopback. */
  baseUrl: string;
  /** The credentials, or where to get them: asked for on the first request that needs them (and again after a failure to get them). */
  credentials: Credentials | (() => Promise<Credentials>);
  /** Per attempt: a retried call may take longer in total. */
  timeoutMs: number;
  /** The platform's network: undici in the CLI, VS Code's networking in the extension. */
  transport: HttpTransport;
  /** Where OAuth tokens are cached; in memory (per client) by default. */
  tokenStore?: TokenStore;
  /** Key of this environment's token in `tokenStore` (e.g. `environmentKey(env)`). */
  tokenKey?: string;
  /** The name messages use ("Authentication failed (401) on <name>"); the host by default. */
  environmentName?: string;
  /**
   * Receives one line per request, response, retry and failure (`info`), and
   * the headers and bodies (`debug`), with credentials redacted.
   */
  log?: (line: string, level: LogLevel) => void;
  attribution?: Attribution;
  retry?: Partial<RetryPolicy>;
  /** The most of an answer that is read (`MAX_RESPONSE_BYTES` by default); past it, a `too-large` error. */
  maxResponseBytes?: number;
}

/** One endpoint call, as the pipeline sends it. */
export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  /** Sends the Basic or OAuth header (the token endpoint itself needs none). */
  authenticated: boolean;
  seriesIds?: number[];
  createsSeries?: boolean;
  signal?: AbortSignal;
}

/** A 2xx answer and the request it answers (for the errors an unexpected body makes). */
export interface Answered {
  answer: HttpAnswer;
  context: RequestContext;
}

export interface RequestPipeline {
  readonly baseUrl: URL;
  /** The environment's name, for messages. */
  readonly environment: string;
  /** Sends until a 2xx answer or a final `CouponApiError`. */
  send(call: Call): Promise<Answered>;
  /** The credentials (asked for now if they were not yet). */
  credentials(): Promise<Credentials>;
  /** Removes every known secret from text that is shown or logged. */
  scrub: Scrub;
  /** A secret learnt from an answer (a token): scrubbed from now on. */
  addSecret(secret: string): void;
}

function attributionHeaders(attribution: Attribution | undefined): Record<string, string> {
  if (!attribution) return {};
  return 'tillCode' in attribution
    ? { 'X-CAP-API-ATTRIBUTION-TILL-CODE': attribution.tillCode }
    : { 'X-CAP-API-ATTRIBUTION-ENTITY-TYPE': attribution.entityType, 'X-CAP-API-ATTRIBUTION-ENTITY-CODE': attribution.entityCode };
}

/** The header that authenticates one attempt; with OAuth, the token sent and its cache (to drop it when refused). */
interface AuthHeader {
  headers: Record<string, string>;
  token?: string;
  tokens?: TokenCache;
}

/** The credentials and what they authenticate with: the Basic header, or a token cache (exactly one, by kind). */
interface Authentication {
  credentials: Credentials;
  basicHeader?: string;
  tokens?: TokenCache;
}

/**
 * The credentials, got on first use (a failure to get them, such as a
 * cancelled prompt, is asked again on the next request), and the header each
 * attempt sends. Every secret goes to `scrubber` as soon as it is known.
 */
function authenticator(options: CouponApiClientOptions, baseUrl: URL, scrubber: SecretScrubber, fetchToken: () => Promise<OAuthToken>) {
  let authentication: Promise<Authentication> | undefined;
  function authenticationOf(): Promise<Authentication> {
    authentication ??= (async (): Promise<Authentication> => {
      const credentials = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
      if (credentials.kind === 'basic') {
        const basicHeader = basicAuthorization(credentials.username, credentials.passwordMd5);
        scrubber.add(credentials.passwordMd5);
        scrubber.add(basicHeader.slice('Basic '.length));
        return { credentials, basicHeader };
      }
      scrubber.add(credentials.clientSecret);
      const tokenKey = options.tokenKey ?? `${baseUrl.href}|${credentials.clientKey}`;
      return { credentials, tokens: new TokenCache(options.tokenStore ?? new MemoryTokenStore(), tokenKey, fetchToken) };
    })().catch((error: unknown) => {
      authentication = undefined;
      throw error;
    });
    return authentication;
  }

  return {
    credentials: async (): Promise<Credentials> => (await authenticationOf()).credentials,
    async header(call: Call): Promise<AuthHeader> {
      if (!call.authenticated) return { headers: {} };
      const { basicHeader, tokens } = await authenticationOf();
      if (!tokens) return { headers: { Authorization: basicHeader as string } };
      const token = await tokens.token(call.signal);
      scrubber.add(token);
      return { headers: { [OAUTH_TOKEN_HEADER]: token }, token, tokens };
    },
  };
}

/** `fetchToken` gets a new OAuth token (the token endpoint, which itself goes through this pipeline). */
export function createRequestPipeline(options: CouponApiClientOptions, fetchToken: () => Promise<OAuthToken>): RequestPipeline {
  const baseUrl = parseBaseUrl(options.baseUrl);
  const { timeoutMs, transport } = options;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const environment = options.environmentName ?? baseUrl.host;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const scrubber = new SecretScrubber();
  const scrub = (text: string) => scrubber.scrub(text);
  const log = (line: string, level: LogLevel = 'info') => options.log?.(scrub(line), level);
  const authentication = authenticator(options, baseUrl, scrubber, fetchToken);

  function contextOf(call: Call, url: URL): RequestContext {
    return {
      environment,
      method: call.method,
      url,
      timeoutMs,
      ...(call.seriesIds ? { seriesIds: call.seriesIds } : {}),
      ...(call.createsSeries ? { createsSeries: true } : {}),
    };
  }

  /** One HTTP exchange under the per-attempt timeout; a failure without an answer becomes a `CouponApiError`. */
  async function exchange(call: Call, context: RequestContext, headers: Record<string, string>): Promise<HttpAnswer> {
    const { url } = context;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timer.signal]) : timer.signal;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    log(`--> ${call.method} ${redactUrl(url)}`);
    log(`    headers=${JSON.stringify(redactHeaders(headers))} body=${body === undefined ? 0 : new TextEncoder().encode(body).length} bytes`, 'debug');
    try {
      const response = await transport({ method: call.method, url, headers, ...(body === undefined ? {} : { body }), signal, maxResponseBytes });
      log(`<-- ${response.status} ${call.method} ${redactUrl(url)} in ${elapsed()} ms`);
      // Scrubbed before the excerpt is cut: half a secret would no longer be recognised.
      log(`    body=${redactBodyText(scrub(response.bodyText))}`, 'debug');
      return response;
    } catch (error) {
      const failure = errorFromFailure(error, context, { cancelled: call.signal?.aborted ?? false, timedOut: timer.signal.aborted }, scrub);
      log(`<-x ${call.method} ${redactUrl(url)} failed after ${elapsed()} ms: ${failure.kind} (${failureCode(error) ?? 'no code'})`);
      throw failure;
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * Sends a call until it gets a 2xx answer or a final error. GET and PUT are
   * retried per `policy`; POST never is. A 401 with an OAuth token fetches a
   * new token and sends once more: the server refused the request unread, so
   * even a POST cannot have taken effect.
   */
  async function send(call: Call): Promise<Answered> {
    const url = endpointUrl(baseUrl, call.path, call.query);
    const context = contextOf(call, url);
    const idempotent = call.method !== 'POST';
    let refreshedToken = false;
    for (let retryIndex = 0; ; ) {
      const auth = await authentication.header(call);
      const headers = {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...auth.headers,
        ...attributionHeaders(options.attribution),
      };
      let error: CouponApiError;
      try {
        const answer = await exchange(call, context, headers);
        if (answer.status >= 200 && answer.status < 300) return { answer, context };
        if (answer.status === 401 && auth.tokens && auth.token && !refreshedToken) {
          refreshedToken = true;
          log(`token refused by ${environment}: fetching a new one and sending once more`);
          await auth.tokens.invalidate(auth.token);
          continue;
        }
        error = errorFromAnswer(answer, context, scrub);
      } catch (failure) {
        if (!(failure instanceof CouponApiError)) throw failure;
        error = failure;
      }
      const delay = idempotent ? retryDelayMs(error, retryIndex, policy) : undefined;
      if (delay === undefined) throw error;
      retryIndex++;
      log(`retry ${retryIndex} of ${call.method} ${redactUrl(url)} in ${delay} ms after ${error.kind}${error.status ? ` (${error.status})` : ''}`);
      await sleep(delay, call.signal, () => new CouponApiError('cancelled', 'The request was cancelled.'));
    }
  }

  return { baseUrl, environment, send, credentials: authentication.credentials, scrub, addSecret: (secret) => scrubber.add(secret) };
}
