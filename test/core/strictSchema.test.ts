/**
 * The schema any tool can load: schemas/coupon-series.schema.json, read from
 * disk and compiled by plain validators with no project code (Ajv in strict
 * mode, and vscode-json-languageservice), is current with its annotated source,
 * holds draft-07 keywords only, accepts the docs' examples and what this tool
 * only warns about, and rejects what this tool calls an error wherever draft-07
 * can say it (measured on a corpus of realistic mistakes, test/support/mistakes.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { Diagnostic, DiagnosticSeverity, getLanguageService, MarkupContent, TextDocument } from 'vscode-json-languageservice';
import { validateCouponSeries } from '../../core/src/validate';
import { ANNOTATED_SCHEMA, STRICT_SCHEMA, strictSchemaText } from '../../scripts/strictSchema';
import { BEYOND_DRAFT_07, DOCUMENTED_MISTAKES, INFERRED_MISTAKES, Mistake } from '../support/mistakes';
import { fixture, NOW } from '../support/testUtil';
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
    ['an unknown property and a malformed deployment (this tool only warns)', withSeries((s) => (s.maxBilAmount = 1), { deployments: { 'https://eu.api.capillarytech.com': { id: 0 } } })],
    ['a productInfo entry without productType, with 1,001 ids (not a CATEGORY entry)', withSeries((s) => ((s.productInfo as Json[])[0] = { productIds: Array.from({ length: 1001 }, (_, i) => i) }))],
    ['redemptionPerCouponMaxLimit 5, -1 and null', withSeries((s) => Object.assign(s, { anyUser: true, redemptionPerCouponMaxLimit: 5 }))],
    ['redemptionPerCouponMaxLimit -1', withSeries((s) => (s.redemptionPerCouponMaxLimit = -1))],
    ['redemptionPerCouponMaxLimit null', withSeries((s) => (s.redemptionPerCouponMaxLimit = null))],
    ['JSON in strings, as the docs write it', withSeries((s) => Object.assign(s, { redemptionRange: ' {"dom" : [-1], "dow": [1, 2], "hours": [-1]} ', mutualExclusiveSeriesIds: '[ ]' }))],
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
    ['SERIES_EXPIRY with expiryStrategyValue 30', withSeries((s) => (s.expiryStrategyValue = 30)), 'const'],
    ['redemptionPerCouponMaxLimit 0', withSeries((s) => (s.redemptionPerCouponMaxLimit = 0)), 'anyOf'],
    ['redemptionRange that is not a JSON object', withSeries((s) => (s.redemptionRange = 'dom=1')), 'pattern'],
    ['mutualExclusiveSeriesIds that is not a JSON list of ids', withSeries((s) => (s.mutualExclusiveSeriesIds = '10, 11')), 'pattern'],
  ];
  for (const [name, document, expected] of rejected) {
    test(`rejects ${name}`, () => {
      assert.equal(validate(document), false);
      assert.ok(JSON.stringify(validate.errors).includes(expected), JSON.stringify(validate.errors));
    });
  }

  test('its patterns for the JSON held in strings accept every string this tool accepts', () => {
    const properties = ((strict.definitions as Json).CouponSeriesV2 as { properties: Record<string, { pattern: string }> }).properties;
    const range = new RegExp(properties.redemptionRange.pattern, 'u');
    const ids = new RegExp(properties.mutualExclusiveSeriesIds.pattern, 'u');
    // Every JSON object is a redemptionRange without an error (its keys and values are warnings), every JSON list of whole numbers a list of ids.
    const objects = ['{}', ' { } ', '{"dom": [-1], "dow": [-1], "hours": [-1]}', '{"dom" : [1], "dow": [1], "hours": [1]}', '{\n  "a\\"b": {"c": [1, "}"]}\n}', '{"dow": [6, 7]}', '{"weeks": null}'];
    const lists = ['[]', '[ ]', '[10]', '[-1]', '[10, 11, -1]', ' [0,1e3, 2.0] ', '[\n  10,\n  11\n]'];
    for (const text of objects) {
      assert.ok(range.test(text), `redemptionRange ${text}`);
      assert.ok(!validateCouponSeries(JSON.stringify({ CouponSeriesV2: { ...createExample.CouponSeriesV2, redemptionRange: text } }), { now: NOW }).some((d) => d.code === 'redemption-range-invalid'), text);
    }
    for (const text of lists) {
      assert.ok(ids.test(text), `mutualExclusiveSeriesIds ${text}`);
      assert.ok(!validateCouponSeries(JSON.stringify({ CouponSeriesV2: { ...createExample.CouponSeriesV2, mutualExclusiveSeriesIds: text } }), { now: NOW }).some((d) => d.code === 'mutual-exclusive-ids-invalid'), text);
    }
  });

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

describe('the strict schema alone in vscode-json-languageservice (what another editor gets)', () => {
  // Only the strict schema, as a plain object: no project code, no annotated schema.
  const service = getLanguageService({});
  async function problems(text: string): Promise<Diagnostic[]> {
    const document = TextDocument.create('file:///mistake.json', 'json', 1, text);
    return service.doValidation(document, service.parseJSONDocument(document), { schemaValidation: 'error', comments: 'error', trailingCommas: 'error' }, strict);
  }
  const errors = (found: Diagnostic[]) => found.filter((problem) => problem.severity === DiagnosticSeverity.Error);

  async function check(mistake: Mistake, severity: DiagnosticSeverity): Promise<Diagnostic[]> {
    const ours = validateCouponSeries(mistake.text, { now: NOW }).filter((d) => d.code === mistake.code);
    assert.ok(ours.length > 0 && ours.every((d) => d.severity === severity), `this tool reports ${mistake.code} as ${severity === 1 ? 'an error' : 'a warning'}`);
    return errors(await problems(mistake.text));
  }

  for (const mistake of DOCUMENTED_MISTAKES) {
    test(`catches ${mistake.name} (${mistake.code})`, async () => {
      const found = await check(mistake, DiagnosticSeverity.Error);
      assert.ok(found.length > 0, 'the strict schema says nothing');
    });
  }

  for (const mistake of BEYOND_DRAFT_07) {
    test(`cannot see ${mistake.name} (${mistake.code}): this tool's rule does`, async () => {
      assert.deepEqual(await check(mistake, DiagnosticSeverity.Error), [], 'the strict schema now catches it: move it to DOCUMENTED_MISTAKES');
    });
  }

  for (const mistake of INFERRED_MISTAKES) {
    test(`does not reject ${mistake.name} (${mistake.code}, a warning of this tool's)`, async () => {
      assert.deepEqual((await check(mistake, DiagnosticSeverity.Warning)).map((problem) => problem.message), []);
    });
  }

  test('the count: every documented mistake draft-07 can say', async (t) => {
    let caught = 0;
    for (const mistake of DOCUMENTED_MISTAKES) if (errors(await problems(mistake.text)).length > 0) caught++;
    const all = DOCUMENTED_MISTAKES.length + BEYOND_DRAFT_07.length;
    t.diagnostic(`strict schema alone: ${caught} of ${all} documented mistakes caught; ${INFERRED_MISTAKES.length} inferred ones accepted`);
    assert.equal(caught, DOCUMENTED_MISTAKES.length);
  });

  test('hover on discountType and on its value says what ABS and PERC mean', async () => {
    const text = JSON.stringify(createExample, null, 2);
    const document = TextDocument.create('file:///hover.json', 'json', 1, text);
    const jsonDocument = service.parseJSONDocument(document);
    service.configure({ schemas: [{ uri: 'coupon-series.schema.json', fileMatch: ['*.json'], schema: strict }] });
    for (const needle of ['"discountType"', '"ABS"']) {
      const offset = text.indexOf(needle, text.indexOf('"discountType"')) + 2;
      const hover = await service.doHover(document, document.positionAt(offset), jsonDocument);
      const contents = JSON.stringify((hover?.contents as MarkupContent | undefined) ?? hover?.contents ?? '');
      assert.match(contents, /ABS: A fixed amount is discounted/, needle);
      assert.match(contents, /PERC: A percentage of the total amount is discounted/, needle);
    }
  });
});
