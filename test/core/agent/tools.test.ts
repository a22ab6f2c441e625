/**
 * The agent tools in this process (core/src/agent), on the Node host that
 * `coupon mcp` uses: paths kept inside the root, validate and explain from
 * the project's own validator, quick fixes and metadata, plan and push
 * against a sandbox, and what the editor's question says before a push or pull.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { AGENT_TOOLS, AgentHost, AgentTools, createAgentTools, parsePushPolicy, TOOL_NAMES } from '../../../core/src/agent';
import { MAX_FILES } from '../../../core/src/agent/tools';
import { explainField, explainIndex, explainRule, ruleFacts } from '../../../core/src/agent/explain';
import { MAX_PROBLEMS, problemsOf } from '../../../core/src/agent/validate';
import { DIAGNOSTIC_CODES } from '../../../core/src/rules/index';
import { resolveInsideRoot, workspaceRoot } from '../../../core/src/node/workspacePaths';
import { QUICK_FIX_CODES } from '../../../core/src/quickFixes';
import { Sandbox, SANDBOX_DEFAULT_ORG_ID, SANDBOX_PASSWORD, SANDBOX_SECOND_ORG_ID, SANDBOX_SECOND_ORG_USERNAME, startSandbox } from '../../../core/src/sandbox';
import { createMcpHost } from '../../../cli/src/mcp/host';
import { vendorExample } from '../../support/testUtil';

let sandbox: Sandbox;
let root: string;
let outside: string;
let host: AgentHost;
let tools: AgentTools;
const logged: string[] = [];

before(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  root = await workspaceRoot(await mkdtemp(path.join(tmpdir(), 'coupon-agent-')));
  outside = await mkdtemp(path.join(tmpdir(), 'coupon-agent-outside-'));
  await mkdir(path.join(root, '.vscode'));
  await writeFile(
    path.join(root, '.vscode', 'settings.json'),
    JSON.stringify({
      'couponSeries.sandboxPort': sandbox.port,
      'couponSeries.environments': [{ name: 'Sandbox production', host: sandbox.url, auth: 'basic', username: SANDBOX_SECOND_ORG_USERNAME, orgId: SANDBOX_SECOND_ORG_ID, protected: true }],
    }),
  );
  await writeFile(path.join(root, 'a.coupon.json'), vendorExample());
  await writeFile(path.join(outside, 'b.coupon.json'), vendorExample());
  await symlink(outside, path.join(root, 'elsewhere'));
  host = createMcpHost({ root, env: { CAPILLARY_PASSWORD: SANDBOX_PASSWORD, CAPILLARY_HOST: `127.0.0.1:${sandbox.port}` }, policy: parsePushPolicy(['Local sandbox']), readOnly: false, request: {}, onSecrets: () => {}, log: (line) => logged.push(line) });
  tools = createAgentTools(host, { pushOffered: true });
});

after(async () => {
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

test('resolveInsideRoot: inside as named or through a link that stays inside; outside by .., by an absolute path, or through a link', async () => {
  await mkdir(path.join(root, 'inner'), { recursive: true });
  await symlink(path.join(root, 'inner'), path.join(root, 'alias'));
  const inside = await resolveInsideRoot(root, 'alias/new.coupon.json');
  assert.deepEqual(inside, { inside: true, path: path.join(root, 'inner', 'new.coupon.json'), relative: 'inner/new.coupon.json' });
  assert.deepEqual(await resolveInsideRoot(root, '.'), { inside: true, path: root, relative: '.' });
  for (const input of ['..', '../x.coupon.json', 'inner/../../x', path.join(outside, 'b.coupon.json'), 'elsewhere/b.coupon.json', 'elsewhere/missing/new.coupon.json', 'a\0b']) {
    const resolved = await resolveInsideRoot(root, input);
    assert.equal(resolved.inside, false, input);
  }
  await symlink(path.join(outside, 'gone'), path.join(root, 'dangling.coupon.json'));
  assert.equal((await resolveInsideRoot(root, 'dangling.coupon.json')).inside, false, 'a dangling link is not followed');
});

test('ruleFacts (the one adapter to the rule metadata) covers every code; explain tells severity, source, the docs\' words or why inferred, and how to fix', () => {
  assert.deepEqual(ruleFacts().map((facts) => facts.code), Object.keys(DIAGNOSTIC_CODES));
  for (const facts of ruleFacts()) {
    const rule = explainRule(facts.code);
    assert.ok(rule.catches.length > 10 && rule.howToFix.length > 10, facts.code);
    if (rule.source === 'vendor docs') assert.ok(rule.quotes.length > 0, `${facts.code}: a documented rule quotes the docs`);
    if (rule.source === 'inferred') assert.ok(rule.whyInferred, `${facts.code}: an inferred rule says why`);
    assert.equal(rule.quickFix, QUICK_FIX_CODES.includes(facts.code), facts.code);
  }
  assert.match(explainRule('percent-over-100').howToFix, /warning/);
  assert.match(explainRule('unknown-enum-value').howToFix, /quick fix/);
  const limit = explainField('redemptionPerCouponMaxLimit');
  assert.equal(limit.unlimitedValue, -1);
  assert.equal(limit.type, 'integer | null');
  assert.deepEqual(limit.example, 5);
  const nested = explainField('productInfo.productType');
  assert.deepEqual(nested.path, ['CouponSeriesV2', 'productInfo', '0', 'productType']);
  assert.ok(nested.allowedValues?.some((allowed) => allowed.value === 'SKU'));
  assert.deepEqual(explainField('productInfo').fields, ['productType', 'productIds']);
  assert.ok(explainField('deployments').meaning.length > 0);
  assert.throws(() => explainField('discountTyp'), /Did you mean "discountType"/);
  assert.equal(explainIndex().rules.length, Object.keys(DIAGNOSTIC_CODES).length);
});

test('problemsOf: 1-based ranges, quick fixes as 1-based edits, counts of all and a bounded list', () => {
  const text = vendorExample().replace('"discountType": "ABS"', '"discountType": "PERCENT"');
  const { problems, counts } = problemsOf(text);
  const problem = problems.find((candidate) => candidate.code === 'unknown-enum-value');
  assert.ok(problem);
  const lines = text.split('\n');
  assert.equal(lines[problem.line - 1].slice(problem.column - 1, problem.endColumn - 1), '"PERCENT"');
  assert.deepEqual(problem.fixes?.[0].edits, [{ line: problem.line, column: problem.column, endLine: problem.endLine, endColumn: problem.endColumn, newText: '"PERC"' }]);
  assert.equal(counts.errors, problems.filter((candidate) => candidate.severity === 'error').length);
  const many = `{"CouponSeriesV2": {${Array.from({ length: MAX_PROBLEMS + 50 }, (_, index) => `"unknownField${index}": 1`).join(', ')}}}`;
  const bounded = problemsOf(many);
  assert.equal(bounded.problems.length, MAX_PROBLEMS);
  assert.equal(bounded.truncated, true);
  assert.ok(bounded.counts.warnings >= MAX_PROBLEMS + 50);
});

test('validate by path reads inside the root only; explain needs no workspace', async () => {
  const valid = await tools.call(TOOL_NAMES.validate, { path: 'a.coupon.json' });
  assert.equal(valid.isError, false);
  assert.equal(valid.structured.file, 'a.coupon.json');
  for (const input of ['elsewhere/b.coupon.json', path.join(outside, 'b.coupon.json')]) {
    const refused = await tools.call(TOOL_NAMES.validate, { path: input });
    assert.equal((refused.structured.refused as { kind: string }).kind, 'outside-root', input);
  }
  const both = await tools.call(TOOL_NAMES.validate, { path: 'a.coupon.json', content: '{}' });
  assert.equal((both.structured.refused as { kind: string }).kind, 'invalid-input');
  const missing = await tools.call(TOOL_NAMES.validate, { path: 'missing.coupon.json' });
  assert.equal((missing.structured.refused as { kind: string }).kind, 'not-found');
  const index = await tools.call(TOOL_NAMES.explain, {});
  assert.ok((index.structured.fields as string[]).includes('discountType'));
});

test('plans: a folder through a link out of the root is refused; the editor\'s question before a push shows the environment, org and each file\'s action', async () => {
  const refused = await tools.call(TOOL_NAMES.plan, { paths: ['elsewhere'], environment: 'Local sandbox' });
  assert.equal((refused.structured.refused as { kind: string }).kind, 'outside-root');
  const glob = await tools.call(TOOL_NAMES.plan, { paths: ['../**/*.coupon.json'], environment: 'Local sandbox' });
  assert.equal((glob.structured.refused as { kind: string }).kind, 'outside-root');
  const unknown = await tools.call(TOOL_NAMES.plan, { paths: ['.'], environment: 'Nowhere' });
  assert.match((unknown.structured.refused as { message: string }).message, /No environment is named "Nowhere". Known: "Local sandbox", "Sandbox production"/);

  const plan = await tools.call(TOOL_NAMES.plan, { paths: ['a.coupon.json'], environment: 'Local sandbox' });
  const token = plan.structured.planToken as string;
  const before = sandbox.state().seriesCount;
  const question = await tools.prepare(TOOL_NAMES.push, { paths: ['a.coupon.json'], environment: 'Local sandbox', planToken: token });
  assert.equal(question.confirmation?.title, 'Push to Local sandbox?');
  assert.match(question.confirmation?.message ?? '', new RegExp(`Environment: Local sandbox \\(127\\.0\\.0\\.1:${sandbox.port}, org ${SANDBOX_DEFAULT_ORG_ID}; the sandbox's demo user\\)`));
  assert.match(question.confirmation?.message ?? '', /- a\.coupon\.json: create\n/);
  assert.match(question.confirmation?.message ?? '', /This is the plan the token was made from\./);
  assert.equal(sandbox.state().seriesCount, before, 'preparing sends nothing');
  const stale = await tools.prepare(TOOL_NAMES.push, { paths: ['a.coupon.json'], environment: 'Local sandbox', planToken: 'plan-other' });
  assert.match(stale.confirmation?.message ?? '', /It will be refused: The planToken is not one of this session's plans/);
  assert.equal((await tools.prepare(TOOL_NAMES.validate, { path: 'a.coupon.json' })).confirmation, undefined, 'validate does not ask');

  const pushed = await tools.call(TOOL_NAMES.push, { paths: ['a.coupon.json'], environment: 'Local sandbox', planToken: token });
  assert.deepEqual(pushed.structured.counts, { created: 1, updated: 0, upToDate: 0, failed: 0 });
  const id = (pushed.structured.files as { id: number }[])[0].id;
  const pull = await tools.prepare(TOOL_NAMES.pull, { path: 'a.coupon.json', environment: 'Local sandbox' });
  assert.equal(pull.confirmation?.title, 'Pull from Local sandbox?');
  assert.match(pull.confirmation?.message ?? '', new RegExp(`Bring a\\.coupon\\.json up to date with series ${id} on Local sandbox .*: no field differs\\.`));
  const byId = await tools.prepare(TOOL_NAMES.pull, { id, environment: 'Local sandbox' });
  assert.match(byId.confirmation?.message ?? '', new RegExp(`Fetch series ${id} from Local sandbox .* into the workspace root/${id}\\.coupon\\.json`));
  assert.ok(logged.some((line) => /^sending to Local sandbox/.test(line)), 'where it sends is said on the log');
});

