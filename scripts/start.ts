/**
 * `npm start`: builds the extension, starts the local sandbox and opens an
 * editor, with the extension loaded, on a copy of examples/ (so the demo's
 * writes, ids and autosaves never touch the tracked files). `npm start -- --help`
 * lists the options.
 *
 * The editor is VS Code (`code --extensionDevelopmentPath`) when `code` is on
 * the PATH, otherwise code-server in the browser, prepared once by
 * scripts/e2e/prepare-code-server.sh. Every child is stopped on SIGINT,
 * SIGTERM or SIGHUP, whether it reaches the process group (Ctrl+C) or only
 * this process (`kill <npm's pid>`: package.json `exec`s node, so npm
 * forwards its signals here).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { applyEdits, modify, parse } from 'jsonc-parser';
import { DEFAULT_SANDBOX_PORT } from '../core/src/environments';
import { Sandbox, sandboxAnswers, SANDBOX_PASSWORD, SANDBOX_USERNAME, startSandbox } from '../core/src/sandbox';
import { CodeServer, codeServerDir, codeServerPrepared, killTree, startCodeServer } from '../test/e2e/harness';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(REPO_ROOT, 'examples');
const EXAMPLE_SETTINGS = path.join('.vscode', 'settings.json');
const SANDBOX_PORT_SETTING = 'couponSeries.sandboxPort';
const DEFAULT_EDITOR_PORT = 8080;

const HELP = `Usage: npm start [-- OPTIONS]

Builds the extension, starts the local sandbox (the coupon series API on
127.0.0.1) and opens an editor with the extension on a copy of examples/:
VS Code when \`code\` is on the PATH, otherwise code-server in your browser.

The first run without \`code\` prepares code-server once (a few minutes): it
installs Debian's ripgrep and libkrb5-dev with apt-get (root or sudo needed;
E2E_SKIP_APT=1 if you installed them yourself), downloads code-server from the
npm registry and builds its native modules (make, g++ and python3 needed).
It is kept in ${codeServerDir()}.

Options:
  --port N          code-server's port on 127.0.0.1 (default ${DEFAULT_EDITOR_PORT}, or COUPON_START_PORT)
  --sandbox-port N  the sandbox's port (default: ${SANDBOX_PORT_SETTING} of examples/${EXAMPLE_SETTINGS}, else ${DEFAULT_SANDBOX_PORT})
  --code-server     use code-server even when \`code\` is on the PATH
  --no-build        skip npm run build
  --dir DIR         where the copy of examples/ and the sandbox's series live (default .sandbox/)
  --reset           start over: a fresh copy of examples/ and no series in the sandbox
  -h, --help        show this help

A busy port is an error (nothing moves silently): free it or choose another.
Ctrl+C (or SIGTERM to npm or to this script) stops the editor server, the
sandbox and any build still running.`;

class UsageError extends Error {}

interface StartOptions {
  editorPort: number;
  sandboxPort: number;
  forceCodeServer: boolean;
  build: boolean;
  dir: string;
  reset: boolean;
}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) throw new UsageError(`${name} must be a port number (1-65535), not "${value}"`);
  return number;
}

/** couponSeries.sandboxPort of a folder's .vscode/settings.json (JSON with comments), if set. */
function sandboxPortSetting(folder: string): number | undefined {
  const file = path.join(folder, EXAMPLE_SETTINGS);
  if (!fs.existsSync(file)) return undefined;
  const value = (parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> | undefined)?.[SANDBOX_PORT_SETTING];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

function parseOptions(argv: string[]): StartOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'sandbox-port': { type: 'string' },
        'code-server': { type: 'boolean' },
        'no-build': { type: 'boolean' },
        dir: { type: 'string' },
        reset: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  return {
    editorPort: port(values.port, '--port') ?? port(process.env.COUPON_START_PORT, 'COUPON_START_PORT') ?? DEFAULT_EDITOR_PORT,
    sandboxPort: port(values['sandbox-port'], '--sandbox-port') ?? sandboxPortSetting(EXAMPLES) ?? DEFAULT_SANDBOX_PORT,
    forceCodeServer: values['code-server'] ?? false,
    build: !values['no-build'],
    dir: path.resolve(values.dir ?? path.join(REPO_ROOT, '.sandbox')),
    reset: values.reset ?? false,
  };
}

