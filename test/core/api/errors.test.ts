import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { md5Hex } from '../../../core/src/api/auth';
import {CouponApiClient, CouponSeriesRequest } from '../../../core/src/api/client';
import { CouponApiErrorKind, RequestContext } from '../../../core/src/api/errors';
import { errorFromFailure } from '../../../core/src/api/transportFailures';
import { Sandbox, SANDBOX_PASSWORD, SANDBOX_READ_ONLY_USERNAME, SandboxFaults, startSandbox } from '../../../core/src/sandbox';
import { basicCredentials, closedPort, collectLog, createTestClient, FAST_RETRY, rejectsWithKind, sampleSeries, ScriptedReply, startScriptedServer } from '../../support/apiSupport';

let sandbox: Sandbox;
let client: CouponApiClient;
let existingId: number;

const ENV = 'Test env';

before(async () => {
  sandbox = await startSandbox();
  client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000, environmentName: ENV, retry: { maxRetries: 0 } });
  existingId = (await client.createSeries({ CouponSeriesV2: sampleSeries() })).id;
});
after(async () => {
  await sandbox.close();
});

function body(overrides: Record<string, unknown> = {}): CouponSeriesRequest {
  return { CouponSeriesV2: { ...sampleSeries(), ...overrides } };
}

interface SandboxCase {
  name: string;
  faults?: SandboxFaults;
  call: (api: CouponApiClient) => Promise<unknown>;
  kind: CouponApiErrorKind;
  status?: number;
  message: RegExp;
  retryAfterSeconds?: number;
  timeoutMs?: number;
}

const sandboxCases: SandboxCase[] = [
  {
    name: '400 lists the v2 error codes and messages',
    call: (api) => api.createSeries(body({ discountType: 'HALF', discountValue: 'ten' })),
    kind: 'validation',
    status: 400,
    message: /^The server rejected the coupon series \(400\): code 8015: CouponSeriesV2\.discountValue: "discountValue" must be an integer.*; code 8015: CouponSeriesV2\.discountType: "HALF" is not a valid discountType/,
  },
  {
    name: '404 on update names the series',
    call: (api) => api.updateSeries(999_999, body({ seriesCode: 'ABC' })),
    kind: 'not-found',
    status: 404,
    message: /^Coupon series 999999 was not found on Test env \(404\)\. Server said: code 707: /,
  },
  {
    name: '404 on get names the series',
    call: (api) => api.getSeries(999_998),
    kind: 'not-found',
    status: 404,
    message: /^Coupon series 999998 was not found on Test env/,
  },
  {
    name: '429 with Retry-After tells when to retry',
    faults: { rateLimit: { count: 1, retryAfterSeconds: 30 } },
    call: (api) => api.getSeries(1),
    kind: 'rate-limited',
    status: 429,
    message: /^Too many requests \(429\) to Test env: .* Retry after 30 s\.$/,
    retryAfterSeconds: 30,
  },
  {
    name: '429 without Retry-After says to wait a minute',
    faults: { rateLimit: { count: 1 } },
    call: (api) => api.createSeries(body()),
    kind: 'rate-limited',
    status: 429,
    message: /Wait a minute and try again\.$/,
  },
  {
    name: '500 is a server error; after a POST the series may exist',
    faults: { status5xx: { count: 1, status: 500 } },
    call: (api) => api.createSeries(body()),
    kind: 'server',
    status: 500,
    message: /^The server failed \(500\) on Test env\. Server said: code 8004: Internal server error\. Try again later.*may have been created anyway/,
  },
  {
    name: '503 is a server error saying unavailable',
    faults: { status5xx: { count: 1 } },
    call: (api) => api.getSeries(1),
    kind: 'server',
    status: 503,
    message: /^The service is unavailable \(503\) on Test env/,
  },
  {
    name: 'an HTML page from a gateway quotes its title',
    faults: { htmlBody: { count: 1 } },
    call: (api) => api.getSeries(1),
    kind: 'bad-response',
    status: 502,
    message: /^The server answered with an HTML page \(status 502\) instead of JSON: a proxy or gateway error\? Its title: 502 Bad Gateway$/,
  },
  {
    name: 'a dropped connection is a network error; after a POST the series may exist',
    faults: { dropConnection: { count: 1 } },
    call: (api) => api.createSeries(body()),
    kind: 'network',
    message: /^The connection to 127\.0\.0\.1:\d+ failed \(.+\)\. The series may have been created anyway/,
  },
  {
    name: 'no answer within the timeout',
    faults: { delayMs: { count: 1, ms: 1_000 } },
    call: (api) => api.getSeries(1),
    kind: 'timeout',
    timeoutMs: 200,
    message: /^No answer from 127\.0\.0\.1:\d+ within 0\.2 s \(timeout\): the server or the network is slow\.$/,
  },
  {
    name: 'a timed-out POST may still have created the series',
    faults: { delayMs: { count: 1, ms: 1_000 } },
    call: (api) => api.createSeries(body()),
    kind: 'timeout',
    timeoutMs: 200,
    message: /\(timeout\).*The series may have been created anyway/,
  },
];

