/**
 * The extension's requests go through the networking VS Code gives
 * extensions, in the real workbench: code-server's extension host (a "remote"
 * one) with `http.proxy` set to a local proxy that requires
 * Proxy-Authorization, and an environment whose host exists nowhere but in
 * that proxy (`coupon-api.test`: without the proxy it is a DNS error). The
 * proxy tunnels (CONNECT) to an HTTPS front of a sandbox started here, whose
 * self-signed certificate the user trusts with `couponSeries.extraCaCertificates`.
 *
 *   npm run package && npx tsc -p . && node --test --test-reporter=spec out/test/e2e/network.e2e.js
 */
import { after, before, test, TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { Sandbox, SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_USERNAME, startSandbox } from '../../core/src/sandbox';
import { AuthProxy, makeSelfSignedCertificate, startAuthProxy, startHttpsFront } from '../support/network';
import {
  clearNotifications,
  CodeServer,
  e2eAvailable,
  openWorkbench,
  PACKAGED_VSIX,
  quickOpen,
  readNotifications,
  REPO_ROOT,
  runCommandAndPick,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  waitFor,
  waitForNotification,
  Workbench,
} from './harness';

const FAR_HOST = 'coupon-api.test';
const ENVIRONMENT = 'Proxied API';
const PROXY_USER = 'corp.user';
// The password of the local proxy this file starts on 127.0.0.1: a test value, not a credential.
const PROXY_PASSWORD = 'test-proxy-password';
const FILE = 'proxied.coupon.json';

const certificate = makeSelfSignedCertificate([FAR_HOST]);
const available = !certificate ? { ok: false, reason: 'openssl is not available to make a self-signed certificate' } : e2eAvailable();

const suiteFolder = suiteTempFolder('network');
const tmp = suiteFolder.path;
const workspace = path.join(tmp, 'workspace');
const userDataDir = path.join(tmp, 'user-data');
const caFile = path.join(tmp, 'corporate-ca.pem');

let sandbox: Sandbox | undefined;
let front: Awaited<ReturnType<typeof startHttpsFront>> | undefined;
let proxy: AuthProxy | undefined;
let server: CodeServer | undefined;
let wb: Workbench | undefined;
let createdId: number | undefined;

const vendorExample = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'valid', 'vendor-example.coupon.json'), 'utf8');

before(async () => {
  if (!available.ok) return;
  assert.ok(fs.existsSync(PACKAGED_VSIX), `${PACKAGED_VSIX} is missing: run "npm run package" first`);
  sandbox = await startSandbox({ port: 0 });
  front = await startHttpsFront(certificate!, sandbox.port);
  proxy = await startAuthProxy({
    user: PROXY_USER,
    password: PROXY_PASSWORD,
    route: (host, port) => (host === FAR_HOST ? { host: '127.0.0.1', port: front!.port } : { host, port }),
  });
  fs.writeFileSync(caFile, certificate!.cert);
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, FILE), vendorExample.replace('"description": "DIWALI 100% OFF"', '"description": "E2E through the proxy"'));
  // The CA file is a machine setting: also in the remote (machine) settings, which a remote window reads for it.
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'couponSeries.extraCaCertificates': [caFile] }, null, 2));
  server = await startCodeServer({
    workspace,
    extensionsDir: path.join(tmp, 'extensions'),
    userDataDir,
    vsix: PACKAGED_VSIX,
    settings: {
      'files.autoSave': 'off',
      'couponSeries.confirmBeforeSending': false,
      'couponSeries.extraCaCertificates': [caFile],
      'couponSeries.environments': [{ name: ENVIRONMENT, host: FAR_HOST, auth: 'basic', username: SANDBOX_USERNAME, orgId: SANDBOX_DEFAULT_ORG_ID }],
      // VS Code's own proxy settings: the extension reads neither.
      'http.proxy': proxy.urlWithCredentials,
      'http.proxySupport': 'override',
    },
    // Nothing from the test's own environment may decide the proxy.
    env: { HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '', NO_PROXY: '', no_proxy: '' },
  });
  wb = await openWorkbench(server.url);
});

after(async () => {
  await wb?.close();
  await server?.stop();
  await proxy?.close();
  await front?.close();
  await sandbox?.close();
  suiteFolder.remove();
});

async function step(t: TestContext, name: string, body: (page: Page) => Promise<void>): Promise<void> {
  if (!available.ok) {
    t.skip(`SKIPPED: ${available.reason}`);
    return;
  }
  assert.ok(wb, 'the workbench did not open (see the set-up failure)');
  try {
    await body(wb.page);
  } catch (error) {
    const shot = await screenshot(wb.page, `failure-network-${name}`).catch(() => undefined);
    if (shot) t.diagnostic(`failure screenshot: ${shot}`);
    if (server) t.diagnostic(`code-server log (tail):\n${server.logs().slice(-4000)}`);
    if (proxy) t.diagnostic(`proxy saw: ${JSON.stringify(proxy.requests)}`);
    throw error;
  }
}