function log(message: string): void {
  console.log(`[start] ${message}`);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** What this script started, stopped in reverse order by `stop`. */
const running: { children: Set<ChildProcess>; codeServer?: CodeServer; sandbox?: Sandbox; stopping: boolean } = { children: new Set(), stopping: false };

async function stop(exitCode: number): Promise<never> {
  if (!running.stopping) {
    running.stopping = true;
    if (running.children.size > 0 || running.codeServer || running.sandbox) log('stopping');
    // Whatever hangs, do not outlive the signal by long.
    setTimeout(() => process.exit(exitCode || 1), 15_000).unref();
    await Promise.all([...running.children].map((child) => killTree(child)));
    await running.codeServer?.stop();
    await running.sandbox?.close();
  }
  process.exit(exitCode);
}

/** Runs a command to completion as a tracked child (stopped with the rest on a signal). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit', env });
    running.children.add(child);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      running.children.delete(child);
      if (code === 0) resolve();
      else if (!running.stopping) reject(new Error(`${command} ${args.join(' ')} failed (exit ${code ?? signal})`));
    });
  });
}

/**
 * The demo's folder: a copy of examples/ made once and kept (so ids the demo
 * wrote match the sandbox's series across restarts), with the sandbox port
 * written into its settings.
 */
function prepareDemoFolder(options: StartOptions): string {
  const demo = path.join(options.dir, 'examples');
  if (options.reset) {
    fs.rmSync(demo, { recursive: true, force: true });
    fs.rmSync(path.join(options.dir, 'series.json'), { force: true });
  }
  if (fs.existsSync(demo)) {
    log(`editing ${path.relative(process.cwd(), demo) || demo}, the copy of examples/ from an earlier run (--reset starts over)`);
  } else {
    fs.mkdirSync(options.dir, { recursive: true });
    fs.cpSync(EXAMPLES, demo, { recursive: true });
    log(`copied examples/ to ${path.relative(process.cwd(), demo) || demo}: the demo edits the copy, never the tracked files`);
  }
  const copiedPort = sandboxPortSetting(demo);
  if (copiedPort !== options.sandboxPort) {
    const file = path.join(demo, EXAMPLE_SETTINGS);
    // The demo environments on the sandbox (its second org) follow the port too.
    const text = (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}').split(`127.0.0.1:${copiedPort ?? DEFAULT_SANDBOX_PORT}`).join(`127.0.0.1:${options.sandboxPort}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, applyEdits(text, modify(text, [SANDBOX_PORT_SETTING], options.sandboxPort, { formattingOptions: { insertSpaces: true, tabSize: 2 } })));
  }
  return demo;
}

async function startLocalSandbox(options: StartOptions): Promise<void> {
  const { sandboxPort } = options;
  if (await sandboxAnswers(sandboxPort)) {
    log(`a sandbox already answers on http://127.0.0.1:${sandboxPort}: using it`);
    return;
  }
  if (!(await portFree(sandboxPort))) {
    throw new Error(`port ${sandboxPort} on 127.0.0.1 is in use by something that is not a sandbox. Stop it, or choose another port: npm start -- --sandbox-port ${sandboxPort + 1}`);
  }
  const dataFile = path.join(options.dir, 'series.json');
  running.sandbox = await startSandbox({ port: sandboxPort, dataFile });
  log(`sandbox on ${running.sandbox.url} (user ${SANDBOX_USERNAME}, password ${SANDBOX_PASSWORD}; series kept in ${path.relative(process.cwd(), dataFile) || dataFile})`);
}

/** The repository itself is code-server's installed extension (a link): a rebuild shows after "Developer: Reload Window". */
function linkExtension(extensionsDir: string): void {
  const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `coupon-series.coupon-series-${version}`);
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (entry.startsWith('coupon-series.coupon-series-') && entry !== path.basename(link)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  if (!fs.existsSync(link)) fs.symlinkSync(REPO_ROOT, link, 'dir');
  // A stale manifest could name an older version: let code-server rescan.
  fs.rmSync(path.join(extensionsDir, 'extensions.json'), { force: true });
}

async function checkEditorPort(options: StartOptions): Promise<void> {
  if (!(await portFree(options.editorPort))) {
    throw new Error(
      `port ${options.editorPort} on 127.0.0.1 is in use (another program, or an npm start still running). ` +
        `Stop it, or choose another port: npm start -- --port ${options.editorPort + 1} (or COUPON_START_PORT=${options.editorPort + 1} npm start)`,
    );
  }
}

async function openCodeServer(options: StartOptions, demo: string): Promise<void> {
  if (!codeServerPrepared()) {
    log(`code is not on the PATH: preparing code-server in ${codeServerDir()} (once, a few minutes; apt-get needs root or sudo)`);
    // npm start needs no browser of its own: only the e2e tests need Chromium.
    await run('bash', [path.join(REPO_ROOT, 'scripts', 'e2e', 'prepare-code-server.sh')], { ...process.env, PREPARE_WITHOUT_CHROMIUM: '1' });
  }
  // Kept outside the repository, so tools that follow links find no loop;
  // beside the prepared code-server unless --dir puts the demo elsewhere.
  const editorState = options.dir.startsWith(REPO_ROOT + path.sep) ? path.join(path.dirname(codeServerDir()), 'npm-start') : path.join(options.dir, 'editor');
  const extensionsDir = path.join(editorState, 'extensions');
  linkExtension(extensionsDir);
  running.codeServer = await startCodeServer({
    workspace: demo,
    extensionsDir,
    userDataDir: path.join(editorState, 'user-data'),
    settings: { 'git.enabled': true },
    port: options.editorPort,
  });
  const codeServer = running.codeServer;
  codeServer.process.once('exit', (code) => {
    if (running.stopping) return;
    log(`code-server exited (${code}):\n${codeServer.logs().slice(-2000)}`);
    void stop(1);
  });
  console.log('');
  console.log(`  Open ${codeServer.url}`);
  console.log('  (code-server with the extension on the copy of examples/; Ctrl+C stops it and the sandbox)');
  console.log('');
}

async function main(): Promise<void> {
  let options: StartOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`[start] ${(error as Error).message} (npm start -- --help lists the options)`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(HELP);
    return;
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

  const useCode = onPath('code') && !options.forceCodeServer;
  // Ports first: a busy one is reported before minutes of building.
  if (!useCode) await checkEditorPort(options);
  const demo = prepareDemoFolder(options);
  await startLocalSandbox(options);
  if (options.build) {
    log('building the extension (npm run build)');
    await run('npm', ['run', 'build']);
  }

  if (useCode) {
    log(`opening VS Code: code --extensionDevelopmentPath=${REPO_ROOT} ${demo}`);
    await run('code', [`--extensionDevelopmentPath=${REPO_ROOT}`, demo]);
    if (!running.sandbox) {
      log('VS Code is open on the copy of examples/.');
      process.exit(0);
    }
    log('VS Code is open on the copy of examples/. The sandbox runs until Ctrl+C.');
    return;
  }
  // Checked again: the build and the sandbox took time.
  await checkEditorPort(options);
  await openCodeServer(options, demo);
}

main().catch(async (error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
});
