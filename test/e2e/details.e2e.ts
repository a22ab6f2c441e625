/**
 * The installed extension's page, as a person opens it from the Extensions
 * view of a real workbench (code-server, each VS Code version of the suite)
 * with the packaged .vsix: the icon shows, the Details tab opens with the
 * user's README, the README's images are files of the .vsix, and the
 * Changelog tab shows the CHANGELOG.
 *
 * Whether an image shows on the Details page depends on its URL, not on the
 * file being in the .vsix: the page is a webview with no base URL and the
 * policy `img-src https: data:`; VS Code 1.100 keeps a relative src (it then
 * points into the webview's own folder and is blocked), 1.139 removes relative
 * and data: sources. So the second test packages the same files with
 * `--images-base-url` (scripts/package.mjs) pointing at an HTTPS server that
 * serves them out of the installed extension's folder, and asserts that every
 * image loaded (naturalWidth > 0).
 *
 *   npm run test:e2e              (prepares code-server, packages the .vsix)
 *   node --test --test-reporter=spec out/test/e2e/details.e2e.js
 */
import { after, test, TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { makeSelfSignedCertificate } from '../support/network';
import {
  CODE_SERVER_VERSION,
  CodeServer,
  e2eAvailable,
  openWorkbench,
  PACKAGED_VSIX,
  REPO_ROOT,
  runCommand,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  waitFor,
  Workbench,
} from './harness';

// Only referenced inside functions that run in the browser.
declare const document: any;

const available = e2eAvailable();
const suiteFolder = suiteTempFolder('details');
const tmp = suiteFolder.path;
const running: { server?: CodeServer; wb?: Workbench; close?: () => Promise<void> }[] = [];

after(async () => {
  for (const { wb, server, close } of running) {
    await wb?.close();
    await server?.stop();
    await close?.();
  }
  suiteFolder.remove();
});

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
/** The README's images, in order: alt text and path. */
const README_IMAGES = [...README.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((match) => ({ alt: match[1], file: match[2] }));

/** An image of the Details page: its alt text, its src as the page kept it, and whether it loaded. */
interface ShownImage {
  alt: string;
  src: string;
  complete: boolean;
  naturalWidth: number;
}

/** The webview frame whose document holds `text` (webviews nest an iframe in an iframe). */
async function frameHolding(page: Page, text: string): Promise<Frame> {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        const holds = await frame.evaluate((wanted: string) => !!document.body && document.body.innerText.includes(wanted), text).catch(() => false);
        if (holds) return frame;
      }
      return undefined;
    },
    { timeout: 30_000, message: `no webview shows "${text}"` },
  );
}

async function imagesIn(frame: Frame): Promise<ShownImage[]> {
  return frame.evaluate(() =>
    (Array.from(document.querySelectorAll('img')) as any[])
      .filter((img) => !img.closest('#scroll-to-top'))
      .map((img) => ({ alt: img.alt as string, src: String(img.getAttribute('src') ?? '').slice(0, 200), complete: img.complete as boolean, naturalWidth: img.naturalWidth as number })),
  );
}

/** The installed extension's folder in extensionsDir. */
function installedFolder(extensionsDir: string): string {
  const name = fs.readdirSync(extensionsDir).find((entry) => entry.startsWith('coupon-series.coupon-series-'));
  assert.ok(name, `the extension is installed in ${extensionsDir}`);
  return path.join(extensionsDir, name);
}

/**
 * Opens the extension's page as a person would (the Extensions view, the
 * enabled extensions, a click on its row), checks the header and the icon,
 * and returns the Details webview once the README's user part is on it.
 */
async function openDetails(t: TestContext, page: Page): Promise<Frame> {
  await runCommand(page, 'Extensions: Show Enabled Extensions');
  // The row's accessible name starts with the display name ("Coupon Series, 0.1.0, Publisher …").
  const row = page.locator('.extensions-viewlet [role="listitem"][aria-label^="Coupon Series,"]').first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
  const editor = page.locator('.extension-editor');
  await editor.waitFor({ state: 'visible' });
  assert.equal((await editor.getByRole('heading').first().innerText()).trim(), 'Coupon Series');
  const icon = editor.locator('.header .icon-container img.icon').first();
  const iconWidth = await waitFor(async () => (await icon.evaluate((img: any) => (img.complete ? img.naturalWidth : 0))) || undefined, {
    timeout: 15_000,
    message: 'the extension icon did not load',
  });
  t.diagnostic(`icon: ${iconWidth}px wide`);
  const details = await frameHolding(page, 'Getting started');
  const text: string = await details.evaluate(() => document.body.innerText);
  assert.ok(text.indexOf('Getting started') < text.indexOf('From a clone'), 'the README opens with what a user needs');
  assert.ok(!/\bnpm run test:e2e\b/.test(text), 'developer instructions are in CONTRIBUTING.md, not on the page');
  return details;
}

/** The page's images once each has finished (loaded or not), checked against the README's, in order. */
async function settledImages(details: Frame): Promise<ShownImage[]> {
  let shown: ShownImage[] = [];
  await waitFor(
    async () => {
      shown = await imagesIn(details);
      return shown.length === README_IMAGES.length && shown.every((image) => image.complete);
    },
    { timeout: 30_000, message: () => `images on the page: ${JSON.stringify(shown)}` },
  );
  assert.deepEqual(shown.map((image) => image.alt), README_IMAGES.map((image) => image.alt), 'the README\'s images, in order');
  return shown;
}

