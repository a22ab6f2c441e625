/**
 * The layers as the code's imports show them: the front ends (client/, cli/,
 * the agent tools) talk to the API only through the engine, never to the HTTP
 * client itself; the HTTP client (core/src/api/) knows nothing above it (no
 * environment policy, no engine). `tsc -p core` separately proves core/
 * imports neither `vscode` nor an LSP connection.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/testUtil';

function sources(folder: string): string[] {
  const root = path.join(REPO_ROOT, folder);
  return readdirSync(root).flatMap((name) => {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) return sources(path.join(folder, name));
    return name.endsWith('.ts') ? [path.join(folder, name)] : [];
  });
}

/** Every module a file imports (static imports, `export … from`, `require(…)`, `import(…)`), resolved to a repository path. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(|import\()\s*'([^']+)'/g)].map((match) => match[1]);
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => path.normalize(path.join(path.dirname(file), specifier)).split(path.sep).join('/'));
}

test('client/, cli/ and the agent tools (core/src/agent) reach the API only through the engine (core/src/engine), never core/src/api', () => {
  const offenders = [...sources('client/src'), ...sources('cli/src'), ...sources('core/src/agent')].flatMap((file) => importsOf(file).filter((target) => target.startsWith('core/src/api')).map((target) => `${file} → ${target}`));
  assert.deepEqual(offenders, []);
});

test('core/src/api imports nothing above it: no engine, no environment policy, no deployments (only the idioms of core/src/util)', () => {
  const below = (target: string) => target.startsWith('core/src/api') || target === 'core/src/util';
  const offenders = sources('core/src/api').flatMap((file) => importsOf(file).filter((target) => !below(target)).map((target) => `${file} → ${target}`));
  assert.deepEqual(offenders, []);
});
