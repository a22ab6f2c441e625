/**
 * The engine's one answer to each decision (issue 16), against the sandbox's
 * two orgs: the series a lens names is the one Update sends to; many files
 * push with one plan and count what was done; a pull into a folder picks the
 * file; a failure's advice is decided once, about its environment.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { CouponApiError } from '../../../core/src/api';
import {
  analyzeFile,
  checkCredentials,
  Connection,
  describePushCounts,
  EngineProblem,
  failureOf,
  md5Hex,
  openConnection,
  Plan,
  planChangesServer,
  planHasWork,
  pullSeriesToFolder,
  pushFile,
  pushFiles,
  recordedSeries,
} from '../../../core/src/engine';
import { Environment, hostIdentity } from '../../../core/src/environments';
import { createUndiciTransport } from '../../../core/src/node/httpTransport';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { Sandbox, SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_SECOND_ORG_ID, SANDBOX_SECOND_ORG_USERNAME, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { sampleSeries } from '../../support/apiSupport';

let sandbox: Sandbox;
let folder: string;
const files = createNodeSeriesFiles();

before(async () => {
  sandbox = await startSandbox();
  folder = await mkdtemp(path.join(tmpdir(), 'coupon-decisions-'));
});
after(async () => {
  await sandbox.close();
  await rm(folder, { recursive: true, force: true });
});

function environment(name: string, username: string, orgId?: number, password = SANDBOX_PASSWORD): { environment: Environment; password: string } {
  return { environment: { name, host: sandbox.url, auth: 'basic', username, ...(orgId !== undefined ? { orgId } : {}) }, password };
}

function connect({ environment: env, password }: { environment: Environment; password: string }): Promise<Connection> {
  return openConnection(env, {
    credentials: { credentials: async (target) => ({ kind: 'basic', username: target.username ?? '', passwordMd5: md5Hex(password) }) },
    transport: createUndiciTransport(),
    timeoutMs: 10_000,
  });
}

let counter = 0;
async function newFile(description: string): Promise<string> {
  const file = path.join(folder, `file-${++counter}.coupon.json`);
  await writeFile(file, `${JSON.stringify({ CouponSeriesV2: { ...sampleSeries(), description } }, null, 2)}\n`);
  return file;
}

/** The series a lens names for the file on the connection's environment (the function the editor calls). */
async function lensSeries(connection: Connection, file: string): Promise<number | undefined> {
  const recorded = recordedSeries(analyzeFile(await readFile(file, 'utf8')), hostIdentity(connection.environment.host) as string, connection.orgId);
  return recorded.kind === 'recorded' ? recorded.deployment.id : undefined;
}

test('the series a lens names is the one Update sends to: with orgId, and without it once the server\'s answer showed the org', async () => {
  const withOrg = await connect(environment('Org A', SANDBOX_USERNAME, SANDBOX_DEFAULT_ORG_ID));
  const file = await newFile('lens and update agree');
  const created = await pushFile(withOrg, files, file, { mode: 'create' });
  await writeFile(file, (await readFile(file, 'utf8')).replace('lens and update agree', 'changed'));
  assert.equal(await lensSeries(withOrg, file), created.id);
  const mark = sandbox.requests().length;
  const updated = await pushFile(withOrg, files, file, { mode: 'update' });
  assert.deepEqual(sandbox.requests().slice(mark).filter((request) => request.method === 'PUT').map((request) => request.path), [`/v2/coupon/series/${created.id}`]);
  assert.equal(updated.id, await lensSeries(withOrg, file));

  // Without orgId the file alone cannot tell (the lens names no series) until an answer shows the org.
  const withoutOrg = await connect(environment('Org A, no orgId', SANDBOX_USERNAME));
  assert.equal(await lensSeries(withoutOrg, file), undefined);
  await checkCredentials(withoutOrg).catch(() => undefined);
  const status = await pushFile(withoutOrg, files, file, { mode: 'push' });
  assert.equal(withoutOrg.orgId, SANDBOX_DEFAULT_ORG_ID, 'learned from the answer');
  assert.equal(await lensSeries(withoutOrg, file), created.id);
  assert.equal(status.id, created.id);
});

