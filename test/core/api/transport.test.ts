/**
 * Both transports: the CLI's undici one (proxies from the variables through
 * EnvHttpProxyAgent, through a real local proxy that requires
 * Proxy-Authorization) and the extension's one on Node's http/https modules
 * (in plain Node here: VS Code adds its proxy support in the editor), with TLS
 * verification, extra CAs and the sandbox round trip.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import type { HttpTransport } from '../../../core/src/api/transport';
import { createDispatcher, createUndiciTransport, proxyEnvironment, ProxyVariableError } from '../../../core/src/node/httpTransport';
import { createNodeHttpTransport } from '../../../core/src/node/nodeHttpTransport';
import { Sandbox, startSandbox } from '../../../core/src/sandbox';
import { AuthProxy, makeSelfSignedCertificate, startAuthProxy, startHttpsFront, startSilentPeer } from '../../support/network';
import { basicCredentials, createTestClient, FAST_RETRY, rejectsWithKind, sampleSeries } from '../../support/apiSupport';

const PROXY_USER = 'proxy.user';
// Characters that must survive URL-encoding in HTTPS_PROXY and Basic encoding.
const PROXY_PASSWORD = 'p@ss:w/rd%1';
/** A host name that exists nowhere: only the test proxy knows where it goes. */
const FAR_HOST = 'coupon-api.test';

const certificate = makeSelfSignedCertificate([FAR_HOST]);
const noOpenssl = certificate ? false : 'openssl is not available to make a self-signed certificate';

let sandbox: Sandbox;
let front: Awaited<ReturnType<typeof startHttpsFront>> | undefined;
let proxy: AuthProxy;

before(async () => {
  sandbox = await startSandbox();
  if (certificate) front = await startHttpsFront(certificate, sandbox.port);
  proxy = await startAuthProxy({
    user: PROXY_USER,
    password: PROXY_PASSWORD,
    // FAR_HOST is the HTTPS front; anything else is refused by the route's closed port 9.
    route: (host, port) => (host === FAR_HOST && front ? { host: '127.0.0.1', port: front.port } : { host: '127.0.0.1', port: port === 443 ? 9 : port }),
  });
});
after(async () => {
  await proxy.close();
  await front?.close();
  await sandbox.close();
});

test('proxyEnvironment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, lower case first, empty is unset', () => {
  assert.deepEqual(proxyEnvironment({}), { noProxy: '' });
  assert.deepEqual(proxyEnvironment({ HTTPS_PROXY: 'http://upper:2', https_proxy: 'http://lower:1', NO_PROXY: '.example.com' }), {
    httpsProxy: 'http://lower:1',
    noProxy: '.example.com',
  });
  assert.deepEqual(proxyEnvironment({ HTTP_PROXY: 'http://p:8080', HTTPS_PROXY: '  ', no_proxy: 'a,b' }), { httpProxy: 'http://p:8080', noProxy: 'a,b' });
});

test('proxyEnvironment: a malformed proxy variable is a one-line error that does not repeat its value', () => {
  const cases: [env: NodeJS.ProcessEnv, message: RegExp][] = [
    [{ HTTPS_PROXY: '::bad' }, /^HTTPS_PROXY is not a usable proxy URL \(not a URL\): set it to http:\/\/\[user:password@\]host:port, or unset it\.$/],
    [{ http_proxy: 'proxy.corp:3128' }, /^http_proxy is not a usable proxy URL \(scheme proxy\.corp: is not supported\)/],
    [{ HTTP_PROXY: 'ftp://user:hunter22@proxy:21' }, /^HTTP_PROXY is not a usable proxy URL \(scheme ftp: is not supported\)/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => proxyEnvironment(env), (error: unknown) => {
      assert.ok(error instanceof ProxyVariableError);
      assert.match(error.message, message);
      assert.ok(!error.message.includes('hunter22') && !error.message.includes('::bad'), error.message);
      assert.equal(error.message.split('\n').length, 1);
      return true;
    });
  }
});

