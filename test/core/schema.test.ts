/**
 * The schema is the single source of truth: ajv compiles it, other editors'
 * JSON support (vscode-json-languageservice, what `$schema` users get) agrees
 * with our diagnostics on every fixture, and every snippet and example is a
 * valid coupon file.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { DIAGNOSTIC_CODES } from '../../core/src/rules/index';
import { couponSeriesSchema, SERIES_KEY, seriesSchema } from '../../core/src/schema';
import { validateCouponSeries } from '../../core/src/validate';
import { fixture, fixtureNames, lineOf, NOW, REPO_ROOT, vendorExample } from '../support/testUtil';

const snippets = JSON.parse(readFileSync(path.join(REPO_ROOT, 'snippets/coupon-series.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;

/** A snippet body as VS Code inserts it when every placeholder keeps its default (first choice). */
function expandSnippet(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\\}|[^}])*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

async function jsonServiceProblems(text: string): Promise<{ line: number; message: string }[]> {
  const service = getLanguageService({});
  const document = TextDocument.create('file:///fixture.coupon.json', 'json', 1, text);
  const jsonDocument = service.parseJSONDocument(document);
  const problems = await service.doValidation(document, jsonDocument, { schemaValidation: 'error' }, couponSeriesSchema as object);
  return problems.map((problem) => ({ line: problem.range.start.line, message: typeof problem.message === 'string' ? problem.message : problem.message.value }));
}

describe('schema', () => {
  test('ajv compiles it (draft-07) in strict-free mode', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(couponSeriesSchema);
    assert.equal(validate(JSON.parse(vendorExample())), true, JSON.stringify(validate.errors));
  });

  test('every enum has one description per value', () => {
    const visit = (schema: unknown, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      const node = schema as Record<string, unknown>;
      if (Array.isArray(node.enum)) {
        assert.equal((node.enumDescriptions as unknown[] | undefined)?.length, node.enum.length, `${where}.enumDescriptions`);
        assert.equal((node.markdownEnumDescriptions as unknown[] | undefined)?.length, node.enum.length, `${where}.markdownEnumDescriptions`);
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${where}.${key}`);
    };
    visit(couponSeriesSchema, '#');
  });

  test('every request field is documented with a description and an example', () => {
    for (const [name, field] of Object.entries(seriesSchema.properties ?? {})) {
      assert.ok(field.description, `${name} has a description`);
      if (!field.readOnly && !field['x-serverAssigned']) assert.ok(field.markdownDescription, `${name} has a markdownDescription`);
    }
  });
});

describe('vscode-json-languageservice agrees with our diagnostics', () => {
  const valid = [
    ...fixtureNames('valid').map((name) => ({ name: `fixture ${name}`, text: fixture(`valid/${name}`) })),
    ...readdirSync(path.join(REPO_ROOT, 'examples'))
      .filter((file) => file.endsWith('.coupon.json'))
      .map((file) => ({ name: `example ${file}`, text: readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8') })),
  ];
  for (const c of valid) {
    test(`${c.name}: no problems from either`, async () => {
      assert.deepEqual(validateCouponSeries(c.text, { now: NOW }), []);
      assert.deepEqual(await jsonServiceProblems(c.text), []);
    });
  }

  // Codes that come from the schema itself (not from our rules): both must see a problem on the same line.
  const schemaCodes = fixtureNames('invalid').filter((name) => {
    const text = fixture(`invalid/${name}`);
    return name in DIAGNOSTIC_CODES && name !== 'json-syntax' && validateCouponSeries(text, { now: NOW }).every((d) => d.code === name) && ajvRejects(text);
  });
  function ajvRejects(text: string): boolean {
    try {
      return !new Ajv({ allErrors: true, strict: false }).compile(couponSeriesSchema)(JSON.parse(text));
    } catch {
      return false;
    }
  }
  test('the schema-level fixtures are found', () => {
    assert.ok(schemaCodes.length >= 8, schemaCodes.join(', '));
  });
  for (const name of schemaCodes) {
    test(`invalid/${name}: both report it on the same line`, async () => {
      const text = fixture(`invalid/${name}`);
      let ours = validateCouponSeries(text, { now: NOW }).map((d) => d.range.start.line);
      const theirs = (await jsonServiceProblems(text)).map((p) => p.line);
      assert.ok(ours.length > 0 && theirs.length > 0, `ours ${ours} theirs ${theirs}`);
      // A conditional requirement: we point at the field that triggers it (clientHandlingType, id),
      // the JSON service at the object that lacks genericCode.
      if (name === 'generic-code-required' || name === 'series-code-required') ours = [lineOf(text, `"${SERIES_KEY}"`)];
      assert.ok(ours.some((line) => theirs.includes(line)), `ours on lines ${ours}, theirs on ${theirs}`);
    });
  }
});

describe('snippets', () => {
  for (const [name, snippet] of Object.entries(snippets)) {
    test(`${name}: inserted with its defaults, the file is valid`, () => {
      const inserted = expandSnippet(snippet.body);
      let text: string;
      if (snippet.prefix.startsWith('coupon-series')) {
        text = inserted;
      } else {
        const example = JSON.parse(vendorExample());
        const series = example.CouponSeriesV2;
        if (snippet.prefix === 'coupon-product-info') series.productInfo = [JSON.parse(inserted)];
        else if (snippet.prefix === 'coupon-redemption-org-entity') series.redemptionOrgEntityDetails = [JSON.parse(inserted)];
        else Object.assign(series, JSON.parse(`{${inserted}}`));
        text = JSON.stringify(example, null, 2);
      }
      assert.deepEqual(validateCouponSeries(text, { now: NOW }), []);
    });
  }
});
