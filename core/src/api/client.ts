/**
 * The coupon series API client: one typed function per endpoint (its path,
 * its body, what its answer must hold) over the request pipeline
 * (requestPipeline.ts: credentials, timeouts, cancellation, retries for
 * idempotent calls only, redacted logging, errors that say what happened).
 */
import { isJsonObject, parseJsonOrUndefined } from '../util';
import { apiErrorsFrom, listApiErrors, unexpectedAnswer } from './answerErrors';
import { OAUTH_TOKEN_PATH, OAuthToken } from './auth';
import { CouponApiError } from './errors';
import { Call, CouponApiClientOptions, createRequestPipeline } from './requestPipeline';

export type { Attribution, CouponApiClientOptions, LogLevel } from './requestPipeline';

export const SERIES_PATH = '/v2/coupon/series';

/** The fields of a series as a file or the server holds them (the schema is the list of fields). */
export type CouponSeries = { id?: number; seriesCode?: string; orgId?: number } & Record<string, unknown>;

/** A request body: the series wrapped the way the API expects. */
export interface CouponSeriesRequest {
  CouponSeriesV2: CouponSeries;
}

/** A series as the server answers it: bare (not wrapped), with its id and server-owned fields. */
export type ServerCouponSeries = CouponSeries & { id: number };

export interface CallOptions {
  signal?: AbortSignal;
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

function isServerSeries(value: unknown): value is ServerCouponSeries {
  return isJsonObject(value) && typeof value.id === 'number';
}

function checkSeriesId(id: number): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new TypeError(`A coupon series id is a positive integer, not ${String(id)}.`);
}

function signalOf(callOptions: CallOptions): Pick<Call, 'signal'> {
  return callOptions.signal ? { signal: callOptions.signal } : {};
}

export function createCouponApiClient(options: CouponApiClientOptions): CouponApiClient {
  const pipeline = createRequestPipeline(options, () => generateToken());
  const { environment, scrub } = pipeline;

  async function sendForSeries(call: Call): Promise<ServerCouponSeries> {
    const { answer, context } = await pipeline.send(call);
    const json = parseJsonOrUndefined(answer.bodyText);
    if (!isServerSeries(json)) throw unexpectedAnswer(answer, context, 'a coupon series (no numeric "id")', scrub);
    return json;
  }

  async function generateToken(callOptions: CallOptions = {}): Promise<OAuthToken> {
    const credentials = await pipeline.credentials();
    if (credentials.kind !== 'oauth') throw new TypeError('generateToken needs OAuth credentials (a client key and secret).');
    const { answer, context } = await pipeline.send({
      method: 'POST',
      path: OAUTH_TOKEN_PATH,
      body: { key: credentials.clientKey, secret: credentials.clientSecret },
      authenticated: false,
      ...signalOf(callOptions),
    });
    const json = parseJsonOrUndefined(answer.bodyText);
    const data = isJsonObject(json) && isJsonObject(json.data) ? json.data : undefined;
    if (data && typeof data.accessToken === 'string' && data.accessToken !== '' && typeof data.ttlSeconds === 'number') {
      pipeline.addSecret(data.accessToken);
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
    baseUrl: pipeline.baseUrl,

    createSeries(body, callOptions = {}) {
      return sendForSeries({ method: 'POST', path: SERIES_PATH, body, authenticated: true, createsSeries: true, ...signalOf(callOptions) });
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
        ...signalOf(callOptions),
      });
    },

    async getSeries(ids, callOptions = {}) {
      const list = typeof ids === 'number' ? [ids] : [...ids];
      if (list.length === 0) throw new TypeError('getSeries needs at least one id.');
      list.forEach(checkSeriesId);
      const query = new URLSearchParams({ ids: list.join(',') });
      const { answer, context } = await pipeline.send({ method: 'GET', path: SERIES_PATH, query, authenticated: true, seriesIds: list, ...signalOf(callOptions) });
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
