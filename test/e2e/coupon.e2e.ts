/**
 * The extension in a real editor: code-server (the workbench and extension host
 * of each VS Code version the suite runs on) with the packaged .vsix, driven
 * through headless Chromium as a person would (keyboard, mouse, command
 * palette), against a sandbox started here in the test process.
 *
 *   npm run test:e2e              (prepares code-server, packages the .vsix)
 *   node --test --test-reporter=spec out/test/e2e/coupon.e2e.js
 *
 * Screenshots of every step go to test-results/e2e/NN-*.png; a failing step
 * leaves test-results/e2e/failure-*.png. E2E_KEEP_TMP=1 keeps the generated
 * workspace and user-data-dir (the path is printed).
 */
import { after, before, test, TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { Sandbox, SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_SECOND_ORG_ID, SANDBOX_SECOND_ORG_USERNAME, SANDBOX_USERNAME, startSandbox } from '../../core/src/sandbox';
import { sleep } from '../../core/src/util';
import {
  activeTabDirty,
  activeTabTitle,
  chooseQuickFix,
  clearNotifications,
  clickDialogButton,
  CodeServer,
  e2eAvailable,
  editorText,
  focusEditor,
  gotoLine,
  hoverAt,
  openProblemsPanel,
  openQuickFixMenu,
  openWorkbench,
  PACKAGED_VSIX,
  quickOpen,
  readNotifications,
  readOutputView,
  readProblems,
  readSuggestions,
  REPO_ROOT,
  RESULTS_DIR,
  runCommand,
  runCommandAndPick,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  triggerSuggest,
  waitFor,
  waitForDialog,
  waitForNotification,
  waitForProblems,
  Workbench,
} from './harness';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const available = e2eAvailable();

const suiteFolder = suiteTempFolder('editor');
const tmp = suiteFolder.path;
const workspace = path.join(tmp, 'workspace');
const userDataDir = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
const workspaceSettingsFile = path.join(workspace, '.vscode', 'settings.json');
const userSettingsFile = path.join(userDataDir, 'User', 'settings.json');

let sandbox: Sandbox | undefined;
let server: CodeServer | undefined;
let wb: Workbench | undefined;
/** Set by step 4 once the series exists on the sandbox: steps 5 and 6 need it. */
let createdId: number | undefined;
const failedSteps: string[] = [];
const STEP_NAMES = ['diagnostics', 'completion-hover', 'quick-fix', 'create-update-compare', 'server-failure', 'credentials', 'series-view', 'push-to-environment'];

// ------------------------------------------------------------------ fixtures

const vendorExample = fs.readFileSync(path.join(FIXTURES, 'valid', 'vendor-example.coupon.json'), 'utf8');

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture text lacks ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** 1-based line and column of the first occurrence of `needle` (+ offset within it). */
function positionOf(text: string, needle: string, offsetInNeedle = 0): { line: number; column: number } {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `text lacks ${JSON.stringify(needle)}`);
  const before = text.slice(0, index + offsetInNeedle);
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

const FILES = {
  valid: vendorExample,
  // Two mistakes: no discountCode (missing-property on the object) and an unknown discountType.
  invalid: replaceOnce(replaceOnce(vendorExample, '    "discountCode": "XYZ123",\n', ''), '"discountType": "ABS"', '"discountType": "PERCENT"'),
  generic: replaceOnce(vendorExample, '"clientHandlingType": "DISC_CODE"', '"clientHandlingType": "GENERIC"'),
  completion: replaceOnce(vendorExample, '"expiryStrategyType": "SERIES_EXPIRY"', '"expiryStrategyType": ""'),
  createMe: replaceOnce(vendorExample, '"description": "DIWALI 100% OFF"', '"description": "E2E created"'),
};

const EXPECTED_INVALID = [
  { code: 'missing-property', ...positionOf(FILES.invalid, '"CouponSeriesV2"') },
  { code: 'unknown-enum-value', ...positionOf(FILES.invalid, '"PERCENT"') },
];

function writeWorkspaceSettings(settings: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(workspaceSettingsFile), { recursive: true });
  fs.writeFileSync(workspaceSettingsFile, `${JSON.stringify(settings, null, 2)}\n`);
}

function createWorkspace(sandboxPort: number): void {
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'valid.coupon.json'), FILES.valid);
  fs.writeFileSync(path.join(workspace, 'invalid.coupon.json'), FILES.invalid);
  fs.writeFileSync(path.join(workspace, 'generic.coupon.json'), FILES.generic);
  fs.writeFileSync(path.join(workspace, 'completion.coupon.json'), FILES.completion);
  fs.writeFileSync(path.join(workspace, 'create-me.coupon.json'), FILES.createMe);
  writeWorkspaceSettings(teamSettings(sandboxPort));
}

