/**
 * Edit storms and huge values against the real server process
 * (`node dist/server.js --stdio`, started plainly): one validation per burst,
 * answers within a second of the last edit, memory that stays bounded, and
 * answers that never echo a huge value.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionList, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { MAX_DIAGNOSTICS, MAX_ECHOED_TEXT } from '../../core/src/responseLimits';
import { bigSeriesText } from '../../scripts/bench';
import { LspSession, startLanguageServer } from '../support/lspProcess';
import { positionAt, REPO_ROOT } from '../support/testUtil';

const vendorExample = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
const insideDescription = vendorExample.indexOf('"description": "') + '"description": "'.length;

/** Peak and current resident memory of a process, in MB (Linux). */
function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Sends `count` edits as fast as the pipe takes them, each inserting a quote inside the description. */
function insertQuotes(server: LspSession, uri: string, count: number): number {
  const at = positionAt(vendorExample, insideDescription);
  let version = 0;
  for (let i = 0; i < count; i++) version = server.change(uri, [{ range: { start: at, end: at }, text: '"' }]);
  return version;
}

describe('edit storms through the real process', () => {
  let server: LspSession;
  before(async () => {
    server = await startLanguageServer({ nodeFlags: [] });
  });
  after(async () => {
    await server.stop();
  });

  test('a burst of 2,000 edits is validated a handful of times, the last version included', async () => {
    const uri = 'file:///storm/burst.coupon.json';
    server.open(uri, vendorExample);
    await server.diagnostics(uri, 1);
    const before = server.publishCount(uri);
    const last = insertQuotes(server, uri, 2000);
    const diagnostics = await server.diagnostics(uri, last);
    assert.ok(diagnostics.some((d) => d.code === 'json-syntax'), 'the final version (2,000 quotes) is reported broken');
    const published = server.publishCount(uri) - before;
    assert.ok(published <= 20, `${published} publishDiagnostics for 2,000 edits`);
    server.close(uri);
  });

  test('20,000 edits: hover and the final diagnostics within a second of the last edit; memory stays bounded', async () => {
    const uri = 'file:///storm/quotes.coupon.json';
    server.open(uri, vendorExample);
    await server.diagnostics(uri, 1);
    const last = insertQuotes(server, uri, 20_000);
    await server.written();
    const lastEdit = performance.now();
    const finalText = vendorExample.slice(0, insideDescription) + '"'.repeat(20_000) + vendorExample.slice(insideDescription);
    const hoverAt = positionAt(finalText, finalText.indexOf('"discountType"') + 3);
    const [hover, diagnostics] = await Promise.all([
      server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: hoverAt }).then((answer) => ({ answer, ms: performance.now() - lastEdit })),
      server.diagnostics(uri, last, 30_000).then((answer) => ({ answer, ms: performance.now() - lastEdit })),
    ]);
    assert.ok(hover.ms < 1000, `hover answered ${hover.ms.toFixed(0)} ms after the last edit`);
    assert.ok(diagnostics.ms < 1000, `final diagnostics ${diagnostics.ms.toFixed(0)} ms after the last edit`);
    assert.match((hover.answer?.contents as MarkupContent).value, /discountType/);
    assert.ok(diagnostics.answer.length > 0 && diagnostics.answer.length <= MAX_DIAGNOSTICS, `${diagnostics.answer.length} diagnostics`);
    const { peak } = memoryMb(server.process.pid!);
    assert.ok(peak < 400, `peak memory ${peak.toFixed(0)} MB`);
    server.close(uri);
  });

  test('20,000 edits on an 880 KB file (50,000 product ids): answers within a second of the last edit', async () => {
    const uri = 'file:///storm/big.coupon.json';
    const text = bigSeriesText(50_000);
    server.open(uri, text);
    await server.diagnostics(uri, 1, 60_000);
    const at = positionAt(text, text.indexOf('"description": "') + '"description": "'.length);
    let last = 0;
    for (let i = 0; i < 20_000; i++) last = server.change(uri, [{ range: { start: at, end: at }, text: '"' }]);
    await server.written();
    const lastEdit = performance.now();
    const [hoverMs, diagnosticsMs] = await Promise.all([
      server.request('textDocument/hover', { textDocument: { uri }, position: positionAt(text, text.indexOf('"discountType"') + 3) }).then(() => performance.now() - lastEdit),
      server.diagnostics(uri, last, 30_000).then(() => performance.now() - lastEdit),
    ]);
    assert.ok(hoverMs < 1000, `hover answered ${hoverMs.toFixed(0)} ms after the last edit`);
    assert.ok(diagnosticsMs < 1000, `final diagnostics ${diagnosticsMs.toFixed(0)} ms after the last edit`);
    assert.ok(memoryMb(server.process.pid!).peak < 400);
    server.close(uri);
  });

  test('a 20 MB string: symbols, hover and completion answers stay small', async () => {
    const uri = 'file:///storm/huge-string.coupon.json';
    const huge = 'x'.repeat(20 * 1024 * 1024);
    const text = vendorExample.replace('"description": "', `"description": "${huge}`);
    server.open(uri, text);
    await server.diagnostics(uri, 1, 60_000);
    const symbols = await server.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(JSON.stringify(symbols).length < 20_000, `symbols answer of ${JSON.stringify(symbols).length} characters`);
    const description = symbols[0].children?.find((symbol) => symbol.name === 'description');
    assert.ok(description?.detail && description.detail.length <= MAX_ECHOED_TEXT && description.detail.startsWith('xxx'), description?.detail?.slice(0, 200));
    const hover = await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionAt(text, insideDescription + 10) });
    assert.ok(JSON.stringify(hover).length < 20_000);
    const list = await server.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: positionAt(text, insideDescription + 10) });
    assert.ok(JSON.stringify(list).length < 200_000, `completion answer of ${JSON.stringify(list).length} characters`);
    server.close(uri);
  });
});
