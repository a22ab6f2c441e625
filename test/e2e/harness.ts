/**
 * Real-editor end-to-end harness: code-server (VS Code's real workbench and
 * extension host) driven by headless Debian Chromium through playwright-core.
 *
 * Prepare code-server once with `scripts/e2e/prepare-code-server.sh`; this
 * module finds it in the same cache directory (CODE_SERVER_CACHE /
 * CODE_SERVER_VERSION), or at CODE_SERVER_DIR (the folder holding
 * node_modules/code-server).
 *
 * All waits are explicit (selectors / conditions with timeouts); there are no
 * fixed long sleeps.
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { sleep } from '../../core/src/util';

// The project compiles without the DOM lib; these are only referenced inside
// functions that run in the browser (page.evaluate / locator.evaluate).
declare const document: any;
declare const window: any;

/** The code-server releases the suite runs on, oldest first (scripts/e2e/code-server-versions). */
export const CODE_SERVER_VERSIONS: readonly string[] = fs
  .readFileSync(path.join(findRepoRoot(__dirname), 'scripts', 'e2e', 'code-server-versions'), 'utf8')
  .split('\n')
  .map((line) => /^\s*([0-9][0-9.]*)/.exec(line)?.[1])
  .filter((version): version is string => !!version);
/** The release this run drives: CODE_SERVER_VERSION, or the oldest of the list. */
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || CODE_SERVER_VERSIONS[0];
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Repository root (this file compiles to out/test/e2e/harness.js). */
export const REPO_ROOT = findRepoRoot(__dirname);
/** The packaged extension the suites install (`npm run package`; override with E2E_VSIX). */
export const PACKAGED_VSIX = process.env.E2E_VSIX || path.join(REPO_ROOT, 'dist', 'coupon-series.vsix');

