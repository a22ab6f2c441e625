/**
 * The validation scheduler on a fake clock and event loop (test/support/fakeTimer.ts):
 * every turn and every millisecond is stepped by the test, so the results never
 * depend on how busy the machine is. And the workspace file list.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationScheduler } from '../../server/src/validationScheduler';
import { selectionRules } from '../../core/src/fileSelection';
import { relativePath, WorkspaceFiles } from '../../server/src/workspaceFiles';
import { FakeTimer } from '../support/fakeTimer';

/** Records each validation, an open document's with the fake time it ran at. */
function recorder(timer: FakeTimer) {
  const events: string[] = [];
  return {
    events,
    work: {
      validateOpen: (uri: string) => void events.push(`open ${uri} @${timer.now()}`),
      validateUnopened: async (uri: string) => void events.push(`file ${uri}`),
      failed: (uri: string, error: unknown) => void events.push(`failed ${uri} ${String(error)}`),
    },
  };
}

describe('validation scheduler', () => {
  test('a single change is validated within two turns of the event loop', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work);
    scheduler.documentChanged('a');
    await timer.iteration();
    assert.deepEqual(events, []);
    await timer.iteration();
    assert.deepEqual(events, ['open a @0']);
    scheduler.dispose();
  });

  test('changes already queued supersede each other: one validation, of the last, once the burst pauses', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 20 });
    for (let i = 0; i < 1000; i++) scheduler.documentChanged('a');
    await timer.runAll();
    assert.deepEqual(events, ['open a @20']);
    assert.ok(scheduler.idle);
    scheduler.dispose();
  });

  test('a burst spread over turns is validated once it pauses, and at least every maxWait', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 30, maxWaitMs: 200 });
    // A change every turn, a turn every millisecond for 500 ms: each change supersedes the version before it before it is validated.
    for (let i = 0; i < 500; i++) {
      scheduler.documentChanged('a');
      await timer.iteration(1);
    }
    assert.deepEqual(events, ['open a @200', 'open a @400'], 'every maxWait (200 ms) while the burst lasts');
    await timer.runAll();
    assert.deepEqual(events.slice(2), ['open a @529'], 'once more, quietMs (30 ms) after the last change (at 499 ms)');
    scheduler.dispose();
  });

  test('changes further apart than a validation each get one (a typist is never kept waiting)', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 30 });
    for (let i = 0; i < 5; i++) {
      scheduler.documentChanged('a');
      await timer.advance(10);
    }
    assert.deepEqual(events, ['open a @0', 'open a @10', 'open a @20', 'open a @30', 'open a @40']);
    scheduler.dispose();
  });

  test('a change that follows a validation after less than quietMs is validated at once too', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 30 });
    scheduler.documentChanged('a');
    await timer.runAll();
    await timer.advance(1);
    scheduler.documentChanged('a');
    await timer.runAll();
    assert.deepEqual(events, ['open a @0', 'open a @1']);
    scheduler.dispose();
  });

  test('unopened files wait while an open document waits, and yield to it between files', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 5 });
    scheduler.enqueueUnopened(['f1', 'f2', 'f3', 'f4', 'f5']);
    await timer.runUntil(() => events.length === 1);
    scheduler.documentChanged('open');
    await timer.runAll();
    assert.ok(scheduler.idle);
    assert.deepEqual(events, ['file f1', 'open open @0', 'file f2', 'file f3', 'file f4', 'file f5']);
    scheduler.dispose();
  });

  test('a file queued first (just closed) goes before the others; a closed document is not validated', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work);
    scheduler.documentChanged('a');
    scheduler.documentClosed('a');
    scheduler.enqueueUnopened(['f1', 'f2']);
    scheduler.enqueueUnopened(['closed'], true);
    scheduler.dequeueUnopened('f2');
    await timer.runAll();
    assert.ok(scheduler.idle);
    assert.deepEqual(events, ['file closed', 'file f1']);
    scheduler.dispose();
  });

  test('a failing validation is reported and the queue goes on', async () => {
    const timer = new FakeTimer();
    const events: string[] = [];
    const scheduler = new ValidationScheduler(timer, {
      validateOpen: () => {
        throw new Error('boom');
      },
      validateUnopened: async (uri) => {
        if (uri === 'bad') throw new Error('unreadable');
        events.push(`file ${uri}`);
      },
      failed: (uri, error) => void events.push(`failed ${uri} ${(error as Error).message}`),
    });
    scheduler.documentChanged('a');
    scheduler.enqueueUnopened(['bad', 'good']);
    await timer.runAll();
    assert.ok(scheduler.idle);
    assert.deepEqual(events, ['failed a boom', 'failed bad unreadable', 'file good']);
    scheduler.dispose();
  });

  test('nothing runs after dispose', async () => {
    const timer = new FakeTimer();
    const { events, work } = recorder(timer);
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 30 });
    scheduler.documentChanged('a');
    scheduler.documentChanged('a');
    scheduler.enqueueUnopened(['f1']);
    scheduler.dispose();
    await timer.runAll();
    assert.deepEqual(events, []);
  });
});

