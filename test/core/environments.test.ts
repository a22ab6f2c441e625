import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allEnvironments,
  deploymentKey,
  hostIdentity,
  DEFAULT_SANDBOX_PORT,
  environmentKey,
  findEnvironment,
  LOCAL_SANDBOX_NAME,
  localSandboxEnvironment,
  parseEnvironments,
  parseSettings,
  REGIONAL_HOSTS,
  SETTING_KEYS,
  SETTINGS_SECTION,
} from '../../core/src/environments';
import { readUserCaCertificates, userCaCertificatePath } from '../../core/src/node/caCertificates';

test('the built-in Local sandbox environment and the regional presets', () => {
  assert.deepEqual(localSandboxEnvironment(5000), { name: 'Local sandbox', host: 'http://127.0.0.1:5000', auth: 'basic', username: 'sandbox.user', orgId: 100458 });
  assert.equal(localSandboxEnvironment().host, `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}`);
  const hosts = REGIONAL_HOSTS.map((preset) => preset.host);
  for (const host of ['eu.api.capillarytech.com', 'apac.api.capillarytech.com', 'apac2.api.capillarytech.com', 'us.api.capillarytech.com', 'ushc.api.capillarytech.com', 'sea.api.capillarytech.com', 'api.capillarytech.cn.com', 'eucrm.cc.capillarytech.com']) {
    assert.ok(hosts.includes(host), host);
  }
  assert.equal(SETTINGS_SECTION, 'couponSeries');
  assert.deepEqual(Object.values(SETTING_KEYS), ['environments', 'requestTimeoutSeconds', 'confirmBeforeSending', 'extraCaCertificates', 'sandboxPort']);
});

