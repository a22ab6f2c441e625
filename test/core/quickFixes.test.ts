/** Each quick fix, applied to a file with its problem, removes the problem and nothing else (a table of cases). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-json-languageservice';
import { createCouponLanguageService } from '../../core/src/languageService';
import { diagnosticCodes, NOW, vendorExample } from '../support/testUtil';

const service = createCouponLanguageService({ validation: { now: NOW } });

const cases: { name: string; text: () => string; code: string; title: RegExp; after?: (text: string) => string }[] = [
  {
    name: 'add genericCode for GENERIC',
    text: () => vendorExample().replace('"DISC_CODE"', '"GENERIC"'),
    code: 'generic-code-required',
    title: /Add "genericCode"/,
    after: (text) => text.replace('"genericCode": ""', '"genericCode": "DIWALI"'),
  },
  { name: 'expiryStrategyValue 1 for SERIES_EXPIRY', text: () => vendorExample().replace('"expiryStrategyValue": 1', '"expiryStrategyValue": 7'), code: 'expiry-value-series', title: /Set "expiryStrategyValue" to 1/ },
  { name: 'a misspelled property', text: () => vendorExample().replace('"maxBillAmount"', '"maxBilAmount"'), code: 'unknown-property', title: /Change property to "maxBillAmount"/ },
  { name: 'a misspelled enum value', text: () => vendorExample().replace('"discountType": "ABS"', '"discountType": "abs"'), code: 'unknown-enum-value', title: /Change value to "ABS"/ },
  { name: 'a misspelled SMS tag', text: () => vendorExample().replace('{{offer_name}}', '{{ofer_name}}'), code: 'sms-unknown-tag', title: /Change tag to \{\{offer_name\}\}/ },
  {
    name: 'redemptionRange given as an object',
    text: () => vendorExample().replace('"redemptionRange": "{\\"dom\\" : [1], \\"dow\\": [1], \\"hours\\": [1]}"', '"redemptionRange": {"dom": [1], "dow": [1], "hours": [1]}'),
    code: 'wrong-type',
    title: /Convert to the JSON string/,
  },
  { name: 'mutualExclusiveSeriesIds given as an array', text: () => vendorExample().replace('"mutualExclusiveSeriesIds": "[10]"', '"mutualExclusiveSeriesIds": [10, 11]'), code: 'wrong-type', title: /Convert to the JSON string/ },
  { name: 'a server-owned field', text: () => vendorExample().replace('"description"', '"numIssued": 0,\n    "description"'), code: 'read-only-property', title: /Remove server-owned "numIssued"/ },
  { name: 'a date with fractional seconds and no colon in the offset', text: () => vendorExample().replace('"2029-05-10T00:00:00+05:30"', '"2029-05-10T00:00:00.250+0530"'), code: 'date-format-variant', title: /Write the date as 2029-05-10T00:00:00\+05:30/ },
  { name: 'a product id written as a string', text: () => vendorExample().replace(/"productIds": \[\s*30,/, '"productIds": ["30",'), code: 'product-id-type', title: /Write the id as the number 30/ },
  {
    name: 'a misspelled field of a deployment',
    text: () => vendorExample().replace(/\n}\s*$/, ',\n  "deployments": {"100458@eu.api.capillarytech.com": {"id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458, "pushedAT": "2026-11-30T10:15:00Z"}}\n}\n'),
    code: 'deployment-invalid',
    title: /Change property to "pushedAt"/,
  },
];

for (const c of cases) {
  test(`quick fix: ${c.name}`, () => {
    const text = c.text();
    const document = TextDocument.create('file:///fix.coupon.json', 'coupon-json', 1, text);
    const diagnostics = service.validate(document);
    assert.deepEqual(diagnosticCodes(diagnostics), [c.code], 'the case has exactly its problem');
    const [fix, ...others] = service.codeActions(document, diagnostics);
    assert.equal(others.length, 0);
    assert.match(fix.title, c.title);
    const fixed = TextDocument.applyEdits(document, fix.edit?.changes?.[document.uri] ?? []);
    const final = c.after ? c.after(fixed) : fixed;
    assert.deepEqual(diagnosticCodes(service.validate(TextDocument.create('file:///fixed.coupon.json', 'coupon-json', 1, final))), []);
  });
}