test('undici: HTTPS through a proxy that requires Proxy-Authorization (CONNECT), credentials from HTTPS_PROXY', { skip: noOpenssl }, async () => {
  const mark = proxy.requests.length;
  const dispatcher = createDispatcher({
    strictSSL: true,
    timeoutMs: 5_000,
    extraCaCertificates: [certificate!.cert],
    proxies: proxyEnvironment({ HTTPS_PROXY: proxy.urlWithCredentials }),
  });
  try {
    const client = createTestClient({ baseUrl: FAR_HOST, credentials: basicCredentials(), timeoutMs: 5_000, transport: createUndiciTransport(dispatcher) });
    const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
    assert.deepEqual((await client.getSeries(created.id)).map((series) => series.id), [created.id]);
    const seen = proxy.requests.slice(mark);
    assert.ok(seen.length >= 1, 'the proxy saw the tunnel');
    for (const request of seen) assert.deepEqual(request, { method: 'CONNECT', target: `${FAR_HOST}:443`, proxyAuthorization: proxy.expectedAuthorization, allowed: true });
  } finally {
    await dispatcher.destroy();
  }
});

test('undici: a proxy answering 407 is "proxy authentication required", not retried', async () => {
  const mark = proxy.requests.length;
  const dispatcher = createDispatcher({ strictSSL: true, timeoutMs: 5_000, proxies: proxyEnvironment({ HTTPS_PROXY: proxy.url }) });
  try {
    const client = createTestClient({ baseUrl: FAR_HOST, credentials: basicCredentials(), timeoutMs: 5_000, transport: createUndiciTransport(dispatcher), retry: FAST_RETRY, environmentName: 'EU production' });
    const error = await rejectsWithKind(client.getSeries(1), 'proxy-auth');
    assert.equal(error.message, 'Proxy authentication required (407): the proxy between this machine and EU production refused the request without valid proxy credentials.');
    assert.equal(error.status, 407);
    assert.deepEqual(proxy.requests.slice(mark).map((request) => `${request.method} ${request.target} ${request.allowed}`), [`CONNECT ${FAR_HOST}:443 false`], 'one CONNECT: a GET is not retried after a 407');
  } finally {
    await dispatcher.destroy();
  }
});

test('undici: a proxy that accepts and never answers CONNECT times out within about the timeout', async () => {
  const silent = await startSilentPeer();
  // undici's own timeouts far past the client's: only the client's can explain a prompt error.
  const dispatcher = createDispatcher({ strictSSL: true, timeoutMs: 30_000, proxies: proxyEnvironment({ HTTPS_PROXY: `http://127.0.0.1:${silent.port}` }) });
  try {
    const client = createTestClient({ baseUrl: FAR_HOST, credentials: basicCredentials(), timeoutMs: 1_000, transport: createUndiciTransport(dispatcher), retry: { maxRetries: 0 } });
    const started = performance.now();
    const error = await rejectsWithKind(client.getSeries(1), 'timeout');
    const ms = performance.now() - started;
    assert.match(error.message, /^No answer from coupon-api\.test within 1 s \(timeout\)/);
    assert.ok(ms < 3_000, `the error came after ${Math.round(ms)} ms`);
    assert.equal(silent.connections(), 1);
  } finally {
    await dispatcher.destroy();
    await silent.close();
  }
});

