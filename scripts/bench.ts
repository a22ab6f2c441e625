/**
 * `npm run bench`: what a person feels, measured over stdio against real server
 * processes started plainly (`node dist/server.js --stdio`, no Node flags, as
 * any editor starts it), side by side with VS Code's own JSON server
 * (vscode-langservers-extracted) on the same files and schema. Each file is
 * edited in two sessions, one per kind of change a client sends: ranged edits
 * (VS Code, Neovim) and whole-text changes (simpler clients). Per session:
 * edit → publishDiagnostics for that version, the server's CPU per edit, its
 * memory after the edits, the first completion and hover after the edits, a
 * completion or hover sent right behind an edit, warm round trips. Then
 * repeated starts (spawn → `initialize` answered), the workspace-wide check on
 * 1,000 files, the parser figures behind core/src/fastParse.ts, and the CLI.
 * Prints figures and the targets; asserts nothing (timings on a busy
 * machine are not tests).
 *
 * BENCH_ROUNDS (default 200) scales the rounds; BENCH_PARTS (comma-separated:
 * vendor, big, start, workspace, parsers, cli; default all) picks sections.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { buildTreeOfValidJson } from '../core/src/fastParse';
import { updateCouponDocument } from '../core/src/incrementalParse';
import { parseCouponDocument } from '../core/src/parse';
import { SERVER_NODE_FLAGS } from '../core/src/protocol';
import { benchCliValidate } from './benchCli';
import { LspSession, SERVER_MODULE, startLanguageServer } from '../test/support/lspProcess';
import { positionAt, REPO_ROOT } from '../test/support/testUtil';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'vendor,big,start,workspace,parsers,cli').split(','));
const VSCODE_JSON_SERVER = path.join(REPO_ROOT, 'node_modules/vscode-langservers-extracted/lib/json-language-server/node/jsonServerMain.js');
const SCHEMA_URI = pathToFileURL(path.join(REPO_ROOT, 'schemas/coupon-series.schema.json')).href;

function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`);
const p50p95 = (samples: readonly number[]) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))}`;

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

/** CPU time (user + system, every thread) a process has used, in ms (Linux clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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

/**
 * The coupon server with core/src/fastParse.ts left out (its two entry points
 * answer "use the general parser"): every parse is the JSON service's, and a
 * structural edit re-parses the whole text. dist/server.js is copied beside a
 * language service bundle built without it.
 */
