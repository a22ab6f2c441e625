/**
 * `npm run bench`: what a person feels, measured over stdio against the real
 * server process (`node dist/server.js --stdio`): edit → publishDiagnostics for
 * that version, completion and hover round trips, and the server's memory.
 * Prints figures; asserts nothing (timings on a busy machine are not tests).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
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

/** A series with `count` product ids, pretty-printed like a person's file (~840 KB for 50,000). */
export function bigSeriesText(count: number): string {
  const base = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8'));
  const ids = Array.from({ length: count }, (_, i) => 1_000_000 + i);
  base.CouponSeriesV2.productInfo = [{ productType: 'SKU', productIds: ids }];
  return JSON.stringify(base, null, 2);
}

function serverRssMb(session: LspSession): number {
  const status = readFileSync(`/proc/${session.process.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
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
    console.log(`  edit → diagnostics  ${summary(editTimes)}`);
    console.log(`  completion          ${summary(completionTimes)}`);
    console.log(`  hover               ${summary(hoverTimes)}`);
    console.log(`  server memory (RSS) ${serverRssMb(session).toFixed(1)} MB`);
  } finally {
    await session.stop();
  }
}

async function main(): Promise<void> {
  console.log(`Coupon Series language server benchmark (node ${process.version}, ${ROUNDS} rounds)`);
  const vendor = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
  await measure('vendor example', vendor, ROUNDS);
  await measure('50,000 product ids', bigSeriesText(50_000), Math.max(20, Math.floor(ROUNDS / 4)));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
