/**
 * Issue 14, findings 1 and 3: a repository's `.vscode/settings.json` never
 * decides where the user's `CAPILLARY_*` credentials go. A listener on
 * 127.0.0.1 plays the attacker's host; it must receive nothing unless the user
 * named it. The local sandbox gets only its demo credentials. A protected
 * environment is sent to only with --yes.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { basicAuthorization, md5Hex } from '../../core/src/api';
import { environmentSecrets, resolveTarget } from '../../core/src/node/targets';
import { Sandbox, SANDBOX_PASSWORD, SANDBOX_SECOND_ORG_USERNAME, SANDBOX_USERNAME, startSandbox } from '../../core/src/sandbox';
import { startScriptedServer } from '../support/apiSupport';
import { vendorExample } from '../support/testUtil';
import { afterTargetLine, coupon, tempFolder } from './support';

// The user's own credentials, as a CI job would hold them: test values.
const USER_PASSWORD = 'users-own-password-test-value';
const USER_SECRET = 'users-own-client-secret-test-value';
const USER_ENV = { CAPILLARY_USERNAME: 'store.server', CAPILLARY_PASSWORD: USER_PASSWORD, CAPILLARY_CLIENT_KEY: 'user-key', CAPILLARY_CLIENT_SECRET: USER_SECRET };

let listener: Awaited<ReturnType<typeof startScriptedServer>>;
let sandbox: Sandbox;

before(async () => {
  listener = await startScriptedServer({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"entity":[],"warnings":[]}' });
  sandbox = await startSandbox();
});
after(async () => {
  await listener.close();
  await sandbox.close();
});

function settingsWith(environments: unknown[], more: Record<string, unknown> = {}): string {
  return JSON.stringify({ 'couponSeries.environments': environments, ...more });
}

function everythingReceived(): string {
  return listener.requests.map((request) => `${request.method} ${request.url} ${JSON.stringify(request.headers)} ${request.body}`).join('\n');
}

test('an environment the repository points at another host gets nothing: plan, push, pull and diff refuse before connecting, naming the host and how to allow it', async () => {
  const workspace = await tempFolder({
    '.vscode/settings.json': settingsWith([
      { name: 'EU production', host: listener.url, auth: 'oauth', clientKey: 'repo-key', orgId: 100458 },
      { name: 'EU basic', host: listener.url, auth: 'basic', username: 'repo.user' },
    ]),
    'series/a.coupon.json': vendorExample(),
  });
  try {
    const before = listener.requests.length;
    const runs = [
      ['plan', 'series/', '--env', 'EU production'],
      ['push', 'series/', '--env', 'EU production'],
      ['push', 'series/', '--env', 'EU basic', '--yes'],
      ['pull', '1', '--env', 'EU basic'],
      ['diff', 'series/a.coupon.json', '--env', 'EU production'],
    ];
    for (const args of runs) {
      const result = await coupon(args, { cwd: workspace.dir, env: USER_ENV });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      const host = new URL(listener.url).host;
      assert.match(result.stderr, new RegExp(`points at ${host.replace(/\./g, '\\.')}, which you have not named: .*Nothing was sent\\. If ${host.replace(/\./g, '\\.')} is yours, allow it: CAPILLARY_HOST=`), args.join(' '));
      assert.doesNotMatch(result.stderr, /sending to/, 'refused before saying it sends');
      for (const secret of [USER_PASSWORD, USER_SECRET, md5Hex(USER_PASSWORD)]) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret));
    }
    assert.equal(listener.requests.length, before, `the listener received: ${everythingReceived()}`);
    const file = await readFile(path.join(workspace.dir, 'series/a.coupon.json'), 'utf8');
    assert.equal(file, vendorExample(), 'the file is untouched');

    // Named by the user, the same environment is used (so the refusal above is the rule, not a broken setup).
    const named = await coupon(['plan', 'series/', '--env', 'EU basic'], { cwd: workspace.dir, env: { ...USER_ENV, CAPILLARY_HOST: `other.example.com, ${new URL(listener.url).host}` } });
    assert.equal(named.code, 1, named.stderr);
    assert.match(named.stderr, /^coupon: sending to EU basic \(\.vscode\/settings\.json\): http:\/\/127\.0\.0\.1:\d+, basic auth as store\.server \(from CAPILLARY_PASSWORD\)\n/);
  } finally {
    await workspace.cleanup();
  }
});

test('--host is the user naming it; the vendor\'s clusters are allowed from settings; other hosts are not', () => {
  const env = { CAPILLARY_USERNAME: 'store.server', CAPILLARY_PASSWORD: USER_PASSWORD };
  const cwd = path.join(__dirname, 'no-such-workspace');
  const direct = resolveTarget({ host: 'https://evil.example.com', auth: 'basic' }, { cwd, env });
  assert.equal(direct.source, 'command line');
  // A folder whose settings name a vendor cluster and a look-alike.
  return (async () => {
    const workspace = await tempFolder({
      '.vscode/settings.json': settingsWith([
        { name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'repo.user' },
        { name: 'Look-alike', host: 'eu.api.capillarytech.com.evil.example', auth: 'basic', username: 'repo.user' },
        { name: 'Other port', host: 'https://eu.api.capillarytech.com:8443', auth: 'basic', username: 'repo.user' },
      ]),
    });
    try {
      const vendor = resolveTarget({ environmentName: 'EU' }, { cwd: workspace.dir, env });
      assert.equal(vendor.environment.host, 'eu.api.capillarytech.com');
      assert.throws(() => resolveTarget({ environmentName: 'Look-alike' }, { cwd: workspace.dir, env }), /which you have not named/);
      assert.throws(() => resolveTarget({ environmentName: 'Other port' }, { cwd: workspace.dir, env }), /which you have not named/);
      const allowed = resolveTarget({ environmentName: 'Other port' }, { cwd: workspace.dir, env: { ...env, CAPILLARY_HOST: 'eu.api.capillarytech.com:8443' } });
      assert.equal(allowed.credentials.kind, 'basic');
    } finally {
      await workspace.cleanup();
    }
  })();
});

test('"Local sandbox" gets the demo credentials, never the user\'s, even on the port the repository chose', async () => {
  const port = Number(new URL(listener.url).port);
  const workspace = await tempFolder({ '.vscode/settings.json': JSON.stringify({ 'couponSeries.sandboxPort': port }) });
  try {
    const mark = listener.requests.length;
    const result = await coupon(['pull', '1', '--env', 'Local sandbox'], { cwd: workspace.dir, env: USER_ENV });
    assert.match(result.stderr, /^coupon: sending to Local sandbox \(built in\): http:\/\/127\.0\.0\.1:\d+, org 100458, basic auth as sandbox\.user \(from the sandbox's demo user\)/);
    const received = listener.requests.slice(mark);
    assert.ok(received.length > 0, 'the request reached the port');
    for (const request of received) {
      assert.equal(request.headers.authorization, basicAuthorization(SANDBOX_USERNAME, md5Hex(SANDBOX_PASSWORD)));
      const seen = JSON.stringify(request);
      for (const secret of [USER_PASSWORD, md5Hex(USER_PASSWORD), USER_SECRET, 'store.server']) assert.ok(!seen.includes(secret), `the sandbox's port received ${secret.slice(0, 4)}…`);
    }
  } finally {
    await workspace.cleanup();
  }
});

test('a protected environment: push, create and update send nothing without --yes', async () => {
  const workspace = await tempFolder({
    '.vscode/settings.json': settingsWith([{ name: 'Sandbox production', host: sandbox.url, auth: 'basic', username: SANDBOX_SECOND_ORG_USERNAME, orgId: 100459, protected: true }]),
    'a.coupon.json': vendorExample(),
  });
  const env = { CAPILLARY_PASSWORD: SANDBOX_PASSWORD, CAPILLARY_HOST: sandbox.url };
  try {
    const count = sandbox.state().seriesCount;
    for (const command of ['push', 'create']) {
      const refused = await coupon([command, 'a.coupon.json', '--env', 'Sandbox production'], { cwd: workspace.dir, env });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(afterTargetLine(refused.stderr), /Sandbox production is marked protected: nothing was sent\. .*run again with --yes/);
    }
    assert.equal(sandbox.state().seriesCount, count, 'nothing was created');
    assert.equal(await readFile(path.join(workspace.dir, 'a.coupon.json'), 'utf8'), vendorExample());
    const confirmed = await coupon(['push', 'a.coupon.json', '--env', 'Sandbox production', '--yes'], { cwd: workspace.dir, env });
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.equal(sandbox.state().seriesCount, count + 1);
  } finally {
    await workspace.cleanup();
  }
});

test('the secrets a long-lived process (coupon mcp) scrubs from the start: password, its MD5 and Basic header, client secret, proxy password', () => {
  const secrets = environmentSecrets({
    CAPILLARY_USERNAME: 'store.server',
    CAPILLARY_PASSWORD: 'pa ss',
    CAPILLARY_CLIENT_SECRET: 'client-secret-1',
    HTTPS_PROXY: 'http://proxy.user:pr%40xy@127.0.0.1:3128',
  });
  for (const expected of ['pa ss', md5Hex('pa ss'), basicAuthorization('store.server', md5Hex('pa ss')).slice('Basic '.length), 'client-secret-1', 'pr%40xy', 'pr@xy']) {
    assert.ok(secrets.includes(expected), `${expected} is scrubbed`);
  }
  assert.deepEqual(environmentSecrets({ HTTPS_PROXY: 'not a url' }), [], 'a malformed proxy variable is left to the target to report');
});
