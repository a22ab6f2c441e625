/**
 * The engine (core/src/engine) against the sandbox with two orgs whose series
 * ids overlap: deployments per environment, ids only ever sent where they were
 * recorded, promotion, legacy ids, drift, locks, links, pull. Real HTTP on
 * 127.0.0.1, real files in a temporary folder.
 */
import assert from 'node:assert/strict';
import { link, mkdtemp, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { md5Hex } from '../../../core/src/api';
import { Deployment, DEPLOYMENTS_KEY, readDeployments } from '../../../core/src/deployments';
import {
  compareFile,
  Connection,
  EngineProblem,
  EngineProblemKind,
  openConnection,
  planFiles,
  pullIntoFile,
  pullSeries,
  pullSeriesToNewFile,
  pushFile,
  SeriesFiles,
} from '../../../core/src/engine';
import { deploymentKey, Environment, hostIdentity } from '../../../core/src/environments';
import { lockPathOf } from '../../../core/src/node/fileLock';
import { createUndiciTransport } from '../../../core/src/node/httpTransport';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import {
  Sandbox,
  SANDBOX_DEFAULT_ORG_ID,
  SANDBOX_PASSWORD,
  SANDBOX_SECOND_ORG_ID,
  SANDBOX_SECOND_ORG_USERNAME,
  SANDBOX_USERNAME,
  startSandbox,
} from '../../../core/src/sandbox';
import { validateCouponSeries } from '../../../core/src/validate';
import { cannotGrowPast, PAGE, withWriteFault } from '../../support/fileSystemFaults';
import { DEAD_PID, thisMachine } from '../../support/lockHolders';
import { createTestClient, sampleSeries } from '../../support/apiSupport';

let sandbox: Sandbox;
let folder: string;
const files = createNodeSeriesFiles({ lock: { waitMs: 20_000 } });

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = await mkdtemp(path.join(tmpdir(), 'coupon-engine-'));
});

type Json = Record<string, unknown>;

function environment(name: string, username: string, orgId: number | undefined, host = sandbox.url): Environment {
  return { name, host, auth: 'basic', username, ...(orgId !== undefined ? { orgId } : {}) };
}

const orgA = () => environment('Org A', SANDBOX_USERNAME, SANDBOX_DEFAULT_ORG_ID);
const orgB = () => environment('Org B', SANDBOX_SECOND_ORG_USERNAME, SANDBOX_SECOND_ORG_ID);

function connect(env: Environment): Promise<Connection> {
  return openConnection(env, {
    credentials: { credentials: async (target) => ({ kind: 'basic', username: target.username ?? '', passwordMd5: md5Hex(SANDBOX_PASSWORD) }) },
    transport: createUndiciTransport(),
    timeoutMs: 10_000,
  });
}

/** A client of the sandbox as `username`, for what another team (or the server) does. */
function clientOf(username: string) {
  return createTestClient({ baseUrl: sandbox.url, credentials: { kind: 'basic', username, passwordMd5: md5Hex(SANDBOX_PASSWORD) }, timeoutMs: 5_000 });
}

function seriesText(description: string, indent: number | string = 2): string {
  return `${JSON.stringify({ CouponSeriesV2: { ...sampleSeries(), description } }, null, indent)}\n`;
}

async function newFile(name: string, text: string): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, text);
  return file;
}

async function deploymentsOf(file: string): Promise<Map<string, { id: number; seriesCode?: string; orgId: number }>> {
  return readDeployments(JSON.parse(await readFile(file, 'utf8'))).entries;
}

const keyOf = (orgId: number) => deploymentKey(orgId, hostIdentity(sandbox.url) as string);

/** The sandbox's requests since `from` (an index into its log). */
function requestsSince(from: number) {
  return sandbox.requests().slice(from);
}

async function rejectsWithProblem(promise: Promise<unknown>, kind: EngineProblemKind): Promise<EngineProblem> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineProblem, `expected an EngineProblem ${kind}, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} problem, but it succeeded`);
}

