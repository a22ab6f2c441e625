/**
 * The API commands (plan, push, create, update, pull, diff, sandbox) against the
 * sandbox started in this process on 127.0.0.1 over real HTTP, with both auth
 * kinds through environment variables.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import * as path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { runCli } from '../../cli/src/cli';
import { md5Hex } from '../../core/src/api';
import type { SandboxFaults } from '../../core/src/sandbox';
import { Sandbox, startSandbox } from '../../core/src/sandbox';
import { sleep } from '../../core/src/util';
import { hasErrors, validateCouponSeries } from '../../core/src/validate';
import { vendorExample } from '../support/testUtil';
import { afterTargetLine, assertNoSecrets, BASIC_ENV, coupon, couponProcess, OAUTH_ENV, RunResult, tempFolder } from './support';

let sandbox: Sandbox;
let folder: { dir: string; cleanup(): Promise<void> };
let counter = 0;

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  folder = await tempFolder();
});
after(async () => {
  await sandbox.close();
  await folder.cleanup();
});
beforeEach(() => sandbox.setFaults({}));

const AUTHS = [
  { auth: 'basic', env: BASIC_ENV },
  { auth: 'oauth', env: OAUTH_ENV },
] as const;

/** The vendor example re-indented with 4 spaces and CRLF newlines: formatting the write-back must keep. */
function unusualFormatting(description = 'CLI test'): string {
  const document = JSON.parse(vendorExample()) as { CouponSeriesV2: Record<string, unknown> };
  document.CouponSeriesV2.description = description;
  return `${JSON.stringify(document, null, 4).replace(/\n/g, '\r\n')}\r\n`;
}

/** A new file in the temp folder; returns its name (relative) and absolute path. */
async function newFile(text: string): Promise<{ name: string; file: string }> {
  const name = `series-${++counter}.coupon.json`;
  const file = path.join(folder.dir, name);
  await writeFile(file, text);
  return { name, file };
}

function target(auth: 'basic' | 'oauth'): string[] {
  return ['--host', sandbox.url, '--auth', auth];
}

async function run(args: string[], env: NodeJS.ProcessEnv = BASIC_ENV): Promise<RunResult> {
  const result = await coupon(args, { cwd: folder.dir, env });
  assertNoSecrets(result, args.join(' '));
  return result;
}

function seriesOf(text: string): Record<string, unknown> {
  return (JSON.parse(text) as { CouponSeriesV2: Record<string, unknown> }).CouponSeriesV2;
}

function deploymentsOf(text: string): Record<string, { id: number; seriesCode: string; orgId: number; pushedFingerprint?: string; serverFingerprint?: string; pushedAt?: string }> {
  return ((JSON.parse(text) as { deployments?: Record<string, never> }).deployments ?? {}) as ReturnType<typeof deploymentsOf>;
}

/** This sandbox's deployment key for org 100458 (what `--host URL` reaches). */
function sandboxKey(): string {
  return `100458@127.0.0.1:${sandbox.port}`;
}

