/**
 * The web build of the language server (dist/browser/server.js, what
 * vscode.dev and github.dev run) in headless Chromium: a plain page served from
 * 127.0.0.1 starts it in a Worker and speaks LSP over postMessage, the way
 * vscode-languageclient/browser does. Validation, completion, hover and the
 * workspace-wide check (file contents read through the client, since a worker
 * has no file system) must all answer.
 *
 *   npm run build && npx tsc -p . && node --test out/test/e2e/webWorker.e2e.js
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Browser, chromium, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT, waitFor } from './harness';

// Referenced only inside functions that run in the page.
declare const window: any;

const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'browser', 'server.js');
const vendorExample = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');

/**
 * The page: a Worker running the server bundle, every message it posts kept in
 * `window.received`, and the client's side of the server's requests: no
 * settings, capability registration accepted, `couponSeries/readFile` answered
 * from `window.files` (a stand-in for vscode.workspace.fs).
 */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Coupon Series language server in a worker</title>
<script>
  window.received = [];
  window.errors = [];
  window.files = {};
  const worker = new Worker('/server.js');
  worker.onerror = (event) => window.errors.push(event.message || String(event));
  worker.onmessage = ({ data }) => {
    window.received.push(data);
    if (data.id === undefined || data.method === undefined) return;
    const reply = (result) => worker.postMessage({ jsonrpc: '2.0', id: data.id, result });
    if (data.method === 'couponSeries/readFile') reply(window.files[data.params.uri] ?? null);
    else if (data.method === 'workspace/configuration') reply(data.params.items.map(() => null));
    else reply(null);
  };
  window.send = (message) => worker.postMessage(message);
</script>`;

let httpServer: http.Server;
let baseUrl: string;
let browser: Browser;
let page: Page;
let nextId = 1;

before(async () => {
  assert.ok(fs.existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run npm run build first`);
  httpServer = http.createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (request.url === '/server.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(fs.readFileSync(SERVER_BUNDLE));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.goto(`${baseUrl}/`);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => httpServer?.close(resolve));
});

async function send(message: Record<string, unknown>): Promise<void> {
  await page.evaluate((m) => window.send(m), { jsonrpc: '2.0', ...message });
}

async function request<R>(method: string, params: unknown): Promise<R> {
  const id = nextId++;
  await send({ id, method, params });
  const response = await waitFor(
    () => page.evaluate((wanted) => window.received.find((m: { id?: number; method?: string }) => m.id === wanted && m.method === undefined), id),
    { timeout: 20_000, message: `no answer to ${method}` },
  );
  assert.equal(response.error, undefined, JSON.stringify(response.error));
  return response.result as R;
}

/** The newest publishDiagnostics for `uri` that satisfies `accept`. */
async function diagnostics(uri: string, accept: (params: { version?: number; diagnostics: { code: string }[] }) => boolean) {
  return waitFor(
    async () => {
      const published = await page.evaluate(
        (wanted) => window.received.filter((m: { method?: string; params?: { uri: string } }) => m.method === 'textDocument/publishDiagnostics' && m.params?.uri === wanted).map((m: { params: unknown }) => m.params),
        uri,
      );
      return published.reverse().find(accept);
    },
    { timeout: 20_000, message: `no matching diagnostics for ${uri}` },
  );
}

function positionOf(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('the worker build answers initialize, validates, completes and hovers over postMessage', { timeout: 60_000 }, async () => {
  const init = await request<{ capabilities: Record<string, unknown>; serverInfo: { name: string } }>('initialize', {
    processId: null,
    rootUri: null,
    workspaceFolders: [{ uri: 'memfs:/workspace', name: 'workspace' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  assert.equal(init.serverInfo.name, 'coupon-series-language-server');
  assert.ok(init.capabilities.hoverProvider && init.capabilities.completionProvider);
  await send({ method: 'initialized', params: {} });

  const uri = 'memfs:/workspace/diwali.coupon.json';
  const text = vendorExample.replace('"discountType": "ABS"', '"discountType": "PCT"');
  await send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'coupon-json', version: 1, text } } });
  const published = await diagnostics(uri, (params) => params.version === 1);
  assert.deepEqual(published.diagnostics.map((d: { code: string }) => d.code), ['unknown-enum-value']);

  const completionAt = positionOf(text, text.indexOf('"expiryStrategyType": "') + '"expiryStrategyType": "'.length);
  const completion = await request<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: completionAt });
  const labels = completion.items.map((item) => item.label.replace(/"/g, ''));
  for (const value of ['SERIES_EXPIRY', 'DAYS', 'MONTHS_END']) assert.ok(labels.includes(value), labels.join(', '));

  const hover = await request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, text.indexOf('"discountType"') + 3) });
  assert.match(hover.contents.value, /discountType/);
  assert.match(hover.contents.value, /PERC/);

  // A fix reaches the worker as an incremental change: the problem goes away for that version.
  const at = text.indexOf('"PCT"') + 1;
  await send({
    method: 'textDocument/didChange',
    params: { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: positionOf(text, at), end: positionOf(text, at + 3) }, text: 'ABS' }] },
  });
  assert.deepEqual((await diagnostics(uri, (params) => params.version === 2)).diagnostics, []);

  assert.deepEqual(await page.evaluate(() => window.errors), []);
});

test('the worker build checks unopened workspace files, reading them through the client', { timeout: 60_000 }, async () => {
  const closed = 'memfs:/workspace/closed.coupon.json';
  const missingDescription = JSON.stringify({ CouponSeriesV2: { ...JSON.parse(vendorExample).CouponSeriesV2, description: undefined } }, null, 2);
  await page.evaluate(([uri, content]) => (window.files[uri] = content), [closed, missingDescription]);
  await send({ method: 'couponSeries/workspaceFiles', params: { uris: [closed] } });
  const published = await diagnostics(closed, () => true);
  assert.ok(published.diagnostics.some((d: { code: string }) => d.code === 'missing-property'), JSON.stringify(published.diagnostics));
  const readRequests = await page.evaluate((uri) => window.received.filter((m: { method?: string; params?: { uri: string } }) => m.method === 'couponSeries/readFile' && m.params?.uri === uri).length, closed);
  assert.equal(readRequests, 1, 'the content came from the client: a worker has no file system');
});