async function couponServerWithoutFastTree(): Promise<{ server: ServerUnderTest; dispose(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'coupon-bench-no-fast-tree-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { precompiledModuleSource } = require(path.join(REPO_ROOT, 'scripts/validatorCode.cjs')) as { precompiledModuleSource(schema: unknown): string };
  await esbuild.build({
    entryPoints: { languageService: path.join(REPO_ROOT, 'core/src/languageService.ts') },
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    logLevel: 'error',
    plugins: [
      {
        name: 'bench-variant',
        setup(build) {
          build.onLoad({ filter: /core[\\/]src[\\/]precompiledValidators\.ts$/ }, () => ({
            contents: precompiledModuleSource(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas/coupon-series.annotated.json'), 'utf8'))),
            loader: 'js',
            resolveDir: REPO_ROOT,
          }));
          build.onLoad({ filter: /core[\\/]src[\\/]fastParse\.ts$/ }, () => ({
            contents: 'export const buildTreeOfValidJson = () => undefined; export const parseMembersOfFragment = () => undefined;',
            loader: 'js',
          }));
        },
      },
    ],
  });
  copyFileSync(SERVER_MODULE, path.join(dir, 'server.js'));
  const serverModule = path.join(dir, 'server.js');
  return {
    server: { ...couponServer, name: 'coupon, no fast tree', start: () => startLanguageServer({ nodeFlags: [], serverModule }) },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

type EditKind = 'ranged' | 'whole-text';

interface SessionFigures {
  initialize: number;
  open: number;
  typing: number[];
  structural: number[];
  /** Server CPU (all threads) per edit over the typing and structural edits. */
  cpuPerEdit: number;
  /** Memory right after the edits. */
  rss: number;
  peak: number;
  /** The session's first completion and hover, after the edits. */
  firstCompletion: number;
  firstHover: number;
  /** A completion (hover) sent right behind an edit: it may pay for that version's parse. */
  completionAfterEdit: number[];
  hoverAfterEdit: number[];
  /** Repeated requests on one version. */
  completion: number[];
  hover: number[];
  syntaxError: number[];
  rssAfterSyntaxErrors: number;
}

/**
 * One open document as the client sees it: its text, and changes sent as
 * ranges or as the whole text. The client's own work (positions, the new
 * text) is done when an edit is prepared, before any timer starts: sending is
 * what is timed (for a whole-text change, that includes serializing it).
 */
class EditedFile {
  constructor(
    private readonly lsp: LspSession,
    readonly uri: string,
    public text: string,
    private readonly kind: EditKind,
  ) {}

  /** Prepares replacing [start, end) with `inserted`; the function returned sends it and returns the new version. */
  replace(start: number, end: number, inserted: string): () => number {
    const range = { start: positionAt(this.text, start), end: positionAt(this.text, end) };
    this.text = this.text.slice(0, start) + inserted + this.text.slice(end);
    this.text.charCodeAt(0); // V8 joins the pieces of a concatenated string here, not while timed
    const change: string | TextDocumentContentChangeEvent[] = this.kind === 'ranged' ? [{ range, text: inserted }] : this.text;
    return () => this.lsp.change(this.uri, change);
  }
}

const afterKey = (text: string, key: string) => text.indexOf(`"${key}": `) + `"${key}": `.length;

/** Opens, types, edits structure, completes and hovers: a whole session on one file, with one kind of change. */
async function session(server: ServerUnderTest, text: string, kind: EditKind, rounds: number): Promise<SessionFigures> {
  const started = performance.now();
  const lsp = await server.start();
  const initialize = performance.now() - started;
  const pid = lsp.process.pid!;
  const file = new EditedFile(lsp, `file:///bench/session-${Math.random().toString(36).slice(2)}.coupon.json`, text, kind);
  const timed = async (send: () => number) => {
    const published = lsp.publishCount(file.uri);
    const begin = performance.now();
    await server.diagnostics(lsp, file.uri, send(), published);
    return performance.now() - begin;
  };
  const request = async (method: string, at: number) => {
    const params = { textDocument: { uri: file.uri }, position: positionAt(file.text, at) };
    const begin = performance.now();
    await lsp.request(method, params);
    return performance.now() - begin;
  };
  try {
    rounds = Math.min(rounds, server.maxRounds);
    const begin = performance.now();
    lsp.open(file.uri, text, server.languageId);
    await server.diagnostics(lsp, file.uri, 1, 0);
    const open = performance.now() - begin;
    // Typing inside "description" (one character replaced): what most keystrokes look like to a server.
    const typingAt = afterKey(text, 'description') + 1;
    const type = (i: number) => file.replace(typingAt, typingAt + 1, i % 2 ? 'D' : 'd');
    // Adding a property, then removing it (valid JSON both ways); later a duplicate key (a syntax problem).
    const structuralAt = afterKey(text, 'CouponSeriesV2') + 1;
    const insertAndRemove = async (inserted: string, samples: number[], count: number) => {
      for (let i = 0; i < count; i++) {
        samples.push(await timed(i % 2 === 0 ? file.replace(structuralAt, structuralAt, inserted) : file.replace(structuralAt, structuralAt + inserted.length, '')));
      }
    };
    const typing: number[] = [];
    const structural: number[] = [];
    const cpuBefore = cpuMs(pid);
    for (let i = 0; i < rounds; i++) typing.push(await timed(type(i)));
    await insertAndRemove('"couponPrefix": "DIW",', structural, Math.min(rounds, 40));
    const cpuPerEdit = (cpuMs(pid) - cpuBefore) / (typing.length + structural.length);
    const { rss, peak } = memoryMb(pid);
    // The completion offers expiryStrategyType's values; the hover explains discountType.
    const completionAt = afterKey(text, 'expiryStrategyType') + 1;
    const hoverAt = text.indexOf('"discountType"') + 3;
    const firstCompletion = await request('textDocument/completion', completionAt);
    const firstHover = await request('textDocument/hover', hoverAt);
    const completionAfterEdit: number[] = [];
    const hoverAfterEdit: number[] = [];
    for (let i = 0; i < Math.min(rounds, 40); i++) {
      const published = lsp.publishCount(file.uri);
      const send = type(i);
      const params = { textDocument: { uri: file.uri }, position: positionAt(file.text, i % 2 ? hoverAt : completionAt) };
      // The request goes right behind the change, as an editor sends a completion on typing; it is timed on its own.
      const version = send();
      const begin = performance.now();
      await lsp.request(i % 2 ? 'textDocument/hover' : 'textDocument/completion', params);
      (i % 2 ? hoverAfterEdit : completionAfterEdit).push(performance.now() - begin);
      await server.diagnostics(lsp, file.uri, version, published);
    }
    const completion: number[] = [];
    const hover: number[] = [];
    for (let i = 0; i < rounds; i++) {
      completion.push(await request('textDocument/completion', completionAt));
      hover.push(await request('textDocument/hover', hoverAt));
    }
    // A syntax problem cannot reuse the tree: every version is parsed whole (kept out of the session's memory figure).
    const syntaxError: number[] = [];
    await insertAndRemove('"info": "x",', syntaxError, Math.min(rounds, 20));
    const rssAfterSyntaxErrors = memoryMb(pid).rss;
    return { initialize, open, typing, structural, cpuPerEdit, rss, peak, firstCompletion, firstHover, completionAfterEdit, hoverAfterEdit, completion, hover, syntaxError, rssAfterSyntaxErrors };
  } finally {
    await lsp.stop();
  }
}

function row(label: string, values: string[]): string {
  return `  ${label.padEnd(44)}${values.map((value) => value.padStart(24)).join('')}`;
}

interface Column {
  server: ServerUnderTest;
  figures: Record<EditKind, SessionFigures>;
}

function printSessions(title: string, columns: Column[]): void {
  console.log(`\n${title}`);
  console.log(row('', columns.map(({ server }) => server.name)));
  const all = (pick: (figures: SessionFigures) => string) => columns.map(({ figures }) => pick(figures['ranged']));
  console.log(row('initialize (spawn → answer)', all((figures) => ms(figures.initialize))));
  console.log(row('open → diagnostics', all((figures) => ms(figures.open))));
  for (const kind of ['ranged', 'whole-text'] as const) {
    const each = (pick: (figures: SessionFigures) => string) => columns.map(({ figures }) => pick(figures[kind]));
    console.log(`  ${kind === 'ranged' ? 'ranged edits (VS Code, Neovim)' : 'whole-text changes (simpler clients)'}`);
    console.log(row('  edit → diagnostics, typing      p50 / p95', each((figures) => p50p95(figures.typing))));
    console.log(row('    adding/removing a property    p50 / p95', each((figures) => p50p95(figures.structural))));
    console.log(row('    server CPU per edit', each((figures) => ms(figures.cpuPerEdit))));
    console.log(row('  memory after the edits (RSS / peak)', each((figures) => `${figures.rss.toFixed(1)} / ${figures.peak.toFixed(1)} MB`)));
    console.log(row('  first completion / hover after the edits', each((figures) => `${ms(figures.firstCompletion)} / ${ms(figures.firstHover)}`)));
    console.log(row('  completion right after an edit  p50 / p95', each((figures) => p50p95(figures.completionAfterEdit))));
    console.log(row('  hover right after an edit       p50 / p95', each((figures) => p50p95(figures.hoverAfterEdit))));
    console.log(row('  completion (warm)               p50 / p95', each((figures) => p50p95(figures.completion))));
    console.log(row('  hover (warm)                    p50 / p95', each((figures) => p50p95(figures.hover))));
    console.log(row('  a duplicate key (syntax)        p50 / p95', each((figures) => p50p95(figures.syntaxError))));
    console.log(row('  memory after the duplicate keys too', each((figures) => `${figures.rssAfterSyntaxErrors.toFixed(1)} MB`)));
    console.log(row('  rounds (typing, warm requests)', each((figures) => String(figures.typing.length))));
  }
}

async function columns(servers: ServerUnderTest[], text: string, rounds: number): Promise<Column[]> {
  const result: Column[] = [];
  for (const server of servers) {
    result.push({ server, figures: { ranged: await session(server, text, 'ranged', rounds), 'whole-text': await session(server, text, 'whole-text', rounds) } });
  }
  return result;
}

/** Spawn → exit of `node -e 0`: what Node itself costs to start on this machine. */
function bareNodeStart(env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

/** Spawn → `initialize` answered, started plainly, `count` times. */
async function starts(server: ServerUnderTest, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const lsp = await server.start();
    samples.push(performance.now() - started);
    await lsp.stop();
  }
  return samples;
}

const spread = (samples: readonly number[]) => `${ms(percentile(samples, 50))} (${ms(Math.min(...samples))} – ${ms(Math.max(...samples))})`;

async function startBench(count: number): Promise<number[]> {
  console.log(`\nstart: spawn → initialize answered, ${count} starts each, started plainly: median (min – max)`);
  const ours = await starts(couponServer, count);
  const theirs = await starts(vscodeJsonServer, count);
  const bare: number[] = [];
  for (let i = 0; i < count; i++) bare.push(await bareNodeStart(process.env));
  console.log(`  coupon server                          ${spread(ours)}`);
  console.log(`  VS Code's JSON server                  ${spread(theirs)}`);
  console.log(`  node -e 0 (spawn → exit)               ${spread(bare)}`);
  if (process.env.NODE_EXTRA_CA_CERTS) {
    // Node reads every certificate of that file before running any script: a cost of this machine's environment, shown apart.
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    delete process.env.NODE_EXTRA_CA_CERTS; // the servers are spawned with this process's environment
    const withoutExtra: number[] = [];
    const bareWithout: number[] = [];
    try {
      withoutExtra.push(...(await starts(couponServer, count)));
      for (let i = 0; i < count; i++) bareWithout.push(await bareNodeStart(process.env));
    } finally {
      process.env.NODE_EXTRA_CA_CERTS = extra;
    }
    console.log(`  this environment sets NODE_EXTRA_CA_CERTS (${extra}); without it:`);
    console.log(`    coupon server                        ${spread(withoutExtra)}`);
    console.log(`    node -e 0 (spawn → exit)             ${spread(bareWithout)}`);
  }
  return ours;
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
  const shown = Number.isNaN(value) ? '–' : value.toFixed(unit === 'MB' ? 1 : 2);
  return `  ${label.padEnd(66)} ${shown.padStart(8)} ${unit}   (target ≤ ${limit} ${unit}: ${value <= limit ? 'met' : 'NOT met'})`;
}

function printTargets(vendor: Column | undefined, big: Column | undefined, started: number[]): void {
  console.log('\nTargets (issue 17), coupon server started plainly');
  if (big) {
    const { ranged, 'whole-text': whole } = big.figures;
    console.log(target('840 KB: ranged edit → diagnostics p95 (typing)', percentile(ranged.typing, 95), 10, 'ms'));
    console.log(target('840 KB: ranged edit → diagnostics p95 (adding/removing a property)', percentile(ranged.structural, 95), 10, 'ms'));
    console.log(target('840 KB: whole-text change → diagnostics p95 (typing)', percentile(whole.typing, 95), 25, 'ms'));
    console.log(target('840 KB: whole-text change → diagnostics p95 (adding/removing a property)', percentile(whole.structural, 95), 25, 'ms'));
    console.log(target('840 KB: RSS after ranged edits', ranged.rss, 80, 'MB'));
    console.log(target('840 KB: RSS after whole-text changes', whole.rss, 80, 'MB'));
    console.log(target('840 KB: first completion after edits (ranged / whole-text, worse)', Math.max(ranged.firstCompletion, whole.firstCompletion), 5, 'ms'));
    console.log(target('840 KB: first hover after edits (ranged / whole-text, worse)', Math.max(ranged.firstHover, whole.firstHover), 5, 'ms'));
    console.log(target('840 KB: completion right after an edit p95 (ranged)', percentile(ranged.completionAfterEdit, 95), 5, 'ms'));
    console.log(target('840 KB: hover right after an edit p95 (ranged)', percentile(ranged.hoverAfterEdit, 95), 5, 'ms'));
  }
  if (vendor) {
    const { ranged, 'whole-text': whole } = vendor.figures;
    console.log(target('vendor example: edit → diagnostics p95 (ranged, typing)', percentile(ranged.typing, 95), 3, 'ms'));
    console.log(target('vendor example: edit → diagnostics p95 (whole-text, typing)', percentile(whole.typing, 95), 3, 'ms'));
    console.log(target('vendor example: first completion / hover after edits (worse)', Math.max(ranged.firstCompletion, ranged.firstHover), 5, 'ms'));
  }
  if (started.length) console.log(target(`process start → initialize answered (median of ${started.length})`, percentile(started, 50), 100, 'ms'));
}

async function main(): Promise<void> {
  console.log(`Coupon Series benchmark (node ${process.version}, ${ROUNDS} rounds; servers started plainly: node <server> --stdio)`);
  const vendorText = readFileSync(path.join(REPO_ROOT, 'test/fixtures/valid/vendor-example.coupon.json'), 'utf8');
  const big = bigSeriesText(50_000);
  let vendor: Column[] = [];
  let bigColumns: Column[] = [];
  if (PARTS.has('vendor')) {
    vendor = await columns([couponServer, vscodeJsonServer], vendorText, ROUNDS);
    printSessions(`vendor example (${(Buffer.byteLength(vendorText) / 1024).toFixed(0)} KB)`, vendor);
  }
  if (PARTS.has('big')) {
    const withoutFastTree = await couponServerWithoutFastTree();
    try {
      bigColumns = await columns([couponServer, vscodeJsonServer, couponServerAsExtension, withoutFastTree.server], big, Math.max(20, Math.floor(ROUNDS / 4)));
    } finally {
      withoutFastTree.dispose();
    }
    printSessions(`50,000 product ids (${(Buffer.byteLength(big) / 1024).toFixed(0)} KB)`, bigColumns);
    console.log(`  (extension flags: ${SERVER_NODE_FLAGS.join(' ')}, which the VS Code extension passes; no fast tree: core/src/fastParse.ts left out; every other column is a plain start)`);
  }
  const started = PARTS.has('start') ? await startBench(10) : [];
  if (PARTS.has('workspace')) {
    console.log('\nworkspace-wide check: 1,000 files of the vendor example’s size, one open and typed in every 30 ms');
    const workspace = await workspaceBench();
    console.log(`  all problems listed after              ${ms(workspace.allListed)}`);
    console.log(`  edit → diagnostics on the open file    p50 ${ms(workspace.editP50)}  p95 ${ms(workspace.editP95)}  (n=${workspace.edits})`);
  }
  if (PARTS.has('parsers')) {
    console.log('\nparsers on the 50,000-id file (in process)');
    for (const line of parserFigures(big)) console.log(`  ${line}`);
  }
  if (PARTS.has('cli')) {
    console.log('\ncoupon validate (CLI)');
    for (const line of await benchCliValidate()) console.log(`  ${line}`);
  }
  printTargets(vendor[0], bigColumns[0], started);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