for (const testCase of sandboxCases) {
  test(`error: ${testCase.name}`, async () => {
    sandbox.setFaults(testCase.faults ?? {});
    const api = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: testCase.timeoutMs ?? 2_000, environmentName: ENV, retry: { maxRetries: 0 } });
    const error = await rejectsWithKind(testCase.call(api), testCase.kind);
    assert.match(error.message, testCase.message);
    assert.equal(error.status, testCase.status);
    assert.equal(error.retryAfterSeconds, testCase.retryAfterSeconds);
    sandbox.setFaults({});
  });
}

test('error: 403 access-group denial (errorCode 4000)', async () => {
  const readOnly = createTestClient({
    baseUrl: sandbox.url,
    credentials: { kind: 'basic', username: SANDBOX_READ_ONLY_USERNAME, passwordMd5: md5Hex(SANDBOX_PASSWORD) },
    timeoutMs: 2_000,
    environmentName: ENV,
  });
  assert.equal((await readOnly.getSeries(existingId)).length, 1, 'reading is allowed');
  const error = await rejectsWithKind(readOnly.createSeries(body()), 'forbidden');
  assert.equal(error.status, 403);
  assert.match(error.message, /^Access denied \(403\) on Test env: the user is not in an access group .* Server said: code 4000: Not authorized\. Access is denied!\.$/);
});

interface ScriptedCase {
  name: string;
  reply: ScriptedReply;
  kind: CouponApiErrorKind;
  message: RegExp;
}

const scriptedCases: ScriptedCase[] = [
  {
    name: '403 without the access-group code suggests V2 not enabled',
    reply: { status: 403, body: '{"warnings": [], "errors": [{"status": false, "code": 1234, "message": "V2 not enabled"}]}' },
    kind: 'forbidden',
    message: /^Forbidden \(403\) on Test env: the org may not have the coupon series V2 API enabled.* Server said: code 1234: V2 not enabled\.$/,
  },
  {
    name: '415 explains the content type',
    reply: { status: 415, body: '' },
    kind: 'unsupported-media-type',
    message: /^The server refused the request's content type \(415\): it expects Content-Type: application\/json/,
  },
  {
    name: 'a 200 that is not JSON quotes what came back',
    reply: { status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK\nsecond line' },
    kind: 'bad-response',
    message: /^The server answered with something that is not JSON \(status 200, content type text\/plain\)\. First line: OK$/,
  },
  {
    name: 'a 200 JSON that is not a series',
    reply: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"hello": "world"}' },
    kind: 'bad-response',
    message: /^The server's answer \(status 200\) is not a list of series/,
  },
  {
    name: 'a redirect asks for the API host itself',
    reply: { status: 301, headers: { location: 'https://www.example.com/' }, body: '' },
    kind: 'bad-response',
    message: /^The server redirected the request \(301 to https:\/\/www\.example\.com\/\)/,
  },
  {
    name: 'a 404 HTML page is a bad response, not a missing series',
    reply: { status: 404, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html>\n<html><body>Not Found</body></html>' },
    kind: 'bad-response',
    message: /HTML page \(status 404\).*First line: <!DOCTYPE html>$/,
  },
];

for (const testCase of scriptedCases) {
  test(`error: ${testCase.name}`, async () => {
    const server = await startScriptedServer(testCase.reply);
    try {
      const api = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 2_000, environmentName: ENV });
      const error = await rejectsWithKind(api.getSeries(5), testCase.kind);
      assert.match(error.message, testCase.message);
      assert.equal(error.status, testCase.reply.status);
    } finally {
      await server.close();
    }
  });
}

