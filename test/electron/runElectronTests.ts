/**
 * Launcher of the extension-host suite on @vscode/test-electron: VS Code
 * desktop (Electron) with this repository as the extension under
 * development, a generated workspace, and test/electron/suite run inside.
 *
 *   npm run build && npx tsc -p . && node --test --test-reporter=spec out/test/electron/runElectronTests.js
 *
 * VS Code comes from VSCODE_EXECUTABLE_PATH when set, else from
 * downloadAndUnzipVSCode('1.100.3') (cached in ~/.cache/coupon-series-e2e/vscode-test;
 * VSCODE_DOWNLOAD_TIMEOUT_MS bounds the attempt, 60 s by default). When
 * neither gives a VS Code, or there is no display to run it on (Linux without
 * DISPLAY and without Xvfb), the test is reported SKIPPED with the reason:
 * it never counts as passed.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { sleep } from '../../core/src/util';
import { createSuiteWorkspace, SANDBOX_PORT_ENV } from './workspace';

const VSCODE_VERSION = process.env.VSCODE_TEST_VERSION || '1.100.3';
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE = path.join(process.env.CODE_SERVER_CACHE || path.join(os.homedir(), '.cache', 'coupon-series-e2e'), 'vscode-test');

type Found = { ok: true; executable: string; how: string } | { ok: false; reason: string };

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

async function findVSCode(): Promise<Found> {
  const fromEnv = process.env.VSCODE_EXECUTABLE_PATH;
  if (fromEnv) {
    return fs.existsSync(fromEnv)
      ? { ok: true, executable: fromEnv, how: 'VSCODE_EXECUTABLE_PATH' }
      : { ok: false, reason: `VSCODE_EXECUTABLE_PATH=${fromEnv} does not exist` };
  }
  const timeoutMs = Number(process.env.VSCODE_DOWNLOAD_TIMEOUT_MS) || 60_000;
  try {
    const executable = await withTimeout(
      downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: CACHE, timeout: Math.min(timeoutMs, 15_000) }),
      timeoutMs,
      `downloading VS Code ${VSCODE_VERSION}`,
    );
    return { ok: true, executable, how: `downloadAndUnzipVSCode('${VSCODE_VERSION}') into ${CACHE}` };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return {
      ok: false,
      reason: `no VS Code desktop: VSCODE_EXECUTABLE_PATH is not set and downloading VS Code ${VSCODE_VERSION} failed (${message})`,
    };
  }
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** A display for Electron on Linux: the existing one, or an Xvfb started here. */
async function ensureDisplay(): Promise<{ ok: true; env: Record<string, string>; xvfb?: ChildProcess } | { ok: false; reason: string }> {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return { ok: true, env: {} };
  if (!onPath('Xvfb')) return { ok: false, reason: 'no display: DISPLAY is not set and Xvfb is not installed (apt-get install xvfb, or run under xvfb-run)' };
  const display = `:${90 + Math.floor(Math.random() * 100)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const socket = `/tmp/.X11-unix/X${display.slice(1)}`;
  const deadline = Date.now() + 5_000;
  while (!fs.existsSync(socket) && Date.now() < deadline && xvfb.exitCode === null) await sleep(100);
  if (!fs.existsSync(socket)) {
    xvfb.kill();
    return { ok: false, reason: `Xvfb ${display} did not start` };
  }
  return { ok: true, env: { DISPLAY: display }, xvfb };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

test('extension-host suite in VS Code desktop (@vscode/test-electron)', { timeout: 600_000 }, async (t) => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run "npm run build" first');
  }
  const vscodeFound = await findVSCode();
  if (!vscodeFound.ok) {
    t.diagnostic(`SKIPPED: ${vscodeFound.reason}`);
    t.skip(`SKIPPED: ${vscodeFound.reason}`);
    return;
  }
  const display = await ensureDisplay();
  if (!display.ok) {
    t.diagnostic(`SKIPPED: ${display.reason}`);
    t.skip(`SKIPPED: ${display.reason}`);
    return;
  }
  t.diagnostic(`VS Code: ${vscodeFound.executable} (${vscodeFound.how})`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coupon-electron-'));
  try {
    const workspace = path.join(tmp, 'workspace');
    const port = await freePort();
    createSuiteWorkspace(workspace, REPO_ROOT, port);
    const resultsFile = path.join(tmp, 'results.json');
    const userDataDir = path.join(tmp, 'user-data');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }),
    );
    const started = Date.now();
    let exitCode: number | undefined;
    let failure: { error: unknown } | undefined;
    try {
      exitCode = await runTests({
        vscodeExecutablePath: vscodeFound.executable,
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
        extensionTestsEnv: { [SANDBOX_PORT_ENV]: String(port), COUPON_SUITE_RESULTS: resultsFile, ...display.env },
        launchArgs: [
          workspace,
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          '--disable-gpu',
          '--no-sandbox',
          `--user-data-dir=${userDataDir}`,
          `--extensions-dir=${path.join(tmp, 'extensions')}`,
        ],
      });
    } catch (error) {
      failure = { error };
    }
    t.diagnostic(`VS Code ran the suite in ${Date.now() - started} ms (exit code ${exitCode ?? 'none'})`);
    if (fs.existsSync(resultsFile)) {
      for (const r of JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { name: string; ok: boolean; ms: number; error?: string }[]) {
        t.diagnostic(`${r.ok ? '✔' : '✖'} ${r.name} (${r.ms} ms)${r.error ? `: ${r.error.split('\n')[0]}` : ''}`);
      }
    }
    if (failure) throw failure.error;
    if (exitCode !== 0) throw new Error(`the extension-host suite failed (exit code ${exitCode})`);
  } finally {
    if ('xvfb' in display && display.xvfb) display.xvfb.kill();
    if (!process.env.E2E_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  }
});
