import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { basicAuthorization, MemoryTokenStore, md5Hex } from '../../../core/src/api/auth';

import { CouponApiError } from '../../../core/src/api/errors';
import { redactBodyText, redactHeaders, redactJson, redactLocation, redactUrl, SecretScrubber } from '../../../core/src/api/redact';
import { Sandbox, SANDBOX_CLIENT_SECRET, SANDBOX_PASSWORD, SANDBOX_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { sleep } from '../../../core/src/util';
import { basicCredentials, collectLog, createTestClient, FAST_RETRY, oauthCredentials, sampleSeries, SANDBOX_PASSWORD_MD5 } from '../../support/apiSupport';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ tokenTtlSeconds: 1 });
});
after(async () => {
  await sandbox.close();
});

test('redactHeaders hides credential headers whatever their case', () => {
  assert.deepEqual(
    redactHeaders({
      Authorization: 'Basic abc',
      'x-cap-api-oauth-token': 'tok',
      'Proxy-Authorization': 'Basic xyz',
      'Content-Type': 'application/json',
      'content-length': 12,
      'set-cookie': ['a=1', 'b=2'],
      absent: undefined,
    }),
    {
      Authorization: '***',
      'x-cap-api-oauth-token': '***',
      'Proxy-Authorization': '***',
      'Content-Type': 'application/json',
      'content-length': '12',
      'set-cookie': 'a=1, b=2',
    },
  );
});

test('redactJson hides secret, password, accessToken at any depth', () => {
  assert.deepEqual(
    redactJson({ key: 'client', secret: 's', nested: [{ password: 'p', passwordMd5: 'm', ok: 1 }], data: { accessToken: 't', ttlSeconds: 300 }, errors: null }),
    { key: 'client', secret: '***', nested: [{ password: '***', passwordMd5: '***', ok: 1 }], data: { accessToken: '***', ttlSeconds: 300 }, errors: null },
  );
});

test('redactBodyText: JSON, text and HTML, truncated', () => {
  const cases: [text: string, expected: string][] = [
    ['{"data": {"accessToken": "eyJhbGciOi", "ttlSeconds": 300}}', '{"data":{"accessToken":"***","ttlSeconds":300}}'],
    ['not json: "secret": "abc", password=hunter2&x=1', 'not json: "secret": "***", password=***&x=1'],
    ['<html>\n<body>token=abc123</body></html>', '<html> <body>token=***</body></html>'],
    ['', ''],
  ];
  for (const [text, expected] of cases) assert.equal(redactBodyText(text), expected);
  assert.equal(redactBodyText('x'.repeat(600), 10), 'xxxxxxxxxx… (600 chars)');
});

test('redactUrl hides a user-info password and sensitive query values', () => {
  assert.equal(redactUrl('http://user:pw@proxy:3128/'), 'http://user:***@proxy:3128/');
  assert.equal(redactUrl('https://host/v2/coupon/series?ids=1&token=abc'), 'https://host/v2/coupon/series?ids=1&token=***');
});

test('SecretScrubber removes every known secret occurrence and ignores ones under 4 characters', () => {
  const scrubber = new SecretScrubber();
  scrubber.add('s3cr3t-value');
  scrubber.add('abc');
  scrubber.add(undefined);
  assert.equal(scrubber.scrub('a s3cr3t-value b s3cr3t-value abc'), 'a *** b *** abc');
  scrubber.add('abcd');
  assert.equal(scrubber.scrub('abcd abc'), '*** abc');
});

test('SecretScrubber removes a secret in its JSON-escaped, URL-encoded, base64 and HTML forms, wherever it sits', () => {
  const secret = 'k3y"\\/é&<>=+ ?';
  const scrubber = new SecretScrubber();
  scrubber.add(secret);
  const once = JSON.stringify(secret).slice(1, -1);
  const encodings: [name: string, text: string][] = [
    ['JSON', JSON.stringify({ secret })],
    ['JSON twice', JSON.stringify({ message: JSON.stringify({ secret }) })],
    ['JSON with \\u escapes and \\/', once.replace('é', '\\u00e9').replace('/', '\\/')],
    ['encodeURIComponent', `?s=${encodeURIComponent(secret)}&x=1`],
    ['lower-case percent-encoding', encodeURIComponent(secret).toLowerCase()],
    ['form body', new URLSearchParams({ user: 'u', secret }).toString()],
    ['HTML', `<p>${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</p>`],
  ];
  // base64 and base64url of the secret after 0 to 5 other bytes (every alignment), followed by more.
  for (let prefix = 0; prefix < 6; prefix++) {
    const bytes = Buffer.concat([Buffer.from('user:'.slice(0, prefix)), Buffer.from(secret), Buffer.from(':tail')]);
    encodings.push([`base64 after ${prefix} bytes`, bytes.toString('base64')], [`base64url after ${prefix} bytes`, bytes.toString('base64url')]);
  }
  for (const [name, text] of encodings) {
    const scrubbed = scrubber.scrub(text);
    assert.ok(scrubbed.includes('***'), `${name}: nothing scrubbed in ${text}`);
    // What is left cannot be decoded back into the secret.
    for (const decode of [(t: string) => t, decodeURIComponent, (t: string) => Buffer.from(t, 'base64').toString('latin1')]) {
      let decoded = '';
      try {
        decoded = decode(scrubbed);
      } catch {
        continue;
      }
      assert.ok(!decoded.includes('k3y"'), `${name}: ${scrubbed}`);
    }
  }
  assert.equal(scrubber.scrub('an ordinary message, key 3, yes'), 'an ordinary message, key 3, yes');
});

