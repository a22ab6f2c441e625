/**
 * Issue 16, as a new user met it from a terminal: push and plan print the
 * same diagnostics as validate; a refused credential or an unreachable server
 * is said once and exits 2; a plan of new files still proves the credentials;
 * push counts come from the engine; an environment without orgId learns its
 * org from the server's answers.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { md5Hex } from '../../core/src/engine';
import { Sandbox, SANDBOX_PASSWORD, SANDBOX_SECOND_ORG_USERNAME, startSandbox } from '../../core/src/sandbox';
import { vendorExample } from '../support/testUtil';
import { afterTargetLine, BASIC_ENV, coupon, tempFolder } from './support';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await sandbox.close();
});

const withDescription = (description: string) => vendorExample().replace(/"description": "[^"]*"/, `"description": "${description}"`);

async function workspace(files: Record<string, string>) {
  const folder = await tempFolder(files);
  return {
    ...folder,
    run: (args: string[], env: NodeJS.ProcessEnv = BASIC_ENV) => coupon([...args, '--host', sandbox.url, '--auth', 'basic'], { cwd: folder.dir, env }),
  };
}

test('a file with a trailing comma: plan and push print its json-syntax error with line and column, as validate does', async () => {
  const broken = withDescription('trailing comma').replace(/\n}\s*$/, ',\n}\n');
  const folder = await workspace({ 'broken.coupon.json': broken });
  try {
    const validate = await coupon(['validate', 'broken.coupon.json'], { cwd: folder.dir });
    const line = /^broken\.coupon\.json:\d+:\d+: error json-syntax .*$/m.exec(validate.stdout)?.[0];
    assert.ok(line, `validate prints the json-syntax error: ${validate.stdout}`);
    const plan = await folder.run(['plan', 'broken.coupon.json']);
    assert.equal(plan.code, 2, plan.stderr);
    assert.ok(plan.stdout.includes(line), `plan prints the same line:\n${plan.stdout}`);
    const push = await folder.run(['push', 'broken.coupon.json']);
    assert.equal(push.code, 1, push.stderr);
    assert.ok(push.stdout.includes(line), `push prints the same line:\n${push.stdout}`);
    assert.match(afterTargetLine(push.stderr), /broken\.coupon\.json: .*Nothing was sent\. See the errors above/);
    assert.equal(await readFile(path.join(folder.dir, 'broken.coupon.json'), 'utf8'), broken);
  } finally {
    await folder.cleanup();
  }
});

test('a wrong password: plan says so once and exits 2, even when every file is new (a plan proves the credentials)', async () => {
  const folder = await workspace({ 'a.coupon.json': withDescription('a'), 'b.coupon.json': withDescription('b'), 'c.coupon.json': withDescription('c') });
  try {
    const wrong = { CAPILLARY_USERNAME: 'sandbox.user', CAPILLARY_PASSWORD: 'not-the-password' };
    const plan = await folder.run(['plan'], wrong);
    assert.equal(plan.code, 2, plan.stderr);
    const said = afterTargetLine(plan.stderr).match(/Authentication failed \(401\)/g) ?? [];
    assert.equal(said.length, 1, `said once:\n${plan.stderr}`);
    assert.match(plan.stderr, /could not be read: Authentication failed \(401\) .* Check CAPILLARY_USERNAME \/ CAPILLARY_PASSWORD/);
    assert.doesNotMatch(plan.stdout, /unreachable/);
    const json = await folder.run(['plan', '--json'], wrong);
    assert.equal(json.code, 2);
    const report = JSON.parse(json.stdout) as { failure: { kind: string; advice: string[] }; counts: Record<string, number> };
    assert.equal(report.failure.kind, 'auth');
    assert.deepEqual(report.failure.advice, ['reenter-credentials']);
    const count = sandbox.state().seriesCount;
    const push = await folder.run(['push'], wrong);
    assert.equal(push.code, 2, push.stderr);
    assert.equal(sandbox.state().seriesCount, count, 'nothing was created');
    assert.equal((afterTargetLine(push.stderr).match(/Authentication failed \(401\)/g) ?? []).length, 1, `said once:\n${push.stderr}`);
  } finally {
    await folder.cleanup();
  }
});

test('a server that cannot be reached: one line for the plan, not one per file', async () => {
  const folder = await tempFolder({ 'a.coupon.json': withDescription('a'), 'b.coupon.json': withDescription('b') });
  try {
    const plan = await coupon(['plan', '--host', 'http://127.0.0.1:9', '--auth', 'basic', '--timeout', '3'], { cwd: folder.dir, env: BASIC_ENV });
    assert.equal(plan.code, 2, plan.stderr);
    assert.equal((afterTargetLine(plan.stderr).match(/coupon: error: /g) ?? []).length, 1, plan.stderr);
  } finally {
    await folder.cleanup();
  }
});

test('push counts what the engine did: created, updated, up to date, failed', async () => {
  const folder = await workspace({ 'one.coupon.json': withDescription('one'), 'two.coupon.json': withDescription('two'), 'three.coupon.json': withDescription('three') });
  try {
    assert.equal((await folder.run(['push'])).code, 0);
    const two = path.join(folder.dir, 'two.coupon.json');
    await writeFile(two, (await readFile(two, 'utf8')).replace('"two"', '"two, changed"'));
    const push = await folder.run(['push']);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stderr, /0 created, 1 updated, 2 up to date, 0 failed on 127\.0\.0\.1:\d+\n$/);
    assert.doesNotMatch(push.stderr, /3 of 3 files done/);
  } finally {
    await folder.cleanup();
  }
});

/** Creates series in org 100459 until it holds one with `id` (ids are numbered per org, as on two real clusters). */
async function secondOrgHolds(id: number): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${SANDBOX_SECOND_ORG_USERNAME}:${md5Hex(SANDBOX_PASSWORD)}`).toString('base64')}`;
  for (let created = 0; created < id; ) {
    const response = await fetch(`${sandbox.url}/v2/coupon/series`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ CouponSeriesV2: (JSON.parse(vendorExample()) as { CouponSeriesV2: object }).CouponSeriesV2 }) });
    assert.equal(response.status, 200);
    created = ((await response.json()) as { id: number }).id;
  }
}

