/** The coupon series API client and what it needs: auth, transport, errors, redaction. */
export * from './auth';
export * from './client';
export { CouponApiError } from './errors';
export type { ApiErrorEntry, CouponApiErrorDetails, CouponApiErrorKind, RequestContext, Scrub } from './errors';
export * from './answerErrors';
export * from './transportFailures';
export { checkBaseUrl, isLoopbackHost } from './hosts';
export * from './redact';
export { DEFAULT_RETRY_POLICY } from './retry';
export type { RetryPolicy } from './retry';
export { MAX_RESPONSE_BYTES, ResponseTooLargeError } from './transport';
export type { HttpRequest, HttpResponse, HttpTransport } from './transport';
export { parseBaseUrl } from './url';
