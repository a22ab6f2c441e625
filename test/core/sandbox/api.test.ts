import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { request } from 'undici';
import { basicAuthorization } from '../../../core/src/api/auth';
import { controlHeaders, Sandbox, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { basicCredentials, createTestClient, rejectsWithKind, sampleSeries, SANDBOX_PASSWORD_MD5 } from '../../support/apiSupport';

let sandbox: Sandbox;
let directory: string;

before(async () => {
  sandbox = await startSandbox();
  directory = await mkdtemp(join(tmpdir(), 'coupon-sandbox-'));
});
after(async () => {
  await sandbox.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => sandbox.setFaults({}));

const AUTH = basicAuthorization(SANDBOX_USERNAME, SANDBOX_PASSWORD_MD5);

/** A raw request to the sandbox, for what the client never sends (wrong content type, no auth...). */
async function raw(method: 'GET' | 'POST' | 'PUT', path: string, options: { body?: string; headers?: Record<string, string> } = {}) {
  const response = await request(`${sandbox.url}${path}`, { method, body: options.body, headers: { 'content-type': 'application/json', authorization: AUTH, ...options.headers } });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

function seriesBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ CouponSeriesV2: { ...sampleSeries(), ...overrides } });
}

test('v2 error bodies for 400, 401, 404, 415 and the access-group 403', async () => {
  const cases: [name: string, call: () => ReturnType<typeof raw>, status: number, code: number, message: RegExp][] = [
    ['no credentials', () => raw('GET', '/v2/coupon/series?ids=1', { headers: { authorization: '' } }), 401, 8001, /Authentication failed/],
    ['plain password instead of its md5', () => raw('GET', '/v2/coupon/series?ids=1', { headers: { authorization: basicAuthorization(SANDBOX_USERNAME, 'sandbox123') } }), 401, 8001, /Authentication failed/],
    ['wrong content type', () => raw('POST', '/v2/coupon/series', { body: seriesBody(), headers: { 'content-type': 'text/plain' } }), 415, 8002, /Content-Type must be application\/json/],
    ['body that is not JSON', () => raw('POST', '/v2/coupon/series', { body: '{"CouponSeriesV2": ' }), 400, 8015, /not valid JSON/],
    ['a value that is not a documented one, with its path', () => raw('POST', '/v2/coupon/series', { body: seriesBody({ discountType: 'HALF' }) }), 400, 8015, /^CouponSeriesV2\.discountType: "HALF" is not a valid discountType \(supported: ABS, PERC\)\.$/],
    ['create without validTillDate', () => raw('POST', '/v2/coupon/series', { body: seriesBody({ validTillDate: undefined }) }), 400, 8015, /validTillDate is required to create/],
    ['update of an unknown id', () => raw('PUT', '/v2/coupon/series/424242', { body: seriesBody({ seriesCode: 'X' }) }), 404, 707, /Coupon series id is invalid/],
    ['get of an unknown id', () => raw('GET', '/v2/coupon/series?ids=424242'), 404, 707, /Coupon series id is invalid/],
    ['get without ids', () => raw('GET', '/v2/coupon/series'), 400, 8015, /\?ids=/],
    ['unknown endpoint', () => raw('GET', '/v1/nothing'), 404, 8003, /No endpoint GET \/v1\/nothing/],
  ];
  for (const [name, call, status, code, message] of cases) {
    const answer = await call();
    assert.equal(answer.status, status, name);
    const errors = answer.json.errors as { status: boolean; code: number; message: string }[];
    assert.deepEqual(answer.json.warnings, [], name);
    assert.equal(errors[0].status, false, name);
    assert.equal(errors[0].code, code, name);
    assert.match(errors[0].message, message, name);
  }
  const denied = await raw('POST', '/v2/coupon/series', { body: seriesBody(), headers: { authorization: basicAuthorization('sandbox.viewer', SANDBOX_PASSWORD_MD5) } });
  assert.equal(denied.status, 403);
  assert.deepEqual(denied.json, { errorCode: 4000, message: 'Not authorized. Access is denied!' });
});

test('update: the mandatory list, maxCreate above the issued count; the body\'s id and seriesCode are not compared (the docs do not say)', async () => {
  const created = (await raw('POST', '/v2/coupon/series', { body: seriesBody({ info: 'first' }) })).json;
  const id = created.id as number;
  const code = created.seriesCode as string;
  const missing = await raw('PUT', `/v2/coupon/series/${id}`, { body: seriesBody({ info: 'second' }) });
  assert.equal(missing.status, 403, 'seriesCode is on the mandatory list');
  assert.deepEqual(missing.json.errors, [{ status: false, code: 8016, message: 'Mandatory field missing: CouponSeriesV2.seriesCode.' }]);
  const tooFew = await raw('PUT', `/v2/coupon/series/${id}`, { body: seriesBody({ seriesCode: code, maxCreate: 0 }) });
  assert.equal(tooFew.status, 400);
  assert.match((tooFew.json.errors as { message: string }[])[0].message, /"maxCreate" \(0\) must be greater than the number of coupons already issued \(0\)/);
  const otherIds = await raw('PUT', `/v2/coupon/series/${id}`, { body: seriesBody({ id: id + 1, seriesCode: 'NOT-THE-CODE', info: 'third' }) });
  assert.equal(otherIds.status, 200, 'the path names the series');
  assert.deepEqual([otherIds.json.id, otherIds.json.seriesCode, otherIds.json.info], [id, code, 'third']);
});