/** A suite's temporary folder, and its removal after the suite (kept, and named, with E2E_KEEP_TMP=1). */
export function suiteTempFolder(name: string): { path: string; remove(): void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `coupon-e2e-${name}-`));
  return {
    path: folder,
    remove() {
      if (process.env.E2E_KEEP_TMP) console.log(`# kept ${folder}`);
      else fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go: test-results/e2e (override with E2E_RESULTS_DIR). */
export const RESULTS_DIR = process.env.E2E_RESULTS_DIR || path.join(REPO_ROOT, 'test-results', 'e2e');

/** Default timeout (ms) for UI waits; E2E_TIMEOUT overrides. */
export const DEFAULT_TIMEOUT = Number(process.env.E2E_TIMEOUT) || 20_000;
/** How long quick open may search for a file (the first search of a new window is the slow one). */
const QUICK_OPEN_SEARCH_TIMEOUT = Math.max(DEFAULT_TIMEOUT, 60_000);

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && !dir.split(path.sep).includes('node_modules')) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

// ---------------------------------------------------------------- code-server

/** Folder that holds node_modules/code-server (prepared by the script). */
export function codeServerDir(): string {
  if (process.env.CODE_SERVER_DIR) return process.env.CODE_SERVER_DIR;
  const cache = process.env.CODE_SERVER_CACHE || path.join(os.homedir(), '.cache', 'coupon-series-e2e');
  return path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

/** True when the prepare script has finished in codeServerDir() (code-server and the Node it runs on). */
export function codeServerPrepared(): boolean {
  const dir = codeServerDir();
  return fs.existsSync(path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js')) && fs.existsSync(path.join(dir, '.prepared')) && fs.existsSync(path.join(dir, '.node'));
}

/** Path of code-server's entry.js; throws a clear error when not prepared. */
export function codeServerEntry(): string {
  const dir = codeServerDir();
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry) || (!process.env.CODE_SERVER_DIR && !codeServerPrepared())) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not prepared in ${dir}. ` +
        `Run scripts/e2e/prepare-code-server.sh first (a few minutes, once; it is cached).`,
    );
  }
  return entry;
}

/**
 * The Node that runs code-server: the one the prepare script installed for
 * this version (its folder is in <dir>/.node; code-server 4.100 asks for Node
 * 20, later releases for 22 or 24). With CODE_SERVER_DIR and no .node there,
 * CODE_SERVER_NODE or this process's own Node.
 */
export function codeServerNode(): string {
  const pointer = path.join(codeServerDir(), '.node');
  if (fs.existsSync(pointer)) return path.join(fs.readFileSync(pointer, 'utf8').trim(), 'bin', 'node');
  return process.env.CODE_SERVER_NODE || process.execPath;
}

/** The environment for code-server and its CLI: its Node first on PATH (for anything it starts by name). */
function codeServerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const node = codeServerNode();
  return { ...env, PATH: [path.dirname(node), env.PATH].filter(Boolean).join(path.delimiter) };
}

/** True when code-server and chromium are available (for conditional skips). */
export function e2eAvailable(): { ok: boolean; reason?: string } {
  try {
    codeServerEntry();
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (!fs.existsSync(CHROMIUM_PATH)) return { ok: false, reason: `${CHROMIUM_PATH} not found (apt-get install chromium)` };
  return { ok: true };
}

export interface StartOptions {
  /** Folder opened in the workbench. */
  workspace: string;
  /** --extensions-dir (also used for --install-extension). */
  extensionsDir: string;
  /** --user-data-dir; settings are written to <dir>/User/settings.json. */
  userDataDir: string;
  /** .vsix to install before starting (optional). */
  vsix?: string;
  /** Extra user settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so the extension host). */
  env?: Record<string, string>;
  /** How long to wait for code-server to answer (ms, default 60 s). */
  startTimeout?: number;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /**
   * Leave workspace trust on (code-server turns it off by default here): the
   * folder opens untrusted, in Restricted Mode, without the startup prompt.
   */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  /** URL opening the workspace folder in the workbench. */
  url: string;
  /** Base URL (http://127.0.0.1:PORT/). */
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** code-server's stdout+stderr so far (useful in failure messages). */
  logs(): string;
  /** Kills code-server and all its descendants; safe to call twice. */
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'github.copilot.enable': { '*': false },
  'editor.accessibilitySupport': 'off',
  'workbench.editor.enablePreview': false,
  // Newer workbenches open an empty secondary side bar (chat) beside the editor.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Runs code-server's CLI (e.g. --install-extension) to completion. */
function runCodeServerCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const entry = codeServerEntry();
    const child = spawn(codeServerNode(), [entry, ...args], { env: codeServerEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`code-server ${args.join(' ')} timed out after ${timeoutMs} ms\n${out}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && !/\bFailed\b|\berror\b/i.test(out.replace(/Extension .* was successfully installed/g, ''))) resolve(out);
      else reject(new Error(`code-server ${args.join(' ')} failed (exit ${code}):\n${out}`));
    });
  });
}

/** Installs a .vsix into extensionsDir with code-server --install-extension. */
export async function installExtension(vsix: string, extensionsDir: string, userDataDir: string): Promise<string> {
  if (!fs.existsSync(vsix)) throw new Error(`.vsix not found: ${vsix}`);
  return runCodeServerCli(
    ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', path.resolve(vsix), '--force'],
    { ...process.env },
  );
}

/** Writes <userDataDir>/User/settings.json (harness defaults + given). */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown> = {}): string {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  return file;
}

/** All descendant pids of pid (Linux /proc walk). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      /* process went away */
    }
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills a process, its process group and all its descendants. */
export async function killTree(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  const all = () => [pid, ...descendants(pid)];
  const signal = (pids: number[], sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig); // the process group (spawned detached)
    } catch {
      /* gone */
    }
    for (const p of pids) {
      try {
        process.kill(p, sig);
      } catch {
        /* gone */
      }
    }
  };
  let pids = all();
  signal(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) {
    await sleep(100);
    pids = pids.filter(alive).concat(descendants(pid));
  }
  pids = pids.filter(alive);
  if (pids.length) signal(pids, 'SIGKILL');
  if (child.exitCode === null && child.signalCode === null) {
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(2_000)]);
  }
}

