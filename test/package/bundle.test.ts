/**
 * The extension's bundle leaves networking to VS Code: it must not carry
 * undici (whose agents would bypass VS Code's proxy and certificate support,
 * and which weighed 525 KB of the 1.3 MB bundle); the CLI keeps it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/testUtil';

const bundle = (name: string) => readFileSync(path.join(REPO_ROOT, 'dist', name), 'utf8');

test('dist/extension.js holds no undici; it sends through Node\'s http/https modules, which VS Code patches', () => {
  const extension = bundle('extension.js');
  assert.ok(!/node_modules[\\/]undici/.test(extension), 'undici is bundled into the extension');
  assert.match(extension, /require\("https"\)/, 'the extension requires "https" by the name VS Code patches');
  assert.ok(/node_modules[\\/]undici/.test(bundle('cli.js')), 'the CLI bundles undici');
});
