/**
 * One rule for which files count (issue 16): in this very repository, the
 * CLI's search (`coupon validate .`), the language server's workspace list
 * and the Coupon Series view's filter select the same files. The CLI searches
 * with its glob library; the server and the view judge VS Code's raw listing
 * (every `*.coupon.json`, dot folders and node_modules included) by the rule.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { glob } from 'tinyglobby';
import { findCouponFiles } from '../../cli/src/files';
import { COUPON_FILE_PATTERN, couponSuffixAnyCase, isSelected, selectionRules } from '../../core/src/fileSelection';
import { readWorkspaceSettings } from '../../core/src/node/workspaceSettings';
import { WorkspaceFiles } from '../../server/src/workspaceFiles';
import { REPO_ROOT } from '../support/testUtil';

/** What VS Code's findFiles hands the extension before any rule of ours: every coupon file, hidden folders and node_modules too. */
async function rawListing(root: string): Promise<string[]> {
  return (await glob(couponSuffixAnyCase(COUPON_FILE_PATTERN), { cwd: root, dot: true, absolute: true, followSymbolicLinks: false })).map((file) => path.normalize(file));
}

test('in this repository, the CLI, the language server and the view select the same coupon files', async () => {
  const settings = readWorkspaceSettings(REPO_ROOT);
  const { rules, problems } = selectionRules((setting) => settings.readSetting(setting));
  assert.deepEqual(problems, []);
  const raw = await rawListing(REPO_ROOT);

  const cli = (await findCouponFiles(['.'], { cwd: REPO_ROOT, rules })).files;

  const server = new WorkspaceFiles();
  const folder = pathToFileURL(REPO_ROOT).href;
  server.setFolders([folder]);
  server.setRules(folder, rules);
  server.replace(raw.map((file) => pathToFileURL(file).href));
  const served = server.included().map((uri) => path.normalize(new URL(uri).pathname)).sort();

  const view = raw.filter((file) => isSelected(path.relative(REPO_ROOT, file).split(path.sep).join('/'), rules)).sort();

  assert.deepEqual(served, cli);
  assert.deepEqual(view, cli);
  assert.ok(cli.length > 0, 'the examples are selected');
  assert.ok(cli.every((file) => !file.includes(`${path.sep}test${path.sep}fixtures${path.sep}`)), 'the test fixtures are excluded by .vscode/settings.json');
  assert.ok(raw.length > cli.length, 'the rule left something out: the comparison is not vacuous');
});

test('the rule: folders never searched, "." names, couponSeries.exclude and files.exclude', () => {
  const { rules } = selectionRules((setting) => (setting === 'files.exclude' ? { '**/generated': true, '**/*.draft.coupon.json': false, '**/*.js': { when: '$(basename).ts' } } : ['archive/**']));
  const cases: [string, boolean][] = [
    ['series/a.coupon.json', true],
    ['node_modules/pkg/a.coupon.json', false],
    ['deep/node_modules/a.coupon.json', false],
    ['.sandbox/examples/a.coupon.json', false],
    ['series/.hidden.coupon.json', false],
    ['archive/2024/a.coupon.json', false],
    ['generated/a.coupon.json', false],
    ['x/generated/a.coupon.json', false],
    ['y.draft.coupon.json', true],
  ];
  for (const [file, selected] of cases) assert.equal(isSelected(file, rules), selected, file);
  assert.equal(isSelected('.sandbox/examples/a.coupon.json', rules, true), true, 'dot names when asked (coupon --dot)');
});
