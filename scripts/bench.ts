/**
 * `npm run bench`: what a person feels, measured over stdio against real server
 * processes started plainly (`node dist/server.js --stdio`, no Node flags, as
 * any editor starts it), side by side with VS Code's own JSON server
 * (vscode-langservers-extracted) on the same files and schema: initialize,
 * edit → publishDiagnostics for that version, completion and hover round trips,
 * and the server's memory after the whole session. Then the workspace-wide
 * check on 1,000 files, the parser figures behind core/src/fastParse.ts, and
 * the CLI. Prints figures and the targets; asserts nothing (timings on
 * a busy machine are not tests).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { buildTreeOfValidJson } from '../core/src/fastParse';
import { updateCouponDocument } from '../core/src/incrementalParse';
import { parseCouponDocument } from '../core/src/parse';
import { SERVER_NODE_FLAGS } from '../core/src/protocol';
import { benchCliValidate } from './benchCli';
import { LspSession, startLanguageServer } from '../test/support/lspProcess';
import { positionAt, REPO_ROOT } from '../test/support/testUtil';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const VSCODE_JSON_SERVER = path.join(REPO_ROOT, 'node_modules/vscode-langservers-extracted/lib/json-language-server/node/jsonServerMain.js');
const SCHEMA_URI = pathToFileURL(path.join(REPO_ROOT, 'schemas/coupon-series.schema.json')).href;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

/** A series with `count` six-digit product ids, pretty-printed like a person's file (~880 KB for 50,000). */
export function bigSeriesText(count: number): string {
  const base = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8'));
  const ids = Array.from({ length: count }, (_, i) => 100_000 + i);
  base.CouponSeriesV2.productInfo = [{ productType: 'SKU', productIds: ids }];
  return JSON.stringify(base, null, 2);
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** A language server under test: how to start it and how to know a version's diagnostics arrived. */
interface ServerUnderTest {
  name: string;
  languageId: string;
  /** Rounds are capped for a server that waits before validating (VS Code's JSON server: 500 ms). */
  maxRounds: number;
  start(): Promise<LspSession>;
  /** Resolves when diagnostics for `version` (sent after `published` earlier publications) arrive. */
  diagnostics(session: LspSession, uri: string, version: number, published: number): Promise<void>;
}

const couponServer: ServerUnderTest = {
  name: 'coupon server',
  languageId: 'coupon-json',
  maxRounds: Infinity,
  start: () => startLanguageServer({ nodeFlags: [] }),
  diagnostics: async (session, uri, version) => void (await session.diagnostics(uri, version, 60_000)),
};

/** The same server as the VS Code extension starts it (SERVER_NODE_FLAGS: a small young generation). */
const couponServerAsExtension: ServerUnderTest = {
  ...couponServer,
  name: 'coupon, extension flags',
  start: () => startLanguageServer({ nodeFlags: SERVER_NODE_FLAGS }),
};

/** VS Code's JSON server, given the same schema for *.coupon.json. It publishes without a version: the next publication after a change is that change's. */
const vscodeJsonServer: ServerUnderTest = {
  name: "VS Code's JSON server",
  languageId: 'json',
  maxRounds: 20,
  async start() {
    const session = await startLanguageServer({ nodeFlags: [], serverModule: VSCODE_JSON_SERVER, initializationOptions: { handledSchemaProtocols: ['file'], provideFormatter: true } });
    await session.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { json: { validate: { enable: true }, schemas: [{ fileMatch: ['*.coupon.json'], url: SCHEMA_URI }] } },
    });
    return session;
  },
  async diagnostics(session, uri, _version, published) {
    const deadline = Date.now() + 60_000;
    while (session.publishCount(uri) <= published) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  },
};

interface SessionFigures {
  initialize: number;
  open: number;
  typing: number[];
  structural: number[];
  syntaxError: number[];
  completion: number[];
  hover: number[];
  rss: number;
  peak: number;
  rssAfterSyntaxErrors: number;
}