test('create records the series in "deployments", keeping the formatting, with either auth kind', async () => {
  for (const { auth, env } of AUTHS) {
    const original = unusualFormatting(`created with ${auth}`);
    const { name, file } = await newFile(original);
    const before = sandbox.state().seriesCount;
    const result = await run(['create', name, ...target(auth)], env);
    assert.equal(result.code, 0, `${auth}: ${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^Created series (\\d+) \\([0-9A-F]+\\) on 127\\.0\\.0\\.1:${sandbox.port} from ${name}; recorded in the file\\.\\n$`));
    assert.equal(sandbox.state().seriesCount, before + 1);

    const written = await readFile(file, 'utf8');
    const deployment = deploymentsOf(written)[sandboxKey()];
    assert.equal(typeof deployment.id, 'number');
    assert.match(deployment.seriesCode, /^[0-9A-F]+$/);
    assert.equal(deployment.orgId, 100458);
    assert.match(deployment.pushedFingerprint ?? '', /^sha256:[0-9a-f]{16}$/);
    assert.match(deployment.pushedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The series itself is untouched; the record is appended in the file's own style (4 spaces, CRLF).
    assert.ok(written.startsWith(original.slice(0, original.lastIndexOf('\r\n}'))), 'CouponSeriesV2 is unchanged');
    assert.match(written, /\r\n    "deployments": \{\r\n        "100458@127\.0\.0\.1:\d+": \{\r\n            "id": \d+,\r\n/);
    assert.equal(seriesOf(written).id, undefined, 'no id inside CouponSeriesV2');
    assert.ok(!hasErrors(validateCouponSeries(written)), 'the written file is still valid');
  }
});

test('create refuses a file created there already, and a file with errors (nothing sent, errors printed); update refuses a new file', async () => {
  const created = await newFile(unusualFormatting());
  assert.equal((await run(['create', created.name, ...target('basic')])).code, 0);
  const recorded = await readFile(created.file, 'utf8');
  const invalid = await newFile(vendorExample().replace('"anyUser": false', '"anyUser": "no"'));
  const noId = await newFile(vendorExample());
  const mark = sandbox.requests().length;

  const again = await run(['create', created.name, ...target('basic')]);
  assert.equal(again.code, 1);
  assert.match(afterTargetLine(again.stderr), /^coupon: error: series-\d+\.coupon\.json: The series already exists on 127\.0\.0\.1:\d+ as series \d+: nothing was sent \(creating it again would make a duplicate\)\. To send the file to it: coupon update FILE \(or coupon push\)\.\n$/);
  assert.equal(await readFile(created.file, 'utf8'), recorded);

  const rejected = await run(['create', invalid.name, ...target('basic')]);
  assert.equal(rejected.code, 1);
  assert.match(rejected.stdout, new RegExp(`^${invalid.name}:14:16: error wrong-type "anyUser" must be a boolean, not a string\\.\\n$`));
  assert.match(rejected.stderr, /The file has 1 error: line 14: .* Nothing was sent\./);

  const updateWithoutRecord = await run(['update', noId.name, ...target('basic')]);
  assert.equal(updateWithoutRecord.code, 1);
  assert.match(updateWithoutRecord.stderr, /has not been created on 127\.0\.0\.1:\d+ yet: nothing was sent\. Create it first: coupon create FILE/);
  const json = await run(['create', invalid.name, ...target('basic'), '--json']);
  assert.equal(json.code, 1);
  const result = JSON.parse(json.stdout) as { ok: boolean; outcome: string; error: { kind: string }; diagnostics: { code: string }[] };
  assert.equal(result.ok, false);
  assert.equal(result.error.kind, 'invalid');
  assert.equal(result.diagnostics[0].code, 'wrong-type');

  const several = await run(['create', 'series-*.coupon.json', ...target('basic')]);
  assert.equal(several.code, 2, 'a glob that matches several files is a usage error');
  assert.match(several.stderr, /^coupon: error: coupon create takes one FILE, and "series-\*\.coupon\.json" matches \d+ files \(series-1\.coupon\.json, .*\): use coupon push for several\n/);

  assert.deepEqual(sandbox.requests().slice(mark).filter((request) => request.method !== 'GET'), [], 'nothing but reads reached the server');
});

test('push creates a new file, then updates it; a JSON result; the plan is printed first', async () => {
  for (const { auth, env } of AUTHS) {
    const { name, file } = await newFile(unusualFormatting(`push ${auth}`));
    const before = sandbox.state().seriesCount;
    const first = await run(['push', name, ...target(auth), '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const created = JSON.parse(first.stdout) as { ok: boolean; plan: { files: { action: string }[] }; results: { outcome: string; id: number; written: boolean }[]; counts: Record<string, number> };
    assert.equal(created.ok, true);
    assert.equal(created.plan.files[0].action, 'create');
    assert.equal(created.results[0].outcome, 'created');
    assert.deepEqual(created.counts, { created: 1, updated: 0, upToDate: 0, failed: 0 });
    assert.equal(created.results[0].written, true);
    assert.equal(sandbox.state().seriesCount, before + 1);

    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(`push ${auth}`, `pushed again ${auth}`));
    const second = await run(['push', name, ...target(auth)], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^Plan for 127\\.0\\.0\\.1:\\d+ \\(100458@127\\.0\\.0\\.1:\\d+\\):\\n  update  ${name} series ${created.results[0].id}: description\\nUpdated series ${created.results[0].id} on 127\\.0\\.0\\.1:\\d+ from ${name}\\.\\n$`));
    assert.match(second.stderr, /0 created, 1 updated, 0 up to date, 0 failed on 127\.0\.0\.1:\d+\n$/);
    assert.equal(sandbox.state().seriesCount, before + 1, 'an update creates nothing');
    const unchanged = await run(['push', name, ...target(auth)], env);
    assert.equal(unchanged.code, 0);
    assert.match(unchanged.stdout, new RegExp(`  none    ${name} series ${created.results[0].id}\\n${name} is up to date on 127\\.0\\.0\\.1:\\d+ \\(series ${created.results[0].id}\\): nothing was sent\\.\\n$`));
    assert.match(unchanged.stderr, /0 created, 0 updated, 1 up to date, 0 failed/);
    const pulled = await run(['pull', String(created.results[0].id), ...target(auth)], env);
    assert.equal(seriesOf(pulled.stdout).description, `pushed again ${auth}`);
  }
});

test('push of the same file named twice creates it once', async () => {
  const { name } = await newFile(unusualFormatting('named twice'));
  const before = sandbox.state().seriesCount;
  const result = await run(['push', name, `./${name}`, ...target('basic')]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sandbox.state().seriesCount, before + 1, 'one series, not two');
});

test('push: a file that fails keeps its text and records and does not stop the others; exit 1', async () => {
  const good = await newFile(unusualFormatting('good'));
  const bad = await newFile(vendorExample().replace('"discountType": "ABS"', '"discountType": "HALF"'));
  const badText = await readFile(bad.file, 'utf8');
  const result = await run(['push', good.name, bad.name, ...target('basic')]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /skip  .*series-\d+\.coupon\.json: invalid: The file has 1 error/);
  assert.match(result.stdout, /Created series \d+/);
  assert.match(result.stdout, new RegExp(`^${bad.name}:\\d+:\\d+: error unknown-enum-value "HALF"`, 'm'), 'the errors are printed, once');
  assert.equal(result.stdout.split('unknown-enum-value').length, 2, 'once');
  assert.match(result.stderr, /1 created, 0 updated, 0 up to date, 1 failed/);
  assert.equal(await readFile(bad.file, 'utf8'), badText);
  assert.ok(deploymentsOf(await readFile(good.file, 'utf8'))[sandboxKey()], 'the good one was pushed');
});

test('plan: create, update with the changed fields, none, drifted and invalid; exit 0/1/2; JSON; no POST or PUT', async () => {
  const workspace = await tempFolder({
    'new.coupon.json': unusualFormatting('new'),
    'changed.coupon.json': unusualFormatting('changed'),
    'unchanged.coupon.json': unusualFormatting('unchanged'),
    'drifted.coupon.json': unusualFormatting('drifted'),
  });
  const inWorkspace = (args: string[], env = BASIC_ENV) => coupon(args, { cwd: workspace.dir, env });
  try {
    for (const name of ['changed', 'unchanged', 'drifted']) assert.equal((await inWorkspace(['create', `${name}.coupon.json`, ...target('basic')])).code, 0);
    const changedFile = path.join(workspace.dir, 'changed.coupon.json');
    await writeFile(changedFile, (await readFile(changedFile, 'utf8')).replace('"discountValue": 500', '"discountValue": 20'));
    const drifted = deploymentsOf(await readFile(path.join(workspace.dir, 'drifted.coupon.json'), 'utf8'))[sandboxKey()];
    const edited = JSON.parse(unusualFormatting('edited on the server')) as { CouponSeriesV2: Record<string, unknown> };
    const pulled = await inWorkspace(['pull', String(drifted.id), ...target('basic'), '--json']);
    assert.equal(pulled.code, 0);
    const onServer = await fetch(`${sandbox.url}/v2/coupon/series/${drifted.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`sandbox.user:${md5Hex('sandbox123')}`).toString('base64')}` },
      body: JSON.stringify({ CouponSeriesV2: { ...edited.CouponSeriesV2, id: drifted.id, seriesCode: drifted.seriesCode } }),
    });
    assert.equal(onServer.status, 200);

    const mark = sandbox.requests().length;
    const plan = await inWorkspace(['plan', ...target('basic')]);
    assert.equal(plan.code, 1, plan.stderr);
    assert.match(plan.stdout, /  create  new\.coupon\.json\n/);
    assert.match(plan.stdout, /  update  changed\.coupon\.json series \d+: discountValue\n/);
    assert.match(plan.stdout, /  none    unchanged\.coupon\.json series \d+\n/);
    assert.match(plan.stdout, /  update  drifted\.coupon\.json series \d+ \(changed on the server since the last push: push needs --force\): description\n/);
    assert.match(plan.stderr, /3 to create or update, 1 up to date, 0 cannot be pushed/);

    const json = await inWorkspace(['plan', ...target('basic'), '--json']);
    assert.equal(json.code, 1);
    const entries = (JSON.parse(json.stdout) as { files: { file: string; environment: string; action: string; id?: number; drifted: boolean; changes: string[] }[] }).files;
    assert.deepEqual(
      entries.map((entry) => [entry.file, entry.action, entry.drifted, entry.changes, typeof entry.id]),
      [
        ['changed.coupon.json', 'update', false, ['discountValue'], 'number'],
        ['drifted.coupon.json', 'update', true, ['description'], 'number'],
        ['new.coupon.json', 'create', false, [], 'undefined'],
        ['unchanged.coupon.json', 'none', false, [], 'number'],
      ],
    );
    assert.ok(entries.every((entry) => entry.environment === `127.0.0.1:${sandbox.port}`));
    assert.equal((await inWorkspace(['plan', 'unchanged.coupon.json', ...target('basic')])).code, 0, 'nothing would change: exit 0');
    await writeFile(path.join(workspace.dir, 'broken.coupon.json'), '{"CouponSeriesV2": {"discountType": "HALF"}}');
    const cannot = await inWorkspace(['plan', ...target('basic')]);
    assert.equal(cannot.code, 2, 'an invalid file: it cannot tell');
    assert.match(cannot.stdout, /skip    broken\.coupon\.json: invalid: /);
    assert.deepEqual(sandbox.requests().slice(mark).filter((request) => request.method !== 'GET'), [], 'plan sends no POST or PUT');

    // push does what plan showed, but refuses the drifted series without --force.
    const push = await inWorkspace(['push', 'new.coupon.json', 'changed.coupon.json', 'unchanged.coupon.json', 'drifted.coupon.json', ...target('basic')]);
    assert.equal(push.code, 1);
    assert.match(push.stderr, /drifted\.coupon\.json: Series \d+ on 127\.0\.0\.1:\d+ was changed on the server since this file last pushed it: description\. Nothing was sent\. See what changed with coupon diff FILE/);
    assert.match(push.stdout, /Created series \d+ .* from new\.coupon\.json/);
    assert.match(push.stdout, /Updated series \d+ .* from changed\.coupon\.json/);
    const forced = await inWorkspace(['push', 'drifted.coupon.json', '--force', ...target('basic')]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((await inWorkspace(['plan', 'new.coupon.json', 'changed.coupon.json', 'unchanged.coupon.json', 'drifted.coupon.json', ...target('basic')])).code, 0, 'up to date after the push');
  } finally {
    await workspace.cleanup();
  }
});

test('two coupon create processes at once on one new file: exactly one series, the file records it', async () => {
  const { name, file } = await newFile(unusualFormatting('raced by two processes'));
  const before = sandbox.state().seriesCount;
  sandbox.setFaults({ delayMs: { method: 'POST', ms: 1500 } });
  const [first, second] = await Promise.all([
    couponProcess(['create', name, ...target('basic')], { cwd: folder.dir, env: BASIC_ENV }),
    couponProcess(['create', name, ...target('basic')], { cwd: folder.dir, env: BASIC_ENV }),
  ]);
  sandbox.setFaults({});
  assert.deepEqual([first.code, second.code].sort(), [0, 1], `${first.stderr}\n${second.stderr}`);
  const loser = first.code === 1 ? first : second;
  assert.match(loser.stderr, /locked by process \d+ on .*: waiting/);
  assert.match(loser.stderr, /already exists on .* as series \d+: nothing was sent/);
  assert.equal(sandbox.state().seriesCount, before + 1);
  assert.equal(Object.keys(deploymentsOf(await readFile(file, 'utf8'))).length, 1);
});

test('pull ID writes a new file with its record (never over an existing one), or prints it; pull FILE brings it up to date', async () => {
  const { name, file } = await newFile(unusualFormatting('to pull'));
  assert.equal((await run(['create', name, ...target('oauth')], OAUTH_ENV)).code, 0);
  const id = deploymentsOf(await readFile(file, 'utf8'))[sandboxKey()].id;

  const pulled = await run(['pull', String(id), '-o', 'out.coupon.json', ...target('basic')]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pulled.stdout, `out.coupon.json: pulled series ${id} from 127.0.0.1:${sandbox.port}\n`);
  const text = await readFile(path.join(folder.dir, 'out.coupon.json'), 'utf8');
  assert.deepEqual(validateCouponSeries(text).filter((diagnostic) => diagnostic.severity === 1), []);
  assert.equal(deploymentsOf(text)[sandboxKey()].id, id);
  assert.equal(seriesOf(text).validTillDate, '2029-05-09T18:30:00+00:00', 'dates in UTC written +00:00');
  const validated = await run(['validate', 'out.coupon.json']);
  assert.equal(validated.code, 0, validated.stdout);
  assert.equal((await run(['plan', 'out.coupon.json', ...target('basic')])).code, 0, 'a pulled file is in sync');

  const refused = await run(['pull', String(id), '-o', 'out.coupon.json', ...target('basic')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /out\.coupon\.json exists: nothing was written\. Choose another -o FILE; to bring an existing file up to date: coupon pull FILE/);
  assert.equal(await readFile(path.join(folder.dir, 'out.coupon.json'), 'utf8'), text);

  const printed = await run(['pull', String(id), ...target('basic')]);
  assert.equal(printed.stdout, text);
  const json = await run(['pull', String(id), ...target('basic'), '--json']);
  assert.deepEqual((JSON.parse(json.stdout) as { document: unknown }).document, JSON.parse(text));

  // Someone renames it on the server; pull FILE takes the change and keeps productInfo (never returned).
  const record = deploymentsOf(text)[sandboxKey()];
  const series = seriesOf(text);
  const renamed = await fetch(`${sandbox.url}/v2/coupon/series/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`sandbox.user:${md5Hex('sandbox123')}`).toString('base64')}` },
    body: JSON.stringify({ CouponSeriesV2: { ...series, description: 'renamed on the server', id, seriesCode: record.seriesCode } }),
  });
  assert.equal(renamed.status, 200);
  const refreshed = await run(['pull', name, ...target('basic')]);
  assert.equal(refreshed.code, 0, refreshed.stderr);
  assert.match(refreshed.stdout, new RegExp(`^${name}: took description from series ${id} on 127\\.0\\.0\\.1:\\d+\\. Kept the file's customPropertyMap\\.milestone, customPropertyMap\\.trackerid, productInfo, redemptionOrgEntityDetails \\(the server does not return them\\)\\.\\n$`));
  const after = seriesOf(await readFile(file, 'utf8'));
  assert.equal(after.description, 'renamed on the server');
  assert.ok(Array.isArray(after.productInfo));

  const missing = await run(['pull', '99999999', ...target('basic')]);
  assert.equal(missing.code, 1);
  assert.match(afterTargetLine(missing.stderr), /^coupon: error: Coupon series 99999999 was not found on 127\.0\.0\.1:\d+ \(404\)/);
  assert.equal((await run(['pull', 'abc', ...target('basic')])).code, 2);

  const { name: fresh } = await newFile(unusualFormatting('never created'));
  const notCreated = await run(['pull', fresh, ...target('basic')]);
  assert.equal(notCreated.code, 1);
  assert.match(afterTargetLine(notCreated.stderr), /^coupon: error: This file has no series on 127\.0\.0\.1:\d+ to pull\. To fetch a series by its id into a new file: coupon pull ID -o FILE\.\n$/);
});

test('diff: exit 0 when the same, 1 with a readable diff after a change, 2 where it was not created', async () => {
  const { name, file } = await newFile(unusualFormatting('to compare'));
  assert.equal((await run(['create', name, ...target('basic')])).code, 0);
  const same = await run(['diff', name, ...target('basic')]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, new RegExp(`^${name}: the same as series \\d+ on 127\\.0\\.0\\.1:\\d+\\n`));
  assert.match(same.stdout, /Not returned by the server \(not compared\): customPropertyMap\.milestone, customPropertyMap\.trackerid, productInfo, redemptionOrgEntityDetails\n$/);

  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('"to compare"', '"changed locally"').replace('"discountValue": 500', '"discountValue": 20'));
  const changed = await run(['diff', name, ...target('oauth')], OAUTH_ENV);
  assert.equal(changed.code, 1, changed.stderr);
  const lines = changed.stdout.split('\n');
  assert.match(lines[0], /^--- series \d+ on 127\.0\.0\.1:\d+$/);
  assert.equal(lines[1], `+++ ${name}`);
  assert.match(lines[2], /^@@ -\d+,\d+ \+\d+,\d+ @@$/);
  assert.ok(lines.includes('-  "description": "to compare",') && lines.includes('+  "description": "changed locally",'), changed.stdout);
  assert.ok(lines.includes('-  "discountValue": 500,') && lines.includes('+  "discountValue": 20,'), changed.stdout);
  assert.match(changed.stderr, /2 fields differ from series \d+ .*: description, discountValue/);

  const json = await run(['diff', name, ...target('basic'), '--json']);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout) as { same: boolean; differences: { path: string; file: unknown; server: unknown }[]; notReturned: string[] };
  assert.equal(report.same, false);
  assert.deepEqual(report.differences.find((difference) => difference.path === 'discountValue'), { path: 'discountValue', file: 20, server: 500 });

  const fresh = await newFile(vendorExample());
  const cannot = await run(['diff', fresh.name, ...target('basic')]);
  assert.equal(cannot.code, 2);
  assert.match(cannot.stderr, /The series has not been created on 127\.0\.0\.1:\d+: there is nothing to compare it with/);
});

