/**
 * Exercises the harness helpers against VS Code's built-in JSON support (no
 * project extension needed): diagnostics in the Problems panel, completion and
 * hover from a local JSON schema, the command palette and notifications.
 *
 *   npx tsc -p . && node --test out/test/e2e/harness.e2e.js
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  clickDialogButton,
  CodeServer,
  editorText,
  focusEditor,
  gotoLine,
  hoverAt,
  openWorkbench,
  quickOpen,
  readSuggestions,
  runCommand,
  screenshot,
  startCodeServer,
  suiteTempFolder,
  triggerSuggest,
  waitForDialog,
  waitForNotification,
  waitForProblems,
  Workbench,
} from './harness';

const suiteFolder = suiteTempFolder('harness');
const tmp = suiteFolder.path;
let server: CodeServer | undefined;
let wb: Workbench | undefined;

const schema = {
  type: 'object',
  properties: {
    colour: { type: 'string', enum: ['red', 'green'], description: 'The colour of the widget.' },
    count: { type: 'integer', description: 'How many widgets.' },
  },
  required: ['count'],
};

before(async () => {
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'widget.schema.json'), JSON.stringify(schema, null, 2));
  fs.writeFileSync(
    path.join(workspace, 'widget.json'),
    '{\n  "$schema": "./widget.schema.json",\n  "colour": "blue",\n  \n}\n',
  );
  fs.writeFileSync(path.join(workspace, 'notes.txt'), 'just text\n');
  server = await startCodeServer({
    workspace,
    extensionsDir: path.join(tmp, 'extensions'),
    userDataDir: path.join(tmp, 'user-data'),
    settings: { 'json.schemaDownload.enable': false },
  });
  wb = await openWorkbench(server.url);
});

after(async () => {
  if (wb) await screenshot(wb.page, 'harness-last').catch(() => undefined);
  await wb?.close();
  await server?.stop();
  suiteFolder.remove();
});

test('problems, completion, hover, commands and notifications', { timeout: 180_000 }, async (t) => {
  const page = wb!.page;
  await quickOpen(page, 'widget.json');
  assert.match(await editorText(page), /"colour": "blue"/);

  const rows = await waitForProblems(page, (r) => r.some((x) => /Value is not accepted/.test(x)), { timeout: 30_000 });
  t.diagnostic(`problems: ${JSON.stringify(rows)}`);
  assert.ok(rows.some((r) => /widget\.json/.test(r)), 'file row');
  assert.ok(rows.some((r) => /Value is not accepted.*\[Ln 3, Col 13\]/.test(r)), 'marker row with position');
  assert.ok(rows.some((r) => /Missing property "count".*\[Ln 1, Col 1\]/.test(r)), 'missing property with position');

  const hover = await hoverAt(page, 'colour');
  t.diagnostic(`hover: ${hover}`);
  assert.match(hover, /The colour of the widget\./);

  await focusEditor(page);
  await gotoLine(page, 4, 3);
  await triggerSuggest(page);
  const suggestions = await readSuggestions(page);
  t.diagnostic(`suggestions: ${JSON.stringify(suggestions)}`);
  assert.ok(suggestions.includes('count'), 'schema property offered');
  await page.keyboard.press('Escape');

  // The built-in JSON extension answers this command with a notification.
  await runCommand(page, 'JSON: Clear Schema Cache');
  const note = await waitForNotification(page, /JSON schema cache cleared/);
  t.diagnostic(`notification: ${note}`);

  // No formatter is installed for plain text: VS Code shows a modal dialog.
  await quickOpen(page, 'notes.txt');
  await runCommand(page, 'Format Document');
  const dialog = await waitForDialog(page, /There is no formatter for 'plaintext' files installed/);
  t.diagnostic(`dialog: ${dialog}`);
  await clickDialogButton(page, 'Cancel');
  await screenshot(page, 'harness');
});
