/**
 * Every way a request to the coupon API can fail, as one error class whose
 * message says what happened. What to do about it ("run Set Credentials",
 * "set CAPILLARY_PASSWORD") is each front end's to word, keyed by `kind`.
 */
import { isJsonObject, parseJsonOrUndefined } from '../util';
import { redactLocation } from './redact';
import { formatBytes, ResponseTooLargeError } from './transport';

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

/** A complete HTTP answer that was not a success. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

/** Makes server-provided text safe to show (removes known credentials). */
export type Scrub = (text: string) => string;

const ACCESS_GROUP_DENIED_CODE = 4000;
const MAX_QUOTED_LINE = 160;

function headerValue(headers: HttpAnswer['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` as whole seconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The `errors[]` of a v2 or OAuth body, or the access-group body's `errorCode`/`message`. */
export function apiErrorsFrom(json: unknown): ApiErrorEntry[] {
  if (!isJsonObject(json)) return [];
  const entries: ApiErrorEntry[] = [];
  if (Array.isArray(json.errors)) {
    for (const entry of json.errors) {
      if (!isJsonObject(entry)) continue;
      const code = typeof entry.code === 'number' || typeof entry.code === 'string' ? entry.code : '?';
      const message = typeof entry.message === 'string' ? entry.message : JSON.stringify(entry);
      entries.push({ code, message });
    }
  }
  if (typeof json.errorCode === 'number' || typeof json.errorCode === 'string') {
    const message = [json.message, json.errorMessage, json.error].find((text) => typeof text === 'string');
    entries.push({ code: json.errorCode, message: typeof message === 'string' ? message : '' });
  }
  return entries;
}

/** `code 8015: message; code 8016: message`, for messages. */
export function listApiErrors(entries: readonly ApiErrorEntry[], scrub: Scrub): string {
  return entries.map((entry) => `code ${entry.code}: ${scrub(entry.message).replace(/[.\s]+$/, '')}`).join('; ');
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((candidate) => candidate.trim()).find((candidate) => candidate !== '') ?? '';
  return line.length > MAX_QUOTED_LINE ? `${line.slice(0, MAX_QUOTED_LINE)}…` : line;
}

function looksLikeHtml(answer: HttpAnswer): boolean {
  const contentType = headerValue(answer.headers, 'content-type') ?? '';
  return /html/i.test(contentType) || /^\s*<(!doctype|html|head|body)/i.test(answer.bodyText);
}

/** "The server answered with an HTML page..." for a body that is not JSON; undefined when it is JSON. */
function describeNonJson(answer: HttpAnswer, scrub: Scrub): string | undefined {
  if (answer.bodyText.trim() !== '' && parseJsonOrUndefined(answer.bodyText) !== undefined) return undefined;
  if (answer.bodyText.trim() === '') return `The server answered status ${answer.status} with an empty body instead of JSON.`;
  // Scrubbed before it is cut: a secret cut in two would no longer be recognised.
  const line = firstLine(scrub(answer.bodyText));
  if (looksLikeHtml(answer)) {
    // A page's title ("502 Bad Gateway") says more than its first line ("<html>").
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(scrub(answer.bodyText))?.[1]?.replace(/\s+/g, ' ').trim();
    const what = title ? `Its title: ${title}` : `First line: ${line}`;
    return `The server answered with an HTML page (status ${answer.status}) instead of JSON: a proxy or gateway error? ${what}`;
  }
  const contentType = headerValue(answer.headers, 'content-type') ?? 'none';
  return `The server answered with something that is not JSON (status ${answer.status}, content type ${contentType}). First line: ${line}`;
}

function proxyAuthMessage(environment: string): string {
  return `Proxy authentication required (407): the proxy between this machine and ${environment} refused the request without valid proxy credentials.`;
}

function mayHaveBeenCreated(context: RequestContext): string {
  return context.createsSeries
    ? ' The series may have been created anyway: look for it on the server (e.g. Pull from Server) before creating it again.'
    : '';
}

function saidBy(entries: readonly ApiErrorEntry[], scrub: Scrub): string {
  return entries.length > 0 ? ` Server said: ${listApiErrors(entries, scrub)}.` : '';
}

/** The error for a non-success HTTP answer. */
export function errorFromAnswer(answer: HttpAnswer, context: RequestContext, scrub: Scrub = (text) => text): CouponApiError {
  const { status } = answer;
  const json = parseJsonOrUndefined(answer.bodyText);
  const apiErrors = apiErrorsFrom(json);
  const nonJson = describeNonJson(answer, scrub);
  const retryAfterSeconds = parseRetryAfter(headerValue(answer.headers, 'retry-after'));
  const details: CouponApiErrorDetails = { status, ...(apiErrors.length > 0 ? { apiErrors } : {}) };
  const env = context.environment;

  // These statuses mean the same whatever the body is (a gateway may answer them in HTML).
  if (status === 401) {
    return new CouponApiError('auth', `Authentication failed (401) on ${env}: the credentials were refused.${saidBy(apiErrors, scrub)}`, details);
  }
  if (status === 407) {
    return new CouponApiError('proxy-auth', proxyAuthMessage(env), details);
  }
  if (status === 403) {
    const accessGroup = apiErrors.some((entry) => Number(entry.code) === ACCESS_GROUP_DENIED_CODE);
    const message = accessGroup
      ? `Access denied (403) on ${env}: the user is not in an access group with write access to the coupon resource. Ask an administrator of the org to grant it.${saidBy(apiErrors, scrub)}`
      : `Forbidden (403) on ${env}: the org may not have the coupon series V2 API enabled, or a mandatory field is missing.${saidBy(apiErrors, scrub) || (nonJson ? ` ${nonJson}` : '')}`;
    return new CouponApiError('forbidden', message, details);
  }
  if (status === 415) {
    return new CouponApiError(
      'unsupported-media-type',
      `The server refused the request's content type (415): it expects Content-Type: application/json. A proxy in between may have changed the request.${saidBy(apiErrors, scrub)}`,
      details,
    );
  }
  if (status === 429) {
    const wait = retryAfterSeconds === undefined ? ' Wait a minute and try again.' : ` Retry after ${retryAfterSeconds} s.`;
    return new CouponApiError(
      'rate-limited',
      `Too many requests (429) to ${env}: the API limits how many requests a key may send per minute.${wait}`,
      { ...details, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
    );
  }
  if (status >= 300 && status < 400) {
    const location = headerValue(answer.headers, 'location');
    return new CouponApiError(
      'bad-response',
      `The server redirected the request (${status}${location ? ` to ${redactLocation(scrub(location), context.url)}` : ''}): set the environment's host to the API host itself.`,
      details,
    );
  }
  if (nonJson) {
    return new CouponApiError('bad-response', `${nonJson}${mayHaveBeenCreated(context)}`, details);
  }
  if (status === 404) {
    const message = context.seriesIds?.length
      ? `Coupon series ${context.seriesIds.join(', ')} was not found on ${env} (404).${saidBy(apiErrors, scrub)}`
      : `Not found (404) on ${env}: ${context.method} ${context.url.pathname}. Check the host.${saidBy(apiErrors, scrub)}`;
    return new CouponApiError('not-found', message, details);
  }
  if (status >= 500) {
    const what = status === 503 ? 'The service is unavailable (503)' : `The server failed (${status})`;
    return new CouponApiError(
      'server',
      `${what} on ${env}.${saidBy(apiErrors, scrub)} Try again later; if it keeps failing, contact Capillary support.${mayHaveBeenCreated(context)}`,
      { ...details, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
    );
  }
  const listed = apiErrors.length > 0 ? `: ${listApiErrors(apiErrors, scrub)}` : '';
  return new CouponApiError('validation', `The server rejected the coupon series (${status})${listed}.`, details);
}

/** The error for a 2xx answer that does not have the expected shape. */
export function unexpectedAnswer(answer: HttpAnswer, context: RequestContext, expected: string, scrub: Scrub = (text) => text): CouponApiError {
  const nonJson = describeNonJson(answer, scrub);
  const apiErrors = apiErrorsFrom(parseJsonOrUndefined(answer.bodyText));
  if (!nonJson && apiErrors.length > 0) {
    return new CouponApiError('validation', `The server rejected the request (${answer.status}): ${listApiErrors(apiErrors, scrub)}.`, {
      status: answer.status,
      apiErrors,
    });
  }
  const message = nonJson ?? `The server's answer (status ${answer.status}) is not ${expected}: First line: ${firstLine(scrub(answer.bodyText))}`;
  return new CouponApiError('bad-response', `${message}${mayHaveBeenCreated(context)}`, { status: answer.status });
}

interface ErrorWithCode {
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  message?: unknown;
}

/** The error in a failure's `cause` / aggregate `errors` chain that carries a system or undici code. */
function codedFailure(error: unknown): ErrorWithCode | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as ErrorWithCode;
    if (typeof candidate.code === 'string' && candidate.code !== 'UND_ERR') return candidate;
    current = Array.isArray(candidate.errors) && candidate.errors.length > 0 ? candidate.errors[0] : candidate.cause;
  }
  return undefined;
}

/** The system or undici error code of a failure (`ECONNREFUSED`, `UND_ERR_SOCKET`...), looking through causes. */
export function failureCode(error: unknown): string | undefined {
  return codedFailure(error)?.code as string | undefined;
}

function failureMessage(error: unknown): string {
  const message = (codedFailure(error) ?? (error as ErrorWithCode | undefined))?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
]);

function isTlsCode(code: string): boolean {
  return UNTRUSTED_CERT_CODES.has(code) || /^(CERT_|ERR_TLS_|ERR_SSL_|ERR_OSSL_|UNABLE_TO_)/.test(code) || code === 'UND_ERR_PRX_TLS' || code === 'HOSTNAME_MISMATCH';
}

/** True when the certificate is not trusted (rather than expired or for another host): a re-signing network's CA may be missing. */
export function isUntrustedCertificate(error: CouponApiError): boolean {
  return error.kind === 'tls' && UNTRUSTED_CERT_CODES.has(failureCode(error) ?? '');
}

function tlsExplanation(code: string, host: string): string {
  if (UNTRUSTED_CERT_CODES.has(code)) return 'The certificate is not trusted: the network may re-sign HTTPS traffic (a corporate proxy or gateway).';
  if (code === 'CERT_HAS_EXPIRED') return 'The certificate has expired, or this machine\'s clock is wrong.';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') {
    return `The certificate is not issued for ${host}: check the environment's host name.`;
  }
  return 'Check the host; HTTPS may be intercepted on this network.';
}