/**
 * Installs the .vsix (if any), writes user settings, starts code-server on a
 * free 127.0.0.1 port and waits until it answers.
 */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const entry = codeServerEntry();
  for (const d of [opts.workspace, opts.extensionsDir, opts.userDataDir]) fs.mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  // Never let an outer VS Code / code-server session leak in.
  for (const k of Object.keys(env)) if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$)/.test(k) && !(opts.env && k in opts.env)) delete env[k];

  if (opts.vsix) await installExtension(opts.vsix, opts.extensionsDir, opts.userDataDir);
  writeUserSettings(opts.userDataDir, {
    ...opts.settings,
    ...(opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {}),
  });

  const port = opts.port ?? (await freePort());
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--ignore-last-opened',
    '--disable-getting-started-override',
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    opts.workspace,
  ];
  const child = spawn(codeServerNode(), args, { env: codeServerEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  let exited = false;
  child.on('exit', () => (exited = true));

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= killTree(child));
  // Do not leave code-server behind if the test process dies abruptly.
  const onExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));

  const baseUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (opts.startTimeout ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`code-server exited early (code ${child.exitCode}):\n${logs}`);
    if ((await httpStatus(`${baseUrl}healthz`, 2_000)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${baseUrl} within ${opts.startTimeout ?? 60_000} ms:\n${logs}`);
    }
    await sleep(200);
  }
  const url = `${baseUrl}?folder=${encodeURIComponent(path.resolve(opts.workspace))}`;
  return { url, baseUrl, port, process: child, logs: () => logs, stop };
}

// ------------------------------------------------------------------ workbench

export interface Workbench {
  page: Page;
  browser: Browser;
  context: BrowserContext;
  /** Browser console errors and page errors seen so far. */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Launches headless chromium, opens url and waits for the workbench. */
export async function openWorkbench(
  url: string,
  opts: {
    timeout?: number;
    viewport?: { width: number; height: number };
    /** Accept a test's self-signed certificate (e.g. an HTTPS server on 127.0.0.1 a page loads images from). */
    ignoreHttpsErrors?: boolean;
  } = {},
): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 }, ignoreHTTPSErrors: opts.ignoreHttpsErrors ?? false });
    const page = await context.newPage();
    page.setDefaultTimeout(DEFAULT_TIMEOUT);
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const timeout = opts.timeout ?? 60_000;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    await page.waitForSelector('.monaco-workbench', { state: 'visible', timeout });
    // The workbench is usable once the editor part and status bar are laid out.
    await page.waitForSelector('.monaco-workbench .part.editor', { state: 'visible', timeout });
    await page.waitForSelector('.monaco-workbench .part.statusbar', { state: 'visible', timeout });
    // The explorer's folder view appears once the remote file system is
    // connected (its rows may be empty: the workspace can be an empty folder).
    await page
      .waitForSelector('.explorer-folders-view', { state: 'attached', timeout: Math.min(timeout, 15_000) })
      .catch(() => undefined);
    let closed = false;
    return {
      page,
      browser,
      context,
      consoleErrors,
      close: async () => {
        if (closed) return;
        closed = true;
        await browser.close().catch(() => undefined);
      },
    };
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
}

// -------------------------------------------------------------------- helpers

/** Polls fn until it returns a truthy value; throws the last state on timeout. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: { timeout?: number; interval?: number; message?: string | (() => string) } = {},
): Promise<T> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const msg = typeof opts.message === 'function' ? opts.message() : opts.message;
      throw new Error(`${msg ?? 'condition not met'} (after ${timeout} ms)${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(opts.interval ?? 150);
  }
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';
const QUICK_INPUT_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Collapses whitespace (incl. non-breaking spaces) to single spaces. */
function norm(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

async function openQuickInput(page: Page, key: string, prefix: string): Promise<Locator> {
  // Make sure a workbench element (not a stale widget) has focus.
  await page.keyboard.press('Escape');
  await page.keyboard.press(key);
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible' });
  await waitFor(async () => (await input.evaluate((el: any) => el === document.activeElement)) || undefined, {
    message: 'quick input did not take focus',
  });
  await input.fill(prefix);
  return input;
}

async function closeQuickInputIfOpen(page: Page): Promise<void> {
  if (await page.locator(QUICK_INPUT).isVisible()) await page.keyboard.press('Escape');
}

/**
 * The active editor group's selected tab, by its ARIA role: its accessible
 * name (aria-label) is the file name, or e.g. "a.json (server) ↔ a.json" for
 * a diff. (VS Code 1.139 renders the visible name in two parts, name and
 * extension, so the tab's text is not a stable handle; its label is.)
 */
export function activeTab(page: Page): Locator {
  return page.locator('.editor-group-container.active [role="tablist"] [role="tab"][aria-selected="true"]').first();
}

/** Whether the active editor holds unsaved changes (its tab is marked dirty); throws when no tab is active. */
export async function activeTabDirty(page: Page): Promise<boolean> {
  const tab = activeTab(page);
  if (!(await tab.count())) throw new Error('no active editor tab');
  return tab.evaluate((el: any) => el.classList.contains('dirty') as boolean);
}

/** Active editor tab's accessible name (the file name), or undefined. */
export async function activeTabName(page: Page): Promise<string | undefined> {
  const tab = activeTab(page);
  if (!(await tab.count())) return undefined;
  return norm((await tab.getAttribute('aria-label')) ?? '');
}

/**
 * Opens a file like a person: Ctrl+P, type the name, Enter, then waits for
 * its editor tab to be active and the text to be rendered. Resolves to the
 * time (Date.now()) at which the file was chosen (Enter or click), for
 * measuring what happens after opening.
 */
export async function quickOpen(page: Page, fileName: string, opts: { timeout?: number } = {}): Promise<number> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  const base = path.basename(fileName);
  // The first search of a new window waits for the search process to start:
  // about 10 s on a busy 2-core machine (1.100 and 1.139 alike), over 20 s at
  // worst seen; so it gets its own, longer, time.
  const searchTimeout = opts.timeout ?? QUICK_OPEN_SEARCH_TIMEOUT;
  const input = await openQuickInput(page, 'Control+P', '');
  const labels = async (): Promise<string[]> =>
    (await page.locator(QUICK_INPUT_ROWS).evaluateAll((rows: any[]) =>
      rows
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((r) => (r.querySelector('.label-name')?.textContent ?? '') as string),
    )).map(norm);
  await input.fill(fileName);
  let shown: string[] = [];
  await waitFor(async () => (shown = await labels()).includes(base), {
    timeout: searchTimeout,
    message: () => `quick open: "${base}" was not listed; the list showed ${JSON.stringify(shown)}`,
  });
  const first = (await labels())[0] === base;
  const enteredAt = Date.now();
  if (first) await page.keyboard.press('Enter');
  // Not first: pick the matching row with the mouse.
  else await page.locator(QUICK_INPUT_ROWS, { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegex(base)}$`) }) }).first().click();
  let shownTab: string | undefined;
  await waitFor(async () => (shownTab = await activeTabName(page)) === base || undefined, {
    timeout,
    message: () => `quick open: the active tab is ${JSON.stringify(shownTab)}, not "${base}"`,
  });
  await page
    .locator('.editor-group-container.active .monaco-editor .view-lines .view-line')
    .first()
    .waitFor({ state: 'attached', timeout });
  return enteredAt;
}

/**
 * Runs a command from the command palette by its title (e.g.
 * "View: Toggle Word Wrap" or "Coupon Series: Validate"). The title must match
 * a palette entry exactly (case-insensitive) unless `exact: false`.
 */
export async function runCommand(page: Page, title: string, opts: { timeout?: number; exact?: boolean } = {}): Promise<void> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  const deadline = Date.now() + timeout;
  const want = norm(title).toLowerCase();
  let seen: string[] = [];
  // The palette lists the commands known when it opens; an extension's
  // commands can register a little later, so reopen it until the title shows.
  for (let attempt = 0; ; attempt++) {
    const input = await openQuickInput(page, 'F1', '>');
    await input.fill(`>${title}`);
    const index = await waitFor(
      async () => {
        seen = (await page.locator(QUICK_INPUT_ROWS).evaluateAll((rows: any[]) =>
          rows
            .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
            .map((r) => (r.querySelector('.label-name')?.textContent ?? '') as string),
        )).map((l) => norm(l));
        const i = seen.findIndex((l) => (opts.exact === false ? l.toLowerCase().includes(want) : l.toLowerCase() === want));
        return i >= 0 ? i + 1 : undefined; // +1: keep 0 truthy
      },
      { timeout: Math.max(500, Math.min(3_000 + attempt * 1_000, deadline - Date.now())) },
    ).catch(() => undefined);
    if (index) {
      const typed = await input.inputValue();
      if (index === 1) await page.keyboard.press('Enter');
      else await page.locator(QUICK_INPUT_ROWS).nth(index - 1).click();
      // The palette is done when its widget hides, or when the command has put
      // its own quick pick in the same widget (1.139 keeps it shown then), so
      // the input no longer holds what was typed.
      await waitFor(
        async () => !(await page.locator(QUICK_INPUT).isVisible()) || (await input.inputValue().catch(() => '')) !== typed,
        { timeout, message: `the command palette stayed open after choosing "${title}"` },
      ).catch(() => undefined);
      return;
    }
    await closeQuickInputIfOpen(page);
    if (Date.now() >= deadline) {
      throw new Error(`command palette: no command titled "${title}" after ${timeout} ms; palette showed ${JSON.stringify(seen)}`);
    }
  }
}

/** Runs a command that opens a quick pick (e.g. "Coupon Series: Push to Environment…") and picks the row labelled `label`. */
export async function runCommandAndPick(page: Page, title: string, label: string): Promise<void> {
  await runCommand(page, title);
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(label);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

const PROBLEMS_PANEL = '.part.panel .markers-panel';

/** Opens (or focuses) the Problems panel and waits for it. */
export async function openProblemsPanel(page: Page, opts: { timeout?: number } = {}): Promise<void> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  if (await page.locator(PROBLEMS_PANEL).isVisible()) return;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+M'); // View: Toggle Problems
  const ok = await page
    .locator(PROBLEMS_PANEL)
    .waitFor({ state: 'visible', timeout: Math.min(timeout, 5_000) })
    .then(() => true)
    .catch(() => false);
  if (!ok) {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)', { exact: false }).catch(() =>
      runCommand(page, 'Problems', { exact: false }),
    );
    await page.locator(PROBLEMS_PANEL).waitFor({ state: 'visible', timeout });
  }
}

/**
 * Texts of the Problems panel's rows, top to bottom: file rows (e.g.
 * "hello.json 1") and marker rows, which include the position, e.g.
 * "Missing property "x". json(1) [Ln 1, Col 2]". Only rendered rows.
 */
export async function readProblems(page: Page): Promise<string[]> {
  await openProblemsPanel(page);
  const rows: { top: number; text: string }[] = await page
    .locator(`${PROBLEMS_PANEL} .monaco-list-row`)
    .evaluateAll((els: any[]) =>
      els
        // When the last problem goes away the panel hides its tree (and shows
        // "No problems have been detected") but keeps the old rows: skip them.
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => ({ top: parseFloat(el.style.top || '0'), text: (el.innerText ?? el.textContent ?? '') as string })),
    );
  return rows.sort((a, b) => a.top - b.top).map((r) => norm(r.text)).filter(Boolean);
}

/** Waits until the Problems rows satisfy pred; returns them. */
export async function waitForProblems(
  page: Page,
  pred: (rows: string[]) => boolean,
  opts: { timeout?: number } = {},
): Promise<string[]> {
  let last: string[] = [];
  return waitFor(
    async () => {
      last = await readProblems(page);
      return pred(last) ? last : undefined;
    },
    { timeout: opts.timeout, message: () => `problems did not match; last rows: ${JSON.stringify(last)}` },
  );
}

/** Texts of the notifications currently shown (toasts and the center). */
export async function readNotifications(page: Page): Promise<string[]> {
  const texts = await page
    .locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item')
    .evaluateAll((els: any[]) => els.map((el) => (el.innerText ?? el.textContent ?? '') as string));
  return texts.map(norm).filter(Boolean);
}

/** Waits for a notification whose text matches; returns its text. */
export async function waitForNotification(page: Page, text: RegExp | string, opts: { timeout?: number } = {}): Promise<string> {
  const re = typeof text === 'string' ? new RegExp(escapeRegex(text)) : text;
  let last: string[] = [];
  return waitFor(
    async () => {
      last = await readNotifications(page);
      return last.find((t) => re.test(t));
    },
    { timeout: opts.timeout, message: () => `no notification matching ${re}; shown: ${JSON.stringify(last)}` },
  );
}

const DIALOG = '.monaco-dialog-box';

/** Waits for a modal dialog (e.g. showInformationMessage(..., { modal: true })) whose text matches; returns its text. */
export async function waitForDialog(page: Page, text: RegExp | string, opts: { timeout?: number } = {}): Promise<string> {
  const re = typeof text === 'string' ? new RegExp(escapeRegex(text)) : text;
  let last: string[] = [];
  return waitFor(
    async () => {
      // The message (and detail) without the button labels when the layout is the known one.
      last = (await page.locator(DIALOG).evaluateAll((els: any[]) =>
        els.map((el) => (el.querySelector('.dialog-message-container') ?? el).innerText as string),
      )).map(norm);
      return last.find((t) => re.test(t));
    },
    { timeout: opts.timeout, message: () => `no dialog matching ${re}; shown: ${JSON.stringify(last)}` },
  );
}

/** Clicks a button of the open modal dialog by its label and waits for the dialog to close. */
export async function clickDialogButton(page: Page, label: string | RegExp): Promise<void> {
  const name = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegex(label)}\\s*$`) : label;
  await page.locator(`${DIALOG} .dialog-buttons-row`).getByRole('button', { name }).first().click();
  await page.locator(DIALOG).first().waitFor({ state: 'hidden' });
}

/**
 * Text of the active editor. Uses the Monaco model when the page exposes one
 * (window.monaco, not the case in a stock workbench); otherwise the rendered
 * view lines, which only cover the visible part of long files.
 */
export async function editorText(page: Page): Promise<string> {
  const viaModel: string | null = await page
    .evaluate(() => {
      const m = window.monaco;
      const editors = m?.editor?.getEditors?.() ?? [];
      const ed = editors.find((e: any) => e.hasTextFocus?.() || e.hasWidgetFocus?.()) ?? editors[0];
      return ed?.getModel?.()?.getValue?.() ?? null;
    })
    .catch(() => null);
  if (typeof viaModel === 'string') return viaModel;
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines');
  await lines.first().waitFor({ state: 'attached' });
  return lines.first().evaluate((el: any) => {
    const rows = Array.from(el.querySelectorAll(':scope > .view-line')) as any[];
    rows.sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'));
    return rows.map((r) => ((r.textContent ?? '') as string).replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** Saves a PNG into test-results/e2e/NAME.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

const SUGGEST_WIDGET = '.editor-group-container.active .suggest-widget.visible';

/** Ctrl+Space in the active editor; waits for the suggest widget. */
export async function triggerSuggest(page: Page, opts: { timeout?: number } = {}): Promise<void> {
  await page.keyboard.press('Control+Space');
  await page.locator(SUGGEST_WIDGET).waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
  // Wait for the list to finish loading ("Loading..." message goes away).
  await page.locator(`${SUGGEST_WIDGET} .monaco-list-row`).first().waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
}

/** Labels of the rendered suggestions, top to bottom. */
export async function readSuggestions(page: Page): Promise<string[]> {
  const rows: { top: number; text: string }[] = await page
    .locator(`${SUGGEST_WIDGET} .monaco-list-row`)
    .evaluateAll((els: any[]) =>
      els.map((el) => ({
        top: parseFloat(el.style.top || '0'),
        text: (el.querySelector('.label-name')?.textContent ?? el.getAttribute('aria-label') ?? '') as string,
      })),
    );
  return rows.sort((a, b) => a.top - b.top).map((r) => norm(r.text)).filter(Boolean);
}

/**
 * Moves the mouse over the first rendered occurrence of `text` in the active
 * editor and returns the hover widget's text.
 */
export async function hoverAt(page: Page, text: string, opts: { timeout?: number; occurrence?: number } = {}): Promise<string> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  const box = await waitFor(
    () =>
      page.locator('.editor-group-container.active .monaco-editor .view-lines').first().evaluate(
        (root: any, arg: { text: string; occurrence: number }) => {
          const rows = (Array.from(root.querySelectorAll(':scope > .view-line')) as any[]).sort(
            (a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'),
          );
          let seen = 0;
          for (const row of rows) {
            // Map the line's text to its text nodes to build a DOM Range.
            const walker = document.createTreeWalker(row, 4 /* NodeFilter.SHOW_TEXT */);
            const nodes: any[] = [];
            let full = '';
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              nodes.push({ node: n, start: full.length });
              full += n.textContent;
            }
            full = full.replace(/\u00a0/g, ' ');
            let idx = full.indexOf(arg.text);
            while (idx >= 0) {
              if (seen++ === arg.occurrence) {
                const mid = idx + Math.floor(arg.text.length / 2);
                const hit = nodes.filter((x) => x.start <= mid).pop();
                const range = document.createRange();
                range.setStart(hit.node, mid - hit.start);
                range.setEnd(hit.node, Math.min(mid - hit.start + 1, hit.node.textContent.length));
                const r = range.getBoundingClientRect();
                return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
              }
              idx = full.indexOf(arg.text, idx + 1);
            }
          }
          return null;
        },
        { text, occurrence: opts.occurrence ?? 0 },
      ),
    { timeout, message: `hoverAt: "${text}" not found in the visible editor lines` },
  );
  // Leave any previous hover, then rest on the token.
  await page.mouse.move(box.x, Math.max(0, box.y - 200));
  await page.locator('.monaco-editor .monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
  await page.mouse.move(box.x, box.y, { steps: 3 });
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').first();
  await hover.waitFor({ state: 'visible', timeout });
  // Contents can arrive in parts (e.g. "Loading..." first).
  let last = '';
  return waitFor(
    async () => {
      const t = norm(await hover.innerText());
      const stable = t && t === last && !/^Loading\.\.\.$/.test(t);
      last = t;
      return stable ? t : undefined;
    },
    { timeout, interval: 200, message: () => `hover text did not settle (last: "${last}")` },
  );
}

/** Clicks into the active editor's text (gives it keyboard focus). */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
}

/** Moves the cursor with Ctrl+G to line[:column] in the active editor. */
export async function gotoLine(page: Page, line: number, column?: number): Promise<void> {
  const input = await openQuickInput(page, 'Control+G', ':');
  await input.fill(`:${line}${column ? `:${column}` : ''}`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
}

/** Dismisses every notification (toasts and the notification center). */
export async function clearNotifications(page: Page): Promise<void> {
  if (!(await readNotifications(page)).length) return;
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitFor(async () => (await readNotifications(page)).length === 0, { timeout: 5_000, message: 'notifications did not clear' });
}

const ACTION_WIDGET_ROWS = '.action-widget .monaco-list-row';

/**
 * Ctrl+. at the cursor (Quick Fix...), waits for the code action menu and
 * returns the titles it offers, top to bottom.
 */
export async function openQuickFixMenu(page: Page, opts: { timeout?: number } = {}): Promise<string[]> {
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT;
  await page.keyboard.press('Control+.');
  await page.locator(ACTION_WIDGET_ROWS).first().waitFor({ state: 'visible', timeout });
  const rows: { top: number; text: string }[] = await page
    .locator(ACTION_WIDGET_ROWS)
    .evaluateAll((els: any[]) => els.map((el) => ({ top: parseFloat(el.style.top || '0'), text: (el.innerText ?? '') as string })));
  return rows.sort((a, b) => a.top - b.top).map((r) => norm(r.text)).filter(Boolean);
}

/**
 * Chooses the entry of the open code action menu whose title matches, with
 * the keyboard (arrows to it, Enter; the menu blocks pointer events until the
 * mouse has moved), and waits for the menu to close.
 */
export async function chooseQuickFix(page: Page, title: string | RegExp): Promise<void> {
  const matches = (label: string) => (typeof title === 'string' ? label.includes(title) : title.test(label));
  const count = await page.locator(`${ACTION_WIDGET_ROWS}.action`).count();
  for (let i = 0; i <= count; i++) {
    const focused = norm((await page.locator(`${ACTION_WIDGET_ROWS}.focused`).first().getAttribute('aria-label').catch(() => '')) ?? '');
    if (focused && matches(focused)) {
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').first().waitFor({ state: 'hidden' }).catch(() => undefined);
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`code action menu: no entry matching ${String(title)}`);
}

/** Full name of the active editor tab (for a diff editor e.g. "a.json (server) ↔ a.json"). */
export async function activeTabTitle(page: Page): Promise<string | undefined> {
  return activeTabName(page);
}

const OUTPUT_EDITOR = '.part.panel .output-view .monaco-editor, .part.panel .output .monaco-editor';

/**
 * The lines of the Output view's current channel. The view renders only the
 * lines in sight, so this pages through it (Ctrl+Home, then Page Down until
 * the rendered lines stop changing) and returns every distinct line seen, in
 * order of first appearance (identical lines are listed once). With word
 * wrap on (the Output view's default) a long line comes back in pieces: set
 * `"[Log]": { "editor.wordWrap": "off" }` in the user settings to avoid it.
 */
export async function readOutputView(page: Page, opts: { timeout?: number; maxPages?: number } = {}): Promise<string[]> {
  const editor = page.locator(OUTPUT_EDITOR).first();
  await editor.waitFor({ state: 'visible', timeout: opts.timeout ?? DEFAULT_TIMEOUT });
  // Focus the view through its command (a click on its text can land on the
  // panel's title bar, which 1.139 draws over the first line), and wait
  // until the keyboard is in its editor.
  await runCommand(page, 'Output: Focus on Output View');
  await waitFor(() => editor.evaluate((el: any) => el.contains(document.activeElement)), { message: 'the Output view did not take the focus' });
  await page.keyboard.press('Control+Home');
  const seen = new Set<string>();
  const grab = async (): Promise<string[]> =>
    editor.locator('.view-lines').evaluate((root: any) => {
      const rows = (Array.from(root.querySelectorAll(':scope > .view-line')) as any[]).sort(
        (a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'),
      );
      return rows.map((r) => ((r.textContent ?? '') as string).replace(/\u00a0/g, ' '));
    });
  let previous = '';
  for (let i = 0; i < (opts.maxPages ?? 200); i++) {
    const rows = await grab();
    for (const row of rows) seen.add(row);
    const key = rows.join('\n');
    if (i > 0 && key === previous) break;
    previous = key;
    await page.keyboard.press('PageDown');
    await sleep(50);
  }
  return [...seen];
}
