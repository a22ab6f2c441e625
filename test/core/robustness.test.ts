/** Inputs that once hung, crashed or misled the validator, as a table of cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-json-languageservice';
import { closestMatch } from '../../core/src/closestMatch';
import { updateCouponDocument } from '../../core/src/incrementalParse';
import { parseCouponDocument } from '../../core/src/parse';
import { isCouponDocument } from '../../core/src/protocol';
import { validateCouponDocument, validateCouponSeries } from '../../core/src/validate';
import { diagnosticCodes, NOW, vendorExample } from '../support/testUtil';

const cases: { name: string; text: () => string; codes: string[] }[] = [
  { name: 'a 1 MB unknown property name', text: () => vendorExample().replace('"info"', `"${'x'.repeat(1_000_000)}"`), codes: ['unknown-property'] },
  { name: 'a 1 MB enum value', text: () => vendorExample().replace('"ABS"', `"${'A'.repeat(1_000_000)}"`), codes: ['unknown-enum-value'] },
  { name: 'a 1 MB SMS tag', text: () => vendorExample().replace('{{offer_name}}', `{{${'t'.repeat(1_000_000)}}}`), codes: ['sms-unknown-tag'] },
  { name: 'comments (the file is the request body)', text: () => vendorExample().replace('{\n', '{\n  // note\n'), codes: ['json-syntax'] },
  { name: 'a non-positive id', text: () => vendorExample().replace('"description"', '"id": 0, "seriesCode": "X", "description"'), codes: ['out-of-range'] },
  { name: 'an empty genericCode', text: () => vendorExample().replace('"DISC_CODE"', '"GENERIC"').replace('"description"', '"genericCode": "", "description"'), codes: ['out-of-range'] },
  { name: 'a union type message', text: () => vendorExample().replace('"anyUser": false', '"anyUser": true, "redemptionPerCouponMaxLimit": "5"'), codes: ['wrong-type'] },
];

for (const c of cases) {
  test(`validates promptly and clearly: ${c.name}`, () => {
    assert.deepEqual(diagnosticCodes(validateCouponSeries(c.text(), { now: NOW })), c.codes);
  });
}

test('a union type reads as plain English', () => {
  const [problem] = validateCouponSeries(vendorExample().replace('"anyUser": false', '"anyUser": true, "redemptionPerCouponMaxLimit": "5"'), { now: NOW });
  assert.equal(problem.message, '"redemptionPerCouponMaxLimit" must be an integer or null, not a string.');
});

test('closestMatch ignores inputs far longer than any name', () => {
  assert.equal(closestMatch('x'.repeat(100), ['discountType']), undefined);
  assert.equal(closestMatch('discountTpye', ['discountType']), 'discountType');
  assert.equal(closestMatch('PERCENT', ['ABS', 'PERC']), 'PERC');
});

test('renaming a key into a duplicate is seen, as a full parse sees it', () => {
  const text = vendorExample();
  const document = TextDocument.create('file:///d.coupon.json', 'coupon-json', 1, text);
  const before = parseCouponDocument(document);
  const at = text.indexOf('"maxRedeem"') + 1;
  TextDocument.update(document, [{ range: { start: document.positionAt(at), end: document.positionAt(at + 'maxRedeem'.length) }, text: 'maxCreate' }], 2);
  const after = updateCouponDocument(before, document);
  assert.ok(after.syntaxErrors.length > 0, 'the duplicate key is reported');
  assert.deepEqual(diagnosticCodes(validateCouponDocument(after, { now: NOW })), ['duplicate-key']);
});

test('a malformed URI escape does not throw', () => {
  assert.equal(isCouponDocument('file:///a%E0%A4%A.coupon.json', 'json'), true);
  assert.equal(isCouponDocument('file:///a%ZZ.json', 'json'), false);
});
