/**
 * Errors from what the server answered: a status that is not a success, or a
 * success whose body is not what the endpoint returns. The API's own error
 * entries are quoted (scrubbed of credentials), a gateway's HTML page is
 * recognised as such.
 */
import { isJsonObject, parseJsonOrUndefined } from '../util';
import { ApiErrorEntry, CouponApiError, CouponApiErrorDetails, mayHaveBeenCreated, proxyAuthMessage, RequestContext, Scrub } from './errors';
import { redactLocation } from './redact';

/** A complete HTTP answer that was not a success. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

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