test('read-only: the tools that write are neither offered nor run', async () => {
  const readOnly = createAgentTools({ ...host, readOnly: true }, { pushOffered: false });
  assert.deepEqual(readOnly.offered().map((tool) => tool.name), AGENT_TOOLS.filter((tool) => tool.writes === 'nothing').map((tool) => tool.name));
  const files = await readdir(root);
  const requests = sandbox.requests().length;
  const pull = await readOnly.call(TOOL_NAMES.pull, { id: 1, environment: 'Local sandbox' });
  assert.equal((pull.structured.refused as { kind: string }).kind, 'read-only');
  const push = await readOnly.call(TOOL_NAMES.push, { paths: ['a.coupon.json'], environment: 'Local sandbox', planToken: 'plan-x' });
  assert.equal((push.structured.refused as { kind: string }).kind, 'read-only');
  assert.deepEqual(await readdir(root), files, 'no file written');
  assert.equal(sandbox.requests().length, requests, 'nothing asked of the server');
});

test('Restricted Mode (the editor\'s sendingBlocked): plan, push and pull send nothing and read no credentials; validate and explain still work', async () => {
  let connected = 0;
  const restricted = createAgentTools({ ...host, sendingBlocked: () => 'Restricted Mode.', connect: async (environment) => (connected++, host.connect(environment)) }, { pushOffered: true });
  const requests = sandbox.requests().length;
  for (const [name, input] of [
    [TOOL_NAMES.plan, { paths: ['a.coupon.json'], environment: 'Local sandbox' }],
    [TOOL_NAMES.push, { paths: ['a.coupon.json'], environment: 'Local sandbox', planToken: 'plan-x' }],
    [TOOL_NAMES.pull, { id: 1, environment: 'Local sandbox' }],
  ] as const) {
    const result = await restricted.call(name, input);
    assert.equal(result.isError, true, name);
    assert.match(result.text, /Restricted Mode/, name);
  }
  assert.equal(connected, 0, 'no connection was opened');
  assert.equal(sandbox.requests().length, requests);
  assert.equal((await restricted.call(TOOL_NAMES.validate, { path: 'a.coupon.json' })).isError, false);
  assert.equal((await restricted.call(TOOL_NAMES.explain, { field: 'discountType' })).isError, false);
});