test('parseEnvironments accepts valid entries and trims them', () => {
  const { environments, problems } = parseEnvironments([
    { name: ' EU production ', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'store.server' },
    { name: 'APAC', host: 'https://apac.api.capillarytech.com', auth: 'oauth', clientKey: 'key-1', attribution: { tillCode: 'till.01' } },
    { name: 'Dev', host: 'http://localhost:9000', auth: 'basic', username: 'dev', attribution: { entityType: 'STORE', entityCode: 's1' } },
    { name: 'Prod', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', orgId: 100458, protected: true },
  ]);
  assert.deepEqual(problems, []);
  assert.deepEqual(environments, [
    { name: 'EU production', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'store.server' },
    { name: 'APAC', host: 'https://apac.api.capillarytech.com', auth: 'oauth', clientKey: 'key-1', attribution: { tillCode: 'till.01' } },
    { name: 'Dev', host: 'http://localhost:9000', auth: 'basic', username: 'dev', attribution: { entityType: 'STORE', entityCode: 's1' } },
    { name: 'Prod', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', orgId: 100458, protected: true },
  ]);
});

test('an environment\'s identity is the org on a host: hostIdentity and deploymentKey', () => {
  assert.equal(hostIdentity('EU.api.capillarytech.com'), 'eu.api.capillarytech.com');
  assert.equal(hostIdentity('https://eu.api.capillarytech.com/'), 'eu.api.capillarytech.com');
  assert.equal(hostIdentity('https://gateway.example.com:8443/capillary/'), 'gateway.example.com:8443/capillary');
  assert.equal(hostIdentity('http://127.0.0.1:47631'), '127.0.0.1:47631');
  assert.equal(hostIdentity('http://eu.api.capillarytech.com'), undefined);
  assert.equal(deploymentKey(100458, 'eu.api.capillarytech.com'), '100458@eu.api.capillarytech.com');
});

test('parseEnvironments names every problem and keeps the valid entries', () => {
  const cases: [entry: unknown, problem: RegExp][] = [
    ['eu', /couponSeries\.environments\[0\] must be an object like/],
    [{ host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u' }, /\[0\]\.name must be a non-empty string/],
    [{ name: 'A', auth: 'basic', username: 'u' }, /\[0\]\.host must be a host/],
    [{ name: 'A', host: 'http://eu.api.capillarytech.com', auth: 'basic', username: 'u' }, /\[0\]\.host: Refusing plain HTTP/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'token' }, /\[0\]\.auth must be "basic" .* or "oauth"/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic' }, /\[0\]\.username is required with "auth": "basic"/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'oauth' }, /\[0\]\.clientKey is required with "auth": "oauth"/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', password: 'x' }, /has "password": settings must never hold passwords, secrets or tokens/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'oauth', clientKey: 'k', clientSecret: 'x' }, /has "clientSecret": settings must never hold/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', hostname: 'x' }, /unknown property "hostname"/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', attribution: { tillCode: 'a', entityType: 'b' } }, /\.attribution must be/],
    [{ name: 'Local Sandbox', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u' }, /reserved for the built-in sandbox/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', orgId: '100458' }, /\[0\]\.orgId must be the org's id/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', orgId: 0 }, /\[0\]\.orgId must be the org's id/],
    [{ name: 'A', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', protected: 'yes' }, /\[0\]\.protected must be true or false/],
  ];
  for (const [entry, problem] of cases) {
    const valid = { name: 'Valid', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u' };
    const { environments, problems } = parseEnvironments([entry, valid]);
    assert.equal(problems.length, 1, `${JSON.stringify(entry)}: ${problems.join(' | ')}`);
    assert.match(problems[0], problem);
    assert.deepEqual(environments.map((environment) => environment.name), ['Valid']);
  }
  assert.match(parseEnvironments({}).problems[0], /must be a list of environments/);
  assert.deepEqual(parseEnvironments(undefined), { environments: [], problems: [] });
  const duplicate = parseEnvironments([
    { name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'a' },
    { name: 'eu', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'b' },
  ]);
  assert.match(duplicate.problems[0], /"eu" is used twice/);
  assert.equal(duplicate.environments.length, 1);
});

test('environmentKey: same credentials place whatever the host spelling or display name, different per user and host', () => {
  const base = { name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic' as const, username: 'store.server' };
  assert.equal(environmentKey(base), 'couponSeries/basic/https://eu.api.capillarytech.com/store.server');
  assert.equal(environmentKey({ ...base, name: 'Renamed', host: 'https://EU.api.capillarytech.com/' }), environmentKey(base));
  assert.notEqual(environmentKey({ ...base, username: 'other' }), environmentKey(base));
  assert.notEqual(environmentKey({ ...base, host: 'apac.api.capillarytech.com' }), environmentKey(base));
  assert.notEqual(environmentKey({ name: 'EU', host: base.host, auth: 'oauth', clientKey: 'store.server' }), environmentKey(base));
});

test('parseSettings: defaults, valid values, and problems falling back to defaults', () => {
  assert.deepEqual(parseSettings(() => undefined), {
    settings: { environments: [], requestTimeoutSeconds: 30, confirmBeforeSending: true, extraCaCertificates: [], sandboxPort: DEFAULT_SANDBOX_PORT },
    problems: [],
  });
  const values: Record<string, unknown> = {
    environments: [{ name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u' }],
    requestTimeoutSeconds: 10,
    confirmBeforeSending: false,
    extraCaCertificates: ['/etc/ssl/corp.pem'],
    sandboxPort: 4000,
  };
  const valid = parseSettings((key) => values[key]);
  assert.deepEqual(valid.problems, []);
  assert.equal(valid.settings.requestTimeoutSeconds, 10);
  assert.equal(valid.settings.confirmBeforeSending, false);
  assert.deepEqual(valid.settings.extraCaCertificates, ['/etc/ssl/corp.pem']);
  assert.equal(valid.settings.sandboxPort, 4000);

  const wrong: Record<string, unknown> = { requestTimeoutSeconds: -1, confirmBeforeSending: 'yes', extraCaCertificates: '/one.pem', sandboxPort: 70000 };
  const parsed = parseSettings((key) => wrong[key]);
  assert.equal(parsed.problems.length, 4);
  assert.equal(parsed.settings.sandboxPort, DEFAULT_SANDBOX_PORT);
  assert.match(parsed.problems.join('\n'), /couponSeries\.requestTimeoutSeconds must be a number of seconds between 1 and 600/);
  assert.equal(parsed.settings.requestTimeoutSeconds, 30);
  assert.equal(parsed.settings.confirmBeforeSending, true);
});

test('allEnvironments puts the sandbox first; findEnvironment ignores case', () => {
  const user = parseEnvironments([{ name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u' }]).environments;
  const all = allEnvironments(user, 4000);
  assert.deepEqual(all.map((environment) => environment.name), [LOCAL_SANDBOX_NAME, 'EU']);
  assert.equal(findEnvironment(all, 'local SANDBOX')?.host, 'http://127.0.0.1:4000');
  assert.equal(findEnvironment(all, 'nope'), undefined);
  assert.equal(findEnvironment(all, undefined), undefined);
});

test('the editor reads CA files only from absolute and ~/ paths (a user setting has no folder to be relative to)', async () => {
  assert.equal(userCaCertificatePath('/etc/ssl/corp.pem', '/home/me'), '/etc/ssl/corp.pem');
  assert.equal(userCaCertificatePath('~/certs/corp.pem', '/home/me'), '/home/me/certs/corp.pem');
  assert.equal(userCaCertificatePath('certs/corp.pem', '/home/me'), undefined);
  assert.equal(userCaCertificatePath('../corp.pem', '/home/me'), undefined);
  await assert.rejects(readUserCaCertificates(['corp.pem'], 'couponSeries.extraCaCertificates'), /"corp\.pem" \(couponSeries\.extraCaCertificates\) is a relative path: give an absolute path, or one starting with ~\//);
  await assert.rejects(readUserCaCertificates(['/nonexistent/corp.pem'], 'couponSeries.extraCaCertificates'), /Cannot read the CA certificate file \/nonexistent\/corp\.pem \(couponSeries\.extraCaCertificates\): ENOENT/);
});
