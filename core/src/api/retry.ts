/**
 * When an idempotent request (GET, PUT) is tried again: after a connection
 * failure or a 429/503, at most twice, with capped exponential backoff or the
 * server's `Retry-After` when it is not too long.
 */
import { CouponApiError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt; capped at 2. */
  maxRetries: number;
  /** Backoff before retry n (0-based) is `baseDelayMs * 2^n`, at most `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer `Retry-After` is not waited for: the error goes to the user with the wait it asks for. */
  maxRetryAfterMs: number;
}

const MAX_RETRIES = 2;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: MAX_RETRIES,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 15_000,
};

/**
 * Kinds of failure after which the request certainly or probably did not take
 * effect and the server may recover. Never retried: what cannot succeed a second
 * time (an answer too large, a proxy wanting credentials, a refusal).
 */
const RETRYABLE_KINDS = new Set<CouponApiError['kind']>(['connection-refused', 'network', 'rate-limited']);

function isRetryable(error: CouponApiError): boolean {
  return RETRYABLE_KINDS.has(error.kind) || (error.kind === 'server' && error.status === 503);
}

/** Milliseconds to wait before retry `retryIndex` (0-based), or undefined when it should not be retried. */
export function retryDelayMs(error: CouponApiError, retryIndex: number, policy: RetryPolicy): number | undefined {
  if (retryIndex >= Math.min(policy.maxRetries, MAX_RETRIES) || !isRetryable(error)) return undefined;
  if (error.retryAfterSeconds !== undefined) {
    const requested = error.retryAfterSeconds * 1000;
    return requested <= policy.maxRetryAfterMs ? requested : undefined;
  }
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
}
