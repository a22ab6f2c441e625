/**
 * The schema any tool can load: schemas/coupon-series.schema.json, read from
 * disk and compiled by plain validators with no project code (Ajv in strict
 * mode, and vscode-json-languageservice), is current with its annotated source,
 * holds draft-07 keywords only, accepts the docs' examples and rejects what the
 * docs say the API rejects.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { ANNOTATED_SCHEMA, STRICT_SCHEMA, strictSchemaText } from '../../scripts/generate';
import { fixture } from '../support/testUtil';
import { jsonExamples } from '../support/vendorDocs';

const strictText = readFileSync(STRICT_SCHEMA, 'utf8');
const strict = JSON.parse(strictText) as Record<string, unknown>;
const validate = new Ajv({ strict: true, allErrors: true }).compile(strict);

type Json = Record<string, unknown>;
const [createExample, responseExample] = jsonExamples('create') as [{ CouponSeriesV2: Json }, Json];

function withSeries(edit: (series: Json) => void, file: Json = {}): Json {
  const series = structuredClone(createExample.CouponSeriesV2);
  edit(series);
  return { ...file, CouponSeriesV2: series };
}

const DEPLOYED = { '100458@eu.api.capillarytech.com': { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458 } };

describe('the strict schema', () => {
  test('is current: generated from the annotated source (npm run generate)', () => {
    assert.equal(strictText, strictSchemaText(readFileSync(ANNOTATED_SCHEMA, 'utf8')), 'schemas/coupon-series.schema.json is not current: run npm run generate');
  });

  test("compiles with new Ajv({ strict: true }) and uses draft-07's keywords only", () => {
    const keywords = new Set<string>();
    const visit = (node: unknown, isMap: boolean): void => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) {
        if (Array.isArray(node)) node.forEach((item) => visit(item, false));
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        if (!isMap) keywords.add(key);
        if (['enum', 'const', 'examples', 'default', 'required'].includes(key) && !isMap) continue;
        visit(value, !isMap && ['properties', 'definitions', 'patternProperties'].includes(key));
      }
    };
    visit(strict, false);
    assert.deepEqual([...keywords].filter((keyword) => keyword.startsWith('x-') || /markdown|Descriptions|Snippets|errorMessage|doNotSuggest/.test(keyword)), []);
    assert.equal(strict.$schema, 'http://json-schema.org/draft-07/schema#');
  });

  test('names itself by its file name, not by a host that does not serve it', () => {
    assert.equal(strict.$id, path.basename(STRICT_SCHEMA));
  });

  const accepted: [string, unknown][] = [
    ["the docs' create example", createExample],
    ["the docs' create response, pasted under CouponSeriesV2", { CouponSeriesV2: responseExample }],
    ['the update built from the update page', JSON.parse(fixture('valid/update-from-update-page.coupon.json'))],
    ['a create without the update page\'s mandatory fields', withSeries((s) => delete s.discountCode)],
    ['-1 where the docs say only "Integer"', withSeries((s) => Object.assign(s, { maxBillAmount: -1, minBillAmount: -1, maxRedemptionsInSeriesPerUser: -1 }))],
    ['dates with Z, +0530 and fractional seconds', withSeries((s) => Object.assign(s, { validTillDate: '2029-05-09T18:30:00Z', redemptionValidFrom: '2024-05-18T00:00:00.5+0530' }))],
    ['productType ATTRIBUTE and string product ids', withSeries((s) => ((s.productInfo as Json[])[0] = { productType: 'ATTRIBUTE', productIds: ['a1'] }))],
    ['a file with deployments', withSeries(() => undefined, { deployments: DEPLOYED })],
  ];
  for (const [name, document] of accepted) {
    test(`accepts ${name}`, () => assert.equal(validate(document), true, JSON.stringify(validate.errors)));
  }

  const rejected: [string, unknown, string][] = [
    ['GENERIC without genericCode', withSeries((s) => (s.clientHandlingType = 'GENERIC')), 'genericCode'],
    ['a new series without validTillDate', withSeries((s) => delete s.validTillDate), 'validTillDate'],
    ['a deployed series without discountCode', withSeries((s) => delete s.discountCode, { deployments: DEPLOYED }), 'discountCode'],
    ['a legacy id without seriesCode', withSeries((s) => (s.id = 86066)), 'seriesCode'],
    ['1,001 CATEGORY ids', withSeries((s) => ((s.productInfo as Json[])[1] = { productType: 'CATEGORY', productIds: Array.from({ length: 1001 }, (_, i) => i) })), 'maxItems'],
    ['an unknown discountType', withSeries((s) => (s.discountType = 'HALF')), 'enum'],
    ['a string discountValue', withSeries((s) => (s.discountValue = '500')), 'type'],
  ];
  for (const [name, document, expected] of rejected) {
    test(`rejects ${name}`, () => {
      assert.equal(validate(document), false);
      assert.ok(JSON.stringify(validate.errors).includes(expected), JSON.stringify(validate.errors));
    });
  }

  test('vscode-json-languageservice (what $schema users get) agrees on GENERIC', async () => {
    const service = getLanguageService({});
    const problems = async (value: unknown) => {
      const document = TextDocument.create('file:///x.coupon.json', 'json', 1, JSON.stringify(value, null, 2));
      return service.doValidation(document, service.parseJSONDocument(document), { schemaValidation: 'error' }, strict);
    };
    assert.deepEqual(await problems(createExample), []);
    assert.ok((await problems(withSeries((s) => (s.clientHandlingType = 'GENERIC')))).some((problem) => /genericCode/.test(String(problem.message))));
  });
});