/** Push to Environment… → the proxied environment, typing the password when asked. */
async function pushToProxied(p: Page): Promise<void> {
  await quickOpen(p, FILE);
  await clearNotifications(p);
  await runCommandAndPick(p, 'Coupon Series: Push to Environment…', ENVIRONMENT);
  const passwordBox = p.locator('.quick-input-widget input[type="password"]');
  const asked = await passwordBox.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  if (asked) {
    await passwordBox.focus();
    await p.keyboard.type(SANDBOX_PASSWORD);
    await p.keyboard.press('Enter');
  }
}

test('1. Push to Environment… reaches an HTTPS host through VS Code\'s http.proxy, with its Proxy-Authorization', { timeout: 120_000 }, (t) =>
  step(t, 'through-proxy', async (p) => {
    const mark = proxy!.requests.length;
    await pushToProxied(p);
    const note = await waitForNotification(p, new RegExp(`Created series (\\d+) .*on ${ENVIRONMENT}`), { timeout: 30_000 });
    t.diagnostic(`notification: ${note}`);
    const seen = proxy!.requests.slice(mark);
    t.diagnostic(`proxy saw: ${JSON.stringify(seen)}`);
    assert.ok(seen.length >= 1, 'the request went through the proxy');
    for (const request of seen) {
      assert.deepEqual(request, { method: 'CONNECT', target: `${FAR_HOST}:443`, proxyAuthorization: proxy!.expectedAuthorization, allowed: true });
    }
    assert.ok(front!.requests.includes('POST /v2/coupon/series'), `the HTTPS server got the create: ${JSON.stringify(front!.requests)}`);
    const document = JSON.parse(fs.readFileSync(path.join(workspace, FILE), 'utf8')) as { deployments?: Record<string, { id: number }> };
    const record = document.deployments?.[`${SANDBOX_DEFAULT_ORG_ID}@${FAR_HOST}`];
    assert.ok(record, `the file records the series on ${FAR_HOST}: ${JSON.stringify(document.deployments)}`);
    createdId = record.id;
    assert.ok(sandbox!.requests().some((request) => request.method === 'POST' && request.status === 200), 'the sandbox behind the proxy created it');
    t.diagnostic(`screenshot: ${await screenshot(p, 'network-01-created-through-proxy')}`);
  }),
);

test('2. a proxy refusing the credentials: "Proxy authentication required (407)", nothing sent on, the file unchanged', { timeout: 120_000 }, (t) =>
  step(t, 'proxy-407', async (p) => {
    if (createdId === undefined) return t.skip('needs the series created in step 1');
    const file = path.join(workspace, FILE);
    const before = fs.readFileSync(file, 'utf8');
    const mark = proxy!.requests.length;
    const frontMark = front!.requests.length;
    // The proxy's password changed: what http.proxy holds is refused from now on.
    proxy!.setCredentials(PROXY_USER, 'changed-proxy-secret');
    await pushToProxied(p);
    const note = await waitForNotification(p, /Proxy authentication required \(407\)/, { timeout: 30_000 });
    t.diagnostic(`notification: ${note}`);
    assert.match(note, new RegExp(`the proxy between this machine and ${ENVIRONMENT} refused the request without valid proxy credentials\\. Check the proxy's user and password: those VS Code asked you for, or those in the http\\.proxy setting`));
    const seen = proxy!.requests.slice(mark);
    t.diagnostic(`proxy saw: ${JSON.stringify(seen)}`);
    assert.ok(seen.length >= 1 && seen.every((request) => request.method === 'CONNECT' && !request.allowed), 'refused tunnels only');
    assert.equal(front!.requests.length, frontMark, 'nothing reached the server');
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'the file is byte-identical');
    t.diagnostic(`notifications: ${JSON.stringify(await readNotifications(p))}`);
    t.diagnostic(`screenshot: ${await screenshot(p, 'network-02-proxy-407')}`);
    proxy!.setCredentials(PROXY_USER, PROXY_PASSWORD);
  }),
);

test('3. the extension\'s bundle sends through Node\'s https (no undici) and the workbench stayed clean', { timeout: 30_000 }, (t) =>
  step(t, 'clean', async () => {
    const extensionDir = fs.readdirSync(path.join(tmp, 'extensions')).find((name) => name.startsWith('coupon-series.'));
    assert.ok(extensionDir, 'the extension is installed');
    const bundle = fs.readFileSync(path.join(tmp, 'extensions', extensionDir, 'dist', 'extension.js'), 'utf8');
    assert.ok(!/undici/i.test(bundle), 'the installed bundle carries no undici');
    t.diagnostic(`installed dist/extension.js: ${bundle.length} bytes`);
    await waitFor(() => wb!.consoleErrors.every((error) => !/coupon/i.test(error)) || undefined, { timeout: 1_000, message: () => `browser errors: ${wb!.consoleErrors.join('\n')}` });
  }),
);
