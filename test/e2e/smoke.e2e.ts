/**
 * Smoke test of the real-editor harness: code-server + headless Chromium.
 * Needs `scripts/e2e/prepare-code-server.sh` to have run once.
 *
 *   npx tsc -p . && node --test out/test/e2e/smoke.e2e.js
 *
 * Set E2E_VSIX=path/to/extension.vsix to install an extension as well.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeServer,
  editorText,
  openProblemsPanel,
  openWorkbench,
  quickOpen,
  readProblems,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  Workbench,
} from './harness';

const suiteFolder = suiteTempFolder('smoke');
const tmp = suiteFolder.path;
let server: CodeServer | undefined;
let wb: Workbench | undefined;

after(async () => {
  await wb?.close();
  await server?.stop();
  suiteFolder.remove();
});

test('code-server workbench opens a file and shows the Problems panel', { timeout: 180_000 }, async (t) => {
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'hello.json'), '{"a": 1}\n');

  let started = Date.now();
  server = await startCodeServer({
    workspace,
    extensionsDir: path.join(tmp, 'extensions'),
    userDataDir: path.join(tmp, 'user-data'),
    vsix: process.env.E2E_VSIX || undefined,
  });
  t.diagnostic(`code-server answered in ${Date.now() - started} ms at ${server.url}`);

  try {
    started = Date.now();
    wb = await openWorkbench(server.url);
    t.diagnostic(`workbench ready in ${Date.now() - started} ms`);
    const { page } = wb;

    await quickOpen(page, 'hello.json');
    const text = await editorText(page);
    assert.equal(text.trim(), '{"a": 1}');

    await openProblemsPanel(page);
    const problems = await readProblems(page);
    t.diagnostic(`problems: ${JSON.stringify(problems)}`);
    assert.deepEqual(problems, [], 'a valid JSON file has no problems');

    const shot = await screenshot(page, 'smoke');
    t.diagnostic(`screenshot: ${shot}`);
    assert.ok(fs.statSync(shot).size > 10_000);
  } catch (e) {
    // Keep evidence of the failure.
    if (wb) await screenshot(wb.page, 'smoke-failure').catch(() => undefined);
    t.diagnostic(`code-server log:\n${server.logs()}`);
    if (wb?.consoleErrors.length) t.diagnostic(`browser errors:\n${wb.consoleErrors.join('\n')}`);
    throw e;
  }
});