test('a failing request leaves the file byte-identical and never duplicates a create', async () => {
  const cases: [name: string, command: 'create' | 'update', faults: SandboxFaults, message: RegExp, createdAnyway: number][] = [
    ['create, 503', 'create', { status5xx: { count: 1, method: 'POST', status: 503 } }, /service is unavailable \(503\).*may have been created anyway/, 0],
    ['create, HTML page', 'create', { htmlBody: { count: 1, method: 'POST' } }, /HTML page \(status 502\)/, 0],
    ['create, connection dropped', 'create', { dropConnection: { count: 1, method: 'POST' } }, /may have been created anyway/, 0],
    ['create, dropped after processing', 'create', { dropConnection: { count: 1, method: 'POST', afterProcessing: true } }, /may have been created anyway/, 1],
    ['update, 500', 'update', { status5xx: { method: 'PUT', status: 500 } }, /server failed \(500\)/, 0],
    ['update, HTML page', 'update', { htmlBody: { method: 'PUT' } }, /HTML page/, 0],
  ];
  for (const [name, command, faults, message, createdAnyway] of cases) {
    const { name: file, file: absolute } = await newFile(unusualFormatting(name));
    if (command === 'update') {
      assert.equal((await run(['create', file, ...target('basic')])).code, 0);
      await writeFile(absolute, (await readFile(absolute, 'utf8')).replace(`"${name}"`, `"${name}, changed"`));
    }
    const before = await readFile(absolute);
    const count = sandbox.state().seriesCount;
    sandbox.setFaults(faults);
    const result = await run([command, file, ...target('basic')]);
    sandbox.setFaults({});
    assert.equal(result.code, 1, `${name}: ${result.stdout}`);
    assert.match(afterTargetLine(result.stderr), new RegExp(`^coupon: error: ${file}: `), name);
    assert.match(result.stderr, message, name);
    assert.equal(afterTargetLine(result.stderr).trim().split('\n').length, 1, `${name}: one line`);
    assert.deepEqual(await readFile(absolute), before, `${name}: the file is untouched`);
    assert.equal(sandbox.state().seriesCount, count + createdAnyway, `${name}: no duplicate series`);
  }

  const slow = await newFile(unusualFormatting('slow update'));
  assert.equal((await run(['create', slow.name, ...target('basic')])).code, 0);
  const unchanged = await readFile(slow.file);
  sandbox.setFaults({ delayMs: { count: 1, method: 'PUT', ms: 1500 } });
  const timedOut = await run(['update', slow.name, ...target('basic'), '--timeout', '1', '--json']);
  assert.equal(timedOut.code, 1);
  const report = JSON.parse(timedOut.stdout) as { ok: boolean; error: { kind: string; message: string } };
  assert.equal(report.error.kind, 'timeout');
  assert.match(report.error.message, /within 1 s \(timeout\).* Allow longer with --timeout SECONDS\.$/);
  assert.deepEqual(await readFile(slow.file), unchanged);
});