/**
 * The team's shared settings: the sandbox's port and a second org on it,
 * marked protected (as production would be). Which environment is active is
 * each person's own choice, never in this file.
 */
function teamSettings(sandboxPort: number, extra: object[] = []): Record<string, unknown> {
  return {
    'couponSeries.sandboxPort': sandboxPort,
    // What a repository cannot do: turn off the question before sending (a user setting).
    'couponSeries.confirmBeforeSending': false,
    'couponSeries.environments': [
      ...extra,
      { name: 'Sandbox org 2', host: `http://127.0.0.1:${sandboxPort}`, auth: 'basic', username: SANDBOX_SECOND_ORG_USERNAME, orgId: SANDBOX_SECOND_ORG_ID, protected: true },
    ],
  };
}

/** The series `name` records in "deployments", by key (`<orgId>@127.0.0.1:<port>`). */
function deploymentsOf(name: string): Record<string, { id: number; seriesCode: string; orgId: number }> {
  return (JSON.parse(fs.readFileSync(path.join(workspace, name), 'utf8')) as { deployments?: Record<string, { id: number; seriesCode: string; orgId: number }> }).deployments ?? {};
}

/** Picks an environment with "Coupon Series: Select Environment" as a person would. */
async function selectEnvironment(p: Page, name: string): Promise<void> {
  await runCommandAndPick(p, 'Coupon Series: Select Environment', name);
  await p.locator('.statusbar-item', { hasText: name }).first().waitFor({ state: 'visible' });
}

function hashOfFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(dir).sort()) hash.update(file).update(fs.readFileSync(file));
  return hash.digest('hex');
}

// ------------------------------------------------------------------- helpers

/** The Problems rows of one file: its file row ("name N") and the marker rows under it (every coupon file of the workspace is listed, open or not). */
function rowsOfFile(rows: string[], file: string): string[] {
  const start = rows.findIndex((row) => row.startsWith(`${file} `) && !row.includes('[Ln'));
  if (start < 0) return [];
  let end = start + 1;
  while (end < rows.length && rows[end].includes('[Ln')) end++;
  return rows.slice(start, end);
}

