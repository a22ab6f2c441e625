/**
 * Runs the extension-host suite of test/electron/suite (the one
 * @vscode/test-electron runs in VS Code desktop) inside code-server's
 * extension host, so that it runs on machines where VS Code desktop cannot be
 * had: VS Code calls an extension's tests through `--extensionTestsPath`,
 * which code-server does not offer, so a small driver extension, packaged
 * here, calls the suite's `run()` when it activates and writes the results to
 * a file.
 *
 *   npm run test:e2e   (or: node --test out/test/e2e/extension-host.e2e.js after packaging)
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSuiteWorkspace, SANDBOX_PORT_ENV } from '../electron/workspace';
import {
  CodeServer,
  e2eAvailable,
  freePort,
  installExtension,
  openWorkbench,
  PACKAGED_VSIX,
  REPO_ROOT,
  startCodeServer,
  suiteTempFolder,
  waitFor,
  Workbench,
} from './harness';

const SUITE_INDEX = path.join(REPO_ROOT, 'out', 'test', 'electron', 'suite', 'index.js');
const available = e2eAvailable();

const suiteFolder = suiteTempFolder('host');
const tmp = suiteFolder.path;
let server: CodeServer | undefined;
let wb: Workbench | undefined;

after(async () => {
  await wb?.close();
  await server?.stop();
  suiteFolder.remove();
});

/** Packages the driver extension: on activation it runs the suite and writes {results} or {error} as JSON. */
function packageDriver(resultsFile: string): string {
  const dir = path.join(tmp, 'driver');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'coupon-suite-driver',
        publisher: 'coupon-series-tests',
        version: '0.0.1',
        description: 'Runs the coupon-series extension-host suite (tests only).',
        engines: { vscode: '^1.100.0' },
        activationEvents: ['onStartupFinished'],
        extensionDependencies: ['coupon-series.coupon-series'],
        main: './driver.js',
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'README.md'), 'Test driver.\n');
  fs.writeFileSync(
    path.join(dir, 'driver.js'),
    `const fs = require('fs');
exports.activate = async function () {
  const out = ${JSON.stringify(resultsFile)};
  try {
    await require(${JSON.stringify(SUITE_INDEX)}).run();
  } catch (error) {
    if (!fs.existsSync(out)) fs.writeFileSync(out, JSON.stringify({ error: String(error && error.stack || error) }));
  }
  if (!fs.existsSync(out)) fs.writeFileSync(out, JSON.stringify({ error: 'the suite wrote no results' }));
};
exports.deactivate = function () {};
`,
  );
  const vsix = path.join(tmp, 'coupon-suite-driver.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package (driver) failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

test('the extension-host suite (test/electron/suite) passes in code-server\'s extension host', { timeout: 180_000 }, async (t) => {
  if (!available.ok) return t.skip(`SKIPPED: ${available.reason}`);
  assert.ok(fs.existsSync(PACKAGED_VSIX), `${PACKAGED_VSIX} is missing: run "npm run package" first`);
  assert.ok(fs.existsSync(SUITE_INDEX), `${SUITE_INDEX} is missing: run "tsc -p ." first`);
  const workspace = path.join(tmp, 'workspace');
  const extensionsDir = path.join(tmp, 'extensions');
  const userDataDir = path.join(tmp, 'user-data');
  const port = await freePort();
  createSuiteWorkspace(workspace, REPO_ROOT, port);
  const resultsFile = path.join(tmp, 'results.json');
  const driver = packageDriver(resultsFile);

  await installExtension(PACKAGED_VSIX, extensionsDir, userDataDir);
  server = await startCodeServer({
    workspace,
    extensionsDir,
    userDataDir,
    vsix: driver,
    env: { [SANDBOX_PORT_ENV]: String(port), COUPON_SUITE_RESULTS: resultsFile },
  });
  const started = Date.now();
  // The extension host starts when a window connects.
  wb = await openWorkbench(server.url);
  await waitFor(() => fs.existsSync(resultsFile), { timeout: 120_000, interval: 250, message: 'the suite wrote no results' });
  const raw = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { name: string; ok: boolean; ms: number; error?: string }[] | { error: string };
  t.diagnostic(`suite finished ${Date.now() - started} ms after the workbench was opened`);
  if (!Array.isArray(raw)) throw new Error(`the suite did not run: ${raw.error}`);
  for (const r of raw) t.diagnostic(`${r.ok ? '✔' : '✖'} ${r.name} (${r.ms} ms)${r.error ? `\n${r.error}` : ''}`);
  const failed = raw.filter((r) => !r.ok);
  assert.ok(raw.length >= 8, `${raw.length} tests ran`);
  assert.deepEqual(failed.map((r) => r.name), [], 'every extension-host test passes');
});