test('a push to a protected environment asks the host first (the editor\'s modal question), with the plan; "no" sends nothing', async () => {
  await writeFile(path.join(root, 'prod.coupon.json'), vendorExample());
  const asked: string[] = [];
  let answer = false;
  const editorLike = createAgentTools(
    {
      ...host,
      pushPermission: () => ({ allowed: true }),
      confirmProtectedPush: async (environment, summary) => {
        asked.push(`${environment.name}\n${summary}`);
        return answer;
      },
    },
    { pushOffered: true },
  );
  const input = { paths: ['prod.coupon.json'], environment: 'Sandbox production' };
  const before = sandbox.state().seriesCount;
  const declined = await editorLike.call(TOOL_NAMES.push, { ...input, planToken: (await editorLike.call(TOOL_NAMES.plan, input)).structured.planToken });
  assert.equal((declined.structured.refused as { kind: string }).kind, 'cancelled');
  assert.equal(sandbox.state().seriesCount, before, 'nothing was sent');
  assert.match(asked[0], new RegExp(`^Sandbox production\nPlan for Sandbox production \\(${SANDBOX_SECOND_ORG_ID}@127\\.0\\.0\\.1:${sandbox.port}, protected\\):\n- prod\\.coupon\\.json: create\n`));
  answer = true;
  const pushed = await editorLike.call(TOOL_NAMES.push, { ...input, planToken: (await editorLike.call(TOOL_NAMES.plan, input)).structured.planToken });
  assert.deepEqual(pushed.structured.counts, { created: 1, updated: 0, upToDate: 0, failed: 0 });
  assert.equal(asked.length, 2);
  // Nothing to send: not asked.
  await editorLike.call(TOOL_NAMES.push, { ...input, planToken: (await editorLike.call(TOOL_NAMES.plan, input)).structured.planToken });
  assert.equal(asked.length, 2);
});