/** A Problems row of this project's diagnostic `code` ("… coupon-series <code> [Ln 2, Col 3]"). */
function hasCode(row: string, code: string): boolean {
  return new RegExp(`coupon-series\\s*${code}\\s*\\[Ln`).test(row);
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function basicHeader(): string {
  return `Basic ${Buffer.from(`${SANDBOX_USERNAME}:${md5(SANDBOX_PASSWORD)}`).toString('base64')}`;
}

/** The series as the sandbox holds it, read through its API like any client. */
async function sandboxSeries(id: number): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox!.url}/v2/coupon/series?ids=${id}`, { headers: { Authorization: basicHeader() } });
  const body = (await response.json()) as { entity?: Record<string, unknown>[] };
  assert.equal(response.status, 200, `GET series ${id}: ${JSON.stringify(body)}`);
  return body.entity![0];
}

function readSeriesFile(name: string): { text: string; series: Record<string, unknown> } {
  const text = fs.readFileSync(path.join(workspace, name), 'utf8');
  return { text, series: (JSON.parse(text) as { CouponSeriesV2: Record<string, unknown> }).CouponSeriesV2 };
}

function page(): Page {
  assert.ok(wb, 'the workbench did not open (see the set-up failure)');
  return wb.page;
}

/**
 * Runs one step: on failure keeps a screenshot (failure-<step>.png) and the
 * tail of code-server's log, then fails the test.
 */
async function step(t: TestContext, name: string, body: (page: Page) => Promise<void>): Promise<void> {
  if (!available.ok) {
    t.skip(`SKIPPED: ${available.reason}`);
    return;
  }
  const started = Date.now();
  try {
    await body(page());
    t.diagnostic(`${name}: ${Date.now() - started} ms`);
  } catch (error) {
    failedSteps.push(name);
    if (wb) {
      const shot = await screenshot(wb.page, `failure-${name}`).catch(() => undefined);
      if (shot) t.diagnostic(`failure screenshot: ${shot}`);
    }
    if (server) t.diagnostic(`code-server log (tail):\n${server.logs().slice(-4000)}`);
    throw error;
  }
}

/** Waits (briefly) for the extension's progress notifications ("Updating … on …") to close. */
async function progressDone(p: Page): Promise<void> {
  await waitFor(async () => !(await readNotifications(p)).some((n) => /\b(Creating|Updating|Fetching)\b[^…]*…/.test(n)), { timeout: 10_000 }).catch(() => undefined);
}

async function shot(t: TestContext, p: Page, name: string): Promise<void> {
  t.diagnostic(`screenshot: ${await screenshot(p, name)}`);
}

/** Types at the end of a string value: places the cursor before the closing quote of `"key": "…"` with Ctrl+G. */
async function appendToStringValue(p: Page, fileText: string, key: string, suffix: string): Promise<void> {
  const lines = fileText.split('\n');
  const index = lines.findIndex((l) => l.trimStart().startsWith(`"${key}":`));
  assert.ok(index >= 0, `the file has no "${key}"`);
  const closingQuote = lines[index].lastIndexOf('"');
  await focusEditor(p);
  await gotoLine(p, index + 1, closingQuote + 1);
  await p.keyboard.type(suffix);
}

const openToDiagnostics: number[] = [];

/**
 * Opens a file with problems through quick open and measures the time from
 * Enter to its diagnostics on screen: its row rendered in the Problems panel
 * (which must be open), and an error squiggle in the editor when the problem
 * is in view (not waited for when it is not).
 */
async function openAndTimeDiagnostics(t: TestContext, p: Page, name: string): Promise<number> {
  const enteredAt = await quickOpen(p, name);
  const handle = await p.waitForFunction(
    (file: string) => {
      const w = globalThis as any;
      const doc = w.document;
      const now = Date.now();
      const seen = (w.__couponE2eSeen ??= {}) as { file?: string; row?: number; squiggle?: number };
      if (seen.file !== file) {
        seen.file = file;
        seen.row = undefined;
        seen.squiggle = undefined;
      }
      if (!seen.squiggle && doc.querySelector('.editor-group-container.active .monaco-editor .squiggly-error')) seen.squiggle = now;
      const rows = Array.from(doc.querySelectorAll('.part.panel .markers-panel .monaco-list-row')) as any[];
      if (!seen.row && rows.some((r) => r.getClientRects().length > 0 && String(r.innerText).replace(/\s+/g, ' ').trim().startsWith(file))) seen.row = now;
      return seen.row && (seen.squiggle || now - seen.row > 1_500) ? { row: seen.row, squiggle: seen.squiggle ?? 0 } : undefined;
    },
    name,
    { polling: 'raf', timeout: 30_000 },
  );
  const { row, squiggle } = (await handle.jsonValue()) as { row: number; squiggle: number };
  const ms = row - enteredAt;
  openToDiagnostics.push(ms);
  const squiggleAfter = squiggle ? `error squiggle after ${squiggle - enteredAt} ms` : 'no squiggle in view (the problem is further down)';
  t.diagnostic(`open→diagnostics on screen (${name}): Problems row after ${ms} ms, ${squiggleAfter} (from quick open Enter)`);
  return ms;
}

/** Closes every editor (an unopened file's problems stay listed: the workspace-wide check). */
async function closeAllEditors(p: Page): Promise<void> {
  await runCommand(p, 'View: Close All Editors');
  await p.locator('.editor-group-container [role="tab"]').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
}

async function saveActiveEditor(p: Page, file: string, contains: string): Promise<void> {
  await p.keyboard.press('Control+S');
  await waitFor(() => fs.readFileSync(file, 'utf8').includes(contains), { message: `${path.basename(file)} was not saved with ${JSON.stringify(contains)}` });
}

function assertNoSecret(where: string, text: string, secrets: string[]): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${where} contains ${secret === SANDBOX_PASSWORD ? 'the password' : 'the password MD5'}`);
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

// ------------------------------------------------------------- set-up, clean-up

/** Warns when the .vsix is older than the sources it is built from (a failed or skipped `npm run package`). */
function warnIfStale(vsix: string): void {
  const built = fs.statSync(vsix).mtimeMs;
  const newer = ['client/src', 'server/src', 'core/src', 'package.json']
    .flatMap((p) => (fs.statSync(path.join(REPO_ROOT, p)).isDirectory() ? listFiles(path.join(REPO_ROOT, p)) : [path.join(REPO_ROOT, p)]))
    .filter((f) => fs.statSync(f).mtimeMs > built);
  if (newer.length) console.log(`# WARNING: ${path.relative(REPO_ROOT, vsix)} is older than ${newer.length} source file(s) (e.g. ${path.relative(REPO_ROOT, newer[0])}): run "npm run package"`);
}

