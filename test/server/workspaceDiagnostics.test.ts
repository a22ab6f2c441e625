/**
 * Workspace-wide diagnostics through the real server process: every coupon
 * file the client lists is checked from disk, open or not; the open
 * document's diagnostics win while it is open and the saved content's come
 * back when it closes; changes on disk, deletions and `couponSeries.exclude`
 * are followed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { sleep } from '../../core/src/util';
import { LspSession, startLanguageServer } from '../support/lspProcess';
import { REPO_ROOT } from '../support/testUtil';

const vendorExample = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
const wrongEnum = vendorExample.replace('"discountType": "ABS"', '"discountType": "PCT"');
const missingDescription = vendorExample.replace(/\n\s*"description": "[^"]*",/, '');

describe('workspace-wide diagnostics', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coupon-workspace-'));
  const folder = pathToFileURL(root).href;
  const file = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
    return pathToFileURL(path.join(root, name)).href;
  };
  let excludes: string[] = ['fixtures/**'];
  let server: LspSession;
  const published: PublishDiagnosticsParams[] = [];
  /** The newest diagnostics published for `uri` after `since` (an index into `published`). */
  const latest = (uri: string, since = 0) => published.slice(since).filter((p) => p.uri === uri).pop();
  const until = async <T>(condition: () => T | undefined, what: string): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = condition();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  };

  let broken: string;
  let clean: string;
  let excluded: string;
  before(async () => {
    broken = file('series/broken.coupon.json', wrongEnum);
    clean = file('series/Clean.Coupon.json', vendorExample);
    excluded = file('fixtures/bad.coupon.json', missingDescription);
    server = await startLanguageServer({ workspaceFolders: [folder], configuration: (section) => (section === 'couponSeries.exclude' ? excludes : undefined) });
    server.onPublish((params) => void published.push(params));
  });
  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('every listed file that is not excluded is checked from disk', async () => {
    // The excluded file first: were it checked, its diagnostics would come before the others'.
    await server.connection.sendNotification('couponSeries/workspaceFiles', { uris: [excluded, broken, clean] });
    const brokenDiagnostics = await until(() => latest(broken), 'broken');
    const cleanDiagnostics = await until(() => latest(clean), 'clean (any case of the suffix)');
    assert.deepEqual(brokenDiagnostics.diagnostics.map((d) => d.code), ['unknown-enum-value']);
    assert.equal(brokenDiagnostics.version, undefined, 'not an open document version');
    assert.deepEqual(cleanDiagnostics.diagnostics, []);
    assert.equal(latest(excluded), undefined, 'fixtures/** is excluded');
  });

  test('an open document wins; on close the saved content comes back', async () => {
    server.open(broken, vendorExample);
    const open = await server.diagnostics(broken, 1);
    assert.deepEqual(open, [], 'the open (fixed, unsaved) text is what counts');
    const mark = published.length;
    server.close(broken);
    const reverted = await until(() => latest(broken, mark), 'the saved content after close');
    assert.deepEqual(reverted.diagnostics.map((d) => d.code), ['unknown-enum-value']);
  });

  test('a change on disk is checked again; a deletion clears the file', async () => {
    let mark = published.length;
    fs.writeFileSync(new URL(clean), missingDescription);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: clean, type: 2 }] });
    const changed = await until(() => latest(clean, mark), 'clean after the change on disk');
    assert.ok(changed.diagnostics.some((d) => d.code === 'missing-property'), JSON.stringify(changed.diagnostics));

    mark = published.length;
    fs.rmSync(new URL(broken));
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: broken, type: 3 }] });
    const deleted = await until(() => latest(broken, mark), 'broken after deletion');
    assert.deepEqual(deleted.diagnostics, []);

    mark = published.length;
    const created = file('series/new.coupon.json', wrongEnum);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 1 }] });
    assert.deepEqual((await until(() => latest(created, mark), 'a created file')).diagnostics.map((d) => d.code), ['unknown-enum-value']);
  });

  test('changing couponSeries.exclude adds and removes files', async () => {
    let mark = published.length;
    excludes = ['series/**'];
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const nowIncluded = await until(() => latest(excluded, mark), 'the formerly excluded file');
    assert.ok(nowIncluded.diagnostics.some((d) => d.code === 'missing-property'));
    const cleared = await until(() => latest(clean, mark), 'the newly excluded file');
    assert.deepEqual(cleared.diagnostics, []);
    mark = published.length;
    excludes = [];
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.ok((await until(() => latest(clean, mark), 'clean, included again')).diagnostics.length > 0);
  });
});
