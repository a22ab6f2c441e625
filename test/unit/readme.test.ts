/**
 * Every code cites its source: documented rules quote the vendor's docs
 * verbatim, warnings give a reason, and the README's rule table is the one
 * generated from core/src/codes.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { toSarif } from '../../cli/src/sarif';
import { DIAGNOSTIC_CODES, DiagnosticCodeInfo, ruleAnchor, ruleDocumentationHref, VENDOR_DOCUMENTS } from '../../core/src/codes';
import { defaultReadmeUri } from '../../core/src/node/packageReadme';
import { validateCouponSeries } from '../../core/src/validate';
import { readmeWithRuleTable, ruleTableMarkdown } from '../../scripts/generate';
import { FIXTURES, REPO_ROOT } from '../support/testUtil';

const CODES = Object.entries(DIAGNOSTIC_CODES as Record<string, DiagnosticCodeInfo>);
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** White space collapsed: the pages wrap their lines. */
function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

test('the README rule table is the one generated from codes.ts (npm run generate)', () => {
  assert.equal(readme, readmeWithRuleTable(readme), 'README.md is not current: run npm run generate');
  for (const [code] of CODES) assert.ok(readme.includes(`<a id="${ruleAnchor(code)}"></a>\`${code}\``), code);
  assert.equal(ruleTableMarkdown().split('\n').length, CODES.length + 2);
});

test('errors rest on JSON or on a sentence of the docs; documented rules quote it verbatim', () => {
  const pages = Object.fromEntries(Object.entries(VENDOR_DOCUMENTS).map(([page, file]) => [page, normalized(readFileSync(path.join(FIXTURES, 'vendor-docs', file), 'utf8'))]));
  for (const [code, info] of CODES) {
    if (info.severity === 1) assert.ok(info.source === 'json' || info.source === 'vendor docs', `${code}: an error must be documented`);
    if (info.source === 'vendor docs') {
      assert.ok(info.quotes?.length, `${code} quotes the docs`);
      for (const quote of info.quotes ?? []) assert.ok(pages[quote.page].includes(normalized(quote.text)), `${code}: "${quote.text}" is not in ${VENDOR_DOCUMENTS[quote.page]}`);
    }
  }
});

test('every warning is inferred (or the tool\'s own record) and says why in one line', () => {
  for (const [code, info] of CODES) {
    if (info.severity !== 2) continue;
    assert.ok(info.source === 'inferred' || info.source === 'this tool', `${code}: a warning is marked inferred`);
    assert.ok(info.reason && !info.reason.includes('\n') && info.reason.length < 200, `${code}: a one-line reason`);
  }
  for (const [code, info] of CODES) if (info.source === 'inferred') assert.equal(info.severity, 2, `${code}: inferred rules are warnings`);
});

test('links to a rule: the README URI with the row anchor', () => {
  assert.equal(ruleDocumentationHref('file:///ext/README.md', 'wrong-type'), 'file:///ext/README.md#rule-wrong-type');
  assert.equal(ruleDocumentationHref('https://example.test/README.md#old', 'wrong-type'), 'https://example.test/README.md#rule-wrong-type');
});

test('each diagnostic links to its row of the README it is told of (codeDescription); in Node, this package\'s README by default', () => {
  const text = '{"CouponSeriesV2": {"discountType": "HALF"}}';
  const readmeUri = pathToFileURL(path.join(REPO_ROOT, 'README.md')).href;
  assert.equal(defaultReadmeUri(), readmeUri);
  const diagnostics = validateCouponSeries(text, { ruleDocumentationUri: readmeUri });
  assert.ok(diagnostics.length > 0);
  for (const diagnostic of diagnostics) assert.equal(diagnostic.codeDescription?.href, `${readmeUri}#rule-${String(diagnostic.code)}`);
  const told = validateCouponSeries(text, { ruleDocumentationUri: 'vscode-resource://ext/README.md' })[0];
  assert.equal(told.codeDescription?.href, `vscode-resource://ext/README.md#rule-${String(told.code)}`);
  assert.equal(validateCouponSeries(text)[0].codeDescription, undefined);
});

test('SARIF rules carry the same link as helpUri', () => {
  const sarif = toSarif([], '0.0.0') as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
  const rules = sarif.runs[0].tool.driver.rules;
  assert.equal(rules.length, CODES.length);
  for (const rule of rules) assert.equal(rule.helpUri, ruleDocumentationHref(pathToFileURL(path.join(REPO_ROOT, 'README.md')).href, rule.id));
});