export interface FailureCircumstances {
  /** The caller's AbortSignal fired. */
  cancelled: boolean;
  /** The client's own per-request timer fired. */
  timedOut: boolean;
}

/** The error for a request that got no complete HTTP answer. */
export function errorFromFailure(
  error: unknown,
  context: RequestContext,
  circumstances: FailureCircumstances,
  scrub: Scrub = (text) => text,
): CouponApiError {
  const host = context.url.host;
  const code = failureCode(error) ?? '';
  const detail = scrub(failureMessage(error));
  const seconds = Math.round(context.timeoutMs / 100) / 10;
  if (circumstances.cancelled) {
    return new CouponApiError('cancelled', `The request was cancelled.${mayHaveBeenCreated(context)}`, { cause: error });
  }
  if (error instanceof ResponseTooLargeError) {
    return new CouponApiError(
      'too-large',
      `The server's answer is larger than ${formatBytes(error.limitBytes)}: not a coupon series answer (status ${error.status}, ${context.method} ${context.url.pathname}). Reading stopped there.${mayHaveBeenCreated(context)}`,
      { status: error.status, cause: error },
    );
  }
  // undici's answer when a proxy refuses to open a tunnel (CONNECT).
  const proxyStatus = /\bProxy response \((\d{3})\)|Proxy Authentication Required \((407)\)/.exec(detail);
  if (proxyStatus) {
    const proxyCode = Number(proxyStatus[1] ?? proxyStatus[2]);
    if (proxyCode === 407) return new CouponApiError('proxy-auth', proxyAuthMessage(context.environment), { status: 407, cause: error });
    return new CouponApiError('network', `The proxy refused to connect to ${host} (it answered ${proxyCode} to CONNECT).`, { cause: error });
  }
  if (circumstances.timedOut || TIMEOUT_CODES.has(code)) {
    return new CouponApiError(
      'timeout',
      `No answer from ${host} within ${seconds} s (timeout): the server or the network is slow.${mayHaveBeenCreated(context)}`,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new CouponApiError('connection-refused', `Nothing is listening at ${host} (connection refused).`, { cause: error });
  }
  if (DNS_CODES.has(code)) {
    const temporary = code === 'EAI_AGAIN' ? ' (the name server did not answer in time)' : '';
    return new CouponApiError(
      'dns',
      `The host name ${context.url.hostname} could not be resolved (${code})${temporary}: check its spelling, the network connection and the proxy settings.`,
      { cause: error },
    );
  }
  if (isTlsCode(code) || /certificate|ssl|tls/i.test(detail)) {
    return new CouponApiError('tls', `The TLS connection to ${host} failed (${code || 'TLS'}: ${detail}). ${tlsExplanation(code, host)}`, { cause: error });
  }
  return new CouponApiError('network', `The connection to ${host} failed (${code ? `${code}: ` : ''}${detail}).${mayHaveBeenCreated(context)}`, { cause: error });
}
