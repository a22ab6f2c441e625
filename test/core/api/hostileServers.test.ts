/**
 * Hostile servers against both transports (the CLI's undici one and the
 * extension's Node http one): answers of hundreds of MB, peers that accept a
 * connection and never answer (plain and TLS), cancellation while connecting,
 * a 407, and what the client may say about what it got (escaped secrets,
 * redirect locations).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';

import { CouponApiError } from '../../../core/src/api/errors';
import { checkBaseUrl, isLoopbackHost } from '../../../core/src/api/hosts';
import { formatBytes, HttpTransport, MAX_RESPONSE_BYTES } from '../../../core/src/api/transport';
import { createDispatcher, createUndiciTransport } from '../../../core/src/node/httpTransport';
import { createNodeHttpTransport } from '../../../core/src/node/nodeHttpTransport';
import { sleep } from '../../../core/src/util';
import { startEndlessServer, startSilentPeer } from '../../support/network';
import { REPO_ROOT } from '../../support/testUtil';
import { basicCredentials, collectLog, createTestClient, FAST_RETRY, oauthCredentials, rejectsWithKind, startScriptedServer } from '../../support/apiSupport';

const MB = 1024 * 1024;

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

/** Each transport as its platform builds it: the CLI's dispatcher (timeouts tied to the client's), the extension's plain one. */
const transports: { name: string; make: (timeoutMs: number) => HttpTransport }[] = [
  {
    name: 'undici',
    make: (timeoutMs) => {
      const dispatcher = createDispatcher({ strictSSL: true, timeoutMs });
      closers.push(() => dispatcher.destroy());
      return createUndiciTransport(dispatcher);
    },
  },
  { name: 'node http', make: () => createNodeHttpTransport() },
];

