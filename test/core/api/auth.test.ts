import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { basicAuthorization, credentialsFor, MemoryTokenStore, md5Hex, tokenUseUntil } from '../../../core/src/api/auth';

import { Sandbox, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { sleep } from '../../../core/src/util';
import { basicCredentials, collectLog, createTestClient, oauthCredentials, rejectsWithKind, sampleSeries, startScriptedServer } from '../../support/apiSupport';

const TOKEN_PATH = '/v3/oauth/token/generate';

let sandbox: Sandbox;
let shortLived: Sandbox;
let instantExpiry: Sandbox;

before(async () => {
  [sandbox, shortLived, instantExpiry] = await Promise.all([startSandbox(), startSandbox({ tokenTtlSeconds: 1 }), startSandbox({ tokenTtlSeconds: 0 })]);
});
after(async () => {
  await Promise.all([sandbox.close(), shortLived.close(), instantExpiry.close()]);
});

function tokenRequests(lines: readonly string[]): number {
  return lines.filter((line) => line.startsWith('--> POST') && line.includes(TOKEN_PATH)).length;
}

test('md5 and Basic header match the vendor docs byte for byte (store.server / server123)', () => {
  const md5 = md5Hex('server123');
  assert.equal(md5, '8a16a6b70505eb1f1ff7cdc0cd5559a7');
  assert.equal(basicAuthorization('store.server', md5), 'Basic c3RvcmUuc2VydmVyOjhhMTZhNmI3MDUwNWViMWYxZmY3Y2RjMGNkNTU1OWE3');
});

test('credentialsFor hashes a basic password and passes an OAuth secret through', () => {
  assert.deepEqual(credentialsFor({ auth: 'basic', username: 'store.server' }, 'server123'), {
    kind: 'basic',
    username: 'store.server',
    passwordMd5: '8a16a6b70505eb1f1ff7cdc0cd5559a7',
  });
  assert.deepEqual(credentialsFor({ auth: 'oauth', clientKey: 'key' }, 's3cret'), {
    kind: 'oauth',
    clientKey: 'key',
    clientSecret: 's3cret',
  });
});

test('the exact headers on the wire: Basic, JSON content type and accept, attribution', async () => {
  const server = await startScriptedServer({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"entity": [{"id": 7}], "warnings": []}' });
  try {
    const client = createTestClient({
      baseUrl: server.url,
      credentials: { kind: 'basic', username: 'store.server', passwordMd5: md5Hex('server123') },
      timeoutMs: 2_000,
      attribution: { tillCode: 'till.01' },
    });
    await client.getSeries(7);
    const [request] = server.requests;
    assert.equal(request.headers.authorization, 'Basic c3RvcmUuc2VydmVyOjhhMTZhNmI3MDUwNWViMWYxZmY3Y2RjMGNkNTU1OWE3');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['x-cap-api-attribution-till-code'], 'till.01');
    assert.equal(request.headers['x-cap-api-oauth-token'], undefined);
  } finally {
    await server.close();
  }
});

test('entity attribution sends both entity headers', async () => {
  const server = await startScriptedServer({ status: 200, body: '{"entity": [{"id": 7}]}' });
  try {
    const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 2_000, attribution: { entityType: 'STORE', entityCode: 's-1' } });
    await client.getSeries(7);
    assert.equal(server.requests[0].headers['x-cap-api-attribution-entity-type'], 'STORE');
    assert.equal(server.requests[0].headers['x-cap-api-attribution-entity-code'], 's-1');
  } finally {
    await server.close();
  }
});

test('a token is used until 10% of its life (at most 30 s) before it ends', () => {
  const cases: [ttlSeconds: number, usableMs: number][] = [
    [300, 270_000],
    [3_600, 3_570_000],
    [2, 1_800],
    [0, 0],
  ];
  for (const [ttlSeconds, usableMs] of cases) assert.equal(tokenUseUntil(ttlSeconds, 1_000), 1_000 + usableMs, `ttl ${ttlSeconds}`);
});

test('OAuth: generateToken returns the sandbox token and its ttl', async () => {
  const client = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials(), timeoutMs: 2_000 });
  const token = await client.generateToken();
  assert.match(token.accessToken, /^sbx\./);
  assert.equal(token.ttlSeconds, 300);
});

