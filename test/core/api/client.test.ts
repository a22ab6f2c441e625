import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {CouponApiClient } from '../../../core/src/api/client';
import { CouponApiError } from '../../../core/src/api/errors';
import { parseBaseUrl } from '../../../core/src/api/url';
import { Sandbox, startSandbox } from '../../../core/src/sandbox';
import { basicCredentials, createTestClient, oauthCredentials, sampleSeries, startScriptedServer } from '../../support/apiSupport';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});

test('base URLs: bare hosts get https, http only to loopback', () => {
  const accepted: [input: string, href: string][] = [
    ['eu.api.capillarytech.com', 'https://eu.api.capillarytech.com/'],
    ['  https://eucrm.cc.capillarytech.com/  ', 'https://eucrm.cc.capillarytech.com/'],
    ['https://gateway.example.com/capillary/', 'https://gateway.example.com/capillary/'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://127.4.5.6', 'http://127.4.5.6/'],
    ['http://localhost:3000', 'http://localhost:3000/'],
    ['http://[::1]:3000', 'http://[::1]:3000/'],
    ['127.0.0.1:9', 'https://127.0.0.1:9/'],
  ];
  for (const [input, href] of accepted) assert.equal(parseBaseUrl(input).href, href, input);

  const refused: [input: string, message: RegExp][] = [
    ['http://eu.api.capillarytech.com', /Refusing plain HTTP to eu\.api\.capillarytech\.com.*https:\/\/eu\.api\.capillarytech\.com/],
    ['http://10.0.0.1', /Refusing plain HTTP/],
    ['http://128.0.0.1', /Refusing plain HTTP/],
    ['ftp://files.example.com', /Unsupported scheme "ftp:"/],
    ['https://user:hunter22@eu.api.capillarytech.com', /user name or password written into it/],
    ['', /No host is configured/],
    ['https://exa mple.com', /not a host name or URL/],
  ];
  for (const [input, message] of refused) {
    assert.throws(
      () => parseBaseUrl(input),
      (error: unknown) => error instanceof CouponApiError && error.kind === 'insecure-url' && message.test(error.message) && !error.message.includes('hunter22'),
      input,
    );
  }
});

test('creating a client for plain HTTP to a remote host throws insecure-url', () => {
  assert.throws(
    () => createTestClient({ baseUrl: 'http://eu.api.capillarytech.com', credentials: basicCredentials(), timeoutMs: 1_000 }),
    (error: unknown) => error instanceof CouponApiError && error.kind === 'insecure-url',
  );
});

for (const [label, credentials] of [
  ['basic', basicCredentials()],
  ['oauth', oauthCredentials()],
] as const) {
  test(`create, update, get with ${label} auth`, async () => {
    const client: CouponApiClient = createTestClient({ baseUrl: sandbox.url, credentials, timeoutMs: 5_000 });
    const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
    assert.ok(Number.isInteger(created.id) && created.id >= 1001);
    assert.match(String(created.seriesCode), /^[0-9A-F]{20}$/);
    assert.equal(created.orgId, 100458);
    assert.equal(created.validTillDate, '2030-09-29T18:30:00Z', 'dates come back in UTC');
    assert.equal(created.numIssued, 0);
    assert.deepEqual(created.warnings, []);
    for (const field of ['productInfo', 'redemptionOrgEntityDetails', 'genericCode']) assert.ok(!(field in created), `${field} is not echoed`);

    const updated = await client.updateSeries(created.id, {
      CouponSeriesV2: { ...sampleSeries(), seriesCode: created.seriesCode, description: 'DIWALI 20% OFF', discountValue: 20 },
    });
    assert.equal(updated.id, created.id);
    assert.equal(updated.description, 'DIWALI 20% OFF');

    const second = await client.createSeries({ CouponSeriesV2: sampleSeries() });
    assert.ok(second.id > created.id, 'ids increase');
    const fetched = await client.getSeries([created.id, second.id]);
    assert.deepEqual(
      fetched.map((series) => [series.id, series.description, series.discountValue]),
      [
        [created.id, 'DIWALI 20% OFF', 20],
        [second.id, 'DIWALI 10% OFF', 10],
      ],
    );
  });
}

test('update sends the id in the path and inside CouponSeriesV2; get sends ids in the query', async () => {
  const server = await startScriptedServer({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id": 42, "entity": [{"id": 42}]}' });
  try {
    const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 2_000 });
    await client.updateSeries(42, { CouponSeriesV2: { ...sampleSeries(), seriesCode: 'ABC' } });
    await client.getSeries([42, 43]);
    const [put, get] = server.requests;
    assert.equal(put.method, 'PUT');
    assert.equal(put.url, '/v2/coupon/series/42');
    assert.equal((JSON.parse(put.body) as { CouponSeriesV2: { id: number } }).CouponSeriesV2.id, 42);
    assert.equal(get.method, 'GET');
    assert.equal(decodeURIComponent(get.url), '/v2/coupon/series?ids=42,43');
  } finally {
    await server.close();
  }
});

test('a base URL path prefix is kept', async () => {
  const server = await startScriptedServer({ status: 200, body: '{"entity": [{"id": 1}]}' });
  try {
    const client = createTestClient({ baseUrl: `${server.url}/gateway/`, credentials: basicCredentials(), timeoutMs: 2_000 });
    await client.getSeries(1);
    assert.equal(server.requests[0].url, '/gateway/v2/coupon/series?ids=1');
  } finally {
    await server.close();
  }
});

test('invalid ids are refused before anything is sent', async () => {
  const client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000 });
  const before = sandbox.state().requestCount;
  await assert.rejects(client.updateSeries(0, { CouponSeriesV2: sampleSeries() }), TypeError);
  await assert.rejects(client.getSeries([]), TypeError);
  await assert.rejects(client.getSeries(1.5), TypeError);
  assert.equal(sandbox.state().requestCount, before);
});