test('undici: NO_PROXY and loopback hosts go direct, even with a proxy set', async () => {
  const mark = proxy.requests.length;
  const dispatcher = createDispatcher({ strictSSL: true, timeoutMs: 5_000, proxies: proxyEnvironment({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }) });
  try {
    // Loopback (the sandbox on 127.0.0.1 and as localhost): never proxied, NO_PROXY or not.
    for (const host of [sandbox.url, `http://localhost:${sandbox.port}`]) {
      const client = createTestClient({ baseUrl: host, credentials: basicCredentials(), timeoutMs: 5_000, transport: createUndiciTransport(dispatcher) });
      await rejectsWithKind(client.getSeries(999_999), 'not-found');
    }
    assert.deepEqual(proxy.requests.slice(mark), [], 'the proxy saw nothing');
  } finally {
    await dispatcher.destroy();
  }
  const excluded = createDispatcher({ strictSSL: true, timeoutMs: 2_000, proxies: proxyEnvironment({ HTTPS_PROXY: proxy.url, NO_PROXY: `.api.test,${FAR_HOST}` }) });
  try {
    // Excluded: a direct DNS lookup of a name that does not exist, never the proxy.
    const client = createTestClient({ baseUrl: FAR_HOST, credentials: basicCredentials(), timeoutMs: 2_000, transport: createUndiciTransport(excluded), retry: { maxRetries: 0 } });
    await rejectsWithKind(client.getSeries(1), 'dns');
    assert.deepEqual(proxy.requests.slice(mark), [], 'NO_PROXY kept it from the proxy');
  } finally {
    await excluded.destroy();
  }
});

interface TransportCase {
  name: string;
  plain: () => HttpTransport;
  withCa: (pem: string) => HttpTransport;
}

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

function undiciWith(extraCaCertificates: readonly string[] = []): HttpTransport {
  const dispatcher = createDispatcher({ strictSSL: true, timeoutMs: 5_000, extraCaCertificates });
  closers.push(() => dispatcher.destroy());
  return createUndiciTransport(dispatcher);
}

const transports: TransportCase[] = [
  { name: 'undici', plain: () => undiciWith(), withCa: (pem) => undiciWith([pem]) },
  { name: 'node http', plain: () => createNodeHttpTransport(), withCa: (pem) => createNodeHttpTransport({ extraCaCertificates: [pem] }) },
];

for (const transport of transports) {
  test(`${transport.name}: create, update and get on the sandbox`, async () => {
    const client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 5_000, transport: transport.plain() });
    const created = await client.createSeries({ CouponSeriesV2: { ...sampleSeries(), description: `by ${transport.name}` } });
    const updated = await client.updateSeries(created.id, { CouponSeriesV2: { ...sampleSeries(), seriesCode: created.seriesCode, description: `by ${transport.name}, é ✓` } });
    assert.equal(updated.description, `by ${transport.name}, é ✓`);
    assert.equal((await client.getSeries(created.id))[0].description, `by ${transport.name}, é ✓`);
    await rejectsWithKind(client.getSeries(999_999), 'not-found');
  });

  test(`${transport.name}: a self-signed certificate is refused, with advice on extra CA certificates`, { skip: noOpenssl }, async () => {
    const client = createTestClient({ baseUrl: front!.url, credentials: basicCredentials(), timeoutMs: 5_000, transport: transport.plain() });
    const error = await rejectsWithKind(client.getSeries(1), 'tls');
    assert.match(error.message, /^The TLS connection to 127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\)\. The certificate is not trusted/);
  });

  test(`${transport.name}: the certificate given as an extra CA is trusted`, { skip: noOpenssl }, async () => {
    const client = createTestClient({ baseUrl: front!.url, credentials: basicCredentials(), timeoutMs: 5_000, transport: transport.withCa(certificate!.cert) });
    await rejectsWithKind(client.getSeries(999_999), 'not-found');
  });
}

test('undici: strictSSL false accepts any certificate', { skip: noOpenssl }, async () => {
  const dispatcher = createDispatcher({ strictSSL: false, timeoutMs: 5_000 });
  try {
    const client = createTestClient({ baseUrl: front!.url, credentials: basicCredentials(), timeoutMs: 5_000, transport: createUndiciTransport(dispatcher) });
    await rejectsWithKind(client.getSeries(999_999), 'not-found');
  } finally {
    await dispatcher.destroy();
  }
});