test('OAuth: the token is sent as X-CAP-API-OAUTH-TOKEN and kept in the token store', async () => {
  const store = new MemoryTokenStore();
  const client = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials(), timeoutMs: 2_000, tokenStore: store, tokenKey: 'env-a' });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  assert.ok(created.id > 0);
  const stored = await store.get('env-a');
  assert.ok(stored);
  assert.ok(stored.expiresAt > Date.now() + 200_000, 'a 300 s token is kept for about 270 s');

  // A second client (e.g. after a restart) with the same store reuses the token without fetching one.
  const { lines, log } = collectLog();
  const restored = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials(), timeoutMs: 2_000, tokenStore: store, tokenKey: 'env-a', log });
  await restored.getSeries(created.id);
  assert.equal(tokenRequests(lines), 0);
});

test('OAuth: concurrent calls share one token fetch', async () => {
  const { lines, log } = collectLog();
  const client = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials(), timeoutMs: 2_000, log });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  await Promise.all([client.getSeries(created.id), client.getSeries(created.id), client.getSeries(created.id)]);
  assert.equal(tokenRequests(lines), 1);
});

test('OAuth: a token is refetched once it nears expiry (ttl 1 s)', async () => {
  const { lines, log } = collectLog();
  const client = createTestClient({ baseUrl: shortLived.url, credentials: oauthCredentials(), timeoutMs: 2_000, log });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  await client.getSeries(created.id);
  assert.equal(tokenRequests(lines), 1, 'reused while fresh');
  await sleep(1_000);
  await client.getSeries(created.id);
  assert.equal(tokenRequests(lines), 2, 'fetched again after expiry');
  assert.ok(!lines.some((line) => line.startsWith('<-- 401')), 'no request went out with the expired token');
});

test('OAuth: a 401 with a cached token fetches a new token and sends once more', async () => {
  const store = new MemoryTokenStore();
  await store.set('env-b', { token: 'revoked-by-the-server', expiresAt: Date.now() + 3_600_000 });
  const { lines, log } = collectLog();
  const client = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials(), timeoutMs: 2_000, tokenStore: store, tokenKey: 'env-b', log });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  assert.ok(created.id > 0);
  assert.equal(tokenRequests(lines), 1);
  assert.equal(lines.filter((line) => line.startsWith('<-- 401')).length, 1);
  assert.notEqual((await store.get('env-b'))?.token, 'revoked-by-the-server');
});

test('OAuth: a second 401 is an auth error, not a loop', async () => {
  // Tokens of this sandbox expire as they are issued: every request with one gets 401.
  const { lines, log } = collectLog();
  const client = createTestClient({ baseUrl: instantExpiry.url, credentials: oauthCredentials(), timeoutMs: 2_000, environmentName: 'Instant expiry', log });
  const error = await rejectsWithKind(client.getSeries(1), 'auth');
  assert.equal(error.status, 401);
  assert.match(error.message, /Authentication failed \(401\) on Instant expiry: the credentials were refused/);
  assert.equal(tokenRequests(lines), 2);
  assert.equal(lines.filter((line) => line.startsWith('<-- 401 GET')).length, 2);
});

test('OAuth: a wrong client secret is an auth error listing the server code', async () => {
  const client = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials('not-the-secret'), timeoutMs: 2_000, environmentName: 'Sandbox' });
  const error = await rejectsWithKind(client.getSeries(1), 'auth');
  assert.match(error.message, /^Authentication failed \(401\) on Sandbox: the credentials were refused\. Server said: code 320001: Invalid client key and secret\.$/);
  assert.deepEqual(error.apiErrors, [{ code: 320001, message: 'Invalid client key and secret' }]);
  assert.ok(!error.message.includes('not-the-secret'));
});

test('OAuth: a 200 token answer holding errors is an auth error', async () => {
  const server = await startScriptedServer({ status: 200, body: '{"data": null, "errors": [{"code": 320001, "message": "Invalid client key and secret"}]}' });
  try {
    const client = createTestClient({ baseUrl: server.url, credentials: oauthCredentials(), timeoutMs: 2_000 });
    const error = await rejectsWithKind(client.generateToken(), 'auth');
    assert.match(error.message, /code 320001: Invalid client key and secret/);
  } finally {
    await server.close();
  }
});

test('Basic: a wrong password is an auth error naming the environment', async () => {
  const client = createTestClient({
    baseUrl: sandbox.url,
    credentials: { kind: 'basic', username: SANDBOX_USERNAME, passwordMd5: md5Hex('wrong') },
    timeoutMs: 2_000,
    environmentName: 'Local sandbox',
  });
  const error = await rejectsWithKind(client.getSeries(1), 'auth');
  assert.match(error.message, /^Authentication failed \(401\) on Local sandbox: the credentials were refused\./);
});

test('generateToken refuses basic credentials', async () => {
  const client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000 });
  await assert.rejects(client.generateToken(), /needs OAuth credentials/);
});
