/**
 * The coupon series API client: one typed function per endpoint over an
 * injected `HttpTransport`, with timeouts, cancellation, retries for idempotent
 * calls only, redacted logging and errors that say what happened.
 */
import { isJsonObject, parseJsonOrUndefined, sleep } from '../util';
import { basicAuthorization, Credentials, MemoryTokenStore, OAUTH_TOKEN_HEADER, OAUTH_TOKEN_PATH, OAuthToken, TokenCache, TokenStore } from './auth';
import {
  apiErrorsFrom,
  CouponApiError,
  errorFromAnswer,
  errorFromFailure,
  failureCode,
  HttpAnswer,
  listApiErrors,
  RequestContext,
  unexpectedAnswer,
} from './errors';
import { redactBodyText, redactHeaders, redactUrl, SecretScrubber } from './redact';
import { DEFAULT_RETRY_POLICY, RetryPolicy, retryDelayMs } from './retry';
import { HttpTransport, MAX_RESPONSE_BYTES } from './transport';
import { endpointUrl, parseBaseUrl } from './url';

export const SERIES_PATH = '/v2/coupon/series';

/** The fields of a series as a file or the server holds them (the schema is the list of fields). */
export type CouponSeries = { id?: number; seriesCode?: string; orgId?: number } & Record<string, unknown>;

/** A request body: the series wrapped the way the API expects. */
export interface CouponSeriesRequest {
  CouponSeriesV2: CouponSeries;
}

/** A series as the server answers it: bare (not wrapped), with its id and server-owned fields. */
export type ServerCouponSeries = CouponSeries & { id: number };

/** `info`: one summary line per exchange; `debug`: headers and bodies. */
export type LogLevel = 'info' | 'debug';

export interface CallOptions {
  signal?: AbortSignal;
}

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

export interface CouponApiClient {
  readonly baseUrl: URL;
  /** POST /v2/coupon/series. Never retried automatically: a second POST would create a second series. */
  createSeries(body: CouponSeriesRequest, options?: CallOptions): Promise<ServerCouponSeries>;
  /** PUT /v2/coupon/series/{id}, the id also written into `CouponSeriesV2.id`. */
  updateSeries(id: number, body: CouponSeriesRequest, options?: CallOptions): Promise<ServerCouponSeries>;
  /** GET /v2/coupon/series?ids=...: the series found (a `not-found` error when none is). */
  getSeries(ids: number | readonly number[], options?: CallOptions): Promise<ServerCouponSeries[]>;
  /** POST /v3/oauth/token/generate with the client key and secret (OAuth credentials only). */
  generateToken(options?: CallOptions): Promise<OAuthToken>;
}

interface Call {
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

function isServerSeries(value: unknown): value is ServerCouponSeries {
  return isJsonObject(value) && typeof value.id === 'number';
}

function checkSeriesId(id: number): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`A coupon series id is a positive integer, not ${String(id)}.`);
}

/** Optional headers naming the till or org entity a request is made for. */
export type Attribution = { tillCode: string } | { entityType: string; entityCode: string };

function attributionHeaders(attribution: Attribution | undefined): Record<string, string> {
  if (!attribution) return {};
  return 'tillCode' in attribution
    ? { 'X-CAP-API-ATTRIBUTION-TILL-CODE': attribution.tillCode }
    : { 'X-CAP-API-ATTRIBUTION-ENTITY-TYPE': attribution.entityType, 'X-CAP-API-ATTRIBUTION-ENTITY-CODE': attribution.entityCode };
}

