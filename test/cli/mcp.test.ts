/**
 * `coupon mcp` as an assistant meets it: `node dist/cli.js mcp` driven through
 * the MCP SDK's Client over stdio, against a sandbox started here. Every
 * session's raw stdout must be protocol messages only, and no output (stdout
 * or stderr) may hold a secret in any form.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { AGENT_TOOLS, ALLOW_PUSH_VARIABLE, TOOL_NAMES } from '../../core/src/agent';
import { md5Hex } from '../../core/src/api';
import { secretForms } from '../../core/src/api/redact';
import { Sandbox, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_SECOND_ORG_ID, SANDBOX_SECOND_ORG_USERNAME, SANDBOX_USERNAME, startSandbox } from '../../core/src/sandbox';
import { REPO_ROOT, vendorExample } from '../support/testUtil';
import { assertOnlyProtocolMessages, McpSession, startMcp } from './mcpSupport';
import { coupon, SECRET_FORMS, tempFolder } from './support';

let sandbox: Sandbox;
let workspace: { dir: string; cleanup(): Promise<void> };
let outside: { dir: string; cleanup(): Promise<void> };
/** Every session's raw output, checked at the end for anything but protocol messages and for secrets. */
const outputs: { what: string; stdout: string; stderr: string }[] = [];

/** The user's credentials for the environments from the settings (the Local sandbox never gets them). */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { CAPILLARY_PASSWORD: SANDBOX_PASSWORD, CAPILLARY_CLIENT_SECRET: SANDBOX_CLIENT_SECRET, CAPILLARY_HOST: `127.0.0.1:${sandbox.port}`, ...extra };
}

function series(description: string, edit: (series: Record<string, unknown>) => void = () => {}): string {
  const document = JSON.parse(vendorExample()) as { CouponSeriesV2: Record<string, unknown> };
  document.CouponSeriesV2.description = description;
  edit(document.CouponSeriesV2);
  return `${JSON.stringify(document, null, 2)}\n`;
}

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  outside = await tempFolder({ 'secret.coupon.json': series('outside the workspace') });
  workspace = await tempFolder({
    '.vscode/settings.json': JSON.stringify({
      'couponSeries.sandboxPort': sandbox.port,
      'couponSeries.exclude': ['drafts/**'],
      'couponSeries.environments': [
        { name: 'Sandbox production', host: sandbox.url, auth: 'basic', username: SANDBOX_SECOND_ORG_USERNAME, orgId: SANDBOX_SECOND_ORG_ID, protected: true },
        { name: 'Sandbox staging', host: sandbox.url, auth: 'oauth', clientKey: SANDBOX_CLIENT_KEY, orgId: SANDBOX_DEFAULT_ORG_ID },
        { name: 'Elsewhere', host: 'https://coupons.example.invalid', auth: 'basic', username: 'someone' },
      ],
    }),
    'series/summer.coupon.json': series('Summer'),
    'series/winter.coupon.json': series('Winter'),
    'drafts/draft.coupon.json': series('Draft'),
    'broken.coupon.json': series('Broken', (value) => (value.discountType = 'PERCENT')),
  });
  await symlink(path.join(outside.dir, 'secret.coupon.json'), path.join(workspace.dir, 'link.coupon.json'));
});

after(async () => {
  await sandbox.close();
  await workspace.cleanup();
  await outside.cleanup();
});

async function session(args: readonly string[], env: NodeJS.ProcessEnv = userEnv()): Promise<McpSession> {
  return startMcp(args, { cwd: workspace.dir, env });
}

async function closeSession(mcp: McpSession, what: string): Promise<void> {
  const { stdout, stderr, code } = await mcp.close();
  assert.equal(code, 0, `${what}: exit code (stderr: ${stderr})`);
  outputs.push({ what, stdout, stderr });
}

function writes(since: number): { method: string; path: string }[] {
  return sandbox
    .requests()
    .slice(since)
    .filter((request) => request.method !== 'GET')
    .map(({ method, path: requestPath }) => ({ method, path: requestPath }));
}

