/**
 * The rule registry (core/src/rules/index.ts): every code has exactly one
 * owner module, including the codes the schema's `x-code` names and the JSON
 * parser's; every module in core/src/rules/ is registered; what each code says
 * of itself holds (who checks it, the docs' words verbatim, a reason for each
 * warning); and its examples are what they claim: the wrong one shows the code,
 * the right one shows nothing at all.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TextDocument } from 'vscode-json-languageservice';
import { createCouponLanguageService } from '../../../core/src/languageService';
import { DIAGNOSTIC_CODES, DiagnosticCode, RegisteredCode, RULE_MODULES } from '../../../core/src/rules/index';
import { ERROR, RuleModule, VENDOR_DOCUMENTS, WARNING } from '../../../core/src/rules/rule';
import { couponSeriesSchema } from '../../../core/src/schema';
import { codeOfFailure } from '../../../core/src/schemaValidation';
import { validateCouponSeries } from '../../../core/src/validate';
import { exampleOptions, expandExample } from '../../support/ruleExamples';
import { diagnosticCodes, FIXTURES, REPO_ROOT } from '../../support/testUtil';

const MODULES = RULE_MODULES as readonly RuleModule[];
const CODES = Object.values(DIAGNOSTIC_CODES) as RegisteredCode[];
const RULES_DIR = path.join(REPO_ROOT, 'core', 'src', 'rules');

/** White space collapsed: the pages wrap their lines. */
function normalized(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

test('every code has exactly one owner module', () => {
  const owners = new Map<string, string[]>();
  for (const module of MODULES) for (const { code } of module.codes) owners.set(code, [...(owners.get(code) ?? []), module.name]);
  assert.deepEqual([...owners].filter(([, names]) => names.length > 1), [], 'codes owned twice');
  assert.equal(CODES.length, owners.size);
  for (const info of CODES) assert.equal(owners.get(info.code)?.[0], info.owner.name);
  assert.equal(new Set(MODULES.map((module) => module.name)).size, MODULES.length, 'module names are unique');
});

test('every rule module in core/src/rules/ is registered, under its file name', () => {
  const files = readdirSync(RULES_DIR).filter((file) => file.endsWith('.ts'));
  const found: RuleModule[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every compiled module of the folder, by file name
    const exports = require(path.join(REPO_ROOT, 'out', 'core', 'src', 'rules', file.replace(/\.ts$/, '.js'))) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      const candidate = value as Partial<RuleModule>;
      if (!candidate || typeof candidate !== 'object' || typeof candidate.name !== 'string' || !Array.isArray(candidate.codes)) continue;
      found.push(candidate as RuleModule);
      assert.equal(`${candidate.name}.ts`, file, `the module named "${candidate.name}" lives in ${candidate.name}.ts`);
    }
  }
  assert.deepEqual(
    found.filter((module) => !MODULES.includes(module)).map((module) => module.name),
    [],
    'modules missing from RULE_MODULES in core/src/rules/index.ts',
  );
  assert.equal(found.length, MODULES.length);
});

/** Keywords that never fail a value, and keywords whose schemas are conditions (their failures are not reported). */
const NOT_FAILING = new Set(['$schema', '$id', '$ref', '$comment', 'title', 'description', 'default', 'readOnly', 'writeOnly', 'examples', 'contentMediaType', 'properties', 'definitions', 'items', 'allOf', 'then', 'else', 'if']);

/**
 * The codes the annotated schema can report, as core/src/schemaValidation.ts maps
 * a failing keyword: its `x-code` (the nearest one above it, the root's reaching
 * only the root), or the keyword's own.
 */
function schemaCodes(): { xCodes: Set<string>; reported: Set<string> } {
  const xCodes = new Set<string>();
  const reported = new Set<string>();
  const visit = (node: unknown, inherited: DiagnosticCode | undefined, atRoot: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, inherited, atRoot));
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    const own = schema['x-code'] as DiagnosticCode | undefined;
    if (own) xCodes.add(own);
    const code = own ?? inherited;
    const below = atRoot ? undefined : code;
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword.startsWith('x-') || /^(markdown|enumDescriptions|errorMessage|defaultSnippets|doNotSuggest)/.test(keyword)) continue;
      if (keyword === 'properties' || keyword === 'definitions') Object.values(value as object).forEach((child) => visit(child, below, false));
      else if (['items', 'allOf', 'then', 'else'].includes(keyword) || (keyword === 'additionalProperties' && typeof value === 'object')) visit(value, below, false);
      if (NOT_FAILING.has(keyword) || (keyword === 'additionalProperties' && typeof value === 'object')) continue;
      const failure = codeOfFailure(keyword, code, atRoot);
      if (failure) reported.add(failure);
    }
  };
  visit(couponSeriesSchema, undefined, true);
  return { xCodes, reported };
}