export function createCouponApiClient(options: CouponApiClientOptions): CouponApiClient {
  const baseUrl = parseBaseUrl(options.baseUrl);
  const { timeoutMs, transport } = options;
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const environment = options.environmentName ?? baseUrl.host;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const scrubber = new SecretScrubber();
  const scrub = (text: string) => scrubber.scrub(text);
  const log = (line: string, level: LogLevel = 'info') => options.log?.(scrub(line), level);

  /** The credentials and what they authenticate with: the Basic header, or a token cache (exactly one, by kind). */
  interface Authentication {
    credentials: Credentials;
    basicHeader?: string;
    tokens?: TokenCache;
  }
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
      return { credentials, tokens: new TokenCache(options.tokenStore ?? new MemoryTokenStore(), tokenKey, () => generateToken()) };
    })().catch((error: unknown) => {
      // Not found or not given (a prompt cancelled): asked again on the next request.
      authentication = undefined;
      throw error;
    });
    return authentication;
  }

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

  async function authHeader(call: Call): Promise<{ headers: Record<string, string>; token?: string; tokens?: TokenCache }> {
    if (!call.authenticated) return { headers: {} };
    const { basicHeader, tokens } = await authenticationOf();
    if (!tokens) return { headers: { Authorization: basicHeader as string } };
    const token = await tokens.token(call.signal);
    scrubber.add(token);
    return { headers: { [OAUTH_TOKEN_HEADER]: token }, token, tokens };
  }

  /**
   * Sends a call until it gets a 2xx answer or a final error. GET and PUT are
   * retried per `policy`; POST never is. A 401 with an OAuth token fetches a
   * new token and sends once more: the server refused the request unread, so
   * even a POST cannot have taken effect.
   */
  async function send(call: Call): Promise<{ answer: HttpAnswer; context: RequestContext }> {
    const url = endpointUrl(baseUrl, call.path, call.query);
    const context = contextOf(call, url);
    const idempotent = call.method !== 'POST';
    let refreshedToken = false;
    for (let retryIndex = 0; ; ) {
      const auth = await authHeader(call);
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

  async function sendForSeries(call: Call): Promise<ServerCouponSeries> {
    const { answer, context } = await send(call);
    const json = parseJsonOrUndefined(answer.bodyText);
    if (!isServerSeries(json)) throw unexpectedAnswer(answer, context, 'a coupon series (no numeric "id")', scrub);
    return json;
  }

  async function generateToken(callOptions: CallOptions = {}): Promise<OAuthToken> {
    const { credentials } = await authenticationOf();
    if (credentials.kind !== 'oauth') throw new TypeError('generateToken needs OAuth credentials (a client key and secret).');
    const { answer, context } = await send({
      method: 'POST',
      path: OAUTH_TOKEN_PATH,
      body: { key: credentials.clientKey, secret: credentials.clientSecret },
      authenticated: false,
      ...(callOptions.signal ? { signal: callOptions.signal } : {}),
    });
    const json = parseJsonOrUndefined(answer.bodyText);
    const data = isJsonObject(json) && isJsonObject(json.data) ? json.data : undefined;
    if (data && typeof data.accessToken === 'string' && data.accessToken !== '' && typeof data.ttlSeconds === 'number') {
      scrubber.add(data.accessToken);
      return { accessToken: data.accessToken, ttlSeconds: data.ttlSeconds };
    }
    const apiErrors = apiErrorsFrom(json);
    if (apiErrors.length > 0) {
      throw new CouponApiError('auth', `The OAuth client key and secret were refused by ${environment}. Server said: ${listApiErrors(apiErrors, scrub)}.`, {
        status: answer.status,
        apiErrors,
      });
    }
    throw unexpectedAnswer(answer, context, 'an OAuth token ({"data": {"accessToken", "ttlSeconds"}})', scrub);
  }

  return {
    baseUrl,

    createSeries(body, callOptions = {}) {
      return sendForSeries({
        method: 'POST',
        path: SERIES_PATH,
        body,
        authenticated: true,
        createsSeries: true,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      });
    },

    async updateSeries(id, body, callOptions = {}) {
      checkSeriesId(id);
      // The id in the path is authoritative; the API also wants it inside the object.
      return sendForSeries({
        method: 'PUT',
        path: `${SERIES_PATH}/${id}`,
        body: { CouponSeriesV2: { ...body.CouponSeriesV2, id } },
        authenticated: true,
        seriesIds: [id],
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      });
    },

    async getSeries(ids, callOptions = {}) {
      const list = typeof ids === 'number' ? [ids] : [...ids];
      if (list.length === 0) throw new TypeError('getSeries needs at least one id.');
      list.forEach(checkSeriesId);
      const call: Call = {
        method: 'GET',
        path: SERIES_PATH,
        query: new URLSearchParams({ ids: list.join(',') }),
        authenticated: true,
        seriesIds: list,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      };
      const { answer, context } = await send(call);
      const json = parseJsonOrUndefined(answer.bodyText);
      if (!isJsonObject(json) || !Array.isArray(json.entity)) throw unexpectedAnswer(answer, context, 'a list of series ({"entity": [...]})', scrub);
      const found = json.entity.filter(isServerSeries);
      if (found.length === 0) {
        throw new CouponApiError('not-found', `Coupon series ${list.join(', ')} was not found on ${environment}.`, { status: answer.status });
      }
      return found;
    },

    generateToken,
  };
}
