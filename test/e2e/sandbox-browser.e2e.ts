/**
 * A web page cannot drive the local sandbox, tried with a real browser
 * (headless Debian Chromium, as the rest of the e2e suite): a page on another
 * site auto-submits a text/plain form to /__sandbox/faults, sends a
 * cross-origin fetch with the control header, and, served as if DNS had
 * rebound its name to 127.0.0.1, fetches the sandbox "same-origin". Nothing
 * changes. The page's host name is mapped to 127.0.0.1 inside Chromium only
 * (--host-resolver-rules), so no DNS is involved.
 */
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Browser, chromium } from 'playwright-core';
import { CONTROL_HEADER, CONTROL_HEADER_VALUE, Sandbox, startSandbox } from '../../core/src/sandbox';
import { CHROMIUM_ARGS, CHROMIUM_PATH, e2eAvailable } from './harness';

const EVIL = 'evil.example';
let sandbox: Sandbox;
let site: Server;
let sitePort: number;
let browser: Browser | undefined;

/** The attacker's page: a form that posts itself to the sandbox as text/plain, the way `enctype="text/plain"` lets a page send JSON-looking bodies. */
function attackerPage(sandboxPort: number): string {
  return `<!doctype html><html><body>
<form id="f" method="POST" enctype="text/plain" action="http://127.0.0.1:${sandboxPort}/__sandbox/faults">
<input name='{"delayMs": {"ms": 120000}, "x": "' value='"}'>
</form>
<script>document.getElementById('f').submit();</script>
</body></html>`;
}

before(async () => {
  sandbox = await startSandbox();
  site = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(request.url === '/form' ? attackerPage(sandbox.port) : '<!doctype html><title>another site</title>');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  sitePort = (site.address() as AddressInfo).port;
});

after(async () => {
  await browser?.close().catch(() => undefined);
  site.closeAllConnections();
  await new Promise<void>((resolve) => site.close(() => resolve()));
  await sandbox.close();
});

test('a page of another site cannot change the sandbox: form post, cross-origin fetch, rebound DNS name', { timeout: 60_000 }, async (t) => {
  const available = e2eAvailable();
  if (!available.ok && available.reason?.includes('chromium')) {
    t.skip(available.reason);
    return;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${EVIL} 127.0.0.1`] });
  const page = await (await browser.newContext()).newPage();

  // 1. The form posts itself on load; the browser lands on the sandbox's answer.
  await page.goto(`http://${EVIL}:${sitePort}/form`);
  await page.waitForURL(`http://127.0.0.1:${sandbox.port}/__sandbox/faults`, { timeout: 10_000 });
  assert.match(await page.content(), /does not answer web pages of other origins/);
  assert.deepEqual(sandbox.state().faults, {}, 'the form changed nothing');

  // 2. A cross-origin fetch with the control header needs a preflight, which is never granted.
  await page.goto(`http://${EVIL}:${sitePort}/`);
  const crossOrigin = await page.evaluate(
    async ({ url, header, value }) => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { [header]: value, 'content-type': 'application/json' }, body: '{"delayMs": {"ms": 120000}}' });
        return `answered ${response.status}`;
      } catch (error) {
        return `failed: ${String(error)}`;
      }
    },
    { url: `http://127.0.0.1:${sandbox.port}/__sandbox/faults`, header: CONTROL_HEADER, value: CONTROL_HEADER_VALUE },
  );
  assert.match(crossOrigin, /^failed: TypeError/, crossOrigin);
  assert.deepEqual(sandbox.state().faults, {});

  // 3. DNS rebinding: once evil.example resolves to 127.0.0.1, a page of http://evil.example:<sandbox port>
  //    is same-origin with the sandbox for the browser, so its scripts may send any header. (The page is
  //    loaded from the sandbox itself under that name, as after the rebinding; the sandbox already refuses it.)
  const landing = await page.goto(`http://${EVIL}:${sandbox.port}/`);
  assert.equal(landing?.status(), 403);
  const rebound = await page.evaluate(
    async ({ header, value }) => {
      const faults = await fetch('/__sandbox/faults', { method: 'POST', headers: { [header]: value, 'content-type': 'application/json' }, body: '{"delayMs": {"ms": 120000}}' });
      const series = await fetch('/v2/coupon/series?ids=1001');
      return [faults.status, series.status];
    },
    { header: CONTROL_HEADER, value: CONTROL_HEADER_VALUE },
  );
  assert.deepEqual(rebound, [403, 403]);
  assert.deepEqual(sandbox.state().faults, {}, 'nothing changed');
});
