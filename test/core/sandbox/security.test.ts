/**
 * A sandbox only its owner can drive (issue 10, item 7): a web page cannot
 * change it with a cross-origin form post, a rebound DNS name gets nothing,
 * and no CORS preflight is ever granted. Raw node:http requests, so the
 * `Host` and `Origin` headers are exactly what a browser would send.
 */
import assert from 'node:assert/strict';
import { createServer, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { basicAuthorization } from '../../../core/src/api/auth';
import { controlHeaders, isLoopbackName, Sandbox, sandboxAnswers, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { closedPort, sampleSeries, SANDBOX_PASSWORD_MD5 } from '../../support/apiSupport';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with exactly these headers (Host included: node sets none itself). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port: sandbox.port, method, path, headers, setHost: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const HOST = () => `127.0.0.1:${sandbox.port}`;
const AUTH = basicAuthorization(SANDBOX_USERNAME, SANDBOX_PASSWORD_MD5);
const HANG_EVERYTHING = JSON.stringify({ delayMs: { ms: 120_000 } });

test('a cross-origin form post (text/plain) to /__sandbox/faults is refused and changes nothing', async () => {
  const before = sandbox.state();
  // What <form method="post" enctype="text/plain" action="http://127.0.0.1:47631/__sandbox/faults"> on another site sends.
  const formPost = await send('POST', '/__sandbox/faults', { host: HOST(), origin: 'https://evil.example', 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' }, HANG_EVERYTHING);
  assert.equal(formPost.status, 403);
  assert.match(formPost.body, /does not answer web pages of other origins/);
  // The same without Origin (a browser that hides it): no control header, no change.
  const noHeader = await send('POST', '/__sandbox/faults', { host: HOST(), 'content-type': 'text/plain' }, HANG_EVERYTHING);
  assert.equal(noHeader.status, 403);
  assert.match(noHeader.body, /need the header x-coupon-sandbox-control/);
  assert.deepEqual(sandbox.state(), before, 'no fault switched on, nothing counted');

  const owner = await send('POST', '/__sandbox/faults', { host: HOST(), ...controlHeaders(), 'content-type': 'application/json' }, JSON.stringify({ htmlBody: { count: 1 } }));
  assert.equal(owner.status, 200, 'the owner, with the header, still can');
  sandbox.setFaults({});
});

test('a request addressed to another name (DNS rebinding) is refused: API and control alike', async () => {
  const created = await send('POST', '/v2/coupon/series', { host: 'evil.example:47631', authorization: AUTH, 'content-type': 'application/json' }, JSON.stringify({ CouponSeriesV2: sampleSeries() }));
  assert.equal(created.status, 403);
  assert.match((JSON.parse(created.body) as { errors: { message: string }[] }).errors[0].message, /answers only requests addressed to localhost, 127\.0\.0\.1 or \[::1\], not to "evil\.example:47631"/);
  const read = await send('GET', '/v2/coupon/series?ids=1001', { host: 'evil.example', authorization: AUTH });
  assert.equal(read.status, 403);
  const state = await send('GET', '/__sandbox/state', { host: 'evil.example', ...controlHeaders() });
  assert.equal(state.status, 403);
  assert.equal(sandbox.state().seriesCount, 0, 'nothing was created');
  for (const host of ['127.0.0.1.evil.example', 'localhost.evil.example', 'anything.localhost', '']) {
    assert.equal((await send('GET', '/__sandbox/state', { host, ...controlHeaders() })).status, 403, `Host "${host}"`);
  }
  for (const host of [HOST(), `localhost:${sandbox.port}`, 'LOCALHOST', `127.9.8.7:${sandbox.port}`, `[::1]:${sandbox.port}`]) {
    assert.equal((await send('GET', '/__sandbox/state', { host, ...controlHeaders() })).status, 200, `Host "${host}"`);
  }
  assert.deepEqual(
    sandbox.requests().slice(-2).map((entry) => [entry.method, entry.status]),
    [
      ['POST', 403],
      ['GET', 403],
    ],
    'the refused API requests are in the log',
  );
});

test('no CORS preflight is granted, and no answer allows another origin', async () => {
  for (const path of ['/v2/coupon/series', '/__sandbox/faults', '/v3/oauth/token/generate']) {
    const preflight = await send('OPTIONS', path, {
      host: HOST(),
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, x-coupon-sandbox-control',
    });
    assert.ok(preflight.status >= 400, `${path}: ${preflight.status}`);
    const sameOrigin = await send('OPTIONS', path, { host: HOST(), 'access-control-request-method': 'POST' });
    assert.equal(sameOrigin.status, 405, path);
    for (const answer of [preflight, sameOrigin]) {
      assert.deepEqual(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-')), [], path);
    }
  }
  const ordinary = await send('GET', '/v2/coupon/series?ids=1', { host: HOST(), authorization: AUTH, origin: `http://127.0.0.1:${sandbox.port}` });
  assert.deepEqual(Object.keys(ordinary.headers).filter((name) => name.startsWith('access-control-')), [], 'a same-origin answer carries no CORS header either');
});

test('loopback names: localhost, 127.0.0.0/8, [::1], with any port; nothing else', () => {
  for (const name of ['localhost', 'localhost:1', '127.0.0.1', '127.255.0.1:47631', '[::1]', '[::1]:80']) assert.equal(isLoopbackName(name), true, name);
  for (const name of ['evil.example', 'a.localhost', '127.0.0.1.nip.io', '128.0.0.1', '::1', '[::2]', '0.0.0.0', '', undefined, 'localhost:port']) assert.equal(isLoopbackName(name), false, String(name));
});

test('sandboxAnswers: the probe the extension and npm start use tells a sandbox from anything else', async () => {
  assert.equal(await sandboxAnswers(sandbox.port), true);
  assert.equal(await sandboxAnswers(await closedPort()), false);
  const other = createServer((_request, response) => response.end('{"ok": true}'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    assert.equal(await sandboxAnswers((other.address() as AddressInfo).port), false);
  } finally {
    other.closeAllConnections();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});
