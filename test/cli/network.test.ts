/**
 * The CLI on hostile networks: through a real local proxy that requires
 * Proxy-Authorization (credentials in HTTPS_PROXY), without them (407),
 * with a malformed proxy variable; against answers of hundreds of MB, a TLS
 * peer that never answers, a token endpoint quoting the secret back, and a
 * redirect carrying a token: on stderr and in --json.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createCouponApiClient } from '../../core/src/api';
import { createNodeHttpTransport } from '../../core/src/node/nodeHttpTransport';
import { Sandbox, SANDBOX_CLIENT_KEY, startSandbox } from '../../core/src/sandbox';
import { basicCredentials, sampleSeries, startScriptedServer } from '../support/apiSupport';
import { AuthProxy, makeSelfSignedCertificate, startAuthProxy, startEndlessServer, startHttpsFront, startSilentPeer } from '../support/network';
import { afterTargetLine, assertNoSecrets, BASIC_ENV, coupon, couponProcess, tempFolder } from './support';

const FAR_HOST = 'coupon-api.test';
const PROXY_USER = 'corp.user';
// The password of the local proxy this file starts on 127.0.0.1: a test value, not a credential.
const PROXY_PASSWORD = 'test-proxy-password';
const certificate = makeSelfSignedCertificate([FAR_HOST]);
const noOpenssl = certificate ? false : 'openssl is not available to make a self-signed certificate';

let sandbox: Sandbox;
let front: Awaited<ReturnType<typeof startHttpsFront>> | undefined;
let proxy: AuthProxy;
let folder: { dir: string; cleanup(): Promise<void> };
let caFile = '';
let seriesId = 0;

before(async () => {
  sandbox = await startSandbox();
  folder = await tempFolder();
  if (certificate) {
    front = await startHttpsFront(certificate, sandbox.port);
    caFile = path.join(folder.dir, 'test-ca.pem');
    await writeFile(caFile, certificate.cert);
  }
  proxy = await startAuthProxy({ user: PROXY_USER, password: PROXY_PASSWORD, route: (host, port) => (host === FAR_HOST && front ? { host: '127.0.0.1', port: front.port } : { host, port }) });
  const client = createCouponApiClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 5_000, transport: createNodeHttpTransport() });
  seriesId = (await client.createSeries({ CouponSeriesV2: { ...sampleSeries(), description: 'through the proxy' } })).id;
});
after(async () => {
  await proxy.close();
  await front?.close();
  await sandbox.close();
  await folder.cleanup();
});

test('through a proxy that requires Proxy-Authorization: HTTPS_PROXY with user:password reaches the HTTPS server (CONNECT)', { skip: noOpenssl }, async () => {
  const mark = proxy.requests.length;
  const env = { ...BASIC_ENV, HTTPS_PROXY: proxy.urlWithCredentials };
  const result = await coupon(['pull', String(seriesId), '--host', FAR_HOST, '--auth', 'basic', '--ca', caFile, '--verbose', '--timeout', '10'], { cwd: folder.dir, env });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /"description": "through the proxy"/);
  assert.deepEqual(
    proxy.requests.slice(mark).map((request) => [request.method, request.target, request.proxyAuthorization]),
    [['CONNECT', `${FAR_HOST}:443`, proxy.expectedAuthorization]],
  );
  assert.match(result.stderr, /coupon: proxies: HTTPS_PROXY http:\/\/\*\*\*@127\.0\.0\.1:\d+; loopback hosts are never proxied/);
  assert.ok(!`${result.stdout}${result.stderr}`.includes(PROXY_PASSWORD), 'the proxy password is never shown');
  assertNoSecrets(result, 'pull through the proxy');
});

test('a CA named by extraCaCertificates in .vscode/settings.json (relative to that file) is trusted only with --trust-workspace-ca, and the host only when named', { skip: noOpenssl }, async () => {
  const { mkdtemp, mkdir } = await import('node:fs/promises');
  const project = await mkdtemp(path.join(folder.dir, 'project-'));
  await mkdir(path.join(project, '.vscode'));
  await writeFile(path.join(project, '.vscode', 'ca.pem'), certificate?.cert ?? '');
  const env = { ...BASIC_ENV, HTTPS_PROXY: proxy.urlWithCredentials, CAPILLARY_HOST: FAR_HOST };
  const settings = { 'couponSeries.environments': [{ name: 'Corp', host: FAR_HOST, auth: 'basic', username: 'till.user' }], 'couponSeries.extraCaCertificates': ['ca.pem'] };
  await writeFile(path.join(project, '.vscode', 'settings.json'), JSON.stringify(settings));
  const mark = proxy.requests.length;
  const notNamed = await coupon(['pull', String(seriesId), '--env', 'Corp', '--timeout', '10'], { cwd: project, env: { ...env, CAPILLARY_HOST: '' } });
  assert.equal(notNamed.code, 2, notNamed.stderr);
  assert.match(notNamed.stderr, /"Corp" in \.vscode\/settings\.json points at coupon-api\.test, which you have not named: .* Nothing was sent\. If coupon-api\.test is yours, allow it: CAPILLARY_HOST=coupon-api\.test/);
  assert.equal(proxy.requests.length, mark, 'nothing left the machine');
  const untrusted = await coupon(['pull', String(seriesId), '--env', 'Corp', '--timeout', '10'], { cwd: project, env });
  assert.equal(untrusted.code, 1, `without --trust-workspace-ca the repository's CA is not trusted: ${untrusted.stderr}`);
  assert.match(untrusted.stderr, /coupon: warning: not trusting the CA certificates named by couponSeries\.extraCaCertificates in \.vscode\/settings\.json .* pass --trust-workspace-ca/);
  const trusted = await coupon(['pull', String(seriesId), '--env', 'Corp', '--timeout', '10', '--trust-workspace-ca'], { cwd: project, env });
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stderr, /^coupon: sending to Corp \(\.vscode\/settings\.json\): https:\/\/coupon-api\.test, basic auth as sandbox\.user \(from CAPILLARY_PASSWORD\); also trusting .*\.vscode\/ca\.pem\n/);
});

test('a proxy that wants credentials: "proxy authentication required", one CONNECT, with what to do', { skip: noOpenssl }, async () => {
  for (const proxyUrl of [proxy.url, proxy.urlWithCredentials.replace(PROXY_PASSWORD, 'wrong-proxy-secret')]) {
    const mark = proxy.requests.length;
    const result = await coupon(['pull', String(seriesId), '--host', FAR_HOST, '--auth', 'basic', '--ca', caFile, '--json'], { cwd: folder.dir, env: { ...BASIC_ENV, HTTPS_PROXY: proxyUrl } });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { ok: boolean; error: { kind: string; message: string; status: number } };
    assert.equal(report.error.kind, 'proxy-auth');
    assert.equal(report.error.status, 407);
    assert.match(report.error.message, /^Proxy authentication required \(407\): the proxy between this machine and coupon-api\.test refused the request without valid proxy credentials\. Give the proxy's user and password in HTTPS_PROXY/);
    assert.match(afterTargetLine(result.stderr), /^coupon: error: Proxy authentication required \(407\)/);
    assert.equal(proxy.requests.length - mark, 1, 'not retried');
    assert.ok(!`${result.stdout}${result.stderr}`.includes('wrong-proxy-secret'), 'not even a wrong proxy password is shown');
  }
});

test('a malformed proxy variable is a one-line usage error, before anything is sent', async () => {
  for (const [variable, value] of [['HTTPS_PROXY', '::bad'], ['http_proxy', 'http://user:Secr3t-value@[bad']] as const) {
    const result = await coupon(['pull', '1', '--host', sandbox.url, '--auth', 'basic'], { cwd: folder.dir, env: { ...BASIC_ENV, [variable]: value } });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr, `coupon: error: ${variable} is not a usable proxy URL (not a URL): set it to http://[user:password@]host:port, or unset it.\n`);
  }
});

test('a 700 MB answer: "larger than 4 MiB", one GET, exit 1 (a real process)', async () => {
  const server = await startEndlessServer({ totalBytes: 700 * 1024 * 1024, announceLength: false });
  try {
    const result = await couponProcess(['pull', '1', '--host', server.url, '--auth', 'basic', '--json'], { cwd: folder.dir, env: BASIC_ENV });
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { error: { kind: string; message: string } };
    assert.equal(report.error.kind, 'too-large');
    assert.match(report.error.message, /^The server's answer is larger than 4 MiB: not a coupon series answer \(status 200, GET \/v2\/coupon\/series\)\./);
    assert.deepEqual(server.requests, ['GET /v2/coupon/series?ids=1']);
  } finally {
    await server.close();
  }
});

test('--timeout 2 against a TLS peer that never answers: the error within about 2 s, and the process ends', async () => {
  const peer = await startSilentPeer();
  try {
    const result = await couponProcess(['pull', '1', '--host', `https://127.0.0.1:${peer.port}`, '--auth', 'basic', '--timeout', '2'], { cwd: folder.dir, env: BASIC_ENV });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /No answer from 127\.0\.0\.1:\d+ within 2 s \(timeout\)/);
    // One attempt (a timeout is not retried): about 2 s, plus the process's start-up and exit.
    assert.ok(result.ms < 6_000, `the process took ${Math.round(result.ms)} ms`);
  } finally {
    await peer.close();
  }
});

test('a secret quoted back escaped by a token endpoint stays out of stderr and --json', async () => {
  const secret = 'cl1ent"se\\cret';
  const body = JSON.stringify({ errors: [{ code: 500, message: `cannot parse ${JSON.stringify({ key: SANDBOX_CLIENT_KEY, secret })}; form secret=${encodeURIComponent(secret)}` }] });
  const server = await startScriptedServer({ status: 500, headers: { 'content-type': 'application/json' }, body });
  try {
    const env = { CAPILLARY_CLIENT_KEY: SANDBOX_CLIENT_KEY, CAPILLARY_CLIENT_SECRET: secret };
    const forms = [secret, JSON.stringify(secret).slice(1, -1), JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1), encodeURIComponent(secret)];
    for (const extra of [['--json'], ['--verbose']]) {
      const result = await coupon(['pull', '1', '--host', server.url, '--auth', 'oauth', ...extra], { cwd: folder.dir, env });
      assert.equal(result.code, 1, result.stderr);
      assert.match(`${result.stdout}${result.stderr}`, /The server failed \(500\)/);
      for (const form of forms) {
        assert.ok(!result.stdout.includes(form), `stdout (${extra}) shows ${form}: ${result.stdout}`);
        assert.ok(!result.stderr.includes(form), `stderr (${extra}) shows ${form}: ${result.stderr}`);
      }
    }
  } finally {
    await server.close();
  }
});

test('a redirect\'s Location is shown without its token, on stderr and in --json', async () => {
  const server = await startScriptedServer({ status: 307, headers: { location: 'https://sso.example.com/login?token=tok-123456789&from=api' }, body: '' });
  try {
    for (const extra of [[], ['--json']]) {
      const result = await coupon(['pull', '1', '--host', server.url, '--auth', 'basic', ...extra], { cwd: folder.dir, env: BASIC_ENV });
      assert.equal(result.code, 1);
      assert.match(`${result.stdout}${result.stderr}`, /redirected the request \(307 to https:\/\/sso\.example\.com\/login\?token=\*\*\*&from=\*\*\*\)/);
      assert.ok(!`${result.stdout}${result.stderr}`.includes('tok-123456789'));
    }
  } finally {
    await server.close();
  }
});
