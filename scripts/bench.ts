/**
 * `npm run bench`: what a person feels, measured over stdio against the real
 * server process (`node dist/server.js --stdio`): edit → publishDiagnostics for
 * that version, completion and hover round trips, and the server's memory.
 * Prints figures; asserts nothing (timings on a busy machine are not tests).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SERVER_NODE_FLAGS } from '../core/src/protocol';
import { benchCliValidate } from './benchCli';
import { LspSession, startLanguageServer } from '../test/support/lspProcess';
import { positionAt, REPO_ROOT } from '../test/support/testUtil';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]): string {
  return `p50 ${percentile(samples, 50).toFixed(2)} ms  p95 ${percentile(samples, 95).toFixed(2)} ms  max ${Math.max(...samples).toFixed(2)} ms  (n=${samples.length})`;
}

/** A series with `count` six-digit product ids, pretty-printed like a person's file (~880 KB for 50,000). */
export function bigSeriesText(count: number): string {
  const base = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8'));
  const ids = Array.from({ length: count }, (_, i) => 100_000 + i);
  base.CouponSeriesV2.productInfo = [{ productType: 'SKU', productIds: ids }];
  return JSON.stringify(base, null, 2);
}

function serverRssMb(session: LspSession): number {
  const status = readFileSync(`/proc/${session.process.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** RSS of a server holding `text` after `edits` edits inside a value, started with the given flags. */
async function memoryAfterEdits(text: string, nodeFlags: readonly string[], edits: number): Promise<number> {
  const session = await startLanguageServer({ nodeFlags });
  const uri = 'file:///bench/memory.coupon.json';
  try {
    session.open(uri, text);
    await session.diagnostics(uri, 1, 60_000);
    const at = positionAt(text, text.indexOf('"description": "') + '"description": "'.length);
    for (let i = 0; i < edits; i++) {
      const version = session.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: i % 2 ? 'D' : 'd' }]);
      await session.diagnostics(uri, version, 60_000);
    }
    return serverRssMb(session);
  } finally {
    await session.stop();
  }
}

async function measure(label: string, text: string, rounds: number): Promise<void> {
  const session = await startLanguageServer();
  const uri = `file:///bench/${label.replace(/\W+/g, '-')}.coupon.json`;
  try {
    session.open(uri, text);
    await session.diagnostics(uri, 1, 60_000);
    // Edit inside "description": what typing in a value looks like to the server.
    const anchor = text.indexOf('"description": "') + '"description": "'.length;
    const at = positionAt(text, anchor);
    const editTimes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const version = session.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: i % 2 ? 'D' : 'd' }]);
      await session.diagnostics(uri, version, 60_000);
      editTimes.push(performance.now() - started);
    }
    // A structural edit (a new property, then its removal) cannot reuse the tree: a full parse.
    const structuralAt = positionAt(text, text.indexOf('"CouponSeriesV2": {') + '"CouponSeriesV2": {'.length);
    const structuralTimes: number[] = [];
    const inserted = '"info": "x",';
    for (let i = 0; i < Math.min(rounds, 40); i++) {
      const started = performance.now();
      const change = i % 2 === 0
        ? { range: { start: structuralAt, end: structuralAt }, text: inserted }
        : { range: { start: structuralAt, end: { line: structuralAt.line, character: structuralAt.character + inserted.length } }, text: '' };
      const version = session.change(uri, [change]);
      await session.diagnostics(uri, version, 60_000);
      structuralTimes.push(performance.now() - started);
    }
    const completionAt = positionAt(text, text.indexOf('"expiryStrategyType": "') + '"expiryStrategyType": "'.length);
    const hoverAt = positionAt(text, text.indexOf('"discountType"') + 3);
    const completionTimes: number[] = [];
    const hoverTimes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let started = performance.now();
      await session.request('textDocument/completion', { textDocument: { uri }, position: completionAt });
      completionTimes.push(performance.now() - started);
      started = performance.now();
      await session.request('textDocument/hover', { textDocument: { uri }, position: hoverAt });
      hoverTimes.push(performance.now() - started);
    }
    console.log(`\n${label} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB)`);
    console.log(`  edit → diagnostics  ${summary(editTimes)}   (typing inside a value)`);
    console.log(`  edit → diagnostics  ${summary(structuralTimes)}   (adding/removing a property: full parse)`);
    console.log(`  completion          ${summary(completionTimes)}`);
    console.log(`  hover               ${summary(hoverTimes)}`);
    console.log(`  server memory (RSS) ${serverRssMb(session).toFixed(1)} MB   (after all of the above; node ${SERVER_NODE_FLAGS.join(' ')}, as the extension starts it)`);
  } finally {
    await session.stop();
  }
}

async function main(): Promise<void> {
  console.log(`Coupon Series benchmark (node ${process.version}, ${ROUNDS} rounds)`);
  console.log('\ncoupon validate (CLI)');
  for (const line of await benchCliValidate()) console.log(`  ${line}`);
  const vendor = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
  await measure('vendor example', vendor, ROUNDS);
  const big = bigSeriesText(50_000);
  await measure('50,000 product ids', big, Math.max(20, Math.floor(ROUNDS / 4)));
  const [withFlags, plain] = [await memoryAfterEdits(big, SERVER_NODE_FLAGS, 50), await memoryAfterEdits(big, [], 50)];
  console.log(`  server memory (RSS) after opening it and 50 edits: ${withFlags.toFixed(1)} MB as the extension starts it, ${plain.toFixed(1)} MB as plain \`node dist/server.js --stdio\``);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
