/**
 * The installed extension's page, as a person opens it from the Extensions
 * view of a real workbench (code-server, VS Code 1.100) with the packaged
 * .vsix: the icon shows, the Details tab opens with the user's README and
 * every image in it has loaded (naturalWidth > 0), and the Changelog tab
 * shows the CHANGELOG.
 *
 *   npm run test:e2e              (prepares code-server, packages the .vsix)
 *   node --test --test-reporter=spec out/test/e2e/details.e2e.js
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
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
let server: CodeServer | undefined;
let wb: Workbench | undefined;

after(async () => {
  await wb?.close();
  await server?.stop();
  suiteFolder.remove();
});

/** The images of the README the page shows, by alt text: loaded or not. */
interface ShownImage {
  alt: string;
  complete: boolean;
  naturalWidth: number;
  scheme: string;
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
      .map((img) => ({ alt: img.alt as string, complete: img.complete as boolean, naturalWidth: img.naturalWidth as number, scheme: String(img.getAttribute('src') ?? '').split(':')[0] })),
  );
}

/** The tab of the extension editor ("Details", "Features", "Changelog"). */
async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('.extension-editor .navbar .action-label', { hasText: name }).first().click();
}

test('the installed extension\'s page: icon, README for users with every image loaded, CHANGELOG', { timeout: 240_000 }, async (t) => {
  if (!available.ok) {
    t.skip(`SKIPPED: ${available.reason}`);
    return;
  }
  assert.ok(fs.existsSync(PACKAGED_VSIX), `${PACKAGED_VSIX} is missing: npm run package`);
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const expectedImages = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((match) => match[1]);
  assert.ok(expectedImages.length >= 6, `README images: ${expectedImages.length}`);

  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  server = await startCodeServer({ workspace, extensionsDir: path.join(tmp, 'extensions'), userDataDir: path.join(tmp, 'user-data'), vsix: PACKAGED_VSIX });
  try {
    wb = await openWorkbench(server.url);
    const page = wb.page;

    // As a person finds it: the Extensions view, the enabled extensions, a click.
    await runCommand(page, 'Extensions: Show Enabled Extensions');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Coupon Series' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    const editor = page.locator('.extension-editor');
    await editor.waitFor({ state: 'visible' });
    assert.equal((await editor.locator('.header .name').first().innerText()).trim(), 'Coupon Series');

    const icon = editor.locator('.header .icon-container img.icon').first();
    const iconWidth = await waitFor(async () => (await icon.evaluate((img: any) => (img.complete ? img.naturalWidth : 0))) || undefined, {
      timeout: 15_000,
      message: 'the extension icon did not load',
    });
    t.diagnostic(`icon: ${iconWidth}px wide`);

    // Details: the README, user part first, with every image loaded.
    const details = await frameHolding(page, 'Getting started');
    const text: string = await details.evaluate(() => document.body.innerText);
    assert.ok(text.indexOf('Getting started') < text.indexOf('While you edit'), 'the README opens with what a user needs');
    assert.ok(!/\bnpm run test:e2e\b/.test(text), 'developer instructions are in CONTRIBUTING.md, not on the page');
    let shown: ShownImage[] = [];
    await waitFor(
      async () => {
        shown = await imagesIn(details);
        return shown.length === expectedImages.length && shown.every((image) => image.complete);
      },
      { timeout: 30_000, message: () => `images on the page: ${JSON.stringify(shown)}` },
    );
    t.diagnostic(`images: ${JSON.stringify(shown.map(({ alt, naturalWidth, scheme }) => ({ alt, naturalWidth, scheme })))}`);
    assert.deepEqual(shown.map((image) => image.alt), expectedImages, 'the README\'s images, in order');
    for (const image of shown) assert.ok(image.naturalWidth > 0, `"${image.alt}" loaded (naturalWidth ${image.naturalWidth})`);
    await details.evaluate(() => document.querySelector('img')?.scrollIntoView());
    t.diagnostic(`screenshot: ${await screenshot(page, 'details-page')}`);

    await openTab(page, 'Changelog');
    const changelog = await frameHolding(page, '0.1.0');
    assert.match(await changelog.evaluate(() => document.body.innerText as string), /Unreleased[\s\S]*0\.1\.0/);
  } catch (error) {
    if (wb) t.diagnostic(`failure screenshot: ${await screenshot(wb.page, 'failure-details-page').catch(() => 'none')}`);
    t.diagnostic(`code-server log (tail):\n${server.logs().slice(-3000)}`);
    throw error;
  }
});
