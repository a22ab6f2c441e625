/**
 * The API commands (create, update, push, pull, diff, sandbox) against the
 * sandbox started in this process on 127.0.0.1 over real HTTP, with both auth
 * kinds through environment variables.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import * as path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { runCli } from '../../cli/src/cli';
import type { SandboxFaults } from '../../core/src/sandbox';
import { Sandbox, startSandbox } from '../../core/src/sandbox';
import { hasErrors, validateCouponSeries } from '../../core/src/validate';
import { vendorExample } from '../support/testUtil';
import { assertNoSecrets, BASIC_ENV, coupon, OAUTH_ENV, RunResult, tempFolder } from './support';

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

test('create writes id, seriesCode and orgId back keeping the formatting, with either auth kind', async () => {
  for (const { auth, env } of AUTHS) {
    const original = unusualFormatting(`created with ${auth}`);
    const { name, file } = await newFile(original);
    const before = sandbox.state().seriesCount;
    const result = await run(['create', name, ...target(auth)], env);
    assert.equal(result.code, 0, `${auth}: ${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^${name}: created series (\\d+) \\(seriesCode [0-9A-F]+\\) on 127\\.0\\.0\\.1:${sandbox.port}; id written to the file\\n$`));
    assert.equal(sandbox.state().seriesCount, before + 1);

    const written = await readFile(file, 'utf8');
    const series = seriesOf(written);
    assert.equal(typeof series.id, 'number');
    assert.match(series.seriesCode as string, /^[0-9A-F]+$/);
    assert.equal(typeof series.orgId, 'number');
    // Only the three lines were added, after the last property, in the file's own style.
    const lastProperty = '        "discountType": "ABS"';
    assert.equal(written, original.replace(lastProperty, `${lastProperty},\r\n        "id": ${String(series.id)},\r\n        "seriesCode": "${String(series.seriesCode)}",\r\n        "orgId": ${String(series.orgId)}`));
    assert.ok(!hasErrors(validateCouponSeries(written)), 'the written file is still valid');
  }
});

test('create refuses a file that has an id (nothing sent), and a file with errors (nothing sent, errors printed)', async () => {
  const created = await newFile(unusualFormatting());
  assert.equal((await run(['create', created.name, ...target('basic')])).code, 0);
  const withId = await readFile(created.file, 'utf8');
  const invalid = await newFile(vendorExample().replace('"anyUser": false', '"anyUser": "no"'));
  const state = sandbox.state();

  const again = await run(['create', created.name, ...target('basic')]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^coupon: error: series-\d+\.coupon\.json already has "id": \d+: the series exists on the server and is not created again\. Use coupon update .* \(or coupon push\)\.\n$/);
  assert.equal(await readFile(created.file, 'utf8'), withId);

  const rejected = await run(['create', invalid.name, ...target('basic')]);
  assert.equal(rejected.code, 1);
  assert.match(rejected.stdout, new RegExp(`^${invalid.name}:14:16: error wrong-type "anyUser" must be a boolean, not a string\\.\\n$`));
  assert.match(rejected.stderr, /1 error \(run coupon validate\): nothing was sent/);

  const noId = await newFile(vendorExample());
  const updateWithoutId = await run(['update', noId.name, ...target('basic')]);
  assert.equal(updateWithoutId.code, 1);
  assert.match(updateWithoutId.stderr, /has no "id": it has not been created yet\. Use coupon create/);
  const json = await run(['create', invalid.name, ...target('basic'), '--json']);
  assert.equal(json.code, 1);
  const result = JSON.parse(json.stdout) as { ok: boolean; sent: boolean; results: { diagnostics: { code: string }[] }[] };
  assert.equal(result.ok, false);
  assert.equal(result.sent, false);
  assert.equal(result.results[0].diagnostics[0].code, 'wrong-type');

  assert.equal(sandbox.state().seriesCount, state.seriesCount);
  assert.equal(sandbox.state().requestCount, state.requestCount, 'no request reached the server');
});

test('push creates a new file, then updates it; a batch reports progress and a JSON result', async () => {
  for (const { auth, env } of AUTHS) {
    const { name, file } = await newFile(unusualFormatting(`push ${auth}`));
    const before = sandbox.state().seriesCount;
    const first = await run(['push', name, ...target(auth), '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const created = JSON.parse(first.stdout) as { ok: boolean; results: { action: string; id: number; written: boolean }[] };
    assert.equal(created.ok, true);
    assert.equal(created.results[0].action, 'create');
    assert.equal(created.results[0].written, true);
    assert.equal(sandbox.state().seriesCount, before + 1);

    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(`push ${auth}`, `pushed again ${auth}`));
    const second = await run(['push', name, ...target(auth)], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^${name}: updated series ${created.results[0].id} \\(seriesCode [0-9A-F]+\\) on 127\\.0\\.0\\.1:\\d+\\n$`));
    assert.equal(sandbox.state().seriesCount, before + 1, 'an update creates nothing');
    const pulled = await run(['pull', String(created.results[0].id), ...target(auth)], env);
    assert.equal(seriesOf(pulled.stdout).description, `pushed again ${auth}`);
  }

  const fresh = await newFile(unusualFormatting('batch new'));
  const existing = await newFile(unusualFormatting('batch existing'));
  assert.equal((await run(['create', existing.name, ...target('basic')])).code, 0);
  const batch = await run(['push', fresh.name, existing.name, ...target('basic')]);
  assert.equal(batch.code, 0, batch.stderr);
  assert.match(batch.stderr, new RegExp(`^\\[1/2\\] creating ${fresh.name}\\n\\[2/2\\] updating ${existing.name}\\n2 of 2 files sent to 127\\.0\\.0\\.1:\\d+\\n$`));
  assert.equal(batch.stdout.trim().split('\n').length, 2);
});

test('push of the same file named twice creates it once', async () => {
  const { name } = await newFile(unusualFormatting('named twice'));
  const before = sandbox.state().seriesCount;
  const result = await run(['push', name, `./${name}`, ...target('basic')]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(sandbox.state().seriesCount, before + 1, 'one series, not two');
});

test('push of several files sends nothing when one has errors', async () => {
  const good = await newFile(unusualFormatting('good'));
  const bad = await newFile(vendorExample().replace('"discountType": "ABS"', '"discountType": "HALF"'));
  const state = sandbox.state();
  const result = await run(['push', good.name, bad.name, ...target('basic')]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /error unknown-enum-value/);
  assert.equal(sandbox.state().requestCount, state.requestCount);
  assert.equal(await readFile(good.file, 'utf8'), unusualFormatting('good'));
});

test('pull writes a valid file with -o (not over an existing one without --force), or prints it', async () => {
  const { name } = await newFile(unusualFormatting('to pull'));
  assert.equal((await run(['create', name, ...target('oauth')], OAUTH_ENV)).code, 0);
  const id = seriesOf(await readFile(path.join(folder.dir, name), 'utf8')).id as number;

  const pulled = await run(['pull', String(id), '-o', 'out.coupon.json', ...target('basic')]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pulled.stdout, `out.coupon.json: pulled series ${id} from 127.0.0.1:${sandbox.port}\n`);
  const text = await readFile(path.join(folder.dir, 'out.coupon.json'), 'utf8');
  assert.deepEqual(validateCouponSeries(text).filter((diagnostic) => diagnostic.severity === 1), []);
  assert.equal(seriesOf(text).id, id);
  assert.equal(seriesOf(text).validTillDate, '2029-05-09T18:30:00+00:00', 'dates in UTC written +00:00');
  const validated = await run(['validate', 'out.coupon.json']);
  assert.equal(validated.code, 0, validated.stdout);

  const refused = await run(['pull', String(id), '-o', 'out.coupon.json', ...target('basic')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /out\.coupon\.json exists: choose another -o FILE, or add --force/);
  assert.equal((await run(['pull', String(id), '-o', 'out.coupon.json', '--force', ...target('basic')])).code, 0);

  const printed = await run(['pull', String(id), ...target('basic')]);
  assert.equal(printed.stdout, text);
  const json = await run(['pull', String(id), ...target('basic'), '--json']);
  assert.deepEqual((JSON.parse(json.stdout) as { series: unknown }).series, JSON.parse(text));

  const missing = await run(['pull', '99999999', ...target('basic')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^coupon: error: Coupon series 99999999 was not found on 127\.0\.0\.1:\d+ \(404\)/);
  assert.equal((await run(['pull', 'abc', ...target('basic')])).code, 2);
  const unwritable = await run(['pull', String(id), '-o', 'no/such/folder/x.coupon.json', ...target('basic')]);
  assert.equal(unwritable.code, 1);
  assert.equal(unwritable.stderr, 'coupon: error: cannot write no/such/folder/x.coupon.json: ENOENT\n');
});

test('diff: exit 0 when the same, 1 with a readable diff after a change, 2 without an id', async () => {
  const { name, file } = await newFile(unusualFormatting('to compare'));
  assert.equal((await run(['create', name, ...target('basic')])).code, 0);
  const same = await run(['diff', name, ...target('basic')]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, new RegExp(`^${name}: the same as series \\d+ on 127\\.0\\.0\\.1:\\d+\\n`));
  assert.match(same.stdout, /Not returned by the server \(not compared\): customPropertyMap.milestone, customPropertyMap.trackerid, productInfo, redemptionOrgEntityDetails\n$/);

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

  const noId = await newFile(vendorExample());
  const cannot = await run(['diff', noId.name, ...target('basic')]);
  assert.equal(cannot.code, 2);
  assert.match(cannot.stderr, /has no "id": it has not been created on a server yet/);
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
    if (command === 'update') assert.equal((await run(['create', file, ...target('basic')])).code, 0);
    const before = await readFile(absolute);
    const count = sandbox.state().seriesCount;
    sandbox.setFaults(faults);
    const result = await run([command, file, ...target('basic')]);
    sandbox.setFaults({});
    assert.equal(result.code, 1, `${name}: ${result.stdout}`);
    assert.match(result.stderr, new RegExp(`^coupon: error: ${file}: `), name);
    assert.match(result.stderr, message, name);
    assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line`);
    assert.deepEqual(await readFile(absolute), before, `${name}: the file is untouched`);
    assert.equal(sandbox.state().seriesCount, count + createdAnyway, `${name}: no duplicate series`);
  }

  const slow = await newFile(unusualFormatting('slow update'));
  assert.equal((await run(['create', slow.name, ...target('basic')])).code, 0);
  const unchanged = await readFile(slow.file);
  sandbox.setFaults({ delayMs: { count: 1, method: 'PUT', ms: 1500 } });
  const timedOut = await run(['update', slow.name, ...target('basic'), '--timeout', '1', '--json']);
  assert.equal(timedOut.code, 1);
  const report = JSON.parse(timedOut.stdout) as { ok: boolean; results: { error: { kind: string; message: string } }[] };
  assert.equal(report.results[0].error.kind, 'timeout');
  assert.match(report.results[0].error.message, /within 1 s \(timeout\).*\(coupon: --timeout SECONDS\)$/);
  assert.deepEqual(await readFile(slow.file), unchanged);
});

test('secrets stay out of the output, --verbose included; usage errors for targets and credentials', async () => {
  const { name } = await newFile(unusualFormatting('verbose'));
  for (const { auth, env } of AUTHS) {
    const result = await run(['push', name, ...target(auth), '--verbose'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /coupon: --> (POST|PUT) http:\/\/127\.0\.0\.1:\d+\/v2\/coupon\/series/);
    assert.match(result.stderr, auth === 'basic' ? /"Authorization":"\*\*\*"/ : /"X-CAP-API-OAUTH-TOKEN":"\*\*\*"/);
  }
  const wrong = await run(['pull', '1', ...target('basic')], { CAPILLARY_USERNAME: 'sandbox.user', CAPILLARY_PASSWORD: 'not-the-password-1234' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /Authentication failed \(401\): check the credentials/);
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
    [['push', name, ...target('basic'), '--ca', 'missing.pem'], BASIC_ENV, /cannot read the CA certificate file missing\.pem: ENOENT/],
    [['push', name, ...target('basic'), '--client-secret', 'x'], BASIC_ENV, /--client-secret: secrets are never accepted as command-line flags/],
    [['push', 'nope.coupon.json', ...target('basic')], BASIC_ENV, /no such file: nope\.coupon\.json/],
    [['create', name, name, ...target('basic')], BASIC_ENV, /takes one FILE \(use coupon push for several\)/],
    [['push', ...target('basic')], BASIC_ENV, /needs at least one FILE/],
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
        { "name": "Staging", "host": "${sandbox.url}", "auth": "oauth", "clientKey": "sandbox-key", },
        { "name": "Broken", "host": "http://example.com", "auth": "basic", "username": "x" },
      ],
      "couponSeries.requestTimeoutSeconds": 10,
    }`,
    'a.coupon.json': unusualFormatting('from settings'),
  });
  try {
    const result = await coupon(['push', 'a.coupon.json', '--env', 'staging'], { cwd: workspace.dir, env: { CAPILLARY_CLIENT_SECRET: OAUTH_ENV.CAPILLARY_CLIENT_SECRET } });
    assertNoSecrets(result, 'push --env staging');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^a\.coupon\.json: created series \d+ .* on Staging; id written to the file\n$/);
    assert.match(result.stderr, /coupon: warning: couponSeries\.environments\[1\]\.host: Refusing plain HTTP/);
    const withAuth = await coupon(['push', 'a.coupon.json', '--env', 'Staging', '--auth', 'basic'], { cwd: workspace.dir, env: OAUTH_ENV });
    assert.equal(withAuth.code, 2);
    // The built-in sandbox environment: demo credentials without variables (it answers, or nothing listens; never a usage error).
    const local = await coupon(['pull', '1', '--env', 'Local sandbox', '--timeout', '3'], { cwd: workspace.dir, env: {} });
    assert.equal(local.code, 1, local.stderr);
    assert.doesNotMatch(local.stderr, /CAPILLARY_/);
    if (/Nothing is listening/.test(local.stderr)) assert.match(local.stderr, /\(coupon: start one with coupon sandbox\)\n$/);
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
  for (let waited = 0; !stdout.text.includes('\n') && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
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