test("the schema's codes (its x-codes and its keywords') each have their owner, which says the schema checks them", () => {
  const { xCodes, reported } = schemaCodes();
  assert.ok(xCodes.size >= 10, [...xCodes].join(', '));
  for (const code of xCodes) assert.ok(reported.has(code), `x-code ${code} is on no keyword that can fail`);
  for (const code of reported) {
    assert.ok(code in DIAGNOSTIC_CODES, `${code} (from the schema) has an owner module`);
    assert.ok(DIAGNOSTIC_CODES[code as DiagnosticCode].checkedBy.includes('schema'), `${code}: its module says the schema checks it`);
  }
  for (const info of CODES) {
    if (info.checkedBy.includes('schema')) assert.ok(reported.has(info.code), `${info.code} says the schema checks it, but no keyword of the schema reports it`);
  }
});

test('each code says what checks it, and its module has that check', () => {
  for (const info of CODES) {
    assert.ok(info.checkedBy.length > 0, info.code);
    if (info.checkedBy.includes('file')) assert.ok(info.owner.checkFile, `${info.code}: checkFile`);
    if (info.checkedBy.includes('rule') || info.checkedBy.includes('server')) assert.ok(info.owner.check, `${info.code}: check`);
  }
  for (const module of MODULES) {
    if (module.check) assert.ok(module.codes.some((code) => code.checkedBy.includes('rule') || code.checkedBy.includes('server')), `${module.name} has a check for no code`);
    if (module.checkFile) assert.ok(module.codes.some((code) => code.checkedBy.includes('file')), `${module.name} has a checkFile for no code`);
  }
});

test("errors rest on JSON or on a sentence of the docs; every quote is the docs' own words", () => {
  const pages = Object.fromEntries(Object.entries(VENDOR_DOCUMENTS).map(([page, file]) => [page, normalized(readFileSync(path.join(FIXTURES, 'vendor-docs', file), 'utf8'))]));
  for (const info of CODES) {
    if (info.severity === ERROR) assert.ok(info.source === 'json' || info.source === 'vendor docs', `${info.code}: an error must be documented`);
    if (info.source === 'vendor docs') assert.ok(info.quotes?.length, `${info.code} quotes the docs`);
    for (const quote of info.quotes ?? []) assert.ok(pages[quote.page].includes(normalized(quote.text)), `${info.code}: "${quote.text}" is not in ${VENDOR_DOCUMENTS[quote.page]}`);
  }
});

test("every warning is inferred (or the tool's own record) and says why in one line", () => {
  for (const info of CODES) {
    if (info.source === 'inferred') assert.equal(info.severity, WARNING, `${info.code}: inferred rules are warnings`);
    if (info.severity !== WARNING) continue;
    assert.ok(info.source === 'inferred' || info.source === 'this tool', `${info.code}: a warning is marked inferred`);
    assert.ok(info.reason && !info.reason.includes('\n') && info.reason.length < 200, `${info.code}: a one-line reason`);
  }
});

test('every code documents itself: a one-sentence summary, a description, codes in kebab-case', () => {
  for (const info of CODES) {
    assert.match(info.code, /^[a-z]+(-[a-z0-9]+)*$/);
    assert.ok(info.summary.length > 20 && !info.summary.includes('\n'), `${info.code}: summary`);
    assert.ok(info.description.length > 80, `${info.code}: description`);
    if (info.fix) assert.ok(info.fix.description.length > 10, `${info.code}: the fix says what it does`);
  }
});

for (const info of CODES) {
  test(`examples of ${info.code}: the wrong one shows it, the right one shows nothing`, () => {
    const wrong = validateCouponSeries(expandExample(info.examples.wrong.text), exampleOptions(info.examples.wrong));
    assert.ok(diagnosticCodes(wrong).includes(info.code), `wrong example: ${wrong.map((d) => `${String(d.code)}: ${String(d.message)}`).join('\n') || 'nothing'}`);
    const right = validateCouponSeries(expandExample(info.examples.right.text), exampleOptions(info.examples.right));
    assert.deepEqual(right.map((d) => `${String(d.code)}: ${String(d.message)}`), [], 'right example');
  });
}

test("quick fixes on their own wrong examples remove what they fix", () => {
  let exercised = 0;
  for (const info of CODES.filter((candidate) => candidate.fix)) {
    const example = info.examples.wrong;
    if (example.server) continue;
    const document = TextDocument.create('file:///example.coupon.json', 'coupon-json', 1, expandExample(example.text));
    const options = exampleOptions(example);
    const before = validateCouponSeries(document, options).filter((d) => d.code === info.code);
    const action = createCouponLanguageService({ validation: options }).codeActions(document, before)[0];
    if (!action) continue;
    exercised++;
    const fixed = TextDocument.applyEdits(document, action.edit?.changes?.[document.uri] ?? []);
    const after = validateCouponSeries(fixed, options).filter((d) => d.code === info.code);
    assert.ok(after.length < before.length, `${info.code}: "${action.title}" leaves ${after.length} of ${before.length}`);
  }
  assert.ok(exercised >= 8, `fixes exercised: ${exercised}`);
});