test('error: connection refused on a closed port (GET tried 3 times)', async () => {
  const port = await closedPort();
  const { lines, log } = collectLog();
  const api = createTestClient({ baseUrl: `http://127.0.0.1:${port}`, credentials: basicCredentials(), timeoutMs: 2_000, retry: FAST_RETRY, log });
  const error = await rejectsWithKind(api.getSeries(1), 'connection-refused');
  assert.equal(error.message, `Nothing is listening at 127.0.0.1:${port} (connection refused).`);
  assert.equal(lines.filter((line) => line.startsWith('--> GET')).length, 3);
  assert.ok(lines.some((line) => /^<-x GET .* failed after \d+ ms: connection-refused \(ECONNREFUSED\)$/.test(line)), lines.join('\n'));
});

test('error: an unresolvable host (.invalid) is a DNS error, and fails fast', async () => {
  const api = createTestClient({ baseUrl: 'coupon-series-test.invalid', credentials: basicCredentials(), timeoutMs: 5_000 });
  const started = Date.now();
  const error = await rejectsWithKind(api.getSeries(1), 'dns');
  assert.ok(Date.now() - started < 5_000);
  assert.match(error.message, /^The host name coupon-series-test\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\)/);
});

test('error: cancelling a request in flight', async () => {
  sandbox.setFaults({ delayMs: { count: 1, ms: 1_000 } });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  const error = await rejectsWithKind(client.getSeries(existingId, { signal: controller.signal }), 'cancelled');
  assert.ok(Date.now() - started < 800, 'returns promptly');
  assert.equal(error.message, 'The request was cancelled.');
  sandbox.setFaults({});
});

test('error: an already-aborted signal sends nothing', async () => {
  const before = sandbox.state().requestCount;
  await rejectsWithKind(client.getSeries(existingId, { signal: AbortSignal.abort() }), 'cancelled');
  assert.equal(sandbox.state().requestCount, before);
});

test('error mapping of low-level failures by code (through cause chains)', () => {
  const context: RequestContext = { environment: ENV, method: 'GET', url: new URL('https://eu.api.capillarytech.com/v2/coupon/series'), timeoutMs: 30_000 };
  const failure = (code: string, message = `${code} failure`) => Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error(message), { code }) });
  const cases: [error: unknown, kind: CouponApiErrorKind, message: RegExp][] = [
    [failure('ECONNREFUSED'), 'connection-refused', /^Nothing is listening at eu\.api\.capillarytech\.com \(connection refused\)\.$/],
    [failure('ENOTFOUND'), 'dns', /eu\.api\.capillarytech\.com could not be resolved \(ENOTFOUND\)/],
    [failure('EAI_AGAIN'), 'dns', /did not answer in time/],
    [failure('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'tls', /self-signed certificate in certificate chain\)\. The certificate is not trusted: the network may re-sign HTTPS traffic/],
    [failure('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), 'tls', /The certificate is not trusted/],
    [failure('CERT_HAS_EXPIRED'), 'tls', /has expired, or this machine's clock is wrong/],
    [failure('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', /not issued for eu\.api\.capillarytech\.com/],
    [failure('UND_ERR_CONNECT_TIMEOUT'), 'timeout', /within 30 s \(timeout\)/],
    [failure('UND_ERR_HEADERS_TIMEOUT'), 'timeout', /timeout/],
    [failure('ECONNRESET', 'socket hang up'), 'network', /failed \(ECONNRESET: socket hang up\)/],
    [Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:80'), { code: 'ECONNREFUSED' })]), {}), 'connection-refused', /connection refused/],
  ];
  for (const [error, kind, message] of cases) {
    const mapped = errorFromFailure(error, context, { cancelled: false, timedOut: false });
    assert.equal(mapped.kind, kind, String((error as Error).cause ?? error));
    assert.match(mapped.message, message);
  }
  assert.equal(errorFromFailure(failure('ECONNRESET'), context, { cancelled: true, timedOut: true }).kind, 'cancelled', 'the caller cancelling wins');
});
