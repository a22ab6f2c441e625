/**
 * The language server as a real process (`node dist/server.js --stdio`),
 * spoken to over LSP: what any editor would see.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CompletionList, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspSession, startLanguageServer } from '../support/lspProcess';
import { positionAt, REPO_ROOT, withCursor } from '../support/testUtil';

const vendorExample = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
let counter = 0;
const nextUri = (name = 'doc') => `file:///work/${name}-${++counter}.coupon.json`;

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'json', 0, text), edits);
}

describe('language server over stdio', () => {
  let server: LspSession;
  before(async () => {
    server = await startLanguageServer();
  });
  after(async () => {
    await server.stop();
  });

  test('the vendor example has no problems', async () => {
    const uri = nextUri('vendor');
    server.open(uri, vendorExample);
    assert.deepEqual(await server.diagnostics(uri), []);
  });

  test('an edit gets diagnostics for its own version, on the value at fault', async () => {
    const uri = nextUri('edit');
    server.open(uri, vendorExample);
    await server.diagnostics(uri);
    const broken = vendorExample.replace('"discountType": "ABS"', '"discountType": "PCT"');
    const version = server.change(uri, broken);
    const diagnostics = await server.diagnostics(uri, version);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'unknown-enum-value');
    const start = broken.indexOf('"PCT"');
    assert.deepEqual(diagnostics[0].range, { start: positionAt(broken, start), end: positionAt(broken, start + 5) });
  });

  const completionCases = [
    { name: 'expiryStrategyType values', text: vendorExample.replace('"expiryStrategyType": "SERIES_EXPIRY"', '"expiryStrategyType": "|"'), expect: ['SERIES_EXPIRY', 'DAYS', 'MONTHS_END'] },
    { name: 'discountType values', text: vendorExample.replace('"discountType": "ABS"', '"discountType": |'), expect: ['ABS', 'PERC'] },
    { name: 'booleans', text: vendorExample.replace('"anyUser": false', '"anyUser": |'), expect: ['true', 'false'] },
  ];
  for (const c of completionCases) {
    test(`completion: ${c.name}`, async () => {
      const { text, offset } = withCursor(c.text);
      const uri = nextUri('complete');
      server.open(uri, text);
      const list = await server.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionAt(text, offset) });
      const labels = list.items.map((item) => item.label.replace(/^"|"$/g, ''));
      for (const expected of c.expect) assert.ok(labels.includes(expected), `${expected} in ${labels.join(', ')}`);
    });
  }

  test('completion offers only properties not yet present, with type and description', async () => {
    const { text, offset } = withCursor('{\n  "CouponSeriesV2": {\n    "discountType": "ABS",\n    |\n  }\n}');
    const uri = nextUri('props');
    server.open(uri, text);
    const list = await server.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionAt(text, offset) });
    const byLabel = new Map(list.items.map((item) => [item.label, item]));
    assert.ok(!byLabel.has('discountType'), 'present property not offered again');
    assert.ok(!byLabel.has('numIssued'), 'server-owned property not offered');
    const expiry = byLabel.get('expiryStrategyType');
    assert.ok(expiry, 'missing property offered');
    assert.ok(expiry.detail, 'has a type');
    assert.ok(expiry.labelDetails?.description, 'has a one-line description');
  });

  test('hover on discountType documents it and its values', async () => {
    const uri = nextUri('hover');
    server.open(uri, vendorExample);
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionAt(vendorExample, vendorExample.indexOf('"discountType"') + 2) });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /discountType/);
    assert.match(value, /ABS/);
    assert.match(value, /PERC/);
  });

  test('hover on a date shows the instant in UTC', async () => {
    const uri = nextUri('hover-date');
    server.open(uri, vendorExample);
    const at = vendorExample.indexOf('2029-05-10T00:00:00+05:30') + 3;
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionAt(vendorExample, at) });
    assert.match((hover.contents as MarkupContent).value, /2029-05-09 18:30:00 UTC/);
  });

  test('quick fix adds genericCode for GENERIC and the problem goes away', async () => {
    const uri = nextUri('fix');
    const text = vendorExample.replace('"clientHandlingType": "DISC_CODE"', '"clientHandlingType": "GENERIC"');
    server.open(uri, text);
    const diagnostics = await server.diagnostics(uri);
    const problem = diagnostics.find((d) => d.code === 'generic-code-required');
    assert.ok(problem, JSON.stringify(diagnostics));
    const actions = await server.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: problem.range, context: { diagnostics: [problem] } });
    const fix = actions.find((a) => a.title.includes('genericCode'));
    assert.ok(fix?.edit?.changes?.[uri]);
    const fixed = applyEdits(text, fix.edit.changes[uri]).replace('"genericCode": ""', '"genericCode": "DIWALI"');
    const version = server.change(uri, fixed);
    const after = await server.diagnostics(uri, version);
    assert.deepEqual(after.map((d) => d.code), []);
  });

  const badInputs: { name: string; text: () => string; code?: string }[] = [
    { name: 'empty file', text: () => '', code: 'json-syntax' },
    { name: 'malformed JSON', text: () => '{"CouponSeriesV2": {"description": ', code: 'json-syntax' },
    { name: 'array root', text: () => '[1, 2, 3]', code: 'not-a-series' },
    { name: 'string root', text: () => '"CouponSeriesV2"', code: 'not-a-series' },
    { name: '10,000 nested arrays', text: () => '['.repeat(10_000) + ']'.repeat(10_000) },
    { name: 'invalid surrogates', text: () => '{"CouponSeriesV2": {"description": "\\ud800 \uD800 x \\udfff"}}', code: 'missing-property' },
    { name: '10 MB file', text: () => `{"CouponSeriesV2": {"info": "${'x'.repeat(10 * 1024 * 1024)}"}}`, code: 'missing-property' },
  ];
  for (const c of badInputs) {
    test(`bad input answers: ${c.name}`, async () => {
      const uri = nextUri('bad');
      const text = c.text();
      server.open(uri, text);
      const diagnostics = await server.diagnostics(uri);
      assert.ok(diagnostics.length > 0, 'reports a problem');
      if (c.code) assert.ok(diagnostics.some((d) => d.code === c.code), diagnostics.map((d) => d.code).join(', '));
      // Still answering requests on the same document.
      await server.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
      await server.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 1 } });
      server.close(uri);
    });
  }

  test('an empty file offers a whole new series of each kind', async () => {
    const uri = nextUri('empty');
    server.open(uri, '');
    const list = await server.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } });
    const labels = list.items.map((item) => item.label);
    for (const prefix of ['coupon-series-disc-code', 'coupon-series-generic', 'coupon-series-disc-code-pin']) assert.ok(labels.includes(prefix), labels.join(', '));
  });

  test('outline, folding, selection ranges and formatting come from the JSON service', async () => {
    const uri = nextUri('structure');
    const compact = JSON.stringify(JSON.parse(vendorExample));
    server.open(uri, vendorExample);
    const symbols = await server.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(symbols[0].name, 'CouponSeriesV2');
    assert.ok(symbols[0].children?.some((child) => child.name === 'discountType'));
    const folds = await server.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.length >= 5);
    const selections = await server.request<unknown[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [{ line: 3, character: 8 }] });
    assert.equal(selections.length, 1);
    const compactUri = nextUri('format');
    server.open(compactUri, compact);
    const edits = await server.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: compactUri }, options: { tabSize: 2, insertSpaces: true } });
    const formatted = applyEdits(compact, edits);
    assert.deepEqual(JSON.parse(formatted), JSON.parse(compact));
    assert.ok(formatted.split('\n').length > 50, 'one property per line');
  });

  test('files that are not coupon files are not served', async () => {
    const uri = 'file:///work/package.json';
    server.open(uri, '{"name": "x"}', 'json');
    const hover = await server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(hover, null);
  });

  test('thousands of random edits: the server keeps answering', async () => {
    const uri = nextUri('fuzz');
    let text = vendorExample;
    server.open(uri, text);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ['{', '}', '[', ']', '"', ':', ',', '\\', '-1', 'null', '"GENERIC"', '\n', '\uD800', '1e999', ''];
    let version = 1;
    for (let i = 0; i < 3000; i++) {
      const start = Math.floor(random() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(random() * 8));
      const insert = pieces[Math.floor(random() * pieces.length)];
      version = server.change(uri, [{ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: insert }]);
      text = text.slice(0, start) + insert + text.slice(end);
      if (i % 500 === 499) {
        await server.diagnostics(uri, version);
        await server.request('textDocument/hover', { textDocument: { uri }, position: positionAt(text, Math.floor(text.length / 2)) });
      }
    }
    await server.diagnostics(uri, version);
    const list = await server.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 2 } });
    assert.ok(Array.isArray(list.items));
    assert.equal(server.process.exitCode, null, 'server process still running');
  });
});
