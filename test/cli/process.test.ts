/**
 * The bundled tool as a real process (`node dist/cli.js`, built by `npm run build`):
 * validate, and a round trip through `coupon sandbox` (stopped with SIGTERM) and `coupon push`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, vendorExample } from '../support/testUtil';
import { assertBundleBuilt, assertNoSecrets, BASIC_ENV, CLI_BUNDLE, couponProcess, tempFolder } from './support';

let folder: { dir: string; cleanup(): Promise<void> };

before(async () => {
  assertBundleBuilt();
  folder = await tempFolder({ 'a.coupon.json': vendorExample(), 'b.coupon.json': vendorExample().replace('"discountType": "ABS"', '"discountType": "HALF"') });
});
after(() => folder.cleanup());

test('node dist/cli.js validate: exit codes, output and the summary on stderr', async () => {
  const valid = await couponProcess(['validate', path.join(FIXTURES, 'valid')], { cwd: folder.dir });
  assert.equal(valid.code, 0, valid.stderr);
  assert.equal(valid.stdout, '');
  assert.equal(valid.stderr, '2 files, 0 errors, 0 warnings\n');

  const invalid = await couponProcess(['validate'], { cwd: folder.dir });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stdout, /^b\.coupon\.json:\d+:\d+: error unknown-enum-value "HALF" is not a valid discountType/);
  assert.equal(invalid.stderr, '2 files, 1 error, 0 warnings\n');

  const usage = await couponProcess(['validate', '--format', 'yaml'], { cwd: folder.dir });
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, 'coupon: error: --format must be one of text, json, sarif, not "yaml"\n');

  const sarif = await couponProcess(['validate', '--format', 'sarif', 'b.coupon.json'], { cwd: folder.dir });
  assert.equal(sarif.code, 1);
  assert.equal((JSON.parse(sarif.stdout) as { version: string }).version, '2.1.0');
});

test('node dist/cli.js sandbox + push: created over HTTP, recorded in the file, SIGTERM stops the sandbox', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, [CLI_BUNDLE, 'sandbox', '--port', '0', '--json'], { cwd: folder.dir, env: { PATH: process.env.PATH ?? '' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0]);
      });
      child.once('exit', () => reject(new Error(`the sandbox exited: ${stderr}`)));
    });
    const { url } = JSON.parse(firstLine) as { url: string };
    const pushed = await couponProcess(['push', 'a.coupon.json', '--host', url, '--auth', 'basic', '--json'], { cwd: folder.dir, env: BASIC_ENV });
    assertNoSecrets(pushed, 'push');
    assert.equal(pushed.code, 0, pushed.stderr);
    const result = JSON.parse(pushed.stdout) as { ok: boolean; results: { outcome: string; id: number }[] };
    assert.deepEqual([result.ok, result.results[0].outcome], [true, 'created']);
    const written = JSON.parse(await readFile(path.join(folder.dir, 'a.coupon.json'), 'utf8')) as { deployments: Record<string, { id: number }> };
    assert.deepEqual(Object.values(written.deployments).map((deployment) => deployment.id), [result.results[0].id]);
    const diff = await couponProcess(['diff', 'a.coupon.json', '--host', url, '--auth', 'basic'], { cwd: folder.dir, env: BASIC_ENV });
    assert.equal(diff.code, 0, diff.stderr);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, stderr);
  assert.match(stderr, /sandbox stopped \(SIGTERM\); 1 series/);
});
