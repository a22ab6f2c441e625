/** Language features through the VS Code API: diagnostics, completion, hover, quick fix. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SUITE_FILES } from '../workspace';
import { activateExtension, codeOf, couponDiagnostics, hoverText, open, positionAfter, waitForDiagnostics } from './helpers';
import { test } from './runner';

test('the extension activates', async () => {
  await activateExtension();
});

test('diagnostics: none for the valid file; the invalid one has its codes on the right lines', async () => {
  const valid = await open(SUITE_FILES.valid);
  assert.equal(valid.document.languageId, 'coupon-json');
  const invalid = await open(SUITE_FILES.invalid);
  const diagnostics = await waitForDiagnostics(invalid.document.uri, (d) => d.length >= 2, 'two diagnostics for invalid.coupon.json');
  const byCode = new Map(diagnostics.map((d) => [codeOf(d), d]));
  assert.equal(byCode.get('missing-property')?.range.start.line, 1, 'missing-property on line 2');
  assert.equal(byCode.get('unknown-enum-value')?.range.start.line, positionAfter(invalid.document, '"PERCENT').line, 'unknown-enum-value on the discountType line');
  assert.equal(byCode.get('unknown-enum-value')?.severity, vscode.DiagnosticSeverity.Error);
  // The server answers documents in the order they were opened: the valid one has been checked.
  assert.deepEqual(couponDiagnostics(valid.document.uri), []);
});

test('completion inside "expiryStrategyType": "" offers SERIES_EXPIRY, DAYS, MONTHS_END', async () => {
  const editor = await open(SUITE_FILES.completion);
  const position = positionAfter(editor.document, '"expiryStrategyType": "');
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position);
  const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label).replace(/"/g, ''));
  for (const value of ['SERIES_EXPIRY', 'DAYS', 'MONTHS_END']) assert.ok(labels.includes(value), `${value} in ${JSON.stringify(labels)}`);
});

test('hover on discountType shows its documentation', async () => {
  const editor = await open(SUITE_FILES.valid);
  const position = positionAfter(editor.document, '"discountT');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
  const text = hoverText(hovers);
  assert.match(text, /type of discount the coupon gives/);
  assert.match(text, /ABS/);
  assert.match(text, /PERC/);
});

test('quick fix Add "genericCode" removes generic-code-required', async () => {
  const editor = await open(SUITE_FILES.generic);
  const uri = editor.document.uri;
  const [problem] = await waitForDiagnostics(uri, (d) => d.some((x) => codeOf(x) === 'generic-code-required'), 'generic-code-required reported').then((d) =>
    d.filter((x) => codeOf(x) === 'generic-code-required'),
  );
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => a.title === 'Add "genericCode"');
  assert.ok(fix?.edit, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  assert.match(editor.document.getText(), /"genericCode": ""/);
  await waitForDiagnostics(uri, (d) => !d.some((x) => codeOf(x) === 'generic-code-required'), 'generic-code-required gone after the fix');
  await editor.document.save();
});
