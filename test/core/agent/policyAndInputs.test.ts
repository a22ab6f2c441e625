/**
 * Who may push (core/src/agent/pushPolicy.ts), what a tool takes
 * (core/src/agent/inputs.ts), and the tool definitions themselves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Ajv from 'ajv';
import { AGENT_TOOLS, AgentEnvironment, AgentRefusal, languageModelToolsManifest, parsePushPolicy, pushAllowedAnywhere, pushPermission, TOOL_NAMES } from '../../../core/src/agent';
import { checkInput } from '../../../core/src/agent/inputs';

const environment = (name: string, isProtected = false): AgentEnvironment => ({ name, host: 'example', protected: isProtected, credentials: 'variables' });

test('push policy: only the environments named; "*" every one not protected; a protected one only by its own name, in any case', () => {
  const none = parsePushPolicy([undefined, '']);
  assert.equal(pushAllowedAnywhere(none), false);
  assert.equal(pushPermission(none, environment('Local sandbox')).allowed, false);

  const named = parsePushPolicy(['EU staging, Local sandbox', undefined]);
  assert.deepEqual(named.names, ['EU staging', 'Local sandbox']);
  assert.equal(pushPermission(named, environment('eu STAGING')).allowed, true);
  assert.equal(pushPermission(named, environment('EU production', true)).allowed, false);

  const every = parsePushPolicy(['*']);
  assert.equal(pushPermission(every, environment('Anything')).allowed, true);
  const refused = pushPermission(every, environment('EU production', true));
  assert.equal(refused.allowed, false);
  assert.match(refused.reason ?? '', /protected.*"\*" allows only environments that are not protected/);
  assert.equal(pushPermission(parsePushPolicy(['*', 'EU production']), environment('EU production', true)).allowed, true);
});

function refusalOf(work: () => unknown): AgentRefusal {
  try {
    work();
  } catch (error) {
    if (error instanceof AgentRefusal) return error;
    throw error;
  }
  assert.fail('no refusal');
}

test('inputs are checked against the tool\'s own input schema: types, required fields, unknown fields, sizes', () => {
  const plan = AGENT_TOOLS.find((tool) => tool.name === TOOL_NAMES.plan)!.inputSchema;
  assert.deepEqual(checkInput(plan, { paths: ['a'], environment: 'x' }), { paths: ['a'], environment: 'x' });
  const cases: [unknown, RegExp][] = [
    [{ environment: 'x' }, /paths is required/],
    [{ paths: 'a', environment: 'x' }, /paths must be an array, not string/],
    [{ paths: [], environment: 'x' }, /paths needs at least 1 item/],
    [{ paths: [1], environment: 'x' }, /paths\[0\] must be a string, not integer/],
    [{ paths: ['a'], environment: 'x', force: true }, /force is not an input of this tool \(it takes paths, environment\)/],
    [{ paths: new Array(201).fill('a'), environment: 'x' }, /paths has more than 200 items/],
    [{ paths: ['a'], environment: 'x'.repeat(201) }, /environment is longer than 200 characters/],
    ['text', /input must be an object, not string/],
  ];
  for (const [input, said] of cases) {
    const refusal = refusalOf(() => checkInput(plan, input));
    assert.equal(refusal.kind, 'invalid-input');
    assert.match(refusal.message, said);
  }
  const pull = AGENT_TOOLS.find((tool) => tool.name === TOOL_NAMES.pull)!.inputSchema;
  assert.match(refusalOf(() => checkInput(pull, { id: 0, environment: 'x' })).message, /id must be at least 1/);
  assert.match(refusalOf(() => checkInput(pull, { id: 1.5, environment: 'x' })).message, /id must be an integer, not number/);
});

test('the definitions: names VS Code accepts, output schemas that compile, annotations that match what a tool writes', () => {
  const ajv = new Ajv({ strict: false });
  for (const tool of AGENT_TOOLS) {
    assert.match(tool.name, /^(?!copilot_|vscode_)[\w-]+$/, `${tool.name}: VS Code reserves copilot_ and vscode_`);
    assert.equal((tool.inputSchema as { type: string }).type, 'object');
    assert.equal((tool.outputSchema as { type: string }).type, 'object', 'MCP wants an object');
    ajv.compile(tool.inputSchema);
    const validate = ajv.compile(tool.outputSchema);
    assert.ok(validate({ refused: { kind: 'x', message: 'y' } }), `${tool.name}: a refusal fits its output schema`);
    assert.ok(!validate({}), `${tool.name}: an empty result does not`);
    const { readOnlyHint, destructiveHint } = tool.annotations;
    assert.equal(readOnlyHint, tool.writes === 'nothing', `${tool.name}: readOnlyHint`);
    if (tool.writes === 'server') assert.equal(destructiveHint, true, `${tool.name}: destructiveHint`);
  }
  const manifest = languageModelToolsManifest();
  assert.deepEqual(manifest.map((tool) => tool.name), Object.values(TOOL_NAMES));
  for (const tool of manifest) assert.ok(tool.displayName && tool.modelDescription && tool.toolReferenceName, `${tool.name}: what VS Code requires`);
});
