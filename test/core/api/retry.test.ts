import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import {CouponApiClient } from '../../../core/src/api/client';
import { parseRetryAfter } from '../../../core/src/api/answerErrors';
import { CouponApiError, CouponApiErrorKind } from '../../../core/src/api/errors';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../../core/src/api/retry';
import { Sandbox, startSandbox } from '../../../core/src/sandbox';
import { basicCredentials, collectLog, createTestClient, FAST_RETRY, rejectsWithKind, sampleSeries } from '../../support/apiSupport';

let sandbox: Sandbox;
let client: CouponApiClient;
let existingId: number;
let existingCode: string;

before(async () => {
  sandbox = await startSandbox();
  client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000, retry: FAST_RETRY });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  existingId = created.id;
  existingCode = String(created.seriesCode);
});
after(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.setFaults({}));

/** Runs `action` and returns how many requests and new series it caused. */
async function counting(action: () => Promise<unknown>): Promise<{ requests: number; newSeries: number; outcome: unknown }> {
  const before = sandbox.state();
  const outcome = await action().catch((error: unknown) => error);
  const after = sandbox.state();
  return { requests: after.requestCount - before.requestCount, newSeries: after.seriesCount - before.seriesCount, outcome };
}

function assertKind(outcome: unknown, kind: CouponApiErrorKind): void {
  assert.ok(outcome instanceof CouponApiError, `expected an error, got ${JSON.stringify(outcome)?.slice(0, 80)}`);
  assert.equal(outcome.kind, kind, outcome.message);
}

test('POST is never re-sent: a connection dropped after the server created the series leaves exactly one', async () => {
  const fresh = await startSandbox({ faults: { dropConnection: { count: 1, method: 'POST', afterProcessing: true } } });
  try {
    const api = createTestClient({ baseUrl: fresh.url, credentials: basicCredentials(), timeoutMs: 2_000, retry: FAST_RETRY });
    await rejectsWithKind(api.createSeries({ CouponSeriesV2: sampleSeries() }), 'network');
    assert.deepEqual(fresh.state(), { seriesCount: 1, requestCount: 1, faults: {} });
  } finally {
    await fresh.close();
  }
});

const postFaults: [name: string, faults: Parameters<Sandbox['setFaults']>[0], kind: CouponApiErrorKind][] = [
  ['a transient 503', { status5xx: { count: 1, status: 503 } }, 'server'],
  ['a 429 asking to retry at once', { rateLimit: { count: 1, retryAfterSeconds: 0 } }, 'rate-limited'],
  ['a dropped connection before processing', { dropConnection: { count: 1 } }, 'network'],
];

for (const [name, faults, kind] of postFaults) {
  test(`POST is never retried after ${name}`, async () => {
    sandbox.setFaults(faults);
    const { requests, newSeries, outcome } = await counting(() => client.createSeries({ CouponSeriesV2: sampleSeries() }));
    assertKind(outcome, kind);
    assert.equal(requests, 1);
    assert.equal(newSeries, 0);
  });
}

const idempotentRecoveries: [name: string, faults: Parameters<Sandbox['setFaults']>[0], requests: number][] = [
  ['GET after one 503', { status5xx: { count: 1, method: 'GET' } }, 2],
  ['GET after two 503s', { status5xx: { count: 2, method: 'GET' } }, 3],
  ['GET after a dropped connection', { dropConnection: { count: 1, method: 'GET' } }, 2],
  ['GET after a 429 without Retry-After', { rateLimit: { count: 1, method: 'GET' } }, 2],
  ['PUT after one 503', { status5xx: { count: 1, method: 'PUT' } }, 2],
  ['PUT after a dropped connection', { dropConnection: { count: 1, method: 'PUT' } }, 2],
];

for (const [name, faults, expectedRequests] of idempotentRecoveries) {
  test(`retried and successful: ${name}`, async () => {
    sandbox.setFaults(faults);
    const call = name.startsWith('GET')
      ? () => client.getSeries(existingId)
      : () => client.updateSeries(existingId, { CouponSeriesV2: { ...sampleSeries(), seriesCode: existingCode } });
    const { requests, outcome } = await counting(call);
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.equal(requests, expectedRequests);
  });
}

