/**
 * The documentation generated from the rule registry stays in step with it:
 * the rule pages (docs/rules/<code>.md), the README's rule index and the strict
 * schema are what `npm run generate` writes; each page has what a reader needs;
 * each diagnostic and each SARIF rule links to its page.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { toSarif } from '../../../cli/src/sarif';
import { defaultRulePagesUri } from '../../../core/src/node/rulePagesLocation';
import { DIAGNOSTIC_CODES, RegisteredCode } from '../../../core/src/rules/index';
import { rulePageHref, RULE_PAGES_PATH } from '../../../core/src/rules/rulePages';
import { validateCouponSeries } from '../../../core/src/validate';
import { outdatedFiles } from '../../../scripts/generate';
import { RULES_BEGIN, RULES_END } from '../../../scripts/ruleDocs';
import { REPO_ROOT } from '../../support/testUtil';

const CODES = Object.values(DIAGNOSTIC_CODES) as RegisteredCode[];
const PAGES_DIR = path.join(REPO_ROOT, RULE_PAGES_PATH);
const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

test('the rule pages, the README rule index and the strict schema are the ones generated (npm run generate)', () => {
  assert.deepEqual(outdatedFiles(), [], 'run npm run generate and commit the result');
});

test('one page per code, and no page of a code that is gone', () => {
  const pages = readdirSync(PAGES_DIR).filter((file) => file.endsWith('.md')).sort();
  assert.deepEqual(pages, CODES.map((info) => `${info.code}.md`).sort());
});

test('each page says what the rule catches, its severity and source, a wrong and a right example, and the quick fix', () => {
  for (const info of CODES) {
    const page = readFileSync(path.join(PAGES_DIR, `${info.code}.md`), 'utf8');
    assert.ok(page.startsWith(`<!-- Generated from core/src/rules/${info.owner.name}.ts`), info.code);
    assert.ok(page.includes(`# \`${info.code}\``), info.code);
    for (const heading of ['## What it catches', '## Wrong', '## Right', '## Quick fix']) assert.ok(page.includes(`\n${heading}\n`), `${info.code}: ${heading}`);
    assert.ok(page.includes(info.severity === 1 ? '**Error**' : '**Warning**'), `${info.code}: severity`);
    if (info.source === 'vendor docs') assert.ok(page.includes("## The docs' words"), `${info.code}: the docs' words`);
    if (info.source === 'inferred') assert.ok(page.includes('## Why only a warning') && page.includes(info.reason ?? '\u0000'), `${info.code}: why only a warning`);
    for (const [, target] of page.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z]+:/.test(target)) assert.ok(existsSync(path.join(PAGES_DIR, target)), `${info.code}: link to ${target}`);
    }
  }
});

test("the README's rule index: one line per code, in registry order, each linking to its page", () => {
  const begin = readme.indexOf(RULES_BEGIN);
  const end = readme.indexOf(RULES_END);
  assert.ok(begin >= 0 && end > begin, 'the markers are in README.md');
  const lines = readme.slice(begin + RULES_BEGIN.length, end).trim().split('\n');
  assert.equal(lines.length, CODES.length);
  lines.forEach((line, index) => {
    const code = CODES[index].code;
    assert.ok(line.startsWith(`- [\`${code}\`](${RULE_PAGES_PATH}/${code}.md): ${CODES[index].title} (`), line);
    assert.ok(existsSync(path.join(REPO_ROOT, RULE_PAGES_PATH, `${code}.md`)), code);
  });
  assert.ok(!readme.includes('#rule-'), 'no link to the old rule table is left');
});

test("a rule's page: the folder URI and the code's file, with or without the trailing slash", () => {
  assert.equal(rulePageHref('file:///ext/docs/rules/', 'wrong-type'), 'file:///ext/docs/rules/wrong-type.md');
  assert.equal(rulePageHref('https://example.test/docs/rules', 'wrong-type'), 'https://example.test/docs/rules/wrong-type.md');
  assert.equal(rulePageHref('vscode-resource://ext/docs/rules/#old', 'json-syntax'), 'vscode-resource://ext/docs/rules/json-syntax.md');
});

test("each diagnostic links to its rule's page (codeDescription); in Node, this package's pages by default", () => {
  const text = '{"CouponSeriesV2": {"discountType": "HALF"}}';
  const pagesUri = `${pathToFileURL(PAGES_DIR).href}/`;
  assert.equal(defaultRulePagesUri(), pagesUri);
  const diagnostics = validateCouponSeries(text, { rulePagesUri: pagesUri });
  assert.ok(diagnostics.length > 0);
  for (const diagnostic of diagnostics) {
    assert.equal(diagnostic.codeDescription?.href, `${pagesUri}${String(diagnostic.code)}.md`);
    assert.ok(existsSync(path.join(PAGES_DIR, `${String(diagnostic.code)}.md`)));
  }
  const told = validateCouponSeries(text, { rulePagesUri: 'vscode-resource://ext/docs/rules/' })[0];
  assert.equal(told.codeDescription?.href, `vscode-resource://ext/docs/rules/${String(told.code)}.md`);
  assert.equal(validateCouponSeries(text)[0].codeDescription, undefined);
});

test('SARIF rules carry the same page as helpUri', () => {
  const sarif = toSarif([], '0.0.0') as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
  const rules = sarif.runs[0].tool.driver.rules;
  assert.deepEqual(rules.map((rule) => rule.id), CODES.map((info) => info.code));
  for (const rule of rules) assert.equal(rule.helpUri, rulePageHref(`${pathToFileURL(PAGES_DIR).href}/`, rule.id));
});

test('the README is a Details page: at most 16,000 bytes, user-first, every relative link to a file that exists', () => {
  assert.ok(Buffer.byteLength(readme) <= 16_000, `README.md is ${Buffer.byteLength(readme)} bytes`);
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
  assert.equal(headings[0], 'Getting started', 'what it does, then how to start');
  assert.equal(headings.at(-1), 'From a clone', 'contributor material last');
  for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    assert.ok(existsSync(path.join(REPO_ROOT, decodeURI(target))), `README links to ${target}, which exists`);
  }
});

test('every rule has a one-line title for the index (a few words, no full stop)', () => {
  for (const info of CODES) {
    assert.ok(info.title.length > 0 && info.title.length <= 60, `${info.code}: "${info.title}"`);
    assert.ok(!info.title.endsWith('.'), info.code);
  }
});
