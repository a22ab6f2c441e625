/** Shared helpers for the API tests: a valid series, credentials, scripted servers, closed ports. */
import assert from 'node:assert/strict';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Credentials, md5Hex } from '../../core/src/api/auth';
import { CouponApiClient, CouponApiClientOptions, createCouponApiClient, CouponSeries } from '../../core/src/api/client';
import { createUndiciTransport } from '../../core/src/node/httpTransport';
import { CouponApiError, CouponApiErrorKind } from '../../core/src/api/errors';
import type { RetryPolicy } from '../../core/src/api/retry';
import { SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../../core/src/sandbox';

/** A series the project's validator accepts (the vendor's create example, dated in the future). */
export function sampleSeries(): CouponSeries {
  return {
    customPropertyMap: { milestone: 'custom property 1', standard_terms_and_conditions: 'terms and conditions' },
    description: 'DIWALI 10% OFF',
    discountCode: 'XYZ123',
    validTillDate: '2030-09-30T00:00:00+05:30',
    expiryStrategyValue: 1,
    maxCreate: -1,
    maxRedeem: -1,
    anyUser: false,
    sameUserMultipleRedeem: false,
    isValidWithDiscountedItem: true,
    smsTemplate: 'Hi {{first_name}}, your voucher code {{voucher}} is valid {{valid_days_from_create}} days.',
    isSMSDisabled: false,
    mutualExclusiveSeriesIds: '[]',
    maxVouchersPerUser: 1,
    discountValue: 10,
    redemptionRange: '{"dom": [-1], "dow": [-1], "hours": [-1]}',
    redemptionValidFrom: '2025-01-01T00:00:00+05:30',
    productInfo: [{ productType: 'SKU', productIds: [30, 40] }],
    redemptionOrgEntityDetails: [{ redemptionOrgEntityType: 'STORE', orgEntityId: 40 }],
    clientHandlingType: 'DISC_CODE',
    expiryStrategyType: 'SERIES_EXPIRY',
    discountType: 'PERC',
  };
}

export const SANDBOX_PASSWORD_MD5 = md5Hex(SANDBOX_PASSWORD);

export function basicCredentials(): Credentials {
  return { kind: 'basic', username: SANDBOX_USERNAME, passwordMd5: SANDBOX_PASSWORD_MD5 };
}

export function oauthCredentials(clientSecret = SANDBOX_CLIENT_SECRET): Credentials {
  return { kind: 'oauth', clientKey: SANDBOX_CLIENT_KEY, clientSecret };
}

/** An API client on the CLI's network (undici), as the tests need it. */
export function createTestClient(options: Omit<CouponApiClientOptions, 'transport'> & { transport?: CouponApiClientOptions['transport'] }): CouponApiClient {
  return createCouponApiClient({ transport: createUndiciTransport(), ...options });
}

/** Retries fast enough for tests, with the same shape as the real policy. */
export const FAST_RETRY: Partial<RetryPolicy> = { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 2_000 };

export function collectLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/** Awaits a rejection with a `CouponApiError` of `kind` and returns it for further checks. */
export async function rejectsWithKind(promise: Promise<unknown>, kind: CouponApiErrorKind): Promise<CouponApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CouponApiError, `expected a CouponApiError, got ${String(error)}`);
    assert.equal(error.kind, kind, `expected kind ${kind}, got ${error.kind}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a ${kind} error, but the call succeeded`);
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A server on 127.0.0.1 answering every request with `reply`, recording what it received. */
export async function startScriptedServer(reply: ScriptedReply): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(reply.status, reply.headers);
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
