/**
 * The language model tools in the extension host: VS Code lists them, the ones
 * that write ask first (their registered `prepareInvocation`, as the
 * extension exports it), and validate reads the editor's unsaved text.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Sandbox, SANDBOX_DEFAULT_ORG_ID, startSandbox } from '../../../core/src/sandbox';
import type { CouponSeriesApi } from '../../../client/src/node/extensionMain';
import { SANDBOX_PORT_ENV, SUITE_FILES } from '../workspace';
import { EXTENSION_ID, open } from './helpers';
import { test } from './runner';

const TOOL_NAMES = ['coupon_validate', 'coupon_explain', 'coupon_environments', 'coupon_plan', 'coupon_push', 'coupon_pull'];
let sandbox: Sandbox | undefined;

async function api(): Promise<CouponSeriesApi> {
  const extension = vscode.extensions.getExtension<CouponSeriesApi>(EXTENSION_ID);
  assert.ok(extension, 'the extension is installed');
  return extension.activate();
}

/** Runs a tool through VS Code (`lm.invokeTool`); returns its words and its structured result. */
async function invoke(name: string, input: object): Promise<{ text: string; structured: Record<string, unknown> }> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const parts = result.content.filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart);
  assert.equal(parts.length, 2, `${name} answers in words and as JSON`);
  return { text: parts[0].value, structured: JSON.parse(parts[1].value) as Record<string, unknown> };
}

test('vscode.lm.tools lists the coupon tools with the input schemas package.json declares', async () => {
  const port = Number(process.env[SANDBOX_PORT_ENV] || vscode.workspace.getConfiguration('couponSeries').get<number>('sandboxPort'));
  sandbox = await startSandbox({ port });
  await api();
  const declared = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { languageModelTools: { name: string; inputSchema: object }[] } }).contributes.languageModelTools;
  const listed = vscode.lm.tools.filter((tool) => TOOL_NAMES.includes(tool.name));
  assert.deepEqual(listed.map((tool) => tool.name).sort(), [...TOOL_NAMES].sort());
  for (const tool of listed) assert.deepEqual(tool.inputSchema, declared.find((candidate) => candidate.name === tool.name)?.inputSchema, tool.name);
});

test('coupon_validate returns the problems of the editor\'s unsaved text, and does not ask first', async () => {
  const { languageModelTools } = await api();
  const editor = await open(SUITE_FILES.valid);
  const clean = await invoke('coupon_validate', { path: SUITE_FILES.valid });
  assert.deepEqual((clean.structured.counts as { errors: number }).errors, 0);
  const start = editor.document.getText().indexOf('"ABS"');
  assert.ok(start > 0);
  assert.ok(await editor.edit((edit) => edit.replace(new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + 5)), '"PERCENT"')));
  assert.equal(editor.document.isDirty, true, 'not saved');
  try {
    const dirty = await invoke('coupon_validate', { path: SUITE_FILES.valid });
    const problems = dirty.structured.problems as { code: string; line: number; fixes?: { edits: { newText: string }[] }[] }[];
    const problem = problems.find((candidate) => candidate.code === 'unknown-enum-value');
    assert.ok(problem, dirty.text);
    assert.equal(problem.line, editor.document.positionAt(start).line + 1, '1-based line of the unsaved text');
    assert.equal(problem.fixes?.[0].edits[0].newText, '"PERC"');
    assert.match(dirty.text, /1 error/);
    const prepared = await languageModelTools.prepareToolInvocation('coupon_validate', { path: SUITE_FILES.valid });
    assert.equal(prepared?.confirmationMessages, undefined, 'validate asks nothing');
  } finally {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  assert.equal(editor.document.isDirty, false);
});

test('coupon_push and coupon_pull ask first, showing the environment, its org and what happens to each file', async () => {
  const { languageModelTools } = await api();
  const plan = await invoke('coupon_plan', { paths: [SUITE_FILES.valid], environment: 'Local sandbox' });
  const token = plan.structured.planToken;
  assert.equal(typeof token, 'string', plan.text);
  const before = sandbox?.state().seriesCount;

  const push = await languageModelTools.prepareToolInvocation('coupon_push', { paths: [SUITE_FILES.valid], environment: 'Local sandbox', planToken: token });
  assert.equal(push?.confirmationMessages?.title, 'Push to Local sandbox?');
  const pushMessage = push?.confirmationMessages?.message;
  // Shown as plain text: Markdown's characters escaped.
  const pushText = (typeof pushMessage === 'string' ? pushMessage : pushMessage?.value ?? '').replace(/\\(.)/g, '$1');
  assert.match(pushText, new RegExp(`org ${SANDBOX_DEFAULT_ORG_ID}`));
  assert.match(pushText, /^- valid\.coupon\.json: create {2}$/m);
  assert.match(pushText, /This is the plan the token was made from/);

  const pull = await languageModelTools.prepareToolInvocation('coupon_pull', { id: 1, environment: 'Local sandbox' });
  assert.equal(pull?.confirmationMessages?.title, 'Pull from Local sandbox?');
  assert.equal(sandbox?.state().seriesCount, before, 'asking sent nothing');
});

test('the tools\' sandbox stops', async () => {
  await sandbox?.close();
});