/** Opens, types, edits structure, completes and hovers: a whole session on one file. */
async function session(server: ServerUnderTest, text: string, rounds: number): Promise<SessionFigures> {
  const started = performance.now();
  const lsp = await server.start();
  const initialize = performance.now() - started;
  const uri = `file:///bench/session-${Math.random().toString(36).slice(2)}.coupon.json`;
  const figures: SessionFigures = { initialize, open: 0, typing: [], structural: [], syntaxError: [], completion: [], hover: [], rss: 0, peak: 0, rssAfterSyntaxErrors: 0 };
  const timed = async (change: Parameters<LspSession['change']>[1]) => {
    const published = lsp.publishCount(uri);
    const begin = performance.now();
    const version = lsp.change(uri, change);
    await server.diagnostics(lsp, uri, version, published);
    return performance.now() - begin;
  };
  try {
    rounds = Math.min(rounds, server.maxRounds);
    let begin = performance.now();
    lsp.open(uri, text, server.languageId);
    await server.diagnostics(lsp, uri, 1, 0);
    figures.open = performance.now() - begin;
    // Typing inside "description": what most keystrokes look like to a server.
    const at = positionAt(text, text.indexOf('"description": "') + '"description": "'.length);
    for (let i = 0; i < rounds; i++) {
      figures.typing.push(await timed([{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: i % 2 ? 'D' : 'd' }]));
    }
    // Adding a property, then removing it (valid JSON both ways); later a duplicate key (a syntax problem).
    const structuralAt = positionAt(text, text.indexOf('"CouponSeriesV2": {') + '"CouponSeriesV2": {'.length);
    const insertAndRemove = async (inserted: string, samples: number[], count: number) => {
      for (let i = 0; i < count; i++) {
        const end = i % 2 === 0 ? structuralAt : { line: structuralAt.line, character: structuralAt.character + inserted.length };
        samples.push(await timed([{ range: { start: structuralAt, end }, text: i % 2 === 0 ? inserted : '' }]));
      }
    };
    await insertAndRemove('"couponPrefix": "DIW",', figures.structural, Math.min(rounds, 40));
    const completionAt = positionAt(text, text.indexOf('"expiryStrategyType": "') + '"expiryStrategyType": "'.length);
    const hoverAt = positionAt(text, text.indexOf('"discountType"') + 3);
    for (let i = 0; i < rounds; i++) {
      begin = performance.now();
      await lsp.request('textDocument/completion', { textDocument: { uri }, position: completionAt });
      figures.completion.push(performance.now() - begin);
      begin = performance.now();
      await lsp.request('textDocument/hover', { textDocument: { uri }, position: hoverAt });
      figures.hover.push(performance.now() - begin);
    }
    Object.assign(figures, memoryMb(lsp.process.pid!));
    // A syntax problem cannot reuse the tree: every version is parsed whole (kept out of the session's memory figure).
    await insertAndRemove('"info": "x",', figures.syntaxError, Math.min(rounds, 20));
    figures.rssAfterSyntaxErrors = memoryMb(lsp.process.pid!).rss;
    return figures;
  } finally {
    await lsp.stop();
  }
}

function row(label: string, values: string[]): string {
  return `  ${label.padEnd(40)}${values.map((value) => value.padStart(24)).join('')}`;
}

function printSessions(title: string, servers: ServerUnderTest[], results: SessionFigures[]): void {
  console.log(`\n${title}`);
  console.log(row('', servers.map((server) => server.name)));
  const p = (pick: (figures: SessionFigures) => number[]) => results.map((figures) => `${ms(percentile(pick(figures), 50))} / ${ms(percentile(pick(figures), 95))}`);
  console.log(row('initialize (spawn → answer)', results.map((figures) => ms(figures.initialize))));
  console.log(row('open → diagnostics', results.map((figures) => ms(figures.open))));
  console.log(row('edit → diagnostics, typing    p50 / p95', p((figures) => figures.typing)));
  console.log(row('  adding/removing a property  p50 / p95', p((figures) => figures.structural)));
  console.log(row('  a duplicate key (syntax)    p50 / p95', p((figures) => figures.syntaxError)));
  console.log(row('completion                    p50 / p95', p((figures) => figures.completion)));
  console.log(row('hover                         p50 / p95', p((figures) => figures.hover)));
  console.log(row('memory after the session (RSS / peak)', results.map((figures) => `${figures.rss.toFixed(1)} / ${figures.peak.toFixed(1)} MB`)));
  console.log(row('memory after the duplicate keys too', results.map((figures) => `${figures.rssAfterSyntaxErrors.toFixed(1)} MB`)));
  console.log(row('rounds (typing, completion, hover)', results.map((figures) => String(figures.typing.length))));
}

