import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo, connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { createDispatcher, createUndiciTransport, proxyFromEnvironment, selectProxy } from '../../core/src/node/httpTransport';
import { startSandbox } from '../../core/src/sandbox';
import { basicCredentials, createTestClient, rejectsWithKind } from './api-support';

test('proxy from the environment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, either case', () => {
  const target = 'https://eu.api.capillarytech.com/v2/coupon/series';
  const cases: [name: string, env: NodeJS.ProcessEnv, url: string, proxy: string | undefined][] = [
    ['nothing set', {}, target, undefined],
    ['HTTPS_PROXY', { HTTPS_PROXY: 'http://proxy:3128' }, target, 'http://proxy:3128'],
    ['https_proxy wins over HTTPS_PROXY', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, target, 'http://lower:1'],
    ['https target falls back to HTTP_PROXY', { HTTP_PROXY: 'http://proxy:8080' }, target, 'http://proxy:8080'],
    ['http target ignores HTTPS_PROXY', { HTTPS_PROXY: 'http://proxy:3128' }, 'http://plain.example.com/', undefined],
    ['http target uses http_proxy', { http_proxy: 'http://proxy:8080' }, 'http://plain.example.com/', 'http://proxy:8080'],
    ['empty value is unset', { HTTPS_PROXY: '  ' }, target, undefined],
    ['NO_PROXY exact host', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'eu.api.capillarytech.com' }, target, undefined],
    ['no_proxy domain suffix', { HTTPS_PROXY: 'http://p:1', no_proxy: '.capillarytech.com' }, target, undefined],
    ['NO_PROXY wildcard domain', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other.org, *.capillarytech.com' }, target, undefined],
    ['NO_PROXY bare domain covers subdomains', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'capillarytech.com' }, target, undefined],
    ['NO_PROXY with the matching port', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'eu.api.capillarytech.com:443' }, target, undefined],
    ['NO_PROXY with another port', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'eu.api.capillarytech.com:8443' }, target, 'http://p:1'],
    ['NO_PROXY that only shares a suffix', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'tech.com' }, target, 'http://p:1'],
    ['NO_PROXY *', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, target, undefined],
    ['loopback is never proxied', { HTTP_PROXY: 'http://p:1', HTTPS_PROXY: 'http://p:1' }, 'http://127.0.0.1:8080/', undefined],
    ['localhost is never proxied', { HTTP_PROXY: 'http://p:1' }, 'http://localhost:8080/', undefined],
    ['::1 is never proxied', { HTTP_PROXY: 'http://p:1' }, 'http://[::1]:8080/', undefined],
  ];
  for (const [name, env, url, proxy] of cases) assert.equal(proxyFromEnvironment(env, url), proxy, name);
});

test('selectProxy: a configured proxy wins, except for its no-proxy hosts and loopback', () => {
  const env = { HTTPS_PROXY: 'http://from-env:1' };
  const target = 'https://eu.api.capillarytech.com/';
  assert.equal(selectProxy(target, { configuredProxy: 'http://configured:2', env }), 'http://configured:2');
  assert.equal(selectProxy(target, { configuredProxy: 'http://configured:2', noProxy: ['.capillarytech.com'], env }), undefined);
  assert.equal(selectProxy(target, { configuredProxy: '', env }), 'http://from-env:1');
  assert.equal(selectProxy('http://127.0.0.1:9/', { configuredProxy: 'http://configured:2', env }), undefined);
});

test('requests go through a configured proxy (CONNECT tunnel)', async () => {
  const sandbox = await startSandbox();
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const proxy: Server = createHttpServer();
  proxy.on('connect', (request, clientSocket: Socket, head: Buffer) => {
    tunnels.push(request.url ?? '');
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    for (const socket of [clientSocket, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const dispatcher = createDispatcher({ proxyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, strictSSL: true });
  try {
    const client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000, transport: createUndiciTransport(dispatcher) });
    await rejectsWithKind(client.getSeries(1), 'not-found');
    assert.deepEqual(tunnels, [`127.0.0.1:${sandbox.port}`]);
  } finally {
    await dispatcher.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await sandbox.close();
  }
});

/** A self-signed certificate for 127.0.0.1 made with the machine's openssl, or undefined when there is none. */
function makeSelfSignedCertificate(): { key: string; cert: string } | undefined {
  const directory = mkdtempSync(join(tmpdir(), 'coupon-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(directory, 'key.pem'), 'utf8'), cert: readFileSync(join(directory, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const certificate = makeSelfSignedCertificate();
const noOpenssl = certificate ? false : 'openssl is not available to make a self-signed certificate';
let httpsUrl = '';
let httpsServer: Server | undefined;

before(async () => {
  if (!certificate) return;
  httpsServer = createHttpsServer(certificate, (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"entity": [{"id": 1}], "warnings": []}');
  });
  await new Promise<void>((resolve) => httpsServer!.listen(0, '127.0.0.1', resolve));
  httpsUrl = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;
});
after(async () => {
  if (!httpsServer) return;
  httpsServer.closeAllConnections();
  await new Promise<void>((resolve) => httpsServer!.close(() => resolve()));
});

test('TLS: a self-signed certificate is refused, with advice on extra CA certificates', { skip: noOpenssl }, async () => {
  const dispatcher = createDispatcher({ strictSSL: true });
  try {
    const client = createTestClient({ baseUrl: httpsUrl, credentials: basicCredentials(), timeoutMs: 2_000, transport: createUndiciTransport(dispatcher) });
    const error = await rejectsWithKind(client.getSeries(1), 'tls');
    assert.match(error.message, /^The TLS connection to 127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\)\. The certificate is not trusted/);
  } finally {
    await dispatcher.close();
  }
});

test('TLS: the certificate added as an extra CA is trusted', { skip: noOpenssl }, async () => {
  const dispatcher = createDispatcher({ strictSSL: true, extraCaCertificates: [certificate!.cert] });
  try {
    const client = createTestClient({ baseUrl: httpsUrl, credentials: basicCredentials(), timeoutMs: 2_000, transport: createUndiciTransport(dispatcher) });
    assert.deepEqual(await client.getSeries(1), [{ id: 1 }]);
  } finally {
    await dispatcher.close();
  }
});

test('TLS: strictSSL false accepts any certificate', { skip: noOpenssl }, async () => {
  const dispatcher = createDispatcher({ strictSSL: false });
  try {
    const client = createTestClient({ baseUrl: httpsUrl, credentials: basicCredentials(), timeoutMs: 2_000, transport: createUndiciTransport(dispatcher) });
    assert.deepEqual(await client.getSeries(1), [{ id: 1 }]);
  } finally {
    await dispatcher.close();
  }
});