async function onFailure(t: TestContext, entry: { server?: CodeServer; wb?: Workbench }, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (entry.wb) t.diagnostic(`failure screenshot: ${await screenshot(entry.wb.page, `failure-${name}`).catch(() => 'none')}`);
    if (entry.server) t.diagnostic(`code-server log (tail):\n${entry.server.logs().slice(-3000)}`);
    throw error;
  }
}

test('the installed extension\'s page: icon, README for users, its images as files of the .vsix, CHANGELOG', { timeout: 240_000 }, async (t) => {
  if (!available.ok) return t.skip(`SKIPPED: ${available.reason}`);
  assert.ok(fs.existsSync(PACKAGED_VSIX), `${PACKAGED_VSIX} is missing: npm run package`);
  assert.ok(README_IMAGES.length >= 6, `README images: ${README_IMAGES.length}`);
  const root = path.join(tmp, 'packaged');
  const extensionsDir = path.join(root, 'extensions');
  const entry: { server?: CodeServer; wb?: Workbench } = {};
  running.push(entry);
  entry.server = await startCodeServer({ workspace: path.join(root, 'workspace'), extensionsDir, userDataDir: path.join(root, 'user-data'), vsix: PACKAGED_VSIX });
  await onFailure(t, entry, 'details-page', async () => {
    // Every image the README shows is a file of the installed extension, the repository's own bytes.
    const folder = installedFolder(extensionsDir);
    for (const { file } of README_IMAGES) {
      const installed = path.join(folder, file);
      assert.ok(fs.existsSync(installed), `${file} is in the installed extension`);
      assert.ok(fs.readFileSync(installed).equals(fs.readFileSync(path.join(REPO_ROOT, file))), `${file} is the repository's`);
    }
    entry.wb = await openWorkbench(entry.server!.url);
    const page = entry.wb.page;
    const details = await openDetails(t, page);
    const shown = await settledImages(details);
    // What this version does with a relative image path (the README ships no data: URI).
    assert.ok(shown.every((image) => !image.src.startsWith('data:')), 'no data: image');
    const seen = shown.map(({ src, naturalWidth }) => ({ src: src || '(removed by the page)', naturalWidth }));
    t.diagnostic(`VS Code of code-server ${CODE_SERVER_VERSION}, relative image paths: ${JSON.stringify(seen)}`);
    await details.evaluate(() => document.querySelector('img')?.scrollIntoView());
    t.diagnostic(`screenshot: ${await screenshot(page, 'details-page')}`);

    await page.locator('.extension-editor .navbar').getByText('Changelog', { exact: true }).click();
    // (The workbench itself shows "0.1.0" beside the page: the CHANGELOG's webview is the frame with "Unreleased".)
    const changelog = await frameHolding(page, 'Unreleased');
    assert.match(await changelog.evaluate(() => document.body.innerText as string), /Unreleased[\s\S]*0\.1\.0/);
  });
});

test('with its images on an HTTPS host (package --images-base-url), every image of the Details page loads', { timeout: 240_000 }, async (t) => {
  if (!available.ok) return t.skip(`SKIPPED: ${available.reason}`);
  const certificate = makeSelfSignedCertificate();
  if (!certificate) return t.skip('SKIPPED: openssl is not available to make a self-signed certificate');
  const root = path.join(tmp, 'https-images');
  const extensionsDir = path.join(root, 'extensions');
  const entry: { server?: CodeServer; wb?: Workbench; close?: () => Promise<void> } = {};
  running.push(entry);

  // The host: the installed extension's own files (so the bytes shown are the .vsix's), once it is installed.
  let served: string | undefined;
  const requests: string[] = [];
  const host = https.createServer(certificate, (request, response) => {
    const file = served && path.join(served, decodeURIComponent(new URL(request.url ?? '/', 'https://host').pathname));
    requests.push(`${request.method} ${request.url}`);
    if (!file || !file.startsWith(served + path.sep) || !fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'image/png' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  entry.close = () => new Promise<void>((resolve) => host.close(() => resolve()));
  const base = `https://127.0.0.1:${(host.address() as AddressInfo).port}/`;

  const vsix = path.join(root, 'package', 'coupon-series.vsix');
  const packaging = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), '--images-base-url', base, '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(packaging.status, 0, `package --images-base-url failed:\n${packaging.stdout}\n${packaging.stderr}`);
  const packagedReadme = fs.readFileSync(path.join(path.dirname(vsix), 'README.md'), 'utf8');
  for (const { file } of README_IMAGES) assert.ok(packagedReadme.includes(`](${base}${file})`), `${file} is named at ${base}`);

  entry.server = await startCodeServer({ workspace: path.join(root, 'workspace'), extensionsDir, userDataDir: path.join(root, 'user-data'), vsix });
  served = installedFolder(extensionsDir);
  await onFailure(t, entry, 'details-page-https-images', async () => {
    entry.wb = await openWorkbench(entry.server!.url, { ignoreHttpsErrors: true });
    const page = entry.wb.page;
    const details = await openDetails(t, page);
    const shown = await settledImages(details);
    t.diagnostic(`images: ${JSON.stringify(shown.map(({ alt, naturalWidth }) => ({ alt, naturalWidth })))}`);
    for (const image of shown) assert.ok(image.naturalWidth > 0, `"${image.alt}" loaded (naturalWidth ${image.naturalWidth}, src ${image.src})`);
    for (const { file } of README_IMAGES) assert.ok(requests.includes(`GET /${file}`), `${file} came from the installed extension over HTTPS: ${JSON.stringify(requests)}`);
    await details.evaluate(() => document.querySelector('img')?.scrollIntoView());
    t.diagnostic(`screenshot: ${await screenshot(page, 'details-page-https-images')}`);
  });
});
