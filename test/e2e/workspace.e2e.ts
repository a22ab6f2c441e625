/**
 * Workspace-wide diagnostics and the web build, in the real workbench
 * (code-server + Chromium, the packaged .vsix):
 *
 * - the Problems panel lists the problems of coupon files nobody opened,
 *   leaves out `couponSeries.exclude`, and follows a change on disk;
 * - with the extension forced into the browser's web-worker extension host
 *   (`remote.extensionKind`: what vscode.dev and github.dev run), the language
 *   server runs in a worker and the API commands say they need the desktop.
 *
 *   npm run test:e2e     (or, once packaged: node --test out/test/e2e/workspace.e2e.js)
 */
import { after, test, TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeServer,
  e2eAvailable,
  openProblemsPanel,
  openWorkbench,
  PACKAGED_VSIX,
  quickOpen,
  readNotifications,
  REPO_ROOT,
  runCommand,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  waitForNotification,
  waitForProblems,
  Workbench,
} from './harness';

const available = e2eAvailable();
const vendorExample = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'valid', 'vendor-example.coupon.json'), 'utf8');
const wrongEnum = vendorExample.replace('"discountType": "ABS"', '"discountType": "PERCENT"');
const suiteFolder = suiteTempFolder('workspace');
const tmp = suiteFolder.path;
const running: { server?: CodeServer; wb?: Workbench }[] = [];

after(async () => {
  for (const { wb, server } of running) {
    await wb?.close();
    await server?.stop();
  }
  suiteFolder.remove();
});

/** A workspace of files (path → text) with workspace settings, opened in a fresh code-server. */
async function workbench(name: string, files: Record<string, string>, settings: Record<string, unknown>, userSettings: Record<string, unknown> = {}): Promise<{ wb: Workbench; workspace: string }> {
  const root = path.join(tmp, name);
  const workspace = path.join(root, 'workspace');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    fs.writeFileSync(path.join(workspace, file), text);
  }
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  const entry: { server?: CodeServer; wb?: Workbench } = {};
  running.push(entry);
  entry.server = await startCodeServer({ workspace, extensionsDir: path.join(root, 'extensions'), userDataDir: path.join(root, 'user-data'), vsix: PACKAGED_VSIX, settings: { 'files.autoSave': 'off', ...userSettings } });
  entry.wb = await openWorkbench(entry.server.url);
  return { wb: entry.wb, workspace };
}

async function onFailure(t: TestContext, wb: Workbench | undefined, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (wb) t.diagnostic(`failure screenshot: ${await screenshot(wb.page, `failure-${name}`).catch(() => 'none')}`);
    if (wb) t.diagnostic(`browser console errors: ${JSON.stringify(wb.consoleErrors.slice(-20))}`);
    throw error;
  }
}

test('the Problems panel lists unopened coupon files, without the excluded ones, and follows changes on disk', { timeout: 180_000 }, async (t) => {
  if (!available.ok) return t.skip(`SKIPPED: ${available.reason}`);
  const { wb, workspace } = await workbench(
    'workspace-wide',
    { 'series/diwali.coupon.json': wrongEnum, 'series/clean.coupon.json': vendorExample, 'fixtures/broken.coupon.json': wrongEnum },
    { 'couponSeries.exclude': ['fixtures/**'] },
  );
  await onFailure(t, wb, 'workspace-wide', async () => {
    const page = wb.page;
    // Nothing is opened: the extension activates for a workspace holding coupon files.
    await openProblemsPanel(page);
    const rows = await waitForProblems(page, (r) => r.some((row) => row.startsWith('diwali.coupon.json')) && r.some((row) => /unknown-enum-value/.test(row)), { timeout: 60_000 });
    t.diagnostic(`problems of unopened files: ${JSON.stringify(rows)}`);
    assert.ok(!rows.some((row) => row.startsWith('broken.coupon.json')), 'fixtures/** is excluded');
    assert.ok(!rows.some((row) => row.startsWith('clean.coupon.json')), 'a valid file has no problems');
    t.diagnostic(`screenshot: ${await screenshot(page, 'workspace-01-unopened-files')}`);

    // A change on disk (a pull, a merge, a checkout) is checked again.
    fs.writeFileSync(path.join(workspace, 'series', 'clean.coupon.json'), wrongEnum);
    await waitForProblems(page, (r) => r.some((row) => row.startsWith('clean.coupon.json')), { timeout: 30_000 });
    // Fixed on disk: its problems go.
    fs.writeFileSync(path.join(workspace, 'series', 'diwali.coupon.json'), vendorExample);
    await waitForProblems(page, (r) => !r.some((row) => row.startsWith('diwali.coupon.json')), { timeout: 30_000 });
    t.diagnostic(`screenshot: ${await screenshot(page, 'workspace-02-changed-on-disk')}`);
  });
});

test('in the web-worker extension host (vscode.dev, github.dev): diagnostics from the worker, API commands need the desktop', { timeout: 180_000 }, async (t) => {
  if (!available.ok) return t.skip(`SKIPPED: ${available.reason}`);
  const unopened = vendorExample.replace(/\n\s*"description": "[^"]*",/, '');
  const { wb } = await workbench('web', { 'diwali.coupon.json': wrongEnum, 'unopened.coupon.json': unopened }, {}, { 'remote.extensionKind': { 'coupon-series.coupon-series': ['web'] } });
  await onFailure(t, wb, 'web-extension-host', async () => {
    const page = wb.page;
    await quickOpen(page, 'diwali.coupon.json');
    await openProblemsPanel(page);
    // The open file's problems, and an unopened file's (its content read through the client: a worker has no file system).
    const rows = await waitForProblems(page, (r) => r.some((row) => /unknown-enum-value/.test(row)) && r.some((row) => row.startsWith('unopened.coupon.json')), { timeout: 60_000 });
    t.diagnostic(`problems from the worker: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((row) => /missing-property/.test(row)), JSON.stringify(rows));
    await runCommand(page, 'Coupon Series: Create on Server');
    const message = await waitForNotification(page, /needs VS Code desktop/, { timeout: 20_000 });
    t.diagnostic(`notification: ${message}`);
    assert.match(message, /Create on Server/);
    t.diagnostic(`screenshot: ${await screenshot(page, 'web-01-desktop-only-command')}`);
    assert.ok(!(await readNotifications(page)).some((n) => /error|failed/i.test(n) && !/needs VS Code desktop/.test(n)), 'no activation error');
  });
});
