/**
 * The client's logic that needs no workbench: how the editor words the
 * engine's advice (buttons for the environment a failure names), the
 * questions before sending, and the code lenses (the series Update sends to).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editorAdviceFor } from '../../client/src/advice';
import { COMMAND_IDS } from '../../client/src/commandIds';
import { lensCommands } from '../../client/src/lensCommands';
import { batchQuestion, detailOf, questionText } from '../../client/src/sendQuestions';
import { AdviceId, EngineProblem, failureOf, Plan, SendQuestion } from '../../core/src/engine';
import { CouponApiError } from '../../core/src/api';
import type { Environment } from '../../core/src/environments';

const production: Environment = { name: 'Sandbox production', host: 'http://127.0.0.1:47631', auth: 'basic', username: 'sandbox.user2', orgId: 100459, protected: true };
const sandbox: Environment = { name: 'Local sandbox', host: 'http://127.0.0.1:47631', auth: 'basic', username: 'sandbox.user', orgId: 100458 };

test('a refused credential offers to enter it again for the environment the failure names, not the active one', () => {
  const advice = editorAdviceFor(failureOf(new CouponApiError('auth', 'Authentication failed (401) on Sandbox production.'), production));
  assert.deepEqual(advice.buttons.map((button) => [button.label, button.action.kind]), [['Enter Credentials for Sandbox production Again', 'set-credentials']]);
  assert.match(advice.message, /^Authentication failed \(401\) on Sandbox production\. The credentials stored for Sandbox production were refused: enter them again\.$/);
  assert.deepEqual(editorAdviceFor(failureOf(new CouponApiError('auth', 'refused'), sandbox)).buttons, [], 'the sandbox\'s demo credentials cannot be entered again');
});

test('every advice id the engine can give has the editor\'s words; buttons only where there is something to do', () => {
  const ids: AdviceId[] = ['fix-errors', 'create-first', 'update-instead', 'recreate', 'compare-then-overwrite', 'set-org-id', 'set-credentials', 'reenter-credentials', 'check-access', 'choose-another-file', 'save-file', 'raise-timeout', 'start-sandbox', 'check-host', 'trust-ca', 'proxy-credentials', 'retry-later'];
  for (const id of ids) {
    const advice = editorAdviceFor({ kind: 'x', message: 'It failed.', environment: production, advice: [id], diagnostics: [], cancelled: false });
    assert.ok(advice.message.length > 'It failed.'.length, `${id} adds a sentence`);
  }
  const settings = editorAdviceFor(failureOf(new EngineProblem('ambiguous', 'No orgId.'), production));
  assert.deepEqual(settings.buttons.map((button) => button.action), [{ kind: 'open-settings', setting: 'couponSeries.environments' }]);
});

function question(overrides: Partial<SendQuestion>): SendQuestion {
  return { action: 'update', environment: production, file: '/w/diwali.coupon.json', id: 1003, drifted: false, replacesMissing: false, changes: [], warnings: [], ...overrides };
}

test('the question before sending says what will happen, where, and whether it is protected', () => {
  assert.deepEqual(questionText(question({})), { message: 'Update series 1003 from diwali.coupon.json on Sandbox production (protected)?', button: 'Update' });
  assert.deepEqual(questionText(question({ action: 'create', id: undefined })), { message: 'Create diwali.coupon.json on Sandbox production (protected)?', button: 'Create' });
  assert.equal(questionText(question({ drifted: true, changes: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })).message, 'Series 1003 on Sandbox production was changed on the server since diwali.coupon.json was last pushed (a, b, c, d, e, f, …). Overwrite the server\'s changes?');
  assert.equal(questionText(question({ replacesMissing: true, action: 'create' })).button, 'Create as New Series');
  assert.match(detailOf(production, ['may reset productInfo']), /^http:\/\/127\.0\.0\.1:47631, org 100459\n\nmay reset productInfo\n\nThis environment is marked protected: every send to it asks first\.$/);
  assert.match(detailOf(sandbox, []), /Turn this question off with the user setting couponSeries\.confirmBeforeSending\./);
  const plan = { files: [{}, {}, {}], counts: { create: 1, update: 1, none: 1, cannot: 0 } } as unknown as Plan;
  assert.equal(batchQuestion(plan, production), 'Push to Sandbox production (protected): create 1, update 1 of 3 files?');
});

test('the code lens names the series Update sends to, and no id when only the server can tell', () => {
  const titles = (...args: Parameters<typeof lensCommands>) => lensCommands(...args).map((lens) => `${lens.title} → ${lens.command}`);
  assert.deepEqual(titles({ kind: 'none' }, 'EU'), [`$(cloud-upload) Create on EU → ${COMMAND_IDS.create}`, `$(cloud) Push to Environment… → ${COMMAND_IDS.push}`]);
  assert.deepEqual(titles({ kind: 'recorded', key: '1@h', deployment: { id: 7, orgId: 1 } }, 'EU')[0], `$(sync) Update series 7 on EU → ${COMMAND_IDS.update}`);
  const candidates = { kind: 'candidates' as const, records: [['1@h', { id: 7, orgId: 1 }], ['2@h', { id: 9, orgId: 2 }]] as [string, { id: number; orgId: number }][] };
  assert.equal(titles(candidates, 'EU')[0], `$(sync) Update on EU → ${COMMAND_IDS.update}`);
  assert.equal(titles(candidates, 'EU', 9)[0], `$(sync) Update series 9 on EU → ${COMMAND_IDS.update}`, 'the view\'s plan (the server\'s answer) names it');
});