before(async () => {
  if (!available.ok) return;
  assert.ok(fs.existsSync(PACKAGED_VSIX), `${PACKAGED_VSIX} is missing: run "npm run package" first`);
  warnIfStale(PACKAGED_VSIX);
  // Failure pictures of an earlier run would be mistaken for this run's.
  for (const name of [...STEP_NAMES, 'last']) fs.rmSync(path.join(RESULTS_DIR, `failure-${name}.png`), { force: true });
  sandbox = await startSandbox({ port: 0 });
  createWorkspace(sandbox.port);
  server = await startCodeServer({
    workspace,
    extensionsDir,
    userDataDir,
    vsix: PACKAGED_VSIX,
    settings: {
      'files.autoSave': 'off',
      'editor.formatOnSave': false,
      // One output line per view line: a wrapped line could split a secret in two.
      '[Log]': { 'editor.wordWrap': 'off' },
    },
  });
  wb = await openWorkbench(server.url);
});

after(async () => {
  if (openToDiagnostics.length) {
    const sorted = [...openToDiagnostics].sort((a, b) => a - b);
    console.log(`# open→diagnostics on screen: ${sorted[Math.floor(sorted.length / 2)]} ms median of ${sorted.length} files (${openToDiagnostics.join(', ')} ms)`);
  }
  if (wb && failedSteps.length) await screenshot(wb.page, 'failure-last').catch(() => undefined);
  await wb?.close();
  await server?.stop();
  await sandbox?.close();
  suiteFolder.remove();
});

// -------------------------------------------------------------------- steps

test('1. diagnostics: a valid file has no problems; an invalid one lists its codes and lines', { timeout: 90_000 }, (t) =>
  step(t, 'diagnostics', async (p) => {
    let mark = Date.now();
    await openProblemsPanel(p);
    t.diagnostic(`Problems panel open: ${Date.now() - mark} ms`);
    mark = Date.now();
    const validEnteredAt = await quickOpen(p, 'valid.coupon.json');
    t.diagnostic(`quick open of valid.coupon.json: ${validEnteredAt - mark} ms to find it, ${Date.now() - validEnteredAt} ms to show it`);
    // The status bar names the language mode once the file is a coupon file.
    await p.locator('.statusbar-item', { hasText: /^Coupon Series$/ }).first().waitFor({ state: 'visible' });
    t.diagnostic(`valid.coupon.json open in language mode Coupon Series: ${Date.now() - mark} ms`);
    // The extension's status bar item (the active environment) shows once it has activated.
    await p.locator('.statusbar-item', { hasText: 'Local sandbox' }).first().waitFor({ state: 'visible' });
    assert.deepEqual(rowsOfFile(await readProblems(p), 'valid.coupon.json'), [], 'the valid file shows no problems');
    await shot(t, p, '01-valid-no-problems');

    // Open the invalid file and time its diagnostics reaching the screen.
    await openAndTimeDiagnostics(t, p, 'invalid.coupon.json');

    const rows = rowsOfFile(await waitForProblems(p, (r) => EXPECTED_INVALID.every((e) => rowsOfFile(r, 'invalid.coupon.json').some((x) => hasCode(x, e.code))), { timeout: 30_000 }), 'invalid.coupon.json');
    t.diagnostic(`problems: ${JSON.stringify(rows)}`);
    for (const expected of EXPECTED_INVALID) {
      const row = rows.find((x) => hasCode(x, expected.code));
      assert.ok(row?.includes(`[Ln ${expected.line}, Col ${expected.column}]`), `${expected.code} at Ln ${expected.line}, Col ${expected.column}: ${row}`);
    }
    assert.ok(rows.some((r) => /^invalid\.coupon\.json\b.*\b2$/.test(r)), `a file row "invalid.coupon.json … 2": ${JSON.stringify(rows)}`);
    // The valid one, shown before, still has none.
    assert.ok(!(await readProblems(p)).some((r) => r.startsWith('valid.coupon.json')), 'no row for valid.coupon.json');
    await shot(t, p, '02-invalid-problems');
  }),
);