describe('workspace files', () => {
  test('relative paths are decoded and only inside the folder', () => {
    assert.equal(relativePath('file:///work/my%20repo/', 'file:///work/my%20repo/a%20b/x.coupon.json'), 'a b/x.coupon.json');
    assert.equal(relativePath('file:///work/repo', 'file:///work/repository/x.coupon.json'), undefined);
  });

  const excluding = (exclude: unknown, filesExclude?: unknown) => selectionRules((setting) => (setting === 'files.exclude' ? filesExclude : exclude)).rules;

  test('exclusions take VS Code glob syntax, dot-folders included', () => {
    const rules = excluding(['test/fixtures/**', '**/*.draft.coupon.json', 'archive/{2023,2024}/**', 'v[12]/*.coupon.json', './generated/**']);
    const match = (path: string) => rules.exclude.excludes(path);
    assert.ok(match('test/fixtures/invalid/a.coupon.json'));
    assert.ok(match('deep/x.draft.coupon.json'));
    assert.ok(match('archive/2024/x.coupon.json'));
    assert.ok(!match('archive/2025/x.coupon.json'));
    assert.ok(match('v2/x.coupon.json'));
    assert.ok(!match('v3/x.coupon.json'));
    assert.ok(match('generated/.hidden/x.coupon.json'));
    assert.ok(!match('series/x.coupon.json'));
    assert.deepEqual(excluding([]).exclude.patterns, []);
    assert.deepEqual(excluding(['', '  ']).exclude.patterns, []);
  });

  test('each folder applies its own exclusions (couponSeries.exclude, files.exclude, folders never searched, "." names); files outside every folder are never excluded', () => {
    const files = new WorkspaceFiles();
    files.setFolders(['file:///ws/a', 'file:///ws/b/']);
    files.setRules('file:///ws/a', excluding(['fixtures/**']));
    files.setRules('file:///ws/b', excluding([], { '**/generated': true, '**/*.draft.coupon.json': false }));
    files.replace([
      'file:///ws/a/fixtures/x.coupon.json',
      'file:///ws/b/fixtures/x.coupon.json',
      'file:///ws/b/generated/x.coupon.json',
      'file:///ws/b/y.draft.coupon.json',
      'file:///ws/b/node_modules/pkg/x.coupon.json',
      'file:///ws/b/.sandbox/x.coupon.json',
      'file:///elsewhere/fixtures/x.coupon.json',
      'file:///ws/a/package.json',
    ]);
    assert.deepEqual(files.included(), ['file:///ws/b/fixtures/x.coupon.json', 'file:///ws/b/y.draft.coupon.json', 'file:///elsewhere/fixtures/x.coupon.json']);
    assert.ok(!files.isListed('file:///ws/a/package.json'), 'only coupon files are listed');
  });
});
