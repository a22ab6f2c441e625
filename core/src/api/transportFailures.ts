/**
 * Errors for requests that got no complete answer: refused connections, DNS,
 * TLS, proxies, timeouts, cancellation, an answer too large to read. The
 * platform's error (Node, undici) is read through its `cause` chain for a code.
 */
import { CouponApiError, mayHaveBeenCreated, proxyAuthMessage, RequestContext, Scrub } from './errors';
import { formatBytes, ResponseTooLargeError } from './transport';

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
