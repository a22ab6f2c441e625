/**
 * The CLI and the language server agree on every fixture: same codes,
 * severities, messages and ranges (`coupon validate --format json` run as a
 * real process against `node dist/server.js --stdio`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startLanguageServer } from '../support/lspProcess';
import { FIXTURES, REPO_ROOT } from '../support/testUtil';
import { couponProcess } from './support';

function couponFixtures(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return couponFixtures(full);
    return entry.name.endsWith('.coupon.json') ? [full] : [];
  });
}

interface Comparable {
  code: string;
  severity: number;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

test('the CLI reports exactly the language server\'s diagnostics on every fixture', { timeout: 120_000 }, async () => {
  const fixtures = couponFixtures(FIXTURES).sort();
  assert.ok(fixtures.length >= 30, `fixtures found: ${fixtures.length}`);
  const cli = await couponProcess(['validate', '--no-exclude', '--format', 'json', path.relative(REPO_ROOT, FIXTURES)], { cwd: REPO_ROOT, timeoutMs: 60_000 });
  assert.ok(cli.code === 0 || cli.code === 1, `validate exit code ${cli.code}: ${cli.stderr}`);
  const report = JSON.parse(cli.stdout) as { files: { path: string; diagnostics: { severity: string; code: string; message: string; range: Comparable['range'] }[] }[] };
  const fromCli = new Map(
    report.files.map((file) => [
      path.resolve(REPO_ROOT, file.path),
      file.diagnostics.map((d): Comparable => ({ code: d.code, severity: d.severity === 'error' ? 1 : d.severity === 'warning' ? 2 : 3, message: d.message, range: d.range })),
    ]),
  );
  assert.deepEqual([...fromCli.keys()].sort(), fixtures, 'the CLI checked every fixture');

  const server = await startLanguageServer();
  try {
    let compared = 0;
    for (const file of fixtures) {
      const uri = pathToFileURL(file).href;
      server.open(uri, readFileSync(file, 'utf8'));
      const fromServer = (await server.diagnostics(uri)).map(
        (d): Comparable => ({ code: String(d.code), severity: d.severity ?? 0, message: typeof d.message === 'string' ? d.message : String(d.message), range: d.range }),
      );
      assert.deepEqual(fromCli.get(file), fromServer, path.relative(FIXTURES, file));
      compared += fromServer.length;
      server.close(uri);
    }
    assert.ok(compared >= fixtures.length - 1, `diagnostics compared: ${compared}`);
  } finally {
    await server.stop();
  }
});