test('update of omitted fields: reset by default (a full replace), kept with updateMode "merge"', async () => {
  for (const [updateMode, expected] of [['replace', undefined], ['merge', 'first']] as const) {
    const custom = await startSandbox({ updateMode });
    try {
      const call = (method: 'POST' | 'PUT', path: string, body: string) =>
        request(`${custom.url}${path}`, { method, body, headers: { 'content-type': 'application/json', authorization: AUTH } }).then(async (answer) => (await answer.body.json()) as Record<string, unknown>);
      const created = await call('POST', '/v2/coupon/series', seriesBody({ info: 'first', maxCreate: 7 }));
      const updated = await call('PUT', `/v2/coupon/series/${String(created.id)}`, seriesBody({ seriesCode: created.seriesCode, info: undefined, maxCreate: 9 }));
      assert.equal(updated.info, expected, updateMode);
      assert.equal(updated.maxCreate, 9, updateMode);
    } finally {
      await custom.close();
    }
  }
});

test('a create body carrying an id gets a new id all the same (the server assigns ids)', async () => {
  const answer = await raw('POST', '/v2/coupon/series', { body: seriesBody({ id: 5, seriesCode: 'X', orgId: 1 }) });
  assert.equal(answer.status, 200);
  assert.notEqual(answer.json.id, 5);
  assert.notEqual(answer.json.seriesCode, 'X');
  assert.equal(answer.json.orgId, 100458);
});

