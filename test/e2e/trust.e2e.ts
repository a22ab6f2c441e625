/**
 * Restricted Mode in the real workbench: a cloned repository the user has not
 * trusted. The language features work (they only read the open file); sending
 * and credentials wait for trust, and the environments the repository's
 * settings define are not offered. Nothing reaches the server.
 */
import { after, before, test, TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox, startSandbox } from '../../core/src/sandbox';
import {
  CodeServer,
  e2eAvailable,
  openProblemsPanel,
  openWorkbench,
  PACKAGED_VSIX,
  quickOpen,
  REPO_ROOT,
  runCommand,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  waitFor,
  waitForNotification,
  waitForProblems,
  Workbench,
} from './harness';

const available = e2eAvailable();
const suiteFolder = suiteTempFolder('trust');
const tmp = suiteFolder.path;
const workspace = path.join(tmp, 'cloned-repository');

let sandbox: Sandbox | undefined;
let server: CodeServer | undefined;
let wb: Workbench | undefined;

before(async () => {
  if (!available.ok) return;
  sandbox = await startSandbox({ port: 0 });
  const vendor = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'valid', 'vendor-example.coupon.json'), 'utf8');
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'series.coupon.json'), vendor.replace('"discountType": "ABS"', '"discountType": "PERCENT"'));
  // What a hostile repository could ship: its own environment, a moved sandbox port.
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({
      'couponSeries.environments': [{ name: 'Repository environment', host: `http://127.0.0.1:${sandbox.port}`, auth: 'basic', username: 'sandbox.user' }],
      'couponSeries.sandboxPort': sandbox.port,
    }),
  );
  server = await startCodeServer({ workspace, extensionsDir: path.join(tmp, 'extensions'), userDataDir: path.join(tmp, 'user-data'), vsix: PACKAGED_VSIX, workspaceTrust: true });
  wb = await openWorkbench(server.url);
});

after(async () => {
  await wb?.close();
  await server?.stop();
  await sandbox?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('Restricted Mode: diagnostics work; Create waits for trust; the repository\'s environment is not offered; nothing is sent', { timeout: 120_000 }, async (t) => {
  if (!available.ok) return t.skip(`SKIPPED: ${available.reason}`);
  try {
    await restrictedMode(t);
  } catch (error) {
    if (wb) t.diagnostic(`failure screenshot: ${await screenshot(wb.page, 'failure-restricted-mode').catch(() => 'none')}`);
    if (server) t.diagnostic(`code-server log (tail):\n${server.logs().slice(-3000)}`);
    throw error;
  }
});

async function restrictedMode(t: TestContext): Promise<void> {
  const p = wb!.page;
  await openProblemsPanel(p);
  await quickOpen(p, 'series.coupon.json');
  const rows = await waitForProblems(p, (r) => r.some((row) => /unknown-enum-value/.test(row)), { timeout: 30_000 });
  t.diagnostic(`problems in Restricted Mode: ${JSON.stringify(rows)}`);
  await screenshot(p, '20-restricted-mode-diagnostics');

  await runCommand(p, 'Coupon Series: Create on Server');
  const warning = await waitForNotification(p, /needs a trusted workspace/, { timeout: 20_000 });
  t.diagnostic(`notification: ${warning}`);
  assert.match(warning, /Restricted Mode/);

  await runCommand(p, 'Coupon Series: Select Environment');
  // The environments list replaces the palette's rows once the command runs.
  const offered = await waitFor(async () => {
    const labels = (await p.locator('.quick-input-widget .monaco-list-row').allInnerTexts()).map((label) => label.replace(/\s+/g, ' '));
    return labels.some((label) => label.includes('Local sandbox')) ? labels : undefined;
  });
  t.diagnostic(`environments offered: ${JSON.stringify(offered)}`);
  assert.ok(!offered.some((label) => label.includes('Repository environment')), 'the repository\'s own environment waits for trust');
  await p.keyboard.press('Escape');
  await screenshot(p, '21-restricted-mode-create-refused');
  assert.deepEqual(sandbox!.requests(), [], 'no request reached the server');
}