test('promotion: created on org A, then pushed to org B: a POST there (never a PUT of A\'s id); both recorded; A still updates A', async () => {
  const a = await connect(orgA());
  const b = await connect(orgB());
  // Org B's own series, numbered like org A's will be: ids overlap between orgs.
  const theirs = await clientOf(SANDBOX_SECOND_ORG_USERNAME).createSeries({ CouponSeriesV2: { ...sampleSeries(), description: 'another team\'s series in org B' } });
  const file = await newFile('promo.coupon.json', seriesText('Promotion'));

  const created = await pushFile(a, files, file, { mode: 'create' });
  assert.equal(created.action, 'create');
  assert.equal(created.key, keyOf(SANDBOX_DEFAULT_ORG_ID));

  const mark = sandbox.requests().length;
  const promoted = await pushFile(b, files, file, { mode: 'push' });
  assert.equal(promoted.action, 'create');
  assert.equal(promoted.key, keyOf(SANDBOX_SECOND_ORG_ID));
  const toB = requestsSince(mark).filter((request) => request.orgId === SANDBOX_SECOND_ORG_ID);
  assert.deepEqual(toB.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`), ['POST /v2/coupon/series']);

  const [untouched] = await clientOf(SANDBOX_SECOND_ORG_USERNAME).getSeries(theirs.id);
  assert.equal(theirs.id, created.id, 'the two orgs\' series share a number');
  assert.equal(untouched.description, 'another team\'s series in org B');

  const recorded = await deploymentsOf(file);
  assert.deepEqual([...recorded.keys()].sort(), [keyOf(SANDBOX_DEFAULT_ORG_ID), keyOf(SANDBOX_SECOND_ORG_ID)].sort());
  assert.equal(recorded.get(keyOf(SANDBOX_DEFAULT_ORG_ID))?.id, created.id);
  assert.equal(recorded.get(keyOf(SANDBOX_SECOND_ORG_ID))?.id, promoted.id);

  // The file changes; Update on A goes to A's series, and A's only.
  await writeFile(file, (await readFile(file, 'utf8')).replace('"Promotion"', '"Promotion, second edition"'));
  const updateMark = sandbox.requests().length;
  const updated = await pushFile(a, files, file, { mode: 'update' });
  assert.equal(updated.id, created.id);
  const writes = requestsSince(updateMark).filter((request) => request.method === 'PUT');
  assert.deepEqual(writes.map((request) => [request.path, request.orgId]), [[`/v2/coupon/series/${created.id}`, SANDBOX_DEFAULT_ORG_ID]]);
  const [onA] = await clientOf(SANDBOX_USERNAME).getSeries(created.id as number);
  assert.equal(onA.description, 'Promotion, second edition');
  // The request body carried CouponSeriesV2 alone: the server never saw "deployments".
  assert.ok(!(DEPLOYMENTS_KEY in onA));
});

test('update on another environment never sends the recorded id there (with and without orgId in the settings)', async () => {
  const a = await connect(orgA());
  await clientOf(SANDBOX_SECOND_ORG_USERNAME).createSeries({ CouponSeriesV2: sampleSeries() });
  const file = await newFile('one-env.coupon.json', seriesText('Only on A'));
  const onA = await pushFile(a, files, file, { mode: 'create' });
  const before = await readFile(file, 'utf8');

  const mark = sandbox.requests().length;
  await rejectsWithProblem(pushFile(await connect(orgB()), files, file, { mode: 'update' }), 'not-created');
  // B without orgId: A's record is on the same host, and the server shows B another series under that id,
  // which carries B's org: the engine learns the org from that answer instead of refusing.
  const unnamed = await connect(environment('Org B, no orgId', SANDBOX_SECOND_ORG_USERNAME, undefined));
  await rejectsWithProblem(pushFile(unnamed, files, file, { mode: 'update' }), 'not-created');
  assert.equal(unnamed.orgId, SANDBOX_SECOND_ORG_ID, 'learned from the answer');
  assert.deepEqual(requestsSince(mark).filter((request) => request.method !== 'GET'), []);
  assert.equal(await readFile(file, 'utf8'), before);

  // A push creates it on B (a POST there, never a PUT of A's id) and records it under B; A's record stays.
  const pushMark = sandbox.requests().length;
  const onB = await pushFile(await connect(environment('Org B, no orgId', SANDBOX_SECOND_ORG_USERNAME, undefined)), files, file, { mode: 'push' });
  assert.equal(onB.action, 'create');
  assert.equal(onB.key, keyOf(SANDBOX_SECOND_ORG_ID));
  assert.deepEqual(requestsSince(pushMark).filter((request) => request.method !== 'GET').map((request) => [request.method, request.orgId]), [['POST', SANDBOX_SECOND_ORG_ID]]);
  const records = await deploymentsOf(file);
  assert.equal(records.get(keyOf(SANDBOX_DEFAULT_ORG_ID))?.id, onA.id);
  assert.equal(records.get(keyOf(SANDBOX_SECOND_ORG_ID))?.id, onB.id);
});

test('an environment without orgId whose records are all unknown to the server (no answer tells the org) is still refused as ambiguous', async () => {
  const a = await connect(orgA());
  const file = await newFile('gone-for-b.coupon.json', seriesText('Gone for B'));
  await pushFile(a, files, file, { mode: 'create' });
  // Record an id that exists nowhere in B's org: B's read finds nothing, so nothing tells B's org.
  const text = (await readFile(file, 'utf8')).replace(/"id": (\d+)/, '"id": 987654');
  await writeFile(file, text);
  const unnamed = await connect(environment('Org B, no orgId', SANDBOX_SECOND_ORG_USERNAME, undefined));
  const refused = await rejectsWithProblem(pushFile(unnamed, files, file, { mode: 'push' }), 'ambiguous');
  assert.match(refused.message, /has no orgId/);
  assert.equal(await readFile(file, 'utf8'), text);
});

test('an environment without orgId finds its own record on the host by asking the server', async () => {
  const unnamedA = await connect(environment('Org A, no orgId', SANDBOX_USERNAME, undefined));
  const file = await newFile('no-org.coupon.json', seriesText('No orgId in the settings'));
  const created = await pushFile(unnamedA, files, file, { mode: 'create' });
  assert.equal(created.key, keyOf(SANDBOX_DEFAULT_ORG_ID), 'recorded under the org the server answered with');
  await writeFile(file, (await readFile(file, 'utf8')).replace('"No orgId in the settings"', '"Changed"'));
  const updated = await pushFile(unnamedA, files, file, { mode: 'push' });
  assert.equal(updated.action, 'update');
  assert.equal(updated.id, created.id);
});

test('a series changed on the server since the last push: push refuses without force, and with it overwrites', async () => {
  const a = await connect(orgA());
  const file = await newFile('drift.coupon.json', seriesText('Drift'));
  const created = await pushFile(a, files, file, { mode: 'create' });
  // Someone edits it on the server (another tool, the vendor's UI).
  await clientOf(SANDBOX_USERNAME).updateSeries(created.id as number, { CouponSeriesV2: { ...sampleSeries(), description: 'edited on the server', seriesCode: created.server?.seriesCode } });

  const { files: [plan] } = await planFiles(a, [{ file: 'drift.coupon.json', text: await readFile(file, 'utf8') }]);
  assert.equal(plan.state, 'drifted');
  assert.equal(plan.action, 'update');
  assert.equal(plan.drifted, true);
  assert.deepEqual(plan.changes, ['description']);

  const mark = sandbox.requests().length;
  const refused = await rejectsWithProblem(pushFile(a, files, file, { mode: 'push' }), 'drifted');
  assert.match(refused.message, /changed on the server since this file last pushed it: description/);
  assert.deepEqual(requestsSince(mark).filter((request) => request.method === 'PUT'), []);

  // The editor asks instead; saying no sends nothing, saying yes overwrites.
  const questions: boolean[] = [];
  await rejectsWithProblem(pushFile(a, files, file, { mode: 'push', confirm: async (question) => (questions.push(question.drifted), false) }), 'cancelled');
  const forced = await pushFile(a, files, file, { mode: 'push', force: true });
  assert.equal(forced.action, 'update');
  assert.deepEqual(questions, [true]);
  const { files: [after] } = await planFiles(a, [{ file: 'drift.coupon.json', text: await readFile(file, 'utf8') }]);
  assert.equal(after.state, 'in-sync');
});

test('plan: create, update with the changed fields, none, invalid; a plan sends nothing that changes the server', async () => {
  const a = await connect(orgA());
  const unchanged = await newFile('unchanged.coupon.json', seriesText('Unchanged'));
  const changed = await newFile('changed.coupon.json', seriesText('Changed'));
  await pushFile(a, files, unchanged, { mode: 'create' });
  await pushFile(a, files, changed, { mode: 'create' });
  await writeFile(changed, (await readFile(changed, 'utf8')).replace('"discountValue": 10', '"discountValue": 15'));
  const inputs = [
    { file: 'new', text: seriesText('New') },
    { file: 'changed', text: await readFile(changed, 'utf8') },
    { file: 'unchanged', text: await readFile(unchanged, 'utf8') },
    { file: 'invalid', text: seriesText('Invalid').replace('"discountType": "PERC"', '"discountType": "PERCENT"') },
  ];
  const mark = sandbox.requests().length;
  const plan = await planFiles(a, inputs);
  assert.deepEqual(
    plan.files.map((entry) => [entry.file, entry.state, entry.action, entry.changes]),
    [
      ['new', 'not-created', 'create', []],
      ['changed', 'changed', 'update', ['discountValue']],
      ['unchanged', 'in-sync', 'none', []],
      ['invalid', 'invalid', 'none', []],
    ],
  );
  assert.match(plan.files[3].problem ?? '', /PERCENT/);
  const sent = requestsSince(mark);
  assert.ok(sent.every((request) => request.method === 'GET'));
  assert.equal(sent.length, 1, 'one batched read for every recorded series');
  assert.match(sent[0].query, /^ids=\d+(%2C|,)\d+$/);
});

test('a server that answers a batched read 404 when one id is unknown: the batch is read again in halves, and the others are still found', async () => {
  const a = await connect(orgA());
  const kept: string[] = [];
  for (const name of ['kept-1', 'kept-2', 'kept-3']) {
    const file = await newFile(`${name}.coupon.json`, seriesText(name));
    await pushFile(a, files, file, { mode: 'create' });
    kept.push(await readFile(file, 'utf8'));
  }
  const goneText = kept[0].replace(/"id": \d+/, '"id": 987654321');
  sandbox.setFaults({ wholeBatchNotFound: {} });
  try {
    const mark = sandbox.requests().length;
    const plan = await planFiles(a, [...kept.map((text, index) => ({ file: `kept-${index + 1}`, text })), { file: 'gone', text: goneText }]);
    assert.deepEqual(plan.files.map((entry) => [entry.file, entry.state]), [['kept-1', 'in-sync'], ['kept-2', 'in-sync'], ['kept-3', 'in-sync'], ['gone', 'missing']]);
    const reads = requestsSince(mark);
    assert.deepEqual(
      reads.map((request) => [request.status, decodeURIComponent(request.query).split(',').length]),
      [[404, 4], [200, 2], [404, 2], [200, 1], [404, 1]],
      'the batch, its halves, then the half with the unknown id',
    );
  } finally {
    sandbox.setFaults({});
  }
});

test('two pushes of one new file at once: exactly one series, and the file records it', async () => {
  const a = await connect(orgA());
  const file = await newFile('race.coupon.json', seriesText('Race'));
  const before = sandbox.state().seriesCount;
  sandbox.setFaults({ delayMs: { method: 'POST', ms: 400 } });
  try {
    const waits: string[] = [];
    const outcomes = await Promise.all([
      pushFile(a, files, file, { mode: 'push', onWait: (holder) => waits.push(holder) }),
      pushFile(a, files, file, { mode: 'push', onWait: (holder) => waits.push(holder) }),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.action).sort(), ['create', 'none']);
    assert.equal(waits.length, 1, 'the second waited for the first');
  } finally {
    sandbox.setFaults({});
  }
  assert.equal(sandbox.state().seriesCount, before + 1);
  const recorded = await deploymentsOf(file);
  assert.equal(recorded.size, 1);
  await assert.rejects(stat(await lockPathOf(file)), { code: 'ENOENT' }, 'the lock is gone');
});

test('a lock left by a process that died is broken; a live one is waited for, however old', async () => {
  const a = await connect(orgA());
  const file = await newFile('stale.coupon.json', seriesText('Stale lock'));
  // A dead process of this machine (its boot, its pid namespace).
  await writeFile(await lockPathOf(file), JSON.stringify({ pid: DEAD_PID, ...thisMachine(), since: '2026-01-01T00:00:00Z', token: 'dead' }));
  const outcome = await pushFile(a, files, file, { mode: 'create' });
  assert.equal(outcome.action, 'create');
  // Another machine's lock nobody refreshes: stale once its refresh time stood still for staleMs while we watched.
  const quick = createNodeSeriesFiles({ lock: { waitMs: 10_000, staleMs: 300 } });
  const second = await newFile('old.coupon.json', seriesText('Old lock'));
  await writeFile(await lockPathOf(second), JSON.stringify({ pid: 1, hostname: 'elsewhere', since: '2026-01-01T00:00:00Z', token: 'old' }));
  const waits: string[] = [];
  assert.equal((await pushFile(a, quick, second, { mode: 'create', onWait: (holder) => waits.push(holder) })).action, 'create');
  assert.deepEqual(waits, ['process 1 on elsewhere, since 2026-01-01T00:00:00Z'], 'watched before breaking it');
  // A fresh lock of another machine is live: waited for, then given up on.
  const third = await newFile('held.coupon.json', seriesText('Held'));
  await writeFile(await lockPathOf(third), JSON.stringify({ pid: 1, hostname: 'elsewhere', since: '2026-01-01T00:00:00Z', token: 'held' }));
  const impatient = createNodeSeriesFiles({ lock: { waitMs: 300 } });
  const mark = sandbox.requests().length;
  const locked = await rejectsWithProblem(pushFile(a, impatient, third, { mode: 'create' }), 'locked');
  assert.match(locked.message, /process 1 on elsewhere/);
  // A live process of this machine (the test runner that started this one) is never broken, even when its lock has not been refreshed for long.
  const fourth = await newFile('live.coupon.json', seriesText('Live'));
  const liveLock = await lockPathOf(fourth);
  await writeFile(liveLock, JSON.stringify({ pid: process.ppid, ...thisMachine(), since: '2026-01-01T00:00:00Z', token: 'live' }));
  const old = new Date(Date.now() - 3_600_000);
  await utimes(liveLock, old, old);
  await rejectsWithProblem(pushFile(a, createNodeSeriesFiles({ lock: { waitMs: 600, staleMs: 100 } }), fourth, { mode: 'create' }), 'locked');
  assert.deepEqual(requestsSince(mark), []);
  assert.equal(JSON.parse(await readFile(liveLock, 'utf8')).token, 'live', 'the live lock is still there');
  // This process's pid with a token it does not hold: a crashed run whose pid was reused (common in containers).
  const fifth = await newFile('reused.coupon.json', seriesText('Reused pid'));
  await writeFile(await lockPathOf(fifth), JSON.stringify({ pid: process.pid, ...thisMachine(), since: '2026-01-01T00:00:00Z', token: 'crashed' }));
  assert.equal((await pushFile(a, files, fifth, { mode: 'create' })).action, 'create');
});

test('a lock taken over while a push waits for its confirmation: nothing is sent, the file stays', async () => {
  const a = await connect(orgA());
  const text = seriesText('Taken over');
  const file = await newFile('taken.coupon.json', text);
  const mark = sandbox.requests().length;
  const problem = await rejectsWithProblem(
    pushFile(a, files, file, {
      mode: 'create',
      confirm: async () => {
        // What another process does when it judged this lock abandoned: replace it with its own.
        await writeFile(await lockPathOf(file), JSON.stringify({ pid: 1, hostname: 'elsewhere', since: '2026-01-01T00:00:00Z', token: 'theirs' }));
        return true;
      },
    }),
    'locked',
  );
  assert.match(problem.message, /taken over by process 1 on elsewhere/);
  assert.deepEqual(requestsSince(mark).filter((request) => request.method !== 'GET'), []);
  assert.equal(await readFile(file, 'utf8'), text);
  assert.equal(JSON.parse(await readFile(await lockPathOf(file), 'utf8')).token, 'theirs', 'their lock is left alone');
});

test('two names of one file (hard links) pushed at once: exactly one series', async () => {
  const a = await connect(orgA());
  const original = await newFile('twin.coupon.json', seriesText('Twins'));
  const other = path.join(folder, 'twin-other.coupon.json');
  await link(original, other);
  const before = sandbox.state().seriesCount;
  sandbox.setFaults({ delayMs: { method: 'POST', ms: 300 } });
  try {
    const outcomes = await Promise.all([pushFile(a, files, original, { mode: 'push' }), pushFile(a, files, other, { mode: 'push' })]);
    assert.deepEqual(outcomes.map((outcome) => outcome.action).sort(), ['create', 'none']);
  } finally {
    sandbox.setFaults({});
  }
  assert.equal(sandbox.state().seriesCount, before + 1);
  assert.equal((await deploymentsOf(other)).size, 1, 'both names see the record');
  assert.equal((await stat(original)).nlink, 2, 'still one file with two names');
});

test('a symbolic link: the real file gets the record; pushing again creates nothing. Hard links and renames too', async () => {
  const a = await connect(orgA());
  const real = await newFile('real.coupon.json', seriesText('Behind a link'));
  const linked = path.join(folder, 'link.coupon.json');
  await symlink(real, linked);
  const created = await pushFile(a, files, linked, { mode: 'push' });
  assert.equal(created.action, 'create');
  assert.equal((await deploymentsOf(real)).size, 1, 'the real file holds the record');
  assert.ok((await import('node:fs')).lstatSync(linked).isSymbolicLink(), 'the link is still a link');
  assert.equal((await pushFile(a, files, linked, { mode: 'push' })).action, 'none');

  const original = await newFile('hard.coupon.json', seriesText('Hard link'));
  const other = path.join(folder, 'hard-other.coupon.json');
  await link(original, other);
  await pushFile(a, files, other, { mode: 'push' });
  assert.equal((await deploymentsOf(original)).size, 1, 'both names see the record');
  assert.equal((await stat(original)).ino, (await stat(other)).ino);
  assert.equal((await pushFile(a, files, original, { mode: 'push' })).action, 'none');

  // git mv: the record moves with the file.
  const moved = path.join(folder, 'renamed.coupon.json');
  await rename(original, moved);
  const count = sandbox.state().seriesCount;
  assert.equal((await pushFile(a, files, moved, { mode: 'push' })).action, 'none');
  assert.equal(sandbox.state().seriesCount, count);
});

test('legacy ids inside CouponSeriesV2 move into deployments on the right server, and are refused where the series is not of their org', async () => {
  const a = await connect(orgA());
  const created = await clientOf(SANDBOX_USERNAME).createSeries({ CouponSeriesV2: { ...sampleSeries(), description: 'Made by an older version' } });
  const legacy = { CouponSeriesV2: { ...sampleSeries(), description: 'Made by an older version', id: created.id, seriesCode: created.seriesCode, orgId: created.orgId } };
  const file = await newFile('legacy.coupon.json', `${JSON.stringify(legacy, null, 4)}\n`);

  // Org B has a series with that id too, but it is not this file's: nothing is sent, and the file stays.
  await clientOf(SANDBOX_SECOND_ORG_USERNAME).createSeries({ CouponSeriesV2: sampleSeries() });
  const unnamedB = await connect(environment('Org B, no orgId', SANDBOX_SECOND_ORG_USERNAME, undefined));
  const mark = sandbox.requests().length;
  const before = await readFile(file, 'utf8');
  const refused = await rejectsWithProblem(pushFile(unnamedB, files, file, { mode: 'update' }), 'mismatch');
  assert.match(refused.message, /made before deployments were recorded/);
  assert.deepEqual(requestsSince(mark).filter((request) => request.method !== 'GET'), []);
  assert.equal(await readFile(file, 'utf8'), before);

  // On its own server: checked, then migrated (in sync: nothing sent, the ids move).
  const migrated = await pushFile(a, files, file, { mode: 'push' });
  assert.equal(migrated.action, 'none');
  assert.equal(migrated.migrated, true);
  const text = await readFile(file, 'utf8');
  const root = JSON.parse(text) as { CouponSeriesV2: Json };
  assert.ok(!('id' in root.CouponSeriesV2) && !('seriesCode' in root.CouponSeriesV2) && !('orgId' in root.CouponSeriesV2));
  const record = (await deploymentsOf(file)).get(keyOf(SANDBOX_DEFAULT_ORG_ID));
  assert.deepEqual({ id: record?.id, seriesCode: record?.seriesCode, orgId: record?.orgId }, { id: created.id, seriesCode: created.seriesCode, orgId: SANDBOX_DEFAULT_ORG_ID });
  assert.ok(text.startsWith('{\n    "CouponSeriesV2": {\n        "'), 'the file keeps its 4-space indentation');
  // Promotion afterwards is a create on B.
  assert.equal((await pushFile(await connect(orgB()), files, file, { mode: 'push' })).action, 'create');
});

test('a legacy id without its orgId is never sent anywhere: the server shows each org only its own series', async () => {
  const created = await clientOf(SANDBOX_USERNAME).createSeries({ CouponSeriesV2: { ...sampleSeries(), description: 'Bare id' } });
  // Org B has a series with the same id (the orgs' ids overlap in the sandbox, as on the real servers).
  let onB = await clientOf(SANDBOX_SECOND_ORG_USERNAME).createSeries({ CouponSeriesV2: sampleSeries() });
  while (onB.id < created.id) onB = await clientOf(SANDBOX_SECOND_ORG_USERNAME).createSeries({ CouponSeriesV2: sampleSeries() });
  const bare = { CouponSeriesV2: { ...sampleSeries(), description: 'Bare id', id: created.id } };
  const file = await newFile('bare.coupon.json', `${JSON.stringify(bare, null, 2)}\n`);
  const before = await readFile(file, 'utf8');
  const mark = sandbox.requests().length;
  for (const env of [orgB(), environment('Org B, no orgId', SANDBOX_SECOND_ORG_USERNAME, undefined), orgA()]) {
    const problem = await rejectsWithProblem(pushFile(await connect(env), files, file, { mode: 'push', force: true }), 'mismatch');
    assert.match(problem.message, /without the "orgId" it belongs to/);
  }
  assert.deepEqual(requestsSince(mark).filter((request) => request.method !== 'GET'), [], 'no PUT of the id to any org');
  assert.equal(await readFile(file, 'utf8'), before);
});

test('a failed create leaves the file byte-identical; a failed write-back names the series to add by hand', async () => {
  const a = await connect(orgA());
  const text = seriesText('Fails', 3);
  const file = await newFile('fails.coupon.json', text);
  sandbox.setFaults({ status5xx: { count: 1, method: 'POST', status: 503 } });
  await assert.rejects(pushFile(a, files, file, { mode: 'create' }), /unavailable \(503\)/);
  sandbox.setFaults({});
  assert.equal(await readFile(file, 'utf8'), text);

  // Files whose write-back fails (a full disk, a removed folder).
  const failingWrites: SeriesFiles = {
    ...files,
    withLock: (target, work, options) =>
      files.withLock(target, (locked) => work({ text: locked.text, stillHeld: () => locked.stillHeld(), update: () => Promise.reject(new Error('ENOSPC: no space left on device')) }), options),
  };
  const problem = await rejectsWithProblem(pushFile(a, failingWrites, file, { mode: 'create' }), 'write-back');
  assert.match(problem.message, /Series \d+ is on Org A, but the file could not record it \(ENOSPC.*\)\. Add this to the file's "deployments" by hand/);
  assert.match(problem.message, new RegExp(`"${keyOf(SANDBOX_DEFAULT_ORG_ID).replace(/[.]/g, '\\.')}":\\{"id":\\d+`));
  assert.equal(await readFile(file, 'utf8'), text);
});

test('a hard-linked file on a nearly full disk (simulated short writes): the push reports that the record could not be written, and the file stays whole', async () => {
  const a = await connect(orgA());
  // The case: 3,950 bytes, which the record takes past the file's one 4 KiB page.
  const short = seriesText('Nearly full ');
  const text = seriesText(`Nearly full ${'x'.repeat(3_950 - Buffer.byteLength(short))}`);
  assert.equal(Buffer.byteLength(text), 3_950);
  const file = await newFile('full.coupon.json', text);
  const other = path.join(folder, 'full-other.coupon.json');
  await link(file, other);
  const { ino } = await stat(file, { bigint: true });
  const problem = await rejectsWithProblem(
    withWriteFault(cannotGrowPast(ino, PAGE), () => pushFile(a, files, file, { mode: 'create' })),
    'write-back',
  );
  assert.match(problem.message, /Series \d+ is on Org A, but the file could not record it \(ENOSPC.*\)\. Add this to the file's "deployments" by hand/);
  for (const name of [file, other]) assert.equal(await readFile(name, 'utf8'), text, `${path.basename(name)} is as it was`);
  assert.deepEqual((await readdir(folder)).sort(), ['full-other.coupon.json', 'full.coupon.json'], 'no copy or temporary file left');
});

test('compare uses the recorded series; pull writes a new file (never over one) and brings a file up to date keeping what the server does not return', async () => {
  const a = await connect(orgA());
  const generic = { ...sampleSeries(), description: 'Shared code', clientHandlingType: 'GENERIC', genericCode: 'SAVE10' };
  const file = await newFile('pulled-into.coupon.json', `${JSON.stringify({ CouponSeriesV2: generic }, null, 2)}\n`);
  const created = await pushFile(a, files, file, { mode: 'create' });
  const id = created.id as number;
  await clientOf(SANDBOX_USERNAME).updateSeries(id, { CouponSeriesV2: { ...generic, description: 'Renamed on the server', seriesCode: created.server?.seriesCode } });

  const comparison = await compareFile(a, await readFile(file, 'utf8'));
  assert.equal(comparison.id, id);
  assert.deepEqual(comparison.differences.map((difference) => difference.path), ['description']);
  assert.ok(comparison.notReturned.includes('genericCode'));

  // Pull by id: a new file, bound, lacking only what the server never returns.
  const fresh = await pullSeries(a, id);
  assert.deepEqual(fresh.toFillIn.length, 1);
  assert.match(fresh.toFillIn[0], /"genericCode": the series is GENERIC/);
  const target = path.join(folder, `${id}.coupon.json`);
  await pullSeriesToNewFile(a, files, id, target);
  assert.equal((await deploymentsOf(target)).get(keyOf(SANDBOX_DEFAULT_ORG_ID))?.id, id);
  const pulledText = await readFile(target, 'utf8');
  const { files: [plan] } = await planFiles(a, [{ file: 'pulled', text: pulledText }]);
  assert.equal(plan.state, 'in-sync');
  assert.ok(validateCouponSeries(pulledText).some((diagnostic) => diagnostic.code === 'generic-code-required'), 'the editor says what to fill in');
  await writeFile(target, 'someone else\'s file');
  await rejectsWithProblem(pullSeriesToNewFile(a, files, id, target), 'exists');
  assert.equal(await readFile(target, 'utf8'), 'someone else\'s file');

  // Pull into the file: the server's description, the file's genericCode kept.
  const outcome = await pullIntoFile(a, files, file);
  assert.deepEqual(outcome.changed, ['description']);
  assert.ok(outcome.kept.includes('genericCode'));
  const series = (JSON.parse(await readFile(file, 'utf8')) as { CouponSeriesV2: Json }).CouponSeriesV2;
  assert.equal(series.description, 'Renamed on the server');
  assert.equal(series.genericCode, 'SAVE10');
  const { files: [afterPull] } = await planFiles(a, [{ file: 'x', text: await readFile(file, 'utf8') }]);
  assert.equal(afterPull.state, 'in-sync');

  // Local changes are not overwritten without force.
  await writeFile(file, (await readFile(file, 'utf8')).replace('"SAVE10"', '"SAVE20"'));
  await rejectsWithProblem(pullIntoFile(a, files, file), 'drifted');
  assert.match(await readFile(file, 'utf8'), /SAVE20/);
});

test('pull into a file records the server\'s side anew and keeps when the file was last pushed', async () => {
  const a = await connect(orgA());
  const file = await newFile('kept-record.coupon.json', seriesText('Recorded'));
  const created = await pushFile(a, files, file, { mode: 'create' });
  const before = (await deploymentsOf(file)).get(keyOf(SANDBOX_DEFAULT_ORG_ID)) as Deployment;
  assert.ok(before.seriesCode && before.pushedAt, 'the push recorded the series code and when it pushed');
  await clientOf(SANDBOX_USERNAME).updateSeries(created.id as number, { CouponSeriesV2: { ...sampleSeries(), description: 'Renamed on the server', seriesCode: before.seriesCode } });
  const outcome = await pullIntoFile(a, files, file);
  assert.deepEqual(outcome.changed, ['description']);
  const after = (await deploymentsOf(file)).get(keyOf(SANDBOX_DEFAULT_ORG_ID)) as Deployment;
  assert.deepEqual({ id: after.id, seriesCode: after.seriesCode, orgId: after.orgId, pushedAt: after.pushedAt }, { id: before.id, seriesCode: before.seriesCode, orgId: before.orgId, pushedAt: before.pushedAt });
  assert.notEqual(after.serverFingerprint, before.serverFingerprint, 'the server\'s side is recorded anew');
  assert.notEqual(after.pushedFingerprint, before.pushedFingerprint, 'and so is the file\'s, which now holds the server\'s description');
});

test('an update warns, before sending, when the file lacks fields the server never returns', async () => {
  const a = await connect(orgA());
  const { productInfo, redemptionOrgEntityDetails, ...bare } = sampleSeries();
  void productInfo;
  void redemptionOrgEntityDetails;
  const file = await newFile('bare.coupon.json', `${JSON.stringify({ CouponSeriesV2: { ...bare, description: 'Bare' } }, null, 2)}\n`);
  await pushFile(a, files, file, { mode: 'create' });
  const asked: string[][] = [];
  const outcome = await pushFile(a, files, file, { mode: 'update', confirm: async (question) => (asked.push(question.warnings), true) });
  assert.equal(asked.length, 1);
  assert.match(asked[0][0], /no "productInfo", "redemptionOrgEntityDetails"\. The server never returns these.*may reset them on the server/);
  assert.deepEqual(outcome.warnings, asked[0]);
});

test('a file recorded on one org is judged as a create on another: the update\'s mandatory fields do not block it, a missing validTillDate does', async () => {
  const a = await connect(orgA());
  const b = await connect(orgB());
  const file = await newFile('judged.coupon.json', seriesText('Judged by what is sent'));
  await pushFile(a, files, file, { mode: 'create' });
  // smsTemplate is on the update page's mandatory list: an update on A is refused, a create on B is not.
  await writeFile(file, (await readFile(file, 'utf8')).replace(/\n {4}"smsTemplate": "[^"]*",/, ''));
  const mark = sandbox.requests().length;
  const refused = await rejectsWithProblem(pushFile(a, files, file, { mode: 'update' }), 'invalid');
  assert.ok(refused.diagnostics.some((diagnostic) => diagnostic.code === 'mandatory-field-missing'), refused.message);
  assert.equal((await pushFile(b, files, file, { mode: 'push' })).action, 'create');
  assert.deepEqual(requestsSince(mark).filter((request) => request.method === 'PUT'), []);
  // Without validTillDate, creating it on another org is refused (the create page requires it).
  const third = await newFile('no-valid-till.coupon.json', seriesText('No validTillDate'));
  await pushFile(a, files, third, { mode: 'create' });
  await writeFile(third, (await readFile(third, 'utf8')).replace(/\n {4}"validTillDate": "[^"]*",/, ''));
  const noDate = await rejectsWithProblem(pushFile(b, files, third, { mode: 'push' }), 'invalid');
  assert.ok(noDate.diagnostics.some((diagnostic) => diagnostic.code === 'valid-till-required'), noDate.message);
});

test('plannedText: a file that holds another text once locked is not sent (stale), one that holds the planned text is', async () => {
  const a = await connect(orgA());
  const file = await newFile('planned.coupon.json', seriesText('Planned'));
  const planned = await readFile(file, 'utf8');
  await writeFile(file, seriesText('Edited after the plan'));
  const mark = sandbox.requests().length;
  await rejectsWithProblem(pushFile(a, files, file, { mode: 'push', plannedText: (name) => (name === file ? planned : undefined) }), 'stale');
  assert.deepEqual(requestsSince(mark), [], 'not even a read');
  assert.equal(await readFile(file, 'utf8'), seriesText('Edited after the plan'));
  const pushed = await pushFile(a, files, file, { mode: 'push', plannedText: () => seriesText('Edited after the plan') });
  assert.equal(pushed.action, 'create');
});
