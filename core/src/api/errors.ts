/**
 * The one error every request to the coupon API fails with: its kind, and a
 * message that says what happened. What to do about it ("run Set
 * Credentials", "set CAPILLARY_PASSWORD") is each front end's to word, keyed
 * by `kind`. Made from the server's answers in answerErrors.ts, from requests
 * that got no answer in transportFailures.ts.
 */

export type CouponApiErrorKind =
  | 'validation'
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'unsupported-media-type'
  | 'rate-limited'
  | 'server'
  | 'bad-response'
  | 'connection-refused'
  | 'dns'
  | 'tls'
  | 'timeout'
  | 'cancelled'
  | 'network'
  | 'too-large'
  | 'proxy-auth'
  | 'insecure-url';

/** One entry of the API's `errors[]` (v2 `{status, code, message}`, OAuth `{code, message}`). */
export interface ApiErrorEntry {
  code: number | string;
  message: string;
}

export interface CouponApiErrorDetails {
  status?: number;
  apiErrors?: ApiErrorEntry[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class CouponApiError extends Error {
  override readonly name = 'CouponApiError';
  readonly kind: CouponApiErrorKind;
  readonly status?: number;
  readonly apiErrors?: ApiErrorEntry[];
  readonly retryAfterSeconds?: number;

  constructor(kind: CouponApiErrorKind, message: string, details: CouponApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.apiErrors !== undefined) this.apiErrors = details.apiErrors;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** What the failing request was, so messages can name it. */
export interface RequestContext {
  /** The environment's name as the user knows it ("EU production"). */
  environment: string;
  method: string;
  url: URL;
  timeoutMs: number;
  /** Ids the request is about, for "series 123 was not found". */
  seriesIds?: readonly number[];
  /** The request creates a series: after an ambiguous failure it may have been applied anyway. */
  createsSeries?: boolean;
}

/** Makes server-provided text safe to show (removes known credentials). */
export type Scrub = (text: string) => string;

/** A proxy's 407, whether it answered the request or refused the tunnel (CONNECT). */
export function proxyAuthMessage(environment: string): string {
  return `Proxy authentication required (407): the proxy between this machine and ${environment} refused the request without valid proxy credentials.`;
}

/** After a failure that leaves a create's outcome unknown: where to look before creating again. */
export function mayHaveBeenCreated(context: RequestContext): string {
  return context.createsSeries
    ? ' The series may have been created anyway: look for it on the server (e.g. Pull from Server) before creating it again.'
    : '';
}