test('usage: --read-only contradicts --allow-push, --root must be a folder, no arguments; the help names the variable and the rules', async () => {
  const contradiction = await coupon(['mcp', '--read-only', '--allow-push', 'Local sandbox'], { cwd: workspace.dir });
  assert.equal(contradiction.code, 2);
  assert.match(contradiction.stderr, /--read-only and --allow-push contradict each other/);
  assert.equal(contradiction.stdout, '', 'stdout stays for protocol messages');
  const noFolder = await coupon(['mcp', '--root', 'missing'], { cwd: workspace.dir });
  assert.equal(noFolder.code, 2);
  assert.match(noFolder.stderr, /--root: .*missing is not a folder/);
  assert.equal((await coupon(['mcp', 'series'], { cwd: workspace.dir })).code, 2);
  const help = await coupon(['mcp', '--help'], { cwd: workspace.dir });
  assert.equal(help.code, 0);
  assert.match(help.stdout, new RegExp(`${ALLOW_PUSH_VARIABLE}`));
  assert.match(help.stdout, /a protected one only when named itself/);
  assert.match((await coupon(['--help'], { cwd: workspace.dir })).stdout, /\n  mcp +Serve the agent tools/);
});

test('the tools are listed with their definitions\' schemas and annotations; push only with --allow-push, nothing that writes with --read-only', async () => {
  const offered = async (args: string[]) => {
    const mcp = await session(args);
    const { tools } = await mcp.client.listTools();
    await closeSession(mcp, `list ${args.join(' ')}`);
    return tools;
  };
  const all = await offered(['--allow-push', 'Local sandbox']);
  assert.deepEqual(all.map((tool) => tool.name), AGENT_TOOLS.map((tool) => tool.name));
  for (const tool of all) {
    const definition = AGENT_TOOLS.find((candidate) => candidate.name === tool.name);
    assert.ok(definition);
    assert.deepEqual(tool.inputSchema, definition.inputSchema, `${tool.name} inputSchema`);
    assert.deepEqual(tool.outputSchema, definition.outputSchema, `${tool.name} outputSchema`);
    assert.deepEqual(tool.annotations, definition.annotations, `${tool.name} annotations`);
    assert.equal(tool.title, definition.title);
  }
  const push = all.find((tool) => tool.name === TOOL_NAMES.push);
  assert.deepEqual(push?.annotations, { title: 'Push coupon series', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
  assert.equal(all.find((tool) => tool.name === TOOL_NAMES.plan)?.annotations?.readOnlyHint, true);

  assert.deepEqual((await offered([])).map((tool) => tool.name), ['coupon_validate', 'coupon_explain', 'coupon_environments', 'coupon_plan', 'coupon_pull'], 'no push without --allow-push');
  const readOnly = await offered(['--read-only']);
  assert.deepEqual(readOnly.map((tool) => tool.name), ['coupon_validate', 'coupon_explain', 'coupon_environments', 'coupon_plan'], 'read-only: nothing that writes');
  for (const tool of readOnly) assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
  const viaVariable = await startMcp([], { cwd: workspace.dir, env: userEnv({ [ALLOW_PUSH_VARIABLE]: 'Sandbox staging' }) });
  assert.ok((await viaVariable.client.listTools()).tools.some((tool) => tool.name === TOOL_NAMES.push), `${ALLOW_PUSH_VARIABLE} allows push too`);
  await closeSession(viaVariable, 'variable');
});

test('read-only mode refuses pull and push even when called, and writes nothing', async () => {
  const mcp = await session(['--read-only']);
  const mark = sandbox.requests().length;
  const pull = await mcp.call(TOOL_NAMES.pull, { id: 1, environment: 'Local sandbox' });
  assert.equal(pull.isError, true);
  assert.equal((pull.structuredContent.refused as { kind: string }).kind, 'read-only');
  const push = await mcp.call(TOOL_NAMES.push, { paths: ['series'], environment: 'Local sandbox', planToken: 'plan-x' });
  assert.equal((push.structuredContent.refused as { kind: string }).kind, 'read-only');
  const plan = await mcp.call(TOOL_NAMES.plan, { paths: ['series'], environment: 'Local sandbox' });
  assert.equal(plan.isError, false, 'plan only reads: offered read-only');
  assert.deepEqual((plan.structuredContent.push as { allowed: boolean }).allowed, false);
  await closeSession(mcp, 'read-only');
  assert.deepEqual(writes(mark), []);
});

test('coupon_validate: 1-based problems with quick fixes, content or path; paths outside the root, through a link or with .., are refused', async () => {
  const mcp = await session([]);
  const broken = await mcp.call(TOOL_NAMES.validate, { path: 'broken.coupon.json' });
  assert.equal(broken.isError, false);
  const problems = broken.structuredContent.problems as { code: string; severity: string; line: number; column: number; fixes?: { title: string; edits: { line: number; newText: string }[] }[] }[];
  const enumProblem = problems.find((problem) => problem.code === 'unknown-enum-value');
  assert.ok(enumProblem, JSON.stringify(problems));
  assert.equal(enumProblem.severity, 'error');
  const text = await readFile(path.join(workspace.dir, 'broken.coupon.json'), 'utf8');
  assert.equal(enumProblem.line, text.split('\n').findIndex((line) => line.includes('"PERCENT"')) + 1, '1-based line');
  assert.equal(enumProblem.column, text.split('\n')[enumProblem.line - 1].indexOf('"PERCENT"') + 1, '1-based column');
  assert.ok(enumProblem.fixes?.some((fix) => fix.edits[0].newText === '"PERC"' && fix.edits[0].line === enumProblem.line), JSON.stringify(enumProblem.fixes));
  assert.match(broken.content[0].type === 'text' ? broken.content[0].text : '', /1 error/);

  const content = await mcp.call(TOOL_NAMES.validate, { content: '{"CouponSeriesV2": {"discountType": "ABS",}}' });
  assert.ok((content.structuredContent.problems as { code: string }[]).some((problem) => problem.code === 'json-syntax'));

  for (const outsidePath of ['../x.coupon.json', path.join(outside.dir, 'secret.coupon.json'), 'link.coupon.json', 'series/../../x.coupon.json']) {
    const refused = await mcp.call(TOOL_NAMES.validate, { path: outsidePath });
    assert.equal(refused.isError, true, outsidePath);
    assert.equal((refused.structuredContent.refused as { kind: string }).kind, 'outside-root', outsidePath);
  }
  const plainFile = await mcp.call(TOOL_NAMES.validate, { path: '.vscode/settings.json' });
  assert.equal((plainFile.structuredContent.refused as { kind: string }).kind, 'not-a-coupon-file');
  const bad = await mcp.call(TOOL_NAMES.validate, { path: 3 });
  assert.equal((bad.structuredContent.refused as { kind: string }).kind, 'invalid-input');
  await closeSession(mcp, 'validate');
});

test('coupon_explain: a rule with its docs\' words, a field with its values, suggestions for a typo; the resources hold the schema and the rules', async () => {
  const mcp = await session([]);
  const rule = await mcp.call(TOOL_NAMES.explain, { code: 'redemption-limit-value' });
  const explained = rule.structuredContent.rule as { severity: string; source: string; quotes: { text: string }[]; howToFix: string };
  assert.equal(explained.severity, 'error');
  assert.equal(explained.source, 'vendor docs');
  assert.match(explained.quotes[0].text, /greater than 0/);
  const inferred = (await mcp.call(TOOL_NAMES.explain, { code: 'redemption-limit-any-user' })).structuredContent.rule as { severity: string; source: string; whyInferred?: string };
  assert.deepEqual([inferred.severity, inferred.source], ['warning', 'inferred']);
  assert.match(inferred.whyInferred ?? '', /./);
  const field = await mcp.call(TOOL_NAMES.explain, { field: 'redemptionPerCouponMaxLimit' });
  assert.equal((field.structuredContent.field as { unlimitedValue: number }).unlimitedValue, -1);
  const values = await mcp.call(TOOL_NAMES.explain, { field: 'discountType' });
  assert.deepEqual((values.structuredContent.field as { allowedValues: { value: string }[] }).allowedValues.map((allowed) => allowed.value), ['ABS', 'PERC']);
  const typo = await mcp.call(TOOL_NAMES.explain, { code: 'redemption-limit-anyuser' });
  assert.match((typo.structuredContent.refused as { message: string }).message, /Did you mean "redemption-limit-any-user"/);

  const { resources } = await mcp.client.listResources();
  assert.ok(resources.some((resource) => resource.uri === 'coupon://schema/coupon-series.schema.json'));
  assert.ok(resources.some((resource) => resource.uri === 'coupon://rules/percent-over-100'));
  const schema = await mcp.client.readResource({ uri: 'coupon://schema/coupon-series.schema.json' });
  assert.deepEqual(JSON.parse((schema.contents[0] as { text: string }).text), JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas', 'coupon-series.schema.json'), 'utf8')));
  const page = await mcp.client.readResource({ uri: 'coupon://rules/percent-over-100' });
  assert.match((page.contents[0] as { text: string }).text, /inferred/);
  await closeSession(mcp, 'explain');
});

test('coupon_environments: each environment with its org, protection and which credentials it would get, never a secret', async () => {
  const mcp = await session(['--allow-push', '*']);
  const result = await mcp.call(TOOL_NAMES.environments, {});
  const environments = result.structuredContent.environments as { name: string; credentials: string; protected: boolean; orgId?: number; push: { allowed: boolean } }[];
  const byName = new Map(environments.map((environment) => [environment.name, environment]));
  assert.deepEqual([...byName.keys()], ['Local sandbox', 'Sandbox production', 'Sandbox staging', 'Elsewhere']);
  assert.equal(byName.get('Local sandbox')?.credentials, 'demo');
  assert.equal(byName.get('Sandbox production')?.credentials, 'variables');
  assert.equal(byName.get('Sandbox production')?.protected, true);
  assert.equal(byName.get('Sandbox production')?.push.allowed, false, '"*" never allows a protected environment');
  assert.equal(byName.get('Sandbox staging')?.push.allowed, true);
  assert.equal(byName.get('Elsewhere')?.credentials, 'refused', 'a host the user did not name gets no credentials');
  await closeSession(mcp, 'environments');
});

test('plan, then push, then plan again shows nothing to do; files are selected by the selection rule', async () => {
  const mcp = await session(['--allow-push', 'Local sandbox']);
  const before = sandbox.state().seriesCount;
  const plan = await mcp.call(TOOL_NAMES.plan, { paths: ['.'], environment: 'Local sandbox' });
  const files = plan.structuredContent.files as { file: string; action: string; state: string }[];
  assert.deepEqual(files.map((file) => file.file), ['broken.coupon.json', 'series/summer.coupon.json', 'series/winter.coupon.json'], 'drafts/ is excluded, the link out of the root is not followed');
  assert.deepEqual(files.map((file) => file.action), ['none', 'create', 'create']);
  assert.equal(files[0].state, 'invalid');
  const token = plan.structuredContent.planToken as string;
  assert.match(token, /^plan-/);
  assert.deepEqual(plan.structuredContent.push, { allowed: true });
  assert.equal(sandbox.state().seriesCount, before, 'a plan creates nothing');

  const push = await mcp.call(TOOL_NAMES.push, { paths: ['.'], environment: 'Local sandbox', planToken: token });
  assert.deepEqual(push.structuredContent.counts, { created: 2, updated: 0, upToDate: 0, failed: 1 });
  assert.equal(push.isError, true, 'the invalid file failed');
  const pushed = push.structuredContent.files as { file: string; outcome: string; id?: number; error?: { kind: string } }[];
  assert.deepEqual(pushed.map((file) => file.outcome), ['failed', 'created', 'created']);
  assert.equal(pushed[0].error?.kind, 'invalid');
  assert.equal(sandbox.state().seriesCount, before + 2);
  const recorded = JSON.parse(await readFile(path.join(workspace.dir, 'series', 'summer.coupon.json'), 'utf8')) as { deployments: Record<string, { id: number }> };
  assert.equal(recorded.deployments[`${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:${sandbox.port}`].id, pushed[1].id);

  const again = await mcp.call(TOOL_NAMES.plan, { paths: ['series'], environment: 'Local sandbox' });
  assert.deepEqual((again.structuredContent.files as { action: string; state: string }[]).map((file) => [file.action, file.state]), [['none', 'in-sync'], ['none', 'in-sync']]);
  assert.deepEqual(again.structuredContent.counts, { create: 0, update: 0, none: 2, cannot: 0 });
  assert.match(again.content[0].type === 'text' ? again.content[0].text : '', /Nothing to push/);
  const replay = await mcp.call(TOOL_NAMES.push, { paths: ['.'], environment: 'Local sandbox', planToken: token });
  assert.equal((replay.structuredContent.refused as { kind: string }).kind, 'stale-plan', 'a token is good for the plan it showed only');
  await closeSession(mcp, 'plan-push-plan');
});

test('push is refused with a stale token: when a file changed, and when its series changed on the server; nothing is sent', async () => {
  const mcp = await session(['--allow-push', 'Local sandbox']);
  const file = path.join(workspace.dir, 'series', 'winter.coupon.json');
  const original = await readFile(file, 'utf8');
  await writeFile(file, original.replace('"Winter"', '"Winter sale"'));
  const plan = await mcp.call(TOOL_NAMES.plan, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox' });
  assert.deepEqual((plan.structuredContent.files as { action: string; changes: string[] }[])[0], { ...(plan.structuredContent.files as object[])[0], action: 'update', changes: ['description'] });
  const token = plan.structuredContent.planToken as string;

  // The file changes after the plan.
  let mark = sandbox.requests().length;
  await writeFile(file, original.replace('"Winter"', '"Winter sale!"'));
  const fileChanged = await mcp.call(TOOL_NAMES.push, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox', planToken: token });
  const refusal = fileChanged.structuredContent.refused as { kind: string; message: string };
  assert.equal(refusal.kind, 'stale-plan');
  assert.match(refusal.message, /series\/winter\.coupon\.json changed since the plan/);
  assert.deepEqual(writes(mark), [], 'nothing sent');

  // The series changes on the server after the plan.
  const replan = await mcp.call(TOOL_NAMES.plan, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox' });
  const entry = (replan.structuredContent.files as { id: number }[])[0];
  const recorded = (JSON.parse(await readFile(file, 'utf8')) as { deployments: Record<string, { id: number; seriesCode: string }> }).deployments[`${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:${sandbox.port}`];
  const onServer = await fetch(`${sandbox.url}/v2/coupon/series/${entry.id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${SANDBOX_USERNAME}:${md5Hex(SANDBOX_PASSWORD)}`).toString('base64')}` },
    body: JSON.stringify({ CouponSeriesV2: { ...(JSON.parse(series('Changed on the server')) as { CouponSeriesV2: object }).CouponSeriesV2, id: entry.id, seriesCode: recorded.seriesCode } }),
  });
  assert.equal(onServer.status, 200);
  mark = sandbox.requests().length;
  const serverChanged = await mcp.call(TOOL_NAMES.push, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox', planToken: replan.structuredContent.planToken as string });
  const serverRefusal = serverChanged.structuredContent.refused as { kind: string; message: string };
  assert.equal(serverRefusal.kind, 'stale-plan');
  assert.match(serverRefusal.message, /the series of series\/winter\.coupon\.json changed on the server since the plan/);
  assert.deepEqual(writes(mark), [], 'nothing sent');

  // Planned now, the drift shows; the push of a drifted series is refused by the engine (the user decides).
  const drifted = await mcp.call(TOOL_NAMES.plan, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox' });
  assert.equal((drifted.structuredContent.files as { drifted: boolean }[])[0].drifted, true);
  const overwrite = await mcp.call(TOOL_NAMES.push, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox', planToken: drifted.structuredContent.planToken as string });
  assert.equal((overwrite.structuredContent.files as { error?: { kind: string } }[])[0].error?.kind, 'drifted');
  assert.deepEqual(writes(mark).filter((request) => request.method === 'PUT'), [], 'never overwritten by an agent');

  const foreign = await mcp.call(TOOL_NAMES.push, { paths: ['series/winter.coupon.json'], environment: 'Local sandbox', planToken: 'plan-made-up' });
  assert.match((foreign.structuredContent.refused as { message: string }).message, /not one of this session's plans/);
  await closeSession(mcp, 'stale');
});

test('push is refused without --allow-push naming the environment, and to a protected one unless named itself', async () => {
  const noPush = await session([]);
  const refused = await noPush.call(TOOL_NAMES.push, { paths: ['series'], environment: 'Local sandbox', planToken: 'plan-x' });
  assert.equal((refused.structuredContent.refused as { kind: string }).kind, 'unknown-tool');
  await closeSession(noPush, 'no --allow-push');

  const mark = sandbox.requests().length;
  const wildcard = await session(['--allow-push', '*']);
  const plan = await wildcard.call(TOOL_NAMES.plan, { paths: ['series/summer.coupon.json'], environment: 'Sandbox production' });
  assert.deepEqual((plan.structuredContent.files as { action: string }[]).map((file) => file.action), ['create']);
  assert.equal((plan.structuredContent.push as { allowed: boolean; reason: string }).allowed, false);
  const protectedPush = await wildcard.call(TOOL_NAMES.push, { paths: ['series/summer.coupon.json'], environment: 'Sandbox production', planToken: plan.structuredContent.planToken as string });
  const refusal = protectedPush.structuredContent.refused as { kind: string; message: string };
  assert.equal(refusal.kind, 'push-not-allowed');
  assert.match(refusal.message, /protected/);
  const other = await wildcard.call(TOOL_NAMES.push, { paths: ['series/summer.coupon.json'], environment: 'Elsewhere', planToken: 'plan-x' });
  assert.equal((other.structuredContent.refused as { kind: string }).kind, 'host-not-named', 'the user\'s credentials never go to a host only the settings name');
  await closeSession(wildcard, 'wildcard');
  assert.deepEqual(writes(mark), []);

  const named = await session(['--allow-push', 'sandbox PRODUCTION']);
  const namedPlan = await named.call(TOOL_NAMES.plan, { paths: ['series/summer.coupon.json'], environment: 'Sandbox production' });
  const pushed = await named.call(TOOL_NAMES.push, { paths: ['series/summer.coupon.json'], environment: 'Sandbox production', planToken: namedPlan.structuredContent.planToken as string });
  assert.deepEqual(pushed.structuredContent.counts, { created: 1, updated: 0, upToDate: 0, failed: 0 });
  assert.equal(pushed.structuredContent.key, `${SANDBOX_SECOND_ORG_ID}@127.0.0.1:${sandbox.port}`);
  await closeSession(named, 'named protected');
});

test('coupon_pull: by id into a new file, naming the file that already holds it, never over another series\' file; by path only without local changes', async () => {
  const mcp = await session([]);
  const summer = JSON.parse(await readFile(path.join(workspace.dir, 'series', 'summer.coupon.json'), 'utf8')) as { deployments: Record<string, { id: number }> };
  const id = summer.deployments[`${SANDBOX_DEFAULT_ORG_ID}@127.0.0.1:${sandbox.port}`].id;
  await mkdir(path.join(workspace.dir, 'pulled'));
  // Another series' file holds the name <id>.coupon.json already.
  const squatter = series('Another series');
  await writeFile(path.join(workspace.dir, 'pulled', `${id}.coupon.json`), squatter);

  const pulled = await mcp.call(TOOL_NAMES.pull, { id, folder: 'pulled', environment: 'Local sandbox' });
  assert.equal(pulled.isError, false, JSON.stringify(pulled.structuredContent));
  assert.equal(pulled.structuredContent.file, `pulled/${id}-2.coupon.json`);
  assert.equal(pulled.structuredContent.written, true);
  assert.equal(await readFile(path.join(workspace.dir, 'pulled', `${id}.coupon.json`), 'utf8'), squatter, 'the other series\' file is untouched');
  const again = await mcp.call(TOOL_NAMES.pull, { id, folder: 'pulled', environment: 'Local sandbox' });
  assert.deepEqual([again.structuredContent.file, again.structuredContent.existing, again.structuredContent.written], [`pulled/${id}-2.coupon.json`, true, false]);

  const outsideFolder = await mcp.call(TOOL_NAMES.pull, { id, folder: '..', environment: 'Local sandbox' });
  assert.equal((outsideFolder.structuredContent.refused as { kind: string }).kind, 'outside-root');

  const summerFile = path.join(workspace.dir, 'series', 'summer.coupon.json');
  const text = await readFile(summerFile, 'utf8');
  await writeFile(summerFile, text.replace('"Summer"', '"Summer, not pushed"'));
  const local = await mcp.call(TOOL_NAMES.pull, { path: 'series/summer.coupon.json', environment: 'Local sandbox' });
  assert.equal(local.isError, true);
  assert.match((local.structuredContent.refused as { message: string }).message, /changes not pushed/);
  assert.equal(await readFile(summerFile, 'utf8'), text.replace('"Summer"', '"Summer, not pushed"'), 'the file is untouched');
  await writeFile(summerFile, text);
  const inSync = await mcp.call(TOOL_NAMES.pull, { path: 'series/summer.coupon.json', environment: 'Local sandbox' });
  assert.equal(inSync.structuredContent.id, id);
  await closeSession(mcp, 'pull');
});

test('wrong credentials: the plan says so once, without the password in any output', async () => {
  const wrong = 'not-the-password-9f7a';
  const mcp = await session([], userEnv({ CAPILLARY_PASSWORD: wrong }));
  const plan = await mcp.call(TOOL_NAMES.plan, { paths: ['series'], environment: 'Sandbox production' });
  assert.equal(plan.isError, true);
  const failure = plan.structuredContent.failure as { kind: string; advice: string[]; message: string };
  assert.equal(failure.kind, 'auth');
  assert.deepEqual(failure.advice, ['reenter-credentials']);
  assert.equal(plan.structuredContent.planToken, undefined, 'no token from a plan that could not read the server');
  const { stdout, stderr } = await mcp.close();
  for (const form of [...secretForms(wrong), ...secretForms(md5Hex(wrong))]) {
    assert.ok(!stdout.includes(form) && !stderr.includes(form), `the wrong password shows (${form.slice(0, 4)}…)`);
  }
  outputs.push({ what: 'wrong credentials', stdout, stderr });
});

test('every session wrote only protocol messages on stdout, and no secret in any form on stdout or stderr', () => {
  assert.ok(outputs.length >= 10, `${outputs.length} sessions`);
  const forms = new Set<string>();
  for (const secret of [...SECRET_FORMS, SANDBOX_CLIENT_SECRET, md5Hex(SANDBOX_PASSWORD).toUpperCase()]) for (const form of secretForms(secret)) forms.add(form);
  let messages = 0;
  for (const { what, stdout, stderr } of outputs) {
    messages += assertOnlyProtocolMessages(stdout, what);
    for (const form of forms) {
      assert.ok(!stdout.includes(form), `${what}: stdout shows a secret (${form.slice(0, 4)}…)`);
      assert.ok(!stderr.includes(form), `${what}: stderr shows a secret (${form.slice(0, 4)}…)`);
    }
    assert.match(stderr, /coupon mcp: serving /, `${what}: logs go to stderr`);
  }
  assert.ok(messages > 40, `${messages} protocol messages`);
});