test('SecretScrubber removes a hex secret (an MD5 password hash, a UUID token) in any case, as a server may echo it', () => {
  const md5 = '5f4dcc3b5aa765d61d8327deb882cf99';
  const uuid = '0e8a6f2c-3b1d-4c5e-9f7a-2d4b6c8e0a1f';
  const scrubber = new SecretScrubber();
  scrubber.add(md5);
  scrubber.add(uuid);
  const mixed = [...md5].map((char, index) => (index % 2 ? char.toUpperCase() : char)).join('');
  assert.equal(scrubber.scrub(`{"message":"bad password ${md5.toUpperCase()}"}`), '{"message":"bad password ***"}');
  assert.equal(scrubber.scrub(`hash=${mixed}; token ${uuid.toUpperCase()}`), 'hash=***; token ***');
  assert.equal(scrubber.scrub(`${md5}${md5.toUpperCase()}`), '******');
  // Other forms stay exact: base64 in another case is another value, and ordinary text is left alone.
  const basic = Buffer.from(`user:${md5}`).toString('base64');
  assert.ok(!scrubber.scrub(basic).includes(basic.slice(8, 30)), 'the Basic header form is scrubbed');
  assert.equal(scrubber.scrub('DEADBEEF is not a secret here'), 'DEADBEEF is not a secret here');
});

test('redactLocation hides every query and fragment value and the user-info, and resolves relative locations', () => {
  const base = new URL('https://eu.api.capillarytech.com/v2/coupon/series?ids=1');
  assert.equal(redactLocation('https://sso.example.com/a?token=t0k&flag#frag', base), 'https://sso.example.com/a?token=***&***#***');
  assert.equal(redactLocation('../login?code=xyz', base), 'https://eu.api.capillarytech.com/v2/login?code=***');
  assert.equal(redactLocation('https://u:p4ss@h.example.com/', base), 'https://***:***@h.example.com/');
  assert.equal(redactLocation('http://[bad', base), '(an unreadable location)');
});

test('no credential appears in any log line or error message, through successes, retries, refreshes and failures', async () => {
  const { lines, log } = collectLog();
  const messages: string[] = [];
  const tokenStore = new MemoryTokenStore();
  const basic = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 2_000, log, retry: FAST_RETRY });
  const oauth = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials(), timeoutMs: 2_000, log, retry: FAST_RETRY, tokenStore, tokenKey: 'k' });
  const wrongSecret = createTestClient({ baseUrl: sandbox.url, credentials: oauthCredentials('wrong-secret-value'), timeoutMs: 2_000, log });
  const wrongPassword = createTestClient({
    baseUrl: sandbox.url,
    credentials: { kind: 'basic', username: SANDBOX_USERNAME, passwordMd5: md5Hex('wrong-password') },
    timeoutMs: 2_000,
    log,
  });
  const issuedTokens: string[] = [];
  const rememberToken = async () => {
    const stored = await tokenStore.get('k');
    if (stored) issuedTokens.push(stored.token);
  };
  const record = (promise: Promise<unknown>) =>
    promise.catch((error: unknown) => {
      assert.ok(error instanceof CouponApiError);
      messages.push(error.message);
    });

  const created = await basic.createSeries({ CouponSeriesV2: sampleSeries() });
  await oauth.updateSeries(created.id, { CouponSeriesV2: { ...sampleSeries(), seriesCode: created.seriesCode } });
  await rememberToken();
  issuedTokens.push((await oauth.generateToken()).accessToken);
  sandbox.setFaults({ status5xx: { count: 1, method: 'GET' } });
  await oauth.getSeries(created.id);
  await sleep(1_000); // the 1 s token expires: a refresh is logged too
  await oauth.getSeries(created.id);
  await rememberToken();
  sandbox.setFaults({ htmlBody: { count: 1 } });
  await record(basic.getSeries(created.id));
  await record(wrongSecret.getSeries(created.id));
  await record(wrongPassword.getSeries(created.id));
  await record(basic.createSeries({ CouponSeriesV2: { ...sampleSeries(), discountType: 'HALF' } }));
  sandbox.setFaults({});

  const secrets = [
    SANDBOX_PASSWORD,
    SANDBOX_PASSWORD_MD5,
    basicAuthorization(SANDBOX_USERNAME, SANDBOX_PASSWORD_MD5).slice('Basic '.length),
    SANDBOX_CLIENT_SECRET,
    'wrong-secret-value',
    md5Hex('wrong-password'),
    basicAuthorization(SANDBOX_USERNAME, md5Hex('wrong-password')).slice('Basic '.length),
    ...issuedTokens,
  ];
  assert.ok(issuedTokens.length >= 3, 'several tokens were issued');
  assert.equal(messages.length, 4);
  assert.ok(lines.length >= 20, `every request and response is logged (${lines.length} lines)`);
  for (const text of [...lines, ...messages]) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `a credential leaked into: ${text}`);
  }
  // A summary line per exchange, the headers and bodies on their own (debug) lines.
  assert.ok(lines.some((line) => /^--> POST http:\/\/127\.0\.0\.1:\d+\/v2\/coupon\/series$/.test(line)));
  assert.ok(lines.some((line) => /^ {4}headers=\{.*"Authorization":"\*\*\*".*\} body=\d+ bytes$/.test(line)));
  assert.ok(lines.some((line) => /^<-- 200 GET http:\/\/127\.0\.0\.1:\d+\/v2\/coupon\/series\?ids=\d+ in \d+ ms$/.test(line)));
  assert.ok(lines.some((line) => /^ {4}body=\{"entity"/.test(line)));
  assert.ok(lines.some((line) => /"X-CAP-API-OAUTH-TOKEN":"\*\*\*"/.test(line)));
  assert.ok(lines.some((line) => /"accessToken":"\*\*\*"/.test(line)));
});
