/** Plan tokens (core/src/agent/planToken.ts): one plan, one token; any change to a file or to a series on the server, another. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPlanTokens, planDifferences, PlanFacts, planFacts } from '../../../core/src/agent/planToken';
import type { Plan } from '../../../core/src/engine';

const SERVER = { id: 1001, orgId: 100458, seriesCode: 'ABC', description: 'Summer', discountType: 'ABS', discountValue: 10, validTillDate: '2030-01-01T00:00:00Z' };

function plan(files: { file: string; state: Plan['files'][number]['state']; action: 'create' | 'update' | 'none'; server?: Record<string, unknown> }[]): Plan {
  return {
    key: '100458@127.0.0.1:1',
    counts: { create: 0, update: 0, none: 0, cannot: 0 },
    files: files.map((file) => ({
      file: file.file,
      environment: 'Local sandbox',
      state: file.state,
      action: file.action,
      migratesLegacyIds: false,
      locallyChanged: false,
      drifted: false,
      changes: [],
      notReturned: [],
      ...(file.server ? { server: file.server as never, deployment: { id: file.server.id as number, orgId: 100458 } } : {}),
    })),
  };
}

const ENVIRONMENT = { name: 'Local sandbox', host: '127.0.0.1:1' };
const INPUTS = [
  { file: 'a.coupon.json', text: '{"CouponSeriesV2": {"description": "A"}}' },
  { file: 'b.coupon.json', text: '{"CouponSeriesV2": {"description": "B"}}' },
];
const PLAN = plan([
  { file: 'a.coupon.json', state: 'not-created', action: 'create' },
  { file: 'b.coupon.json', state: 'changed', action: 'update', server: SERVER },
]);

test('the same plan gives the same token; the token names no file, text or secret', () => {
  const tokens = createPlanTokens();
  const facts = planFacts(ENVIRONMENT, INPUTS, PLAN);
  const token = tokens.issue(facts);
  assert.match(token, /^plan-[A-Za-z0-9_-]{43}$/);
  assert.equal(tokens.issue(planFacts(ENVIRONMENT, INPUTS, PLAN)), token);
  assert.ok(tokens.matches(token, planFacts(ENVIRONMENT, INPUTS, PLAN)));
  assert.deepEqual(tokens.factsOf(token), facts);
});

test('a changed text, server series, state, environment or file list gives another token, and says what changed', () => {
  const tokens = createPlanTokens();
  const before = planFacts(ENVIRONMENT, INPUTS, PLAN);
  const token = tokens.issue(before);
  const cases: [string, PlanFacts, RegExp][] = [
    ['text', planFacts(ENVIRONMENT, [INPUTS[0], { ...INPUTS[1], text: `${INPUTS[1].text} ` }], PLAN), /^b\.coupon\.json changed since the plan$/],
    [
      'server',
      planFacts(ENVIRONMENT, INPUTS, plan([{ file: 'a.coupon.json', state: 'not-created', action: 'create' }, { file: 'b.coupon.json', state: 'changed', action: 'update', server: { ...SERVER, discountValue: 11 } }])),
      /^the series of b\.coupon\.json changed on the server since the plan$/,
    ],
    [
      'state',
      planFacts(ENVIRONMENT, INPUTS, plan([{ file: 'a.coupon.json', state: 'unreachable', action: 'none' }, { file: 'b.coupon.json', state: 'changed', action: 'update', server: SERVER }])),
      /^a\.coupon\.json is now unreachable \(was not-created\)$/,
    ],
    ['environment', planFacts({ name: 'EU staging', host: 'eu.example' }, INPUTS, PLAN), /^the plan was for Local sandbox, not EU staging$/],
    ['fewer files', planFacts(ENVIRONMENT, [INPUTS[0]], plan([{ file: 'a.coupon.json', state: 'not-created', action: 'create' }])), /^b\.coupon\.json was planned but is not among the files now$/],
  ];
  for (const [what, now, said] of cases) {
    assert.ok(!tokens.matches(token, now), `${what}: the token still matches`);
    const differences = planDifferences(before, now);
    assert.equal(differences.length, 1, `${what}: ${differences.join('; ')}`);
    assert.match(differences[0], said, what);
  }
  // A server answer re-spelled (a date in UTC) is no change: the engine's server fingerprint judges by meaning.
  const respelled = planFacts(ENVIRONMENT, INPUTS, plan([{ file: 'a.coupon.json', state: 'not-created', action: 'create' }, { file: 'b.coupon.json', state: 'changed', action: 'update', server: { ...SERVER, validTillDate: '2030-01-01T05:30:00+05:30' } }]));
  assert.ok(tokens.matches(token, respelled));
});

test('tokens are keyed by the session: another session\'s token never matches, and a session remembers its last plans only', () => {
  const facts = planFacts(ENVIRONMENT, INPUTS, PLAN);
  const one = createPlanTokens(Buffer.alloc(32, 1));
  const other = createPlanTokens(Buffer.alloc(32, 2));
  assert.notEqual(one.issue(facts), other.issue(facts));
  assert.ok(!other.matches(one.issue(facts), facts));
  const first = one.issue(planFacts(ENVIRONMENT, [{ file: 'first.coupon.json', text: '' }], plan([{ file: 'first.coupon.json', state: 'not-created', action: 'create' }])));
  for (let index = 0; index < 100; index++) one.issue(planFacts(ENVIRONMENT, [{ file: `${index}.coupon.json`, text: '' }], plan([{ file: `${index}.coupon.json`, state: 'not-created', action: 'create' }])));
  assert.equal(one.factsOf(first), undefined, 'the oldest plan is forgotten');
});
