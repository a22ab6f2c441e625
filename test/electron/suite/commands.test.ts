/**
 * The commands against a sandbox started here, in the extension host, on the
 * port the workspace settings name (the extension reuses a sandbox that answers).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Sandbox, SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { sleep } from '../../../core/src/util';
import { SANDBOX_PORT_ENV, SUITE_FILES } from '../workspace';
import { activateExtension, open, workspaceFile } from './helpers';
import { test, waitFor } from './runner';

let sandbox: Sandbox | undefined;
let createdId: number | undefined;

/** The series the file records (in "deployments") for the local sandbox's org. */
function recordedOf(text: string): { id: number; seriesCode: string; orgId: number } | undefined {
  const deployments = (JSON.parse(text) as { deployments?: Record<string, { id: number; seriesCode: string; orgId: number }> }).deployments ?? {};
  return Object.entries(deployments).find(([key]) => key.startsWith(`${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:`))?.[1];
}

async function sandboxSeries(id: number): Promise<Record<string, unknown>> {
  const md5 = createHash('md5').update(SANDBOX_PASSWORD).digest('hex');
  const response = await fetch(`${sandbox!.url}/v2/coupon/series?ids=${id}`, {
    headers: { Authorization: `Basic ${Buffer.from(`${SANDBOX_USERNAME}:${md5}`).toString('base64')}` },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { entity: Record<string, unknown>[] }).entity[0];
}

/** Replaces a string property's value in the editor and saves. */
async function setString(editor: vscode.TextEditor, key: string, value: string): Promise<void> {
  const text = editor.document.getText();
  const match = new RegExp(`"${key}": "([^"]*)"`).exec(text);
  assert.ok(match, `no "${key}" string in the file`);
  const start = match.index + match[0].length - match[1].length - 1;
  const range = new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + match[1].length));
  assert.ok(await editor.edit((edit) => edit.replace(range, value)));
  assert.ok(await editor.document.save());
}

test('a sandbox answers on the configured port', async () => {
  const port = Number(process.env[SANDBOX_PORT_ENV] || vscode.workspace.getConfiguration('couponSeries').get<number>('sandboxPort'));
  assert.ok(port > 0, `no sandbox port (${SANDBOX_PORT_ENV} or couponSeries.sandboxPort)`);
  sandbox = await startSandbox({ port });
  await activateExtension();
});

test('Create on Server records the series in the file\'s "deployments" and the sandbox holds it', async () => {
  assert.ok(sandbox, 'needs the sandbox');
  const editor = await open(SUITE_FILES.createMe);
  await vscode.commands.executeCommand('couponSeries.createOnServer');
  const recorded = await waitFor(() => recordedOf(editor.document.getText()), 'no deployment recorded in the file');
  assert.equal(typeof recorded.seriesCode, 'string');
  assert.equal(recorded.orgId, SANDBOX_DEFAULT_ORG_ID);
  assert.equal(editor.document.isDirty, false, 'the file was saved');
  assert.equal(recordedOf(fs.readFileSync(workspaceFile(SUITE_FILES.createMe).fsPath, 'utf8'))?.id, recorded.id);
  assert.equal((JSON.parse(editor.document.getText()) as { CouponSeriesV2: Record<string, unknown> }).CouponSeriesV2.id, undefined, 'no id inside CouponSeriesV2');
  assert.equal(sandbox.state().seriesCount, 1);
  createdId = recorded.id;
}, { timeoutMs: 30_000 });

test('Update on Server sends the edited file', async () => {
  assert.ok(sandbox && createdId, 'needs the created series');
  const editor = await open(SUITE_FILES.createMe);
  await setString(editor, 'description', 'Suite updated');
  await vscode.commands.executeCommand('couponSeries.updateOnServer');
  await waitFor(async () => (await sandboxSeries(createdId!)).description === 'Suite updated', 'the sandbox does not hold the new description');
}, { timeoutMs: 30_000 });

test('Update on Server against a failing server leaves the file byte-identical', async () => {
  assert.ok(sandbox && createdId, 'needs the created series');
  const editor = await open(SUITE_FILES.createMe);
  const file = workspaceFile(SUITE_FILES.createMe).fsPath;
  const before = fs.readFileSync(file);
  const requests = sandbox.state().requestCount;
  sandbox.setFaults({ status5xx: { status: 503, count: 10 } });
  try {
    // Not awaited: after a failure the command waits on its error message (with a "Show Log" button) until it is dismissed.
    void vscode.commands.executeCommand('couponSeries.updateOnServer');
    // A PUT answered 503 is tried three times in all (two retries, 0.5 s and 1 s apart).
    await waitFor(() => sandbox!.state().requestCount >= requests + 3, 'the update did not reach the sandbox three times');
    await sleep(500);
  } finally {
    sandbox.setFaults({});
  }
  assert.ok(fs.readFileSync(file).equals(before), 'the file on disk is unchanged');
  assert.equal(editor.document.isDirty, false);
  assert.equal((await sandboxSeries(createdId)).description, 'Suite updated');
}, { timeoutMs: 30_000 });

test('Compare with Server opens a diff editor', async () => {
  assert.ok(sandbox && createdId, 'needs the created series');
  await open(SUITE_FILES.createMe);
  await vscode.commands.executeCommand('couponSeries.compareWithServer');
  const tab = await waitFor(() => {
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    return active?.input instanceof vscode.TabInputTextDiff ? active : undefined;
  }, 'no diff editor is active');
  assert.match(tab.label, /↔/);
}, { timeoutMs: 30_000 });

test('the sandbox stops', async () => {
  await sandbox?.close();
});