test('secrets stay out of the output, --verbose included; usage errors for targets and credentials', async () => {
  const { name } = await newFile(unusualFormatting('verbose'));
  for (const { auth, env } of AUTHS) {
    const result = await run(['push', name, ...target(auth), '--verbose'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /coupon: --> (POST|PUT|GET) http:\/\/127\.0\.0\.1:\d+\/v2\/coupon\/series/);
    assert.match(result.stderr, auth === 'basic' ? /"Authorization":"\*\*\*"/ : /"X-CAP-API-OAUTH-TOKEN":"\*\*\*"/);
  }
  const wrong = await run(['pull', '1', ...target('basic')], { CAPILLARY_USERNAME: 'sandbox.user', CAPILLARY_PASSWORD: 'not-the-password-1234' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /Authentication failed \(401\) on 127\.0\.0\.1:\d+: the credentials were refused\..* Check CAPILLARY_USERNAME \/ CAPILLARY_PASSWORD/);
  assert.ok(!wrong.stderr.includes('not-the-password-1234'));

  const pem = path.join(folder.dir, 'extra-ca.pem');
  await writeFile(pem, rootCertificates[0]);
  const withCa = await run(['pull', '1', ...target('basic'), '--ca', pem, '--timeout', '5']);
  assert.notEqual(withCa.code, 2, withCa.stderr);

  const usage: [args: string[], env: NodeJS.ProcessEnv, message: RegExp][] = [
    [['push', name], BASIC_ENV, /say where to send: --env NAME .* or --host URL/],
    [['push', name, '--host', sandbox.url, '--env', 'x'], BASIC_ENV, /either --env NAME or --host URL, not both/],
    [['push', name, '--host', sandbox.url], {}, /--host needs credentials: set CAPILLARY_USERNAME and CAPILLARY_PASSWORD/],
    [['push', name, '--host', sandbox.url], { ...BASIC_ENV, ...OAUTH_ENV }, /--auth basic or --auth oauth is needed/],
    [['push', name, ...target('basic')], { CAPILLARY_USERNAME: 'u' }, /needs CAPILLARY_PASSWORD in the environment/],
    [['push', name, ...target('oauth')], { CAPILLARY_CLIENT_KEY: 'k' }, /needs CAPILLARY_CLIENT_SECRET/],
    [['push', name, '--host', 'http://api.example.com', '--auth', 'basic'], BASIC_ENV, /Refusing plain HTTP to api\.example\.com/],
    [['push', name, '--env', 'Nowhere'], BASIC_ENV, /no environment "Nowhere" in \.vscode\/settings\.json .* known: "Local sandbox"/],
    [['push', name, ...target('basic'), '--timeout', 'soon'], BASIC_ENV, /--timeout must be a number/],
    [['push', name, ...target('basic'), '--org-id', 'x'], BASIC_ENV, /--org-id must be the org's id/],
    [['push', name, '--env', 'Local sandbox', '--org-id', '1'], BASIC_ENV, /--org-id goes with --host/],
    [['push', name, ...target('basic'), '--ca', 'missing.pem'], BASIC_ENV, /cannot read the CA certificate file missing\.pem: ENOENT/],
    [['push', name, ...target('basic'), '--client-secret', 'x'], BASIC_ENV, /--client-secret: secrets are never accepted as command-line flags/],
    [['push', 'nope.coupon.json', ...target('basic')], BASIC_ENV, /no such file or folder: nope\.coupon\.json/],
    [['create', name, name, ...target('basic')], BASIC_ENV, /takes one FILE \(use coupon push for several\)/],
  ];
  for (const [args, env, message] of usage) {
    const result = await run(args, env);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
  }
});

test('--env reads .vscode/settings.json (JSONC) like the extension; "Local sandbox" needs no variables', async () => {
  const workspace = await tempFolder({
    '.vscode/settings.json': `{
      // Environments for the coupon tools
      "couponSeries.environments": [
        { "name": "Staging", "host": "${sandbox.url}", "auth": "oauth", "clientKey": "sandbox-key", "orgId": 100458 },
        { "name": "Broken", "host": "http://example.com", "auth": "basic", "username": "x" },
      ],
      "couponSeries.requestTimeoutSeconds": 10,
    }`,
    'a.coupon.json': unusualFormatting('from settings'),
  });
  try {
    // The settings' host is a loopback port: named by the user in CAPILLARY_HOST, or refused (test/cli/credentialHosts.test.ts).
    const result = await coupon(['push', 'a.coupon.json', '--env', 'staging'], { cwd: workspace.dir, env: { CAPILLARY_CLIENT_SECRET: OAUTH_ENV.CAPILLARY_CLIENT_SECRET, CAPILLARY_HOST: sandbox.url } });
    assertNoSecrets(result, 'push --env staging');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Plan for Staging \(100458@127\.0\.0\.1:\d+\):\n  create  a\.coupon\.json\nCreated series \d+ .* on Staging from a\.coupon\.json; recorded in the file\.\n$/);
    assert.match(result.stderr, /coupon: warning: couponSeries\.environments\[1\]\.host: Refusing plain HTTP/);
    const withAuth = await coupon(['push', 'a.coupon.json', '--env', 'Staging', '--auth', 'basic'], { cwd: workspace.dir, env: OAUTH_ENV });
    assert.equal(withAuth.code, 2);
    // The built-in sandbox environment: demo credentials without variables (it answers, or nothing listens; never a usage error).
    const local = await coupon(['pull', '1', '--env', 'Local sandbox', '--timeout', '3'], { cwd: workspace.dir, env: {} });
    assert.equal(local.code, 1, local.stderr);
    assert.doesNotMatch(local.stderr, /CAPILLARY_/);
    if (/Nothing is listening/.test(local.stderr)) assert.match(local.stderr, /Start a sandbox with: coupon sandbox\n$/);
  } finally {
    await workspace.cleanup();
  }
});

test('coupon sandbox runs until stopped and prints its URL and demo credentials', async () => {
  const stop = new AbortController();
  const stdout = { text: '', write(chunk: string) { this.text += chunk; return true; } };
  const stderr = { text: '', write(chunk: string) { this.text += chunk; return true; } };
  const dataFile = path.join(folder.dir, 'sandbox-data.json');
  const running = runCli(['sandbox', '--port', '0', '--data', dataFile, '--json'], { stdout, stderr, cwd: folder.dir, env: {}, signal: stop.signal });
  for (let waited = 0; !stdout.text.includes('\n') && waited < 5000; waited += 20) await sleep(20);
  const ready = JSON.parse(stdout.text) as { url: string; credentials: { basic: { username: string; password: string } } };
  assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(ready.credentials.basic.username, 'sandbox.user');
  const { name } = await newFile(unusualFormatting('in the foreground sandbox'));
  const pushed = await coupon(['push', name, '--host', ready.url, '--auth', 'basic'], { cwd: folder.dir, env: BASIC_ENV });
  assert.equal(pushed.code, 0, pushed.stderr);
  stop.abort();
  assert.equal(await running, 0);
  assert.match(stderr.text, /sandbox stopped \(abort\); 1 series kept in /);
  assert.match(await readFile(dataFile, 'utf8'), /in the foreground sandbox/);

  const text = await coupon(['sandbox', '--port', String(sandbox.port)], { cwd: folder.dir, signal: AbortSignal.abort() });
  assert.equal(text.code, 1);
  assert.match(text.stderr, new RegExp(`coupon: error: port ${sandbox.port} is in use`));
});