/** 1,000 coupon files, a tenth of them with a problem; the server lists all their problems while a person types in an open file. */
async function workspaceBench(): Promise<{ allListed: number; editP95: number; editP50: number; edits: number }> {
  const root = mkdtempSync(path.join(tmpdir(), 'coupon-bench-workspace-'));
  const vendor = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
  const uris: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const file = path.join(root, `series-${String(i).padStart(4, '0')}.coupon.json`);
    writeFileSync(file, i % 10 === 0 ? vendor.replace('"discountType": "ABS"', '"discountType": "PCT"') : vendor.replace('"description": "', `"description": "${i} `));
    uris.push(pathToFileURL(file).href);
  }
  const lsp = await startLanguageServer({ nodeFlags: [], workspaceFolders: [pathToFileURL(root).href], configuration: () => [] });
  try {
    const open = uris[0];
    const text = readFileSync(new URL(open), 'utf8');
    lsp.open(open, text);
    await lsp.diagnostics(open, 1);
    const listed = new Set<string>();
    lsp.onPublish((params) => void (params.uri !== open && listed.add(params.uri)));
    const started = performance.now();
    await lsp.connection.sendNotification('couponSeries/workspaceFiles', { uris });
    const at = positionAt(text, text.indexOf('"description": "') + '"description": "'.length);
    const edits: number[] = [];
    let allListed = 0;
    for (let i = 0; listed.size < uris.length - 1; i++) {
      const begin = performance.now();
      const version = lsp.change(open, [{ range: { start: at, end: at }, text: 'x' }]);
      await lsp.diagnostics(open, version, 60_000);
      edits.push(performance.now() - begin);
      if (listed.size === uris.length - 1) allListed = performance.now() - started;
      // A fast typist: a keystroke every 30 ms.
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    allListed ||= performance.now() - started;
    return { allListed, editP50: percentile(edits, 50), editP95: percentile(edits, 95), edits: edits.length };
  } finally {
    await lsp.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Whole-document parse times on the 50,000-id file, and the structural edit that fastParse.ts makes cheap. */
function parserFigures(text: string): string[] {
  const times = (run: () => unknown, count = 20) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const begin = performance.now();
      run();
      samples.push(performance.now() - begin);
    }
    return percentile(samples, 50);
  };
  const service = getLanguageService({});
  const document = TextDocument.create('file:///bench/parse.coupon.json', 'coupon-json', 1, text);
  const general = times(() => service.parseJSONDocument(document));
  const fast = times(() => (JSON.parse(text), buildTreeOfValidJson(text)));
  const at = document.positionAt(text.indexOf('"CouponSeriesV2": {') + '"CouponSeriesV2": {'.length);
  const inserted = '"couponPrefix": "DIW",';
  let parsed = parseCouponDocument(document);
  const splice = times(() => {
    const adding = document.getText().includes(inserted);
    TextDocument.update(document, [{ range: { start: at, end: adding ? { line: at.line, character: at.character + inserted.length } : at }, text: adding ? '' : inserted }], document.version + 1);
    parsed = updateCouponDocument(parsed, document);
  });
  return [
    `whole document, JSON service parser      p50 ${ms(general)}`,
    `whole document, JSON.parse + fast tree   p50 ${ms(fast)}`,
    `a property added/removed, members re-parsed by the fast tree (incrementalParse.ts)   p50 ${ms(splice)}`,
  ];
}

function target(label: string, value: number, limit: number, unit: string): string {
  return `  ${label.padEnd(58)} ${value.toFixed(unit === 'MB' ? 1 : 2).padStart(8)} ${unit}   (target ≤ ${limit} ${unit}: ${value <= limit ? 'met' : 'NOT met'})`;
}

async function main(): Promise<void> {
  console.log(`Coupon Series benchmark (node ${process.version}, ${ROUNDS} rounds; servers started plainly: node <server> --stdio)`);
  const vendor = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
  const big = bigSeriesText(50_000);
  const servers = [couponServer, vscodeJsonServer];
  const vendorResults: SessionFigures[] = [];
  const bigResults: SessionFigures[] = [];
  for (const server of servers) vendorResults.push(await session(server, vendor, ROUNDS));
  printSessions(`vendor example (${(Buffer.byteLength(vendor) / 1024).toFixed(0)} KB)`, servers, vendorResults);
  const bigServers = [...servers, couponServerAsExtension];
  for (const server of bigServers) bigResults.push(await session(server, big, Math.max(20, Math.floor(ROUNDS / 4))));
  printSessions(`50,000 product ids (${(Buffer.byteLength(big) / 1024).toFixed(0)} KB)`, bigServers, bigResults);
  console.log(`  (extension flags: ${SERVER_NODE_FLAGS.join(' ')}, which the VS Code extension passes; every other column is a plain start)`);

  console.log('\nworkspace-wide check: 1,000 files of the vendor example’s size, one open and typed in every 30 ms');
  const workspace = await workspaceBench();
  console.log(`  all problems listed after              ${ms(workspace.allListed)}`);
  console.log(`  edit → diagnostics on the open file    p50 ${ms(workspace.editP50)}  p95 ${ms(workspace.editP95)}  (n=${workspace.edits})`);

  console.log('\nparsers on the 50,000-id file (in process)');
  for (const line of parserFigures(big)) console.log(`  ${line}`);

  console.log('\ncoupon validate (CLI)');
  for (const line of await benchCliValidate()) console.log(`  ${line}`);

  const [ours, oursBig] = [vendorResults[0], bigResults[0]];
  console.log('\nTargets (issue 11), coupon server started plainly');
  console.log(target('50,000 ids: memory (RSS) after the whole session', oursBig.rss, 80, 'MB'));
  console.log(target('50,000 ids: completion p95', percentile(oursBig.completion, 95), 5, 'ms'));
  console.log(target('50,000 ids: edit → diagnostics p95 (typing)', percentile(oursBig.typing, 95), 15, 'ms'));
  console.log(target('vendor example: edit → diagnostics p95 (typing)', percentile(ours.typing, 95), 5, 'ms'));
  console.log(target('vendor example: edit → diagnostics p95 (adding/removing a property)', percentile(ours.structural, 95), 5, 'ms'));
  console.log(target('vendor example: edit → diagnostics p95 (a duplicate key)', percentile(ours.syntaxError, 95), 5, 'ms'));
  console.log(target('vendor example: completion p95', percentile(ours.completion, 95), 5, 'ms'));
  console.log(target('vendor example: hover p95', percentile(ours.hover, 95), 5, 'ms'));
  console.log(target('initialize (spawn → answer)', Math.max(ours.initialize, oursBig.initialize), 100, 'ms'));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