test('2. completion offers the three expiry strategies; hover explains discountType', { timeout: 60_000 }, (t) =>
  step(t, 'completion-hover', async (p) => {
    await closeAllEditors(p);
    await openAndTimeDiagnostics(t, p, 'completion.coupon.json');
    const inside = positionOf(FILES.completion, '"expiryStrategyType": ""', '"expiryStrategyType": "'.length);
    await focusEditor(p);
    await gotoLine(p, inside.line, inside.column);
    // The suggest widget can open before the language server answers (a busy machine): ask again until it lists them.
    let shown: string[] = [];
    const suggestions = await waitFor(
      async () => {
        await triggerSuggest(p).catch(() => undefined);
        const deadline = Date.now() + 4_000;
        while (Date.now() < deadline) {
          shown = (await readSuggestions(p)).map((l) => l.replace(/"/g, ''));
          if (['SERIES_EXPIRY', 'DAYS', 'MONTHS_END'].every((v) => shown.includes(v))) return shown;
          await sleep(200);
        }
        await p.keyboard.press('Escape');
        return undefined;
      },
      { timeout: 30_000, message: () => `the three expiryStrategyType values were not all offered: ${JSON.stringify(shown)}` },
    );
    t.diagnostic(`suggestions: ${JSON.stringify(suggestions)}`);
    await shot(t, p, '03-completion-expiry-strategy');
    await p.keyboard.press('Escape');

    const hover = await hoverAt(p, 'discountType');
    t.diagnostic(`hover: ${hover}`);
    assert.match(hover, /type of discount the coupon gives/);
    assert.match(hover, /ABS/);
    assert.match(hover, /PERC/);
    await shot(t, p, '04-hover-discount-type');
    await p.mouse.move(5, 5);
  }),
);

test('3. quick fix "Add "genericCode"" removes the generic-code-required problem', { timeout: 60_000 }, (t) =>
  step(t, 'quick-fix', async (p) => {
    await closeAllEditors(p);
    await openAndTimeDiagnostics(t, p, 'generic.coupon.json');
    await waitForProblems(p, (r) => r.some((x) => hasCode(x, 'generic-code-required')), { timeout: 20_000 });
    const at = positionOf(FILES.generic, '"GENERIC"');
    await focusEditor(p);
    await gotoLine(p, at.line, at.column + 1);
    const offered = await openQuickFixMenu(p);
    t.diagnostic(`quick fixes offered: ${JSON.stringify(offered)}`);
    assert.ok(offered.some((o) => o.includes('Add "genericCode"')), `offered: ${JSON.stringify(offered)}`);
    await shot(t, p, '05-quick-fix-menu');
    await chooseQuickFix(p, 'Add "genericCode"');
    await waitFor(async () => /"genericCode": ""/.test(await editorText(p)) || (await readProblems(p)).every((r) => !hasCode(r, 'generic-code-required')), {
      message: 'the quick fix did not change the file',
    });
    const rows = await waitForProblems(p, (r) => !r.some((x) => hasCode(x, 'generic-code-required')));
    t.diagnostic(`problems after the fix: ${JSON.stringify(rows)}`);
    await saveActiveEditor(p, path.join(workspace, 'generic.coupon.json'), '"genericCode": ""');
    assert.match(fs.readFileSync(path.join(workspace, 'generic.coupon.json'), 'utf8'), /"clientHandlingType": "GENERIC",?\s[\s\S]*"genericCode": ""/);
    await gotoLine(p, at.line);
    await shot(t, p, '06-quick-fix-applied');
  }),
);

test('4. Create on Server, edit + Update on Server, Compare with Server', { timeout: 90_000 }, (t) =>
  step(t, 'create-update-compare', async (p) => {
    const file = path.join(workspace, 'create-me.coupon.json');
    await closeAllEditors(p);
    await quickOpen(p, 'create-me.coupon.json');
    await clearNotifications(p);
    assert.equal(sandbox!.state().seriesCount, 0);
    await runCommand(p, 'Coupon Series: Create on Server');
    const sandboxKey = `${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:${sandbox!.port}`;
    const created = await waitFor(() => deploymentsOf('create-me.coupon.json')[sandboxKey]?.id, {
      timeout: 20_000,
      message: 'no deployment was recorded in create-me.coupon.json',
    });
    const note = await waitForNotification(p, new RegExp(`\\b${created}\\b`));
    t.diagnostic(`notification: ${note}`);
    assert.equal(typeof deploymentsOf('create-me.coupon.json')[sandboxKey].seriesCode, 'string');
    assert.equal(readSeriesFile('create-me.coupon.json').series.id, undefined, 'no id inside CouponSeriesV2');
    assert.equal(sandbox!.state().seriesCount, 1, 'the sandbox holds one series');
    createdId = created;
    // The deployment is recorded after CouponSeriesV2: go to the end to see it.
    await focusEditor(p);
    await p.keyboard.press('Control+End');
    await waitFor(async () => (await editorText(p)).includes(`"id": ${created}`), { message: `the editor does not show "id": ${created}` });
    assert.equal(await activeTabDirty(p), false, 'the file was saved');
    await progressDone(p);
    await shot(t, p, '07-created-on-server');

    // Edit the description like a person, save, Update.
    const newDescription = 'E2E created, then updated';
    await appendToStringValue(p, fs.readFileSync(file, 'utf8'), 'description', ', then updated');
    await saveActiveEditor(p, file, newDescription);
    await clearNotifications(p);
    await runCommand(p, 'Coupon Series: Update on Server');
    t.diagnostic(`notification: ${await waitForNotification(p, new RegExp(`Updated series ${created}\\b|\\b${created}\\b.*updated`, 'i'), { timeout: 20_000 })}`);
    const held = await sandboxSeries(created);
    assert.equal(held.description, newDescription, 'the sandbox holds the new description');
    await progressDone(p);
    await shot(t, p, '08-updated-on-server');

    // A saved local change the server has not seen, for the diff to show.
    await appendToStringValue(p, fs.readFileSync(file, 'utf8'), 'info', ' (changed locally)');
    await saveActiveEditor(p, file, 'Evil coupon (changed locally)');
    await clearNotifications(p);
    await runCommand(p, 'Coupon Series: Compare with Server');
    const title = await waitFor(async () => {
      const tab = await activeTabTitle(p);
      return tab?.includes('↔') ? tab : undefined;
    }, { message: 'no diff editor tab ("↔") opened' });
    await p.locator('.editor-group-container.active .monaco-diff-editor').first().waitFor({ state: 'visible' });
    t.diagnostic(`diff editor: ${title}`);
    // The changed line is highlighted on both sides.
    await p.locator('.editor-group-container.active .monaco-diff-editor .char-insert, .editor-group-container.active .monaco-diff-editor .line-insert').first().waitFor({ state: 'visible' });
    await waitFor(async () => !(await readNotifications(p)).some((n) => /Fetching/.test(n)), { timeout: 10_000, message: 'the fetch progress did not end' });
    const summary = await readNotifications(p);
    t.diagnostic(`notifications: ${JSON.stringify(summary)}`);
    await shot(t, p, '09-compare-with-server');
  }),
);

test('5. a failing server: Update shows a readable error and leaves the file untouched', { timeout: 90_000 }, (t) =>
  step(t, 'server-failure', async (p) => {
    if (createdId === undefined) return t.skip('needs the series created in step 4');
    const file = path.join(workspace, 'create-me.coupon.json');
    await quickOpen(p, 'create-me.coupon.json');
    const before = fs.readFileSync(file);

    const cases: { fault: Parameters<Sandbox['setFaults']>[0]; expect: RegExp; shot: string }[] = [
      { fault: { status5xx: { status: 503, count: 10 } }, expect: /503/, shot: '10-update-fails-503' },
      { fault: { htmlBody: { count: 10 } }, expect: /502/, shot: '11-update-fails-html-502' },
    ];
    for (const c of cases) {
      await clearNotifications(p);
      sandbox!.setFaults(c.fault);
      try {
        const requestsBefore = sandbox!.state().requestCount;
        await runCommand(p, 'Coupon Series: Update on Server');
        const error = await waitForNotification(p, c.expect, { timeout: 30_000 });
        t.diagnostic(`error notification (${Object.keys(c.fault)[0]}): ${error}`);
        assert.ok(sandbox!.state().requestCount > requestsBefore, 'the update reached the sandbox');
        // Readable: a sentence, not the HTML page (at most its first line quoted).
        assert.doesNotMatch(error, /<\/html>|<(head|body|center|h1)\b/i, 'no HTML page in the message');
        assert.ok(error.length < 400, `a short message (${error.length} characters)`);
        await progressDone(p);
        await shot(t, p, c.shot);
      } finally {
        sandbox!.setFaults({});
      }
      assert.ok(fs.readFileSync(file).equals(before), 'the file on disk is byte-identical');
      assert.equal(await activeTabDirty(p), false, 'the editor holds no unsaved change');
    }
  }),
);

test('6. credentials for a user environment: set through the command, never in settings or the log', { timeout: 90_000 }, (t) =>
  step(t, 'credentials', async (p) => {
    if (createdId === undefined) return t.skip('needs the series created in step 4');
    const file = path.join(workspace, 'create-me.coupon.json');
    await quickOpen(p, 'create-me.coupon.json');
    // A teammate's environment for the same org (no orgId: the tool recognises the org from the server).
    writeWorkspaceSettings(teamSettings(sandbox!.port, [{ name: 'Team sandbox', host: `http://127.0.0.1:${sandbox!.port}`, auth: 'basic', username: SANDBOX_USERNAME }]));
    const settingsBefore = fs.readFileSync(workspaceSettingsFile, 'utf8');
    await waitFor(async () => {
      await runCommand(p, 'Coupon Series: Select Environment');
      // The environments replace the palette's rows: wait for them, then look for the new one.
      const rows = p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Local sandbox' });
      await rows.first().waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
      const listed = await p.locator('.quick-input-widget .monaco-list-row', { hasText: 'Team sandbox' }).count();
      await p.keyboard.press('Escape');
      return listed > 0;
    }, { timeout: 40_000, message: 'the workbench did not pick up the new environment' });
    await selectEnvironment(p, 'Team sandbox');
    assert.equal(fs.readFileSync(workspaceSettingsFile, 'utf8'), settingsBefore, 'choosing an environment writes no settings file');
    await clearNotifications(p);
    const passwordBox = p.locator('.quick-input-widget input[type="password"]');
    await runCommand(p, 'Coupon Series: Set Credentials');
    await passwordBox.waitFor({ state: 'visible' });
    const title = await p.locator('.quick-input-widget .quick-input-title').first().innerText().catch(() => '');
    t.diagnostic(`input box: ${title}`);
    assert.match(title, /Team sandbox/);
    await passwordBox.focus();
    await p.keyboard.type(SANDBOX_PASSWORD);
    await shot(t, p, '12-set-credentials-masked');
    await p.keyboard.press('Enter');
    t.diagnostic(`notification: ${await waitForNotification(p, /Credentials for Team sandbox/)}`);

    const newDescription = 'E2E created, then updated, then by the team';
    await appendToStringValue(p, fs.readFileSync(file, 'utf8'), 'description', ', then by the team');
    await saveActiveEditor(p, file, newDescription);
    await clearNotifications(p);
    await runCommand(p, 'Coupon Series: Update on Server');
    // The workspace's confirmBeforeSending: false is not obeyed: the user's setting (on by default) asks.
    t.diagnostic(`dialog: ${await waitForDialog(p, /Update series \d+ from create-me\.coupon\.json on Team sandbox\?/, { timeout: 20_000 })}`);
    await clickDialogButton(p, 'Update');
    t.diagnostic(`notification: ${await waitForNotification(p, /Updated series .*Team sandbox/, { timeout: 20_000 })}`);
    assert.equal((await sandboxSeries(createdId)).description, newDescription);
    await progressDone(p);
    await shot(t, p, '13-team-sandbox-updated');

    // Neither the password nor its MD5 (what the API gets) is in a settings file or the log.
    const secrets = [SANDBOX_PASSWORD, md5(SANDBOX_PASSWORD)];
    assertNoSecret('user settings.json', fs.readFileSync(userSettingsFile, 'utf8'), secrets);
    assertNoSecret('workspace .vscode/settings.json', fs.readFileSync(workspaceSettingsFile, 'utf8'), secrets);

    await runCommand(p, 'Coupon Series: Show Log');
    const lines = await readOutputView(p);
    t.diagnostic(`output channel: ${lines.length} distinct lines, e.g. ${JSON.stringify(lines.slice(0, 3))}`);
    assert.ok(lines.some((l) => /PUT|update|series/i.test(l)), 'the output view shows the extension log');
    lines.forEach((line, i) => assertNoSecret(`output line ${i + 1}`, line, secrets));
    assertNoSecret('the output lines joined', lines.join(''), secrets);
    // The same channel as the log file the extension host writes (all lines, not only those rendered).
    const logFiles = listFiles(path.join(userDataDir, 'logs')).filter((f) => /Coupon Series\.log$/.test(f));
    t.diagnostic(`log files: ${JSON.stringify(logFiles.map((f) => path.relative(userDataDir, f)))}`);
    for (const f of logFiles) assertNoSecret(path.relative(userDataDir, f), fs.readFileSync(f, 'utf8'), secrets);
    // Anything else of the user-data-dir that holds them, for the report (the secret storage's own files may).
    const elsewhere = listFiles(userDataDir).filter((f) => {
      const data = fs.readFileSync(f);
      return secrets.some((s) => data.includes(s));
    });
    t.diagnostic(`files of the user-data-dir containing the password or its MD5: ${JSON.stringify(elsewhere.map((f) => path.relative(userDataDir, f)))}`);
    await shot(t, p, '14-output-channel-no-secret');
  }),
);

test('7. the Coupon Series view lists the workspace\'s files with their state on the active environment', { timeout: 90_000 }, (t) =>
  step(t, 'series-view', async (p) => {
    if (createdId === undefined) return t.skip('needs the series created in step 4');
    await runCommand(p, 'View: Show Explorer');
    const header = p.locator('.pane-header', { hasText: /coupon series/i }).first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const pane = p.locator('.pane', { has: header }).first();
    const rows = async () => (await pane.locator('.monaco-list-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
    let shown: string[] = [];
    const listed = await waitFor(
      async () => {
        shown = await rows();
        const created = shown.find((row) => row.startsWith('create-me.coupon.json'));
        const fresh = shown.find((row) => row.startsWith('valid.coupon.json'));
        return created?.includes(`in sync · ${createdId}`) && fresh?.includes('not created here') ? shown : undefined;
      },
      { timeout: 30_000, message: () => `the view shows ${JSON.stringify(shown)}` },
    );
    t.diagnostic(`view rows: ${JSON.stringify(listed)}`);
    assert.ok(listed.some((row) => row.startsWith('invalid.coupon.json') && row.includes('invalid')), 'the invalid file is marked invalid');
    // A file changed on disk is read and planned again (on its own), and back.
    const createMe = path.join(workspace, 'create-me.coupon.json');
    const original = fs.readFileSync(createMe, 'utf8');
    const edited = original.replace(/"description": "([^"]*)"/, '"description": "$1 (edited)"');
    assert.notEqual(edited, original);
    const stateOf = async (expected: string) =>
      waitFor(
        async () => {
          shown = await rows();
          return shown.find((row) => row.startsWith('create-me.coupon.json'))?.includes(expected) ? shown : undefined;
        },
        { timeout: 30_000, message: () => `the view shows ${JSON.stringify(shown)}, not "${expected}"` },
      );
    const mark = sandbox!.requests().length;
    fs.writeFileSync(createMe, edited);
    await stateOf(`changed locally · ${createdId}`);
    fs.writeFileSync(createMe, original);
    await stateOf(`in sync · ${createdId}`);
    const reads = sandbox!.requests().slice(mark);
    t.diagnostic(`requests for the two changes: ${JSON.stringify(reads.map((request) => `${request.method} ${request.path}?${request.query}`))}`);
    assert.ok(reads.every((request) => request.method === 'GET' && request.query === `ids=${createdId}`), 'only the changed file is read again');
    // For the picture: the view and the file, without the panel below.
    await runCommand(p, 'View: Hide Panel').catch(() => undefined);
    await shot(t, p, '15-series-view');
  }),
);

test('8. Push to Environment… creates the series on a second (protected) org; the status bar shows a protected environment', { timeout: 120_000 }, (t) =>
  step(t, 'push-to-environment', async (p) => {
    if (createdId === undefined) return t.skip('needs the series created in step 4');
    const vscodeFolder = path.dirname(workspaceSettingsFile);
    const before = hashOfFolder(vscodeFolder);
    await quickOpen(p, 'create-me.coupon.json');
    await clearNotifications(p);
    await runCommandAndPick(p, 'Coupon Series: Push to Environment…', 'Sandbox org 2');
    // Protected: asked before sending, whatever confirmBeforeSending says (a create reads nothing first).
    const question = await waitForDialog(p, /Create create-me\.coupon\.json on Sandbox org 2 \(protected\)\?/, { timeout: 20_000 });
    t.diagnostic(`dialog: ${question}`);
    await shot(t, p, '16-push-protected-confirm');
    const mark = sandbox!.requests().length;
    await clickDialogButton(p, 'Create');
    // No credentials yet for this org: asked once, masked, when the first request needs them.
    const passwordBox = p.locator('.quick-input-widget input[type="password"]');
    await passwordBox.waitFor({ state: 'visible' });
    assert.equal(sandbox!.requests().length, mark, 'nothing is sent before the credentials are entered');
    await passwordBox.focus();
    await p.keyboard.type(SANDBOX_PASSWORD);
    await p.keyboard.press('Enter');
    const note = await waitForNotification(p, /Created series \d+ .*on Sandbox org 2/, { timeout: 20_000 });
    t.diagnostic(`notification: ${note}`);
    const deployments = deploymentsOf('create-me.coupon.json');
    const secondKey = `${SANDBOX_SECOND_ORG_ID}@127.0.0.1:${sandbox!.port}`;
    assert.deepEqual(Object.keys(deployments).sort(), [`${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:${sandbox!.port}`, secondKey].sort());
    assert.equal(deployments[`${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:${sandbox!.port}`].id, createdId, 'the first org\'s record stays');
    const sent = sandbox!.requests().slice(mark).filter((request) => request.method !== 'GET');
    assert.deepEqual(sent.map((request) => `${request.method} ${request.path} ${request.orgId}`), [`POST /v2/coupon/series ${SANDBOX_SECOND_ORG_ID}`], 'a create on org 2, never a PUT of org 1\'s id');
    await progressDone(p);

    await selectEnvironment(p, 'Sandbox org 2');
    const item = p.locator('.statusbar-item', { hasText: 'Sandbox org 2' }).first();
    const look = await item.evaluate((el: any) => ({ classes: String(el.className), background: String((globalThis as any).getComputedStyle(el).backgroundColor) }));
    t.diagnostic(`status bar item: ${JSON.stringify(look)}`);
    assert.ok(/warning-kind/.test(look.classes) || !/rgba\(0, 0, 0, 0\)|transparent/.test(look.background), 'the protected environment is shown in the warning colour');
    await shot(t, p, '17-status-bar-protected');
    assert.equal(hashOfFolder(vscodeFolder), before, 'choosing environments and pushing changed no file in .vscode/');
  }),
);