/** Milliseconds `promise` takes to settle, and its rejection. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await promise;
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

for (const { name, make } of transports) {
  for (const totalMb of [500, 700]) {
    test(`${name}: a ${totalMb} MB answer (streamed, no length announced) stops at the cap, is sent once, and memory stays low`, async () => {
      const server = await startEndlessServer({ totalBytes: totalMb * MB, announceLength: false });
      try {
        const { lines, log } = collectLog();
        const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 20_000, transport: make(20_000), retry: FAST_RETRY, log });
        global.gc?.();
        const rssBefore = process.memoryUsage().rss;
        const error = await rejectsWithKind(client.getSeries(1), 'too-large');
        const growth = process.memoryUsage().rss - rssBefore;
        assert.match(error.message, /^The server's answer is larger than 4 MiB: not a coupon series answer \(status 200, GET \/v2\/coupon\/series\)\. Reading stopped there\.$/);
        assert.deepEqual(server.requests, ['GET /v2/coupon/series?ids=1'], 'sent once: a too-large answer is not retried');
        assert.ok(growth < 64 * MB, `memory grew by ${Math.round(growth / MB)} MB for a ${totalMb} MB answer`);
        // The server was cut off long before the end (socket buffers hold a few MB at most).
        await sleep(50);
        assert.ok(server.bytesSent[0] < 64 * MB, `the server got to send ${Math.round(server.bytesSent[0] / MB)} MB`);
        assert.ok(lines.some((line) => /^<-x GET .* failed after \d+ ms: too-large \(ERR_RESPONSE_TOO_LARGE\)$/.test(line)), lines.join('\n'));
      } finally {
        await server.close();
      }
    });
  }

  test(`${name}: an answer announcing more than the cap is refused before its body is read`, async () => {
    const server = await startEndlessServer({ totalBytes: 700 * MB, announceLength: true, status: 503 });
    try {
      const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 20_000, transport: make(20_000), retry: FAST_RETRY });
      const error = await rejectsWithKind(client.getSeries(1), 'too-large');
      assert.equal(error.status, 503);
      assert.equal(server.requests.length, 1, 'a 503 too large is not retried either');
    } finally {
      await server.close();
    }
  });

  test(`${name}: an answer of exactly the cap is read whole`, async () => {
    const filler = 'x'.repeat(MAX_RESPONSE_BYTES - '{"entity":[{"id":1,"f":""}]}'.length);
    const server = await startScriptedServer({ status: 200, headers: { 'content-type': 'application/json' }, body: `{"entity":[{"id":1,"f":"${filler}"}]}` });
    try {
      const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 20_000, transport: make(20_000) });
      assert.equal((await client.getSeries(1))[0].id, 1);
    } finally {
      await server.close();
    }
  });

  test(`${name}: a peer that accepts and never answers times out within about the timeout, once per attempt`, async () => {
    const peer = await startSilentPeer();
    try {
      // undici's own timeouts set far past the client's: only the client's can explain a prompt error.
      const client = createTestClient({ baseUrl: `http://127.0.0.1:${peer.port}`, credentials: basicCredentials(), timeoutMs: 1_000, transport: make(30_000), retry: { maxRetries: 0 } });
      const { ms, error } = await timed(client.getSeries(1));
      assert.ok(error instanceof CouponApiError && error.kind === 'timeout', String(error));
      assert.match(error.message, /^No answer from 127\.0\.0\.1:\d+ within 1 s \(timeout\)/);
      assert.ok(ms < 3_000, `the error came after ${Math.round(ms)} ms`);
    } finally {
      await peer.close();
    }
  });

  test(`${name}: a TLS handshake that never completes times out within about the timeout`, async () => {
    const peer = await startSilentPeer();
    try {
      const client = createTestClient({ baseUrl: `https://127.0.0.1:${peer.port}`, credentials: basicCredentials(), timeoutMs: 1_500, transport: make(30_000), retry: { maxRetries: 0 } });
      const { ms, error } = await timed(client.getSeries(1));
      assert.ok(error instanceof CouponApiError && error.kind === 'timeout', String(error));
      assert.match(error.message, /within 1\.5 s \(timeout\)/);
      assert.ok(ms < 3_500, `the error came after ${Math.round(ms)} ms`);
    } finally {
      await peer.close();
    }
  });

  test(`${name}: cancelling during the TLS handshake stops at once`, async () => {
    const peer = await startSilentPeer();
    try {
      const client = createTestClient({ baseUrl: `https://127.0.0.1:${peer.port}`, credentials: basicCredentials(), timeoutMs: 30_000, transport: make(30_000) });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const { ms, error } = await timed(client.getSeries(1, { signal: controller.signal }));
      assert.ok(error instanceof CouponApiError && error.kind === 'cancelled', String(error));
      assert.equal(peer.connections(), 1, 'the connection was open when the user cancelled');
      assert.ok(ms < 1_500, `cancelled after ${Math.round(ms)} ms`);
    } finally {
      await peer.close();
    }
  });

  test(`${name}: a 407 answer says "proxy authentication required" and is not retried`, async () => {
    // What VS Code's proxy agent hands on when a proxy refuses a tunnel: the proxy's own 407 answer.
    const server = await startScriptedServer({ status: 407, headers: { 'proxy-authenticate': 'Basic realm="corp"', 'content-type': 'text/html' }, body: '<html><title>407 Proxy Authentication Required</title></html>' });
    try {
      const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 5_000, transport: make(5_000), retry: FAST_RETRY, environmentName: 'EU production' });
      const error = await rejectsWithKind(client.getSeries(1), 'proxy-auth');
      assert.equal(error.message, 'Proxy authentication required (407): the proxy between this machine and EU production refused the request without valid proxy credentials.');
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });
}

test('a secret quoted back by the server in any encoding stays out of the error and the log', async () => {
  // A client secret with the characters JSON, URLs and HTML escape, quoted back by a token endpoint's 500.
  const secret = 'se"cr\\et/ü+&=%x<y>';
  const once = JSON.stringify(secret).slice(1, -1);
  const forms: Record<string, string> = {
    literal: secret,
    'JSON-escaped': once,
    'JSON-escaped twice': JSON.stringify(once).slice(1, -1),
    'URL-encoded': encodeURIComponent(secret),
    'form-encoded': new URLSearchParams({ s: secret }).toString().slice(2),
    // In "sandbox-key:<secret>" the secret starts on a 3-byte boundary: these characters encode it alone.
    base64: Buffer.from(secret).toString('base64').slice(0, Math.floor((Buffer.byteLength(secret) * 8) / 6)),
    'HTML-escaped': secret.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  };
  const body = JSON.stringify({
    errors: [
      { code: 500, message: `could not parse ${JSON.stringify({ key: 'sandbox-key', secret })}` },
      { code: 501, message: `form: secret=${forms['URL-encoded']}&again=${forms['form-encoded']}` },
      { code: 502, message: `basic ${Buffer.from(`sandbox-key:${secret}`).toString('base64')} html <p>${forms['HTML-escaped']}</p>` },
    ],
  });
  for (const [name, form] of Object.entries(forms)) {
    if (name !== 'literal') assert.ok(body.includes(form) || (JSON.parse(body) as { errors: { message: string }[] }).errors.some((entry) => entry.message.includes(form)), `the server sends the ${name} form`);
  }
  const server = await startScriptedServer({ status: 500, headers: { 'content-type': 'application/json' }, body });
  try {
    const { lines, log } = collectLog();
    const client = createTestClient({ baseUrl: server.url, credentials: oauthCredentials(secret), timeoutMs: 5_000, log });
    const error = await rejectsWithKind(client.getSeries(1), 'server');
    assert.equal(server.requests.length, 1, 'the token request');
    assert.ok(server.requests[0].body.includes(once), 'the secret was sent (JSON-escaped in the body)');
    const everywhere = { message: error.message, 'message as --json prints it': JSON.stringify({ error: error.message }, null, 2), ...Object.fromEntries(lines.map((line, index) => [`log line ${index + 1}`, line])) };
    for (const [where, text] of Object.entries(everywhere)) {
      for (const [name, form] of Object.entries(forms)) assert.ok(!text.includes(form), `the ${name} secret in the ${where}: ${text}`);
    }
    assert.match(error.message, /code 500: could not parse \{"key":"sandbox-key","secret":"\*\*\*"\}/);
    assert.ok(lines.some((line) => line.includes('body=')), 'the debug log shows the body (redacted)');
  } finally {
    await server.close();
  }
});

test('a redirect\'s Location is shown without its query, fragment or user-info', async () => {
  const cases: [location: string, shown: string][] = [
    ['https://login.example.com/sso?token=abc123def&next=/x#access_token=zzz999', 'https://login.example.com/sso?token=***&next=***#access_token=***'],
    ['/v3/moved?sig=s3cr3tsig', '/v3/moved?sig=***'],
    ['https://user:pw12345@other.example.com/', 'https://***:***@other.example.com/'],
  ];
  for (const [location, shown] of cases) {
    const server = await startScriptedServer({ status: 302, headers: { location }, body: '' });
    try {
      const client = createTestClient({ baseUrl: server.url, credentials: basicCredentials(), timeoutMs: 5_000 });
      const error = await rejectsWithKind(client.getSeries(1), 'bad-response');
      assert.ok(error.message.includes(shown.startsWith('/') ? `${server.url}${shown}` : shown), error.message);
      for (const secret of ['abc123def', 'zzz999', 's3cr3tsig', 'pw12345']) assert.ok(!error.message.includes(secret), error.message);
    } finally {
      await server.close();
    }
  }
});

test('loopback is localhost, 127.0.0.0/8 and ::1 only: *.localhost is a name like any other', () => {
  for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['anything.localhost', 'localhost.', 'localhost.example.com', '128.0.0.1', '0.0.0.0', '::', 'example.com']) assert.ok(!isLoopbackHost(host), host);
  const refused = checkBaseUrl('http://anything.localhost:8080');
  assert.ok(!refused.ok && /Refusing plain HTTP to anything\.localhost:8080/.test(refused.problem));
  assert.ok(checkBaseUrl('http://127.0.0.2:8080').ok);
});

test('the cap the security page documents (docs/security.md) is the one enforced', () => {
  assert.equal(formatBytes(MAX_RESPONSE_BYTES), '4 MiB');
  const readme = readFileSync(path.join(REPO_ROOT, 'docs', 'security.md'), 'utf8');
  assert.match(readme, /an answer larger than\s+\*\*4 MiB\*\* is refused as it streams in/);
  assert.deepEqual([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)], ['512 bytes', '2 KiB', '3 MiB']);
});
