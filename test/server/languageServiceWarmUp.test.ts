/**
 * The language service's warm-up (run by the server right after loading it)
 * and its JSON service's own copy of the schema: neither may change what any
 * request answers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-json-languageservice';
import { createCouponLanguageService } from '../../core/src/languageService';
import { couponSeriesSchema } from '../../core/src/schema';
import { fixture, fixtureNames, NOW, positionAt } from '../support/testUtil';

const schemaAsWritten = JSON.stringify(couponSeriesSchema);
const documentOf = (name: string) => TextDocument.create(`file:///warm/${name}.coupon.json`, 'coupon-json', 1, fixture(name));

test('completing and hovering leave the project schema as written (the JSON service resolves $refs in a copy of its own)', async () => {
  const service = createCouponLanguageService({ validation: { now: NOW } });
  const document = documentOf('valid/vendor-example');
  const text = document.getText();
  await service.complete(document, positionAt(text, text.indexOf('"expiryStrategyType": "') + '"expiryStrategyType": "'.length));
  await service.complete(document, positionAt(text, text.indexOf('"CouponSeriesV2": {') + '"CouponSeriesV2": {'.length));
  service.hover(document, positionAt(text, text.indexOf('"discountType"') + 3));
  assert.ok(JSON.stringify(couponSeriesSchema) === schemaAsWritten, 'the project schema was changed');
});

test('after the warm-up, every fixture gets the diagnostics, completions and hovers a fresh service gives', async () => {
  const warmed = createCouponLanguageService({ validation: { now: NOW } });
  await warmed.warmUp();
  assert.ok(JSON.stringify(couponSeriesSchema) === schemaAsWritten, 'the warm-up changed the project schema');
  for (const name of [...fixtureNames('valid').map((n) => `valid/${n}`), ...fixtureNames('invalid').map((n) => `invalid/${n}`)]) {
    const fresh = createCouponLanguageService({ validation: { now: NOW } });
    const [a, b] = [documentOf(name), documentOf(name)];
    assert.deepEqual(warmed.validate(a), fresh.validate(b), `${name}: diagnostics`);
    const text = a.getText();
    const at = positionAt(text, Math.max(0, text.indexOf('"discountType"') + 3));
    assert.deepEqual(await warmed.complete(a, at), await fresh.complete(b, at), `${name}: completion`);
    assert.deepEqual(warmed.hover(a, at), fresh.hover(b, at), `${name}: hover`);
  }
});