test('an environment without orgId: a file recorded for another org on the host is created in this one (the answer shows the org), never updated there', async () => {
  const folder = await workspace({ 'shared.coupon.json': withDescription('shared') });
  try {
    assert.equal((await folder.run(['push'])).code, 0, 'created in org 100458');
    const recorded = Object.values((JSON.parse(await readFile(path.join(folder.dir, 'shared.coupon.json'), 'utf8')) as { deployments: Record<string, { id: number }> }).deployments)[0];
    await secondOrgHolds(recorded.id);
    const secondOrg = { CAPILLARY_USERNAME: SANDBOX_SECOND_ORG_USERNAME, CAPILLARY_PASSWORD: SANDBOX_PASSWORD };
    const plan = await folder.run(['plan', '--json'], secondOrg);
    assert.equal(plan.code, 1, plan.stderr);
    const parsed = JSON.parse(plan.stdout) as { key?: string; files: { state: string; action: string; key?: string }[] };
    assert.deepEqual([parsed.files[0].state, parsed.files[0].action], ['not-created', 'create']);
    assert.match(parsed.key ?? '', /^100459@127\.0\.0\.1:\d+$/);
    const mark = sandbox.requests().length;
    const push = await folder.run(['push'], secondOrg);
    assert.equal(push.code, 0, push.stderr);
    assert.deepEqual(sandbox.requests().slice(mark).filter((request) => request.method !== 'GET').map((request) => [request.method, request.orgId]), [['POST', 100459]]);
    const deployments = (JSON.parse(await readFile(path.join(folder.dir, 'shared.coupon.json'), 'utf8')) as { deployments: Record<string, { id: number }> }).deployments;
    assert.deepEqual(Object.keys(deployments).map((key) => key.split('@')[0]).sort(), ['100458', '100459']);
  } finally {
    await folder.cleanup();
  }
});