test('pushFiles: one plan with one batched read, then each file; the counts are what was done', async () => {
  const a = await connect(environment('Org A', SANDBOX_USERNAME, SANDBOX_DEFAULT_ORG_ID));
  const [kept, changed, fresh] = [await newFile('kept'), await newFile('to change'), await newFile('fresh')];
  await pushFile(a, files, kept, { mode: 'create' });
  await pushFile(a, files, changed, { mode: 'create' });
  await writeFile(changed, (await readFile(changed, 'utf8')).replace('to change', 'changed'));
  const invalid = await newFile('invalid');
  await writeFile(invalid, (await readFile(invalid, 'utf8')).replace('"discountType": "PERC"', '"discountType": "HALF"'));
  const inputs = await Promise.all([kept, changed, fresh, invalid].map(async (file) => ({ file: path.basename(file), path: file, text: await readFile(file, 'utf8') })));
  const mark = sandbox.requests().length;
  const seen: string[] = [];
  const report = await pushFiles(a, files, inputs, { onResult: (result) => seen.push(`${result.file}:${result.outcome}`) });
  assert.deepEqual(report.counts, { created: 1, updated: 1, upToDate: 1, failed: 1 });
  assert.deepEqual(report.plan.counts, { create: 1, update: 1, none: 1, cannot: 1 });
  assert.equal(seen.length, 4);
  assert.equal(describePushCounts(report.counts, 'Org A'), '1 created, 1 updated, 1 up to date, 1 failed on Org A');
  const requests = sandbox.requests().slice(mark);
  assert.equal(requests.filter((request) => request.method === 'GET').length >= 1, true);
  assert.match(requests[0].query, /^ids=\d+(%2C|,)\d+$/, 'the plan reads both recorded series in one request');
  assert.deepEqual(requests.filter((request) => request.method !== 'GET').map((request) => request.method).sort(), ['POST', 'PUT']);
  const failed = report.results.find((result) => result.outcome === 'failed');
  assert.equal(failed?.failure?.kind, 'invalid');
  assert.deepEqual(failed?.failure?.advice, ['fix-errors']);

  // beforeSending says no: nothing is sent, every file failed as cancelled.
  const before = sandbox.state().seriesCount;
  const refused = await pushFiles(a, files, [{ file: 'new', path: await newFile('not sent'), text: '' }].map((input) => ({ ...input })), { beforeSending: () => false });
  assert.equal(refused.counts.failed, 1);
  assert.equal(sandbox.state().seriesCount, before);
});

test('pullSeriesToFolder: the file that already holds the series, else <id>.coupon.json, else the next free name; never over another series', async () => {
  const a = await connect(environment('Org A', SANDBOX_USERNAME, SANDBOX_DEFAULT_ORG_ID));
  const pulledFolder = await mkdtemp(path.join(folder, 'pull-'));
  const source = await newFile('to pull');
  const { id } = await pushFile(a, files, source, { mode: 'create' });
  const first = await pullSeriesToFolder(a, files, id as number, pulledFolder);
  assert.deepEqual([path.basename(first.file), first.existing], [`${id}.coupon.json`, false]);
  const again = await pullSeriesToFolder(a, files, id as number, pulledFolder);
  assert.deepEqual([path.basename(again.file), again.existing], [`${id}.coupon.json`, true], 'found, not copied');
  // Org B's series with the same id is another series: it goes to the next free name.
  const b = await connect(environment('Org B', SANDBOX_SECOND_ORG_USERNAME, SANDBOX_SECOND_ORG_ID));
  const onB = await pushFile(b, files, await newFile('on B'), { mode: 'create' });
  for (let next = onB.id as number; next < (id as number); ) next = (await pushFile(b, files, await newFile('filler'), { mode: 'create' })).id as number;
  const other = await pullSeriesToFolder(b, files, id as number, pulledFolder);
  assert.deepEqual([path.basename(other.file), other.existing], [`${id}-2.coupon.json`, false]);
  assert.match(await readFile(first.file, 'utf8'), /"to pull"/, 'the first file is untouched');
});

test('failures as data: the advice is decided once, about the environment it names', async () => {
  const wrong = environment('Sandbox production', SANDBOX_SECOND_ORG_USERNAME, SANDBOX_SECOND_ORG_ID, 'wrong-password');
  const connection = await connect(wrong);
  const error = await checkCredentials(connection).then(() => undefined, (failure: unknown) => failure);
  const failure = failureOf(error, wrong.environment);
  assert.equal(failure.kind, 'auth');
  assert.deepEqual(failure.advice, ['reenter-credentials']);
  assert.equal(failure.environment?.name, 'Sandbox production', 'the subject of the advice');
  const sandboxFailure = failureOf(new CouponApiError('auth', 'refused'), { name: 'Local sandbox', host: sandbox.url, auth: 'basic' });
  assert.deepEqual(sandboxFailure.advice, [], 'the sandbox\'s demo credentials cannot be entered again');
  assert.deepEqual(failureOf(new EngineProblem('ambiguous', 'x')).advice, ['set-org-id']);
  assert.deepEqual(failureOf(new CouponApiError('connection-refused', 'x'), wrong.environment).advice, ['start-sandbox']);
  assert.deepEqual(failureOf(new CouponApiError('connection-refused', 'x'), { name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic' }).advice, ['check-host']);
  assert.equal(failureOf(new EngineProblem('cancelled', 'no')).cancelled, true);
  // A failure already decided (a plan's, a push result's) keeps its advice and subject wherever it is shown.
  assert.equal(failureOf(failure, { name: 'Local sandbox', host: sandbox.url, auth: 'basic' }), failure);
});

test('what pushing a plan would do is decided once: a change on the server, or only a local migration of legacy ids', () => {
  const entry = (state: string, action: 'create' | 'update' | 'none', migratesLegacyIds = false) => ({ state, action, migratesLegacyIds }) as unknown as Plan['files'][number];
  const plan = (files: Plan['files'], counts: Plan['counts']): Plan => ({ files, counts });
  const creates = plan([entry('not-created', 'create')], { create: 1, update: 0, none: 0, cannot: 0 });
  const migratesOnly = plan([entry('in-sync', 'none', true)], { create: 0, update: 0, none: 1, cannot: 0 });
  const blocked = plan([entry('ambiguous', 'update', true)], { create: 0, update: 0, none: 0, cannot: 1 });
  assert.deepEqual([creates, migratesOnly, blocked].map((p) => [planChangesServer(p), planHasWork(p)]), [
    [true, true],
    [false, true],
    [false, false],
  ]);
});
