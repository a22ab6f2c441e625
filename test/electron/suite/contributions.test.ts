/** What the manifest promises, checked against the running VS Code: keybindings that clash with none of its defaults, and the language defaults. */
import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';
import { test } from './runner';

interface Binding {
  key: string;
  command: string;
  mac?: string;
}

test('the extension\'s keybindings are bound by none of VS Code\'s default keybindings', async () => {
  const defaults = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
  const bindings = parse(defaults.getText()) as Binding[];
  assert.ok(bindings.length > 300, `VS Code's defaults were read (${bindings.length} bindings)`);
  const ours = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { keybindings: Binding[] } }).contributes.keybindings;
  assert.ok(ours.length > 0);
  for (const { key } of ours) {
    const taken = bindings.filter((binding) => binding.key.toLowerCase() === key.toLowerCase() && !binding.command.startsWith('couponSeries.'));
    assert.deepEqual(taken, [], `${key} is a default keybinding of VS Code`);
  }
});

test('[coupon-json] suggests values while typing in strings, as VS Code\'s JSON does', async () => {
  const quickSuggestions = vscode.workspace.getConfiguration('editor', { languageId: 'coupon-json' }).get<Record<string, unknown>>('quickSuggestions');
  assert.equal(quickSuggestions?.strings, true);
});
