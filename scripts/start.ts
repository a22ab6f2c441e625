/**
 * `npm start`: builds the extension, starts the local sandbox and opens an
 * editor on examples/ with the extension loaded.
 *
 *   - VS Code's own `code --extensionDevelopmentPath=<repo> examples` when
 *     `code` is on the PATH;
 *   - otherwise code-server (prepared by scripts/e2e/prepare-code-server.sh,
 *     run here when missing), with the repository linked into its extensions
 *     directory, and the address to open printed.
 *
 * The sandbox listens on the port of examples/.vscode/settings.json
 * (`couponSeries.sandboxPort`, else 47631) and keeps its series in
 * .sandbox/series.json. code-server's user data and extensions directory
 * (where the repository is linked as the extension) are kept next to the
 * prepared code-server (~/.cache/coupon-series-e2e/npm-start). Ctrl+C stops
 * everything this script started.
 *
 * Options: --no-build (skip `npm run build`), --code-server (even when `code`
 * is on the PATH). Environment: COUPON_START_PORT (code-server's port,
 * default 8080 or a free one when taken).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { DEFAULT_SANDBOX_PORT } from '../core/src/environments';
import { Sandbox, sandboxAnswers, SANDBOX_PASSWORD, SANDBOX_USERNAME, startSandbox } from '../core/src/sandbox';
import { CodeServer, codeServerDir, freePort, startCodeServer } from '../test/e2e/harness';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(REPO_ROOT, 'examples');
const STATE_DIR = path.join(REPO_ROOT, '.sandbox');
const args = new Set(process.argv.slice(2));

function log(message: string): void {
  console.log(`[start] ${message}`);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** couponSeries.sandboxPort from examples/.vscode/settings.json (JSON with comments), else the default. */
function sandboxPort(): number {
  const file = path.join(EXAMPLES, '.vscode', 'settings.json');
  if (!fs.existsSync(file)) return DEFAULT_SANDBOX_PORT;
  const settings = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> | undefined;
  const port = settings?.['couponSeries.sandboxPort'];
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : DEFAULT_SANDBOX_PORT;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  if (!args.has('--no-build')) {
    log('building the extension (npm run build)');
    run('npm', ['run', 'build']);
  }

  const port = sandboxPort();
  let sandbox: Sandbox | undefined;
  if (await sandboxAnswers(port)) {
    log(`a sandbox already answers on http://127.0.0.1:${port}: using it`);
  } else {
    const dataFile = path.join(STATE_DIR, 'series.json');
    try {
      sandbox = await startSandbox({ port, dataFile });
    } catch (error) {
      throw new Error(
        `could not start the sandbox on 127.0.0.1:${port} (${(error as Error).message}). ` +
          'Free the port or set "couponSeries.sandboxPort" in examples/.vscode/settings.json.',
      );
    }
    log(`sandbox on ${sandbox.url} (user ${SANDBOX_USERNAME}, password ${SANDBOX_PASSWORD}; series kept in ${path.relative(REPO_ROOT, dataFile)})`);
  }

  let codeServer: CodeServer | undefined;
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await codeServer?.stop();
    await sandbox?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  if (onPath('code') && !args.has('--code-server')) {
    log(`opening VS Code: code --extensionDevelopmentPath=${REPO_ROOT} ${EXAMPLES}`);
    const code = spawn('code', [`--extensionDevelopmentPath=${REPO_ROOT}`, EXAMPLES], { stdio: 'inherit' });
    await new Promise((resolve) => code.once('exit', resolve));
    log(sandbox ? 'VS Code is open on examples/. The sandbox runs until Ctrl+C.' : 'VS Code is open on examples/.');
    if (!sandbox) process.exit(0);
    return;
  }

  if (!fs.existsSync(path.join(codeServerDir(), '.prepared'))) {
    log(`code is not on the PATH; preparing code-server in ${codeServerDir()} (once, a few minutes)`);
    run('bash', [path.join(REPO_ROOT, 'scripts', 'e2e', 'prepare-code-server.sh')]);
  }
  // The repository itself is the installed extension (a link): a rebuild
  // (npm run build / watch) shows after "Developer: Reload Window". The link
  // lives outside the repository (no loop for tools that follow links).
  const editorState = path.join(path.dirname(codeServerDir()), 'npm-start');
  const extensionsDir = path.join(editorState, 'extensions');
  const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `coupon-series.coupon-series-${version}`);
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (entry.startsWith('coupon-series.coupon-series-') && entry !== path.basename(link)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  if (!fs.existsSync(link)) fs.symlinkSync(REPO_ROOT, link, 'dir');
  // A stale manifest could name an older version: let code-server rescan.
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });

  const preferred = Number(process.env.COUPON_START_PORT) || 8080;
  const editorPort = (await portFree(preferred)) ? preferred : await freePort();
  codeServer = await startCodeServer({
    workspace: EXAMPLES,
    extensionsDir,
    userDataDir: path.join(editorState, 'user-data'),
    settings: { 'git.enabled': true },
    port: editorPort,
  });
  codeServer.process.once('exit', (code) => {
    if (!stopping) {
      log(`code-server exited (${code}):\n${codeServer?.logs().slice(-2000)}`);
      void stop(1);
    }
  });
  console.log('');
  console.log(`  Open ${codeServer.url}`);
  console.log('  (code-server with the extension on examples/; Ctrl+C stops it and the sandbox)');
  console.log('');
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
