/** The sandbox's orgs (ids per org, each caller sees its own), its request log and concurrent slow POSTs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { basicAuthorization } from '../../../core/src/api/auth';
import {
  controlHeaders,
  Sandbox,
  SANDBOX_CLIENT_KEY,
  SANDBOX_CLIENT_SECRET,
  SANDBOX_DEFAULT_ORG_ID,
  SANDBOX_ORGS,
  SANDBOX_READ_ONLY_USERNAME,
  SANDBOX_SECOND_ORG_CLIENT_KEY,
  SANDBOX_SECOND_ORG_CLIENT_SECRET,
  SANDBOX_SECOND_ORG_ID,
  SANDBOX_SECOND_ORG_USERNAME,
  SANDBOX_USERNAME,
  SandboxRequest,
  startSandbox,
} from '../../../core/src/sandbox';
import { REPO_ROOT } from '../../support/testUtil';
import { sampleSeries, SANDBOX_PASSWORD_MD5 } from '../../support/apiSupport';

let directory: string;
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'coupon-sandbox-orgs-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

const ORG_A = basicAuthorization(SANDBOX_USERNAME, SANDBOX_PASSWORD_MD5);
const ORG_B = basicAuthorization(SANDBOX_SECOND_ORG_USERNAME, SANDBOX_PASSWORD_MD5);

type Json = Record<string, unknown>;

async function call(sandbox: Sandbox, method: 'GET' | 'POST' | 'PUT', path: string, authorization: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await request(`${sandbox.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, json: (await response.body.json()) as Json };
}

function create(sandbox: Sandbox, authorization: string, description: string) {
  return call(sandbox, 'POST', '/v2/coupon/series', authorization, { CouponSeriesV2: { ...sampleSeries(), description } });
}

async function withSandbox(run: (sandbox: Sandbox) => Promise<void>, options: Parameters<typeof startSandbox>[0] = {}): Promise<void> {
  const sandbox = await startSandbox(options);
  try {
    await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

test('one table of orgs: each principal in exactly one org', () => {
  assert.deepEqual(
    SANDBOX_ORGS.map((org) => org.orgId),
    [SANDBOX_DEFAULT_ORG_ID, SANDBOX_SECOND_ORG_ID],
  );
  const [first, second] = SANDBOX_ORGS;
  assert.deepEqual(first.users, [
    { username: SANDBOX_USERNAME, access: 'write' },
    { username: SANDBOX_READ_ONLY_USERNAME, access: 'read' },
  ]);
  assert.deepEqual(first.oauthClients, [{ clientKey: SANDBOX_CLIENT_KEY, clientSecret: SANDBOX_CLIENT_SECRET }]);
  assert.deepEqual(second.users, [{ username: 'sandbox.user2', access: 'write' }]);
  assert.deepEqual(second.oauthClients, [{ clientKey: 'sandbox-key-2', clientSecret: 'sandbox-secret-2' }]);
});

test('ids are numbered per org and overlap; a caller sees and changes only its own org', async () => {
  await withSandbox(async (sandbox) => {
    const a1 = await create(sandbox, ORG_A, 'A one');
    const a2 = await create(sandbox, ORG_A, 'A two');
    const b1 = await create(sandbox, ORG_B, 'B one');
    assert.deepEqual([a1.json.id, a2.json.id, b1.json.id], [1001, 1002, 1001], 'each org starts at 1001');
    assert.deepEqual([a1.json.orgId, b1.json.orgId], [SANDBOX_DEFAULT_ORG_ID, SANDBOX_SECOND_ORG_ID]);
    assert.notEqual(a1.json.seriesCode, b1.json.seriesCode);

    const readA = await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', ORG_A);
    const readB = await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', ORG_B);
    assert.deepEqual((readA.json.entity as Json[]).map((series) => [series.description, series.orgId]), [['A one', SANDBOX_DEFAULT_ORG_ID]]);
    assert.deepEqual((readB.json.entity as Json[]).map((series) => [series.description, series.orgId]), [['B one', SANDBOX_SECOND_ORG_ID]]);

    const otherOrgsOnly = await call(sandbox, 'GET', '/v2/coupon/series?ids=1002', ORG_B);
    assert.equal(otherOrgsOnly.status, 404, "another org's id is not found, as an unknown id");
    assert.equal((otherOrgsOnly.json.errors as Json[])[0].code, 707);
    const mixed = await call(sandbox, 'GET', '/v2/coupon/series?ids=1001&ids=1002', ORG_B);
    assert.deepEqual((mixed.json.entity as Json[]).map((series) => series.description), ['B one']);

    const foreignPut = await call(sandbox, 'PUT', '/v2/coupon/series/1002', ORG_B, { CouponSeriesV2: { ...sampleSeries(), id: 1002, seriesCode: a2.json.seriesCode, description: 'hijacked' } });
    assert.equal(foreignPut.status, 404, "a PUT of another org's id answers like an unknown id");
    assert.equal((foreignPut.json.errors as Json[])[0].code, 707);
    const untouched = await call(sandbox, 'GET', '/v2/coupon/series?ids=1002', ORG_A);
    assert.equal((untouched.json.entity as Json[])[0].description, 'A two');

    const ownPut = await call(sandbox, 'PUT', '/v2/coupon/series/1001', ORG_B, { CouponSeriesV2: { ...sampleSeries(), id: 1001, seriesCode: b1.json.seriesCode, description: 'B one, changed' } });
    assert.equal(ownPut.status, 200);
    assert.equal(ownPut.json.orgId, SANDBOX_SECOND_ORG_ID);
    const aStill = await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', ORG_A);
    assert.equal((aStill.json.entity as Json[])[0].description, 'A one', "B's update leaves A's 1001 alone");
    assert.equal(sandbox.state().seriesCount, 3);
  });
});

test("OAuth clients act in their own org; the read-only user stays read-only in the default org", async () => {
  await withSandbox(async (sandbox) => {
    const tokenFor = async (key: string, secret: string) => {
      const response = await request(`${sandbox.url}/v3/oauth/token/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, secret }) });
      return ((await response.body.json()) as { data: { accessToken: string } | null }).data;
    };
    assert.equal(await tokenFor(SANDBOX_SECOND_ORG_CLIENT_KEY, SANDBOX_CLIENT_SECRET), null, "one client's secret does not open another client");
    const tokenB = await tokenFor(SANDBOX_SECOND_ORG_CLIENT_KEY, SANDBOX_SECOND_ORG_CLIENT_SECRET);
    assert.ok(tokenB);
    const created = await request(`${sandbox.url}/v2/coupon/series`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cap-api-oauth-token': tokenB.accessToken },
      body: JSON.stringify({ CouponSeriesV2: sampleSeries() }),
    });
    const series = (await created.body.json()) as Json;
    assert.deepEqual([series.id, series.orgId], [1001, SANDBOX_SECOND_ORG_ID]);

    await create(sandbox, ORG_A, 'A one');
    const viewer = basicAuthorization(SANDBOX_READ_ONLY_USERNAME, SANDBOX_PASSWORD_MD5);
    const seen = await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', viewer);
    assert.equal((seen.json.entity as Json[])[0].orgId, SANDBOX_DEFAULT_ORG_ID);
    assert.equal((await create(sandbox, viewer, 'no')).status, 403);
  });
});

test('the request log: method, path, query, the caller\'s org, the status; also at GET /__sandbox/requests', async () => {
  await withSandbox(async (sandbox) => {
    await create(sandbox, ORG_A, 'A one');
    await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', ORG_B);
    await call(sandbox, 'PUT', '/v2/coupon/series/1001', '', { CouponSeriesV2: sampleSeries() });
    sandbox.setFaults({ status5xx: { count: 1 } });
    await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', ORG_A);
    sandbox.setFaults({ dropConnection: { count: 1 } });
    await assert.rejects(call(sandbox, 'GET', '/v2/coupon/series?ids=7', ORG_A));
    await request(`${sandbox.url}/__sandbox/state`, { headers: controlHeaders() }).then((response) => response.body.text());

    const summary = (entries: SandboxRequest[]) => entries.map(({ method, path, query, orgId, status }) => ({ method, path, query, orgId, status }));
    const expected = [
      { method: 'POST', path: '/v2/coupon/series', query: '', orgId: SANDBOX_DEFAULT_ORG_ID, status: 200 },
      { method: 'GET', path: '/v2/coupon/series', query: 'ids=1001', orgId: SANDBOX_SECOND_ORG_ID, status: 404 },
      { method: 'PUT', path: '/v2/coupon/series/1001', query: '', orgId: undefined, status: 401 },
      { method: 'GET', path: '/v2/coupon/series', query: 'ids=1001', orgId: SANDBOX_DEFAULT_ORG_ID, status: 503 },
      { method: 'GET', path: '/v2/coupon/series', query: 'ids=7', orgId: SANDBOX_DEFAULT_ORG_ID, status: null },
    ];
    assert.deepEqual(summary(sandbox.requests()), expected, 'control requests are not logged');
    for (const entry of sandbox.requests()) assert.ok(entry.answeredAt >= entry.receivedAt && entry.receivedAt > 0);

    const overHttp = await request(`${sandbox.url}/__sandbox/requests`, { headers: controlHeaders() });
    assert.equal(overHttp.statusCode, 200);
    const logged = (await overHttp.body.json()) as SandboxRequest[];
    assert.deepEqual(logged, sandbox.requests());
    assert.ok(!logged.some((entry) => entry.method === 'PUT' && entry.orgId === SANDBOX_SECOND_ORG_ID), 'e.g. proof that no PUT reached org B');
  });
});

test('several concurrent slow POSTs are each delayed, none queued behind another', async () => {
  await withSandbox(
    async (sandbox) => {
      const answers = await Promise.all([1, 2, 3, 4].map((n) => create(sandbox, ORG_A, `slow ${n}`)));
      assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200, 200]);
      assert.deepEqual(answers.map((answer) => answer.json.id).sort(), [1001, 1002, 1003, 1004], 'four series, four ids');
      const posts = sandbox.requests().filter((entry) => entry.method === 'POST');
      assert.equal(posts.length, 4);
      for (const post of posts) assert.ok(post.answeredAt - post.receivedAt >= 390, `each POST waited (${post.answeredAt - post.receivedAt} ms)`);
      const lastArrival = Math.max(...posts.map((post) => post.receivedAt));
      const firstAnswer = Math.min(...posts.map((post) => post.answeredAt));
      assert.ok(lastArrival < firstAnswer, 'all four were in the server at once: the delays ran side by side');

      assert.equal((await call(sandbox, 'GET', '/v2/coupon/series?ids=1001', ORG_A)).status, 200);
      const get = sandbox.requests().at(-1);
      assert.ok(get && get.answeredAt - get.receivedAt < 390, 'a GET is not slowed by a POST-only delay');
    },
    { faults: { delayMs: { ms: 400, method: 'POST' } } },
  );
});

test('a single-org data file from before orgs is migrated on load', async () => {
  const dataFile = join(directory, 'legacy.json');
  const legacySeries = (id: number) => ({
    id,
    seriesCode: `LEGACY${id}`,
    orgId: SANDBOX_DEFAULT_ORG_ID,
    fields: { ...sampleSeries(), description: `legacy ${id}` },
    createdOn: '2025-01-01T00:00:00Z',
    lastModifiedOn: '2025-01-01T00:00:00Z',
    numIssued: 0,
    numRedeemed: 0,
  });
  await writeFile(dataFile, JSON.stringify({ nextId: 1003, series: [legacySeries(1001), legacySeries(1002)] }));
  await withSandbox(
    async (sandbox) => {
      const read = await call(sandbox, 'GET', '/v2/coupon/series?ids=1001,1002', ORG_A);
      assert.deepEqual((read.json.entity as Json[]).map((series) => series.seriesCode), ['LEGACY1001', 'LEGACY1002']);
      assert.equal((await create(sandbox, ORG_A, 'after')).json.id, 1003, 'the old counter carries on');
      assert.equal((await create(sandbox, ORG_B, 'first of B')).json.id, 1001, 'another org starts at 1001');
    },
    { dataFile },
  );
  const onDisk = JSON.parse(await readFile(dataFile, 'utf8')) as { nextIds: Record<string, number>; series: { id: number; orgId: number }[] };
  assert.deepEqual(onDisk.nextIds, { [SANDBOX_DEFAULT_ORG_ID]: 1004, [SANDBOX_SECOND_ORG_ID]: 1002 });
  assert.equal(onDisk.series.length, 4);
  await withSandbox(
    async (sandbox) => {
      assert.equal((await create(sandbox, ORG_B, 'second of B')).json.id, 1002, 'the new format reloads');
    },
    { dataFile },
  );
});

test("the sandbox page's table of orgs (docs/sandbox.md) matches SANDBOX_ORGS", () => {
  const readme = readFileSync(join(REPO_ROOT, 'docs', 'sandbox.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| (\d+) \| (.+) \| (.+) \|$/gm)].map((match) => ({ orgId: Number(match[1]), users: match[2], clients: match[3] }));
  assert.deepEqual(
    rows.map((row) => row.orgId),
    SANDBOX_ORGS.map((org) => org.orgId),
  );
  for (const [index, org] of SANDBOX_ORGS.entries()) {
    const names = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
    assert.deepEqual(names(rows[index].users), org.users.map((user) => user.username), `org ${org.orgId} users`);
    assert.deepEqual(names(rows[index].clients), org.oauthClients.flatMap((client) => [client.clientKey, client.clientSecret]), `org ${org.orgId} clients`);
  }
});