test('a plan of more files than one plan takes is refused before anything is read', async () => {
  const many = path.join(root, 'many');
  await mkdir(many);
  await Promise.all(Array.from({ length: MAX_FILES + 1 }, (_, index) => writeFile(path.join(many, `${index}.coupon.json`), '{}')));
  const requests = sandbox.requests().length;
  const refused = await tools.call(TOOL_NAMES.plan, { paths: ['many'], environment: 'Local sandbox' });
  assert.equal((refused.structured.refused as { kind: string }).kind, 'too-many-files');
  assert.equal(sandbox.requests().length, requests);
  await rm(many, { recursive: true });
});

test('a file too large to be a coupon file: plan, push and validate refuse it by name, before anything is sent', async () => {
  const big = path.join(root, 'big.coupon.json');
  await writeFile(big, `{"CouponSeriesV2": {"description": "${'x'.repeat(5 * 1024 * 1024)}"}}`);
  try {
    const requests = sandbox.requests().length;
    const calls = [
      tools.call(TOOL_NAMES.plan, { paths: ['big.coupon.json'], environment: 'Local sandbox' }),
      tools.call(TOOL_NAMES.push, { paths: ['big.coupon.json'], environment: 'Local sandbox', planToken: 'none' }),
      tools.call(TOOL_NAMES.validate, { path: 'big.coupon.json' }),
    ];
    for (const answer of await Promise.all(calls)) {
      const refused = answer.structured.refused as { kind: string; message: string };
      assert.equal(refused.kind, 'unreadable', JSON.stringify(answer.structured));
      assert.match(refused.message, /big\.coupon\.json cannot be read: big\.coupon\.json is 5\.0 MB/);
    }
    assert.equal(sandbox.requests().length, requests);
  } finally {
    await rm(big);
  }
});
