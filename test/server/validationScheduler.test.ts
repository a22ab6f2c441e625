/**
 * The validation scheduler and the workspace file list, in plain Node with
 * Node's own timers (what the server's Node entry injects).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sleep } from '../../core/src/util';
import { nodeRuntime } from '../../server/src/node/nodeRuntime';
import { ValidationScheduler } from '../../server/src/validationScheduler';
import { selectionRules } from '../../core/src/fileSelection';
import { relativePath, WorkspaceFiles } from '../../server/src/workspaceFiles';

const timer = nodeRuntime.timer;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    work: {
      validateOpen: (uri: string) => void events.push(`open ${uri}`),
      validateUnopened: async (uri: string) => {
        busy(3);
        events.push(`file ${uri}`);
      },
      failed: (uri: string, error: unknown) => void events.push(`failed ${uri} ${String(error)}`),
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(1);
  }
}

describe('validation scheduler', () => {
  test('a single change is validated within two turns of the event loop', async () => {
    const { events, work } = recorder();
    const scheduler = new ValidationScheduler(timer, work);
    scheduler.documentChanged('a');
    await turn();
    assert.deepEqual(events, []);
    await turn();
    assert.deepEqual(events, ['open a']);
    scheduler.dispose();
  });

  test('changes already queued supersede each other: one validation, of the last', async () => {
    const { events, work } = recorder();
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 20 });
    for (let i = 0; i < 1000; i++) scheduler.documentChanged('a');
    await until(() => scheduler.idle);
    assert.deepEqual(events, ['open a']);
    scheduler.dispose();
  });

  test('a burst spread over turns is validated once it pauses, and at least every maxWait', async () => {
    const { events, work } = recorder();
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 30, maxWaitMs: 200 });
    const started = Date.now();
    // A change every turn: each one supersedes the version before it before it is validated.
    while (Date.now() - started < 500) {
      scheduler.documentChanged('a');
      await turn();
    }
    const duringBurst = events.length;
    assert.ok(duringBurst >= 1 && duringBurst <= 4, `${duringBurst} validations during a 500 ms burst with maxWait 200 ms`);
    await until(() => scheduler.idle);
    assert.equal(events.length, duringBurst + 1, 'one more once the burst paused');
    scheduler.dispose();
  });

  test('changes further apart than a validation each get one (a typist is never kept waiting)', async () => {
    const { events, work } = recorder();
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 30 });
    for (let i = 0; i < 5; i++) {
      scheduler.documentChanged('a');
      await sleep(10);
    }
    assert.deepEqual(events, ['open a', 'open a', 'open a', 'open a', 'open a']);
    scheduler.dispose();
  });

  test('unopened files wait while an open document waits, and yield to it between files', async () => {
    const { events, work } = recorder();
    const scheduler = new ValidationScheduler(timer, work, { quietMs: 5 });
    scheduler.enqueueUnopened(['f1', 'f2', 'f3', 'f4', 'f5']);
    await until(() => events.length === 1);
    scheduler.documentChanged('open');
    await until(() => scheduler.idle);
    assert.deepEqual(events, ['file f1', 'open open', 'file f2', 'file f3', 'file f4', 'file f5']);
    scheduler.dispose();
  });

  test('a file queued first (just closed) goes before the others; a closed document is not validated', async () => {
    const { events, work } = recorder();
    const scheduler = new ValidationScheduler(timer, work);
    scheduler.documentChanged('a');
    scheduler.documentClosed('a');
    scheduler.enqueueUnopened(['f1', 'f2']);
    scheduler.enqueueUnopened(['closed'], true);
    scheduler.dequeueUnopened('f2');
    await until(() => scheduler.idle);
    assert.deepEqual(events, ['file closed', 'file f1']);
    scheduler.dispose();
  });

  test('a failing validation is reported and the queue goes on', async () => {
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
    await until(() => scheduler.idle);
    assert.deepEqual(events, ['failed a boom', 'failed bad unreadable', 'file good']);
    scheduler.dispose();
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