test('create answers like the real API: ids, UTC dates, counters, non-echoed fields left out', async () => {
  const answer = await raw('POST', '/v2/coupon/series', { body: seriesBody({ clientHandlingType: 'GENERIC', genericCode: 'SAVE10', maxCreate: 100 }) });
  assert.equal(answer.status, 200);
  const series = answer.json;
  assert.match(String(series.seriesCode), /^[0-9A-F]{20}$/);
  assert.equal(series.orgId, 100458);
  assert.equal(series.validTillDate, '2030-09-29T18:30:00Z');
  assert.equal(series.redemptionValidFrom, '2024-12-31T18:30:00Z');
  assert.match(String(series.createdOn), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(series.numIssued, 0);
  assert.deepEqual(series.warnings, []);
  for (const field of ['productInfo', 'redemptionOrgEntityDetails', 'genericCode']) assert.ok(!(field in series), field);
  assert.deepEqual(series.customPropertyMap, { standard_terms_and_conditions: 'terms and conditions' }, 'custom properties the org does not know are dropped');
  const both = await raw('GET', `/v2/coupon/series?ids=${String(series.id)}&ids=999999`);
  assert.deepEqual((both.json.entity as { id: number }[]).map((entry) => entry.id), [series.id]);
});

test('orgId and token lifetime are configurable', async () => {
  const custom = await startSandbox({ orgId: 7, tokenTtlSeconds: 42 });
  try {
    const token = await request(`${custom.url}/v3/oauth/token/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"key": "sandbox-key", "secret": "sandbox-secret"}' });
    assert.equal(((await token.body.json()) as { data: { ttlSeconds: number } }).data.ttlSeconds, 42);
    const client = createTestClient({ baseUrl: custom.url, credentials: basicCredentials(), timeoutMs: 2_000 });
    assert.equal((await client.createSeries({ CouponSeriesV2: sampleSeries() })).orgId, 7);
  } finally {
    await custom.close();
  }
});

test('control endpoints: state and faults, with validation', async () => {
  const state = await request(`${sandbox.url}/__sandbox/state`, { headers: controlHeaders() });
  const before = (await state.body.json()) as { seriesCount: number; requestCount: number; faults: object };
  assert.deepEqual(before.faults, {});
  assert.equal(before.requestCount, sandbox.state().requestCount, 'control requests are not counted');

  const set = await request(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: controlHeaders(), body: JSON.stringify({ status5xx: { count: 2, method: 'get' }, htmlBody: null }) });
  assert.equal(set.statusCode, 200);
  assert.deepEqual(((await set.body.json()) as { faults: object }).faults, { status5xx: { count: 2, method: 'GET' } });

  assert.equal((await raw('POST', '/v2/coupon/series', { body: seriesBody() })).status, 200, 'a POST is not matched by a GET fault');
  assert.equal((await raw('GET', '/v2/coupon/series?ids=1001')).status, 503);
  assert.deepEqual(sandbox.state().faults, { status5xx: { count: 1, method: 'GET' } }, 'counted down');
  assert.equal((await raw('GET', '/v2/coupon/series?ids=1001')).status, 503);
  assert.deepEqual(sandbox.state().faults, {}, 'switched off when used up');

  const invalid: [body: string, message: RegExp][] = [
    ['{"explode": {}}', /Unknown fault "explode"/],
    ['{"status5xx": {"status": 502}}', /must be 500 or 503/],
    ['{"delayMs": {}}', /"delayMs.ms" must be/],
    ['{"rateLimit": {"count": 0}}', /positive integer/],
    ['{"htmlBody": {"colour": "red"}}', /unknown option "colour"/],
    ['[]', /must be a JSON object/],
    ['not json', /JSON/],
  ];
  for (const [body, message] of invalid) {
    const answer = await request(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: controlHeaders(), body });
    assert.equal(answer.statusCode, 400, body);
    assert.match(((await answer.body.json()) as { errors: { message: string }[] }).errors[0].message, message, body);
  }
});

test('faults: path scoping, delay, rate limit headers, HTML page, dropped connection', async () => {
  sandbox.setFaults({ rateLimit: { count: 1, path: '/v3/', retryAfterSeconds: 9 } });
  assert.equal((await raw('GET', '/v2/coupon/series?ids=1001')).status, 200, 'another path is untouched');
  const limited = await raw('POST', '/v3/oauth/token/generate', { body: '{}' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers['retry-after'], '9');

  sandbox.setFaults({ delayMs: { count: 1, ms: 300 } });
  const started = Date.now();
  await raw('GET', '/v2/coupon/series?ids=1001');
  assert.ok(Date.now() - started >= 290);

  sandbox.setFaults({ htmlBody: { count: 1 } });
  const page = await request(`${sandbox.url}/v2/coupon/series?ids=1001`, { headers: { authorization: AUTH } });
  assert.equal(page.statusCode, 502);
  assert.match(String(page.headers['content-type']), /text\/html/);
  assert.match(await page.body.text(), /^<html>/);

  sandbox.setFaults({ dropConnection: { count: 1 } });
  await assert.rejects(raw('GET', '/v2/coupon/series?ids=1001'), (error: Error & { code?: string }) => error.code === 'UND_ERR_SOCKET');
});

test('persistence: series survive a restart; writes are atomic; ids keep increasing', async () => {
  const dataFile = join(directory, 'nested', 'series.json');
  const first = await startSandbox({ dataFile });
  const client = createTestClient({ baseUrl: first.url, credentials: basicCredentials(), timeoutMs: 2_000 });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  await client.updateSeries(created.id, { CouponSeriesV2: { ...sampleSeries(), seriesCode: created.seriesCode, description: 'persisted' } });
  await first.close();
  assert.deepEqual(await readdir(join(directory, 'nested')), ['series.json'], 'no temporary files left behind');
  const onDisk = JSON.parse(await readFile(dataFile, 'utf8')) as { nextId: number; series: { id: number }[] };
  assert.equal(onDisk.series[0].id, created.id);

  const second = await startSandbox({ dataFile });
  try {
    const again = createTestClient({ baseUrl: second.url, credentials: basicCredentials(), timeoutMs: 2_000 });
    const [series] = await again.getSeries(created.id);
    assert.equal(series.description, 'persisted');
    assert.equal(series.seriesCode, created.seriesCode);
    assert.ok((await again.createSeries({ CouponSeriesV2: sampleSeries() })).id > created.id);
    assert.equal(second.state().seriesCount, 2);
  } finally {
    await second.close();
  }
});

test('a data file that is not sandbox data is refused, not overwritten', async () => {
  const dataFile = join(directory, 'other.json');
  await writeFile(dataFile, '{"mine": true}');
  await assert.rejects(startSandbox({ dataFile }), /is not sandbox data .*missing "nextIds" or "series"/);
  assert.equal(await readFile(dataFile, 'utf8'), '{"mine": true}');
});

test('faults given at start apply from the first request', async () => {
  const faulty = await startSandbox({ faults: { status5xx: { count: 1, status: 500 } } });
  try {
    const client = createTestClient({ baseUrl: faulty.url, credentials: basicCredentials(), timeoutMs: 2_000 });
    await rejectsWithKind(client.getSeries(1), 'server');
    assert.deepEqual(faulty.state(), { seriesCount: 0, requestCount: 1, faults: {} });
  } finally {
    await faulty.close();
  }
});