test('at most two retries: a third 503 reaches the caller', async () => {
  sandbox.setFaults({ status5xx: { count: 3, method: 'PUT' } });
  const { requests, outcome } = await counting(() => client.updateSeries(existingId, { CouponSeriesV2: { ...sampleSeries(), seriesCode: existingCode } }));
  assertKind(outcome, 'server');
  assert.equal(requests, 3);
});

test('a 500 is not retried (only 503 and 429 are)', async () => {
  sandbox.setFaults({ status5xx: { count: 1, status: 500 } });
  const { requests, outcome } = await counting(() => client.getSeries(existingId));
  assertKind(outcome, 'server');
  assert.equal(requests, 1);
});

test('Retry-After is honoured before the retry', async () => {
  sandbox.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
  const { lines, log } = collectLog();
  const api = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000, retry: FAST_RETRY, log });
  const started = Date.now();
  const found = await api.getSeries(existingId);
  assert.equal(found[0].id, existingId);
  assert.ok(Date.now() - started >= 950, 'waited about a second');
  assert.ok(lines.some((line) => /^retry 1 of GET .* in 1000 ms after rate-limited \(429\)$/.test(line)), lines.join('\n'));
});

test('a Retry-After longer than the cap is not waited for', async () => {
  sandbox.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 120 } });
  const { requests, outcome } = await counting(() => client.getSeries(existingId));
  assertKind(outcome, 'rate-limited');
  assert.equal((outcome as CouponApiError).retryAfterSeconds, 120);
  assert.equal(requests, 1);
});

test('cancelling during the backoff wait stops at once', async () => {
  sandbox.setFaults({ status5xx: { count: 5, method: 'GET' } });
  const api = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000, retry: { baseDelayMs: 5_000, maxDelayMs: 5_000 } });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await rejectsWithKind(api.getSeries(existingId, { signal: controller.signal }), 'cancelled');
  assert.ok(Date.now() - started < 1_000);
});

test('retry delays: capped exponential backoff, Retry-After within bounds, retryable kinds only', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 1_500, maxRetryAfterMs: 10_000 };
  const unavailable = new CouponApiError('server', '', { status: 503 });
  const cases: [error: CouponApiError, retryIndex: number, delay: number | undefined][] = [
    [unavailable, 0, 500],
    [unavailable, 1, 1_000],
    [unavailable, 2, undefined],
    [new CouponApiError('connection-refused', ''), 0, 500],
    [new CouponApiError('network', ''), 1, 1_000],
    [new CouponApiError('rate-limited', '', { status: 429, retryAfterSeconds: 7 }), 0, 7_000],
    [new CouponApiError('rate-limited', '', { status: 429, retryAfterSeconds: 11 }), 0, undefined],
    [new CouponApiError('server', '', { status: 500 }), 0, undefined],
    [new CouponApiError('timeout', ''), 0, undefined],
    [new CouponApiError('dns', ''), 0, undefined],
    [new CouponApiError('validation', '', { status: 400 }), 0, undefined],
  ];
  for (const [error, retryIndex, delay] of cases) assert.equal(retryDelayMs(error, retryIndex, policy), delay, `${error.kind} ${error.status} #${retryIndex}`);
  assert.equal(retryDelayMs(unavailable, 1, { ...policy, baseDelayMs: 1_000 }), 1_500, 'capped');
  assert.equal(retryDelayMs(unavailable, 2, { ...policy, maxRetries: 10 }), undefined, 'never more than two retries');
});

test('Retry-After parsing: seconds, HTTP dates, garbage', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const cases: [value: string | undefined, seconds: number | undefined][] = [
    ['5', 5],
    [' 0 ', 0],
    ['Tue, 01 Jan 2030 00:00:30 GMT', 30],
    ['Mon, 31 Dec 2029 23:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, seconds] of cases) assert.equal(parseRetryAfter(value, now), seconds, String(value));
});
