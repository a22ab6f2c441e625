/** The README's rule table is the documentation of every diagnostic: it must list each code with its real severity and source. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DIAGNOSTIC_CODES } from '../../core/src/codes';
import { REPO_ROOT } from '../support/testUtil';

const SEVERITY: Record<number, string> = { 1: 'error', 2: 'warning' };
const SOURCE: Record<string, string> = { json: 'JSON syntax', schema: 'schema', 'vendor docs': 'vendor docs', inferred: '**inferred**' };

test('the README rule table lists every code with its severity and source, and nothing else', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const match of readme.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning) \| ([^|]+) \|/gm)) {
    rows.set(match[1], [match[2], match[3].trim()]);
  }
  assert.deepEqual([...rows.keys()].sort(), Object.keys(DIAGNOSTIC_CODES).sort());
  for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
    assert.deepEqual(rows.get(code), [SEVERITY[info.severity], SOURCE[info.origin]], code);
  }
});

test('inferred rules are warnings', () => {
  for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
    if (info.origin === 'inferred') assert.equal(info.severity, 2, code);
  }
});
