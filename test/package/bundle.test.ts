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

interface Metafile {
  inputs: Record<string, unknown>;
}

/** The inputs esbuild put in a bundle (scripts/build.mjs writes the metafiles to out/bundle-meta/). */
function bundleInputs(name: string): string[] {
  return Object.keys((JSON.parse(readFileSync(path.join(REPO_ROOT, 'out', 'bundle-meta', `${name}.json`), 'utf8')) as Metafile).inputs);
}

test('dist/mcp.js holds the stdio MCP server and what its tools need, nothing of the editor, the sandbox server or the SDK\'s HTTP transports', () => {
  const inputs = bundleInputs('mcp');
  const has = (pattern: RegExp) => inputs.some((input) => pattern.test(input));
  assert.ok(has(/@modelcontextprotocol\/sdk\/dist\/esm\/server\/index\.js$/), 'the low-level server');
  assert.ok(has(/@modelcontextprotocol\/sdk\/dist\/esm\/server\/stdio\.js$/), 'the stdio transport');
  assert.ok(has(/core\/src\/agent\/index\.ts$/), 'the shared tools');
  const unwanted: [string, RegExp][] = [
    ['the language client', /node_modules\/vscode-languageclient\//],
    ['the language server', /node_modules\/vscode-languageserver\//],
    ['the extension', /^client\//],
    ['the language server\'s code', /^server\//],
    ['other CLI commands', /^cli\/src\/commands\//],
    ['the sandbox server', /core\/src\/sandbox\/(server|store|checks|responses|faults|auth|control)\.ts$/],
    ['the SDK\'s client', /@modelcontextprotocol\/sdk\/dist\/esm\/client\//],
    ['the SDK\'s HTTP transports', /@modelcontextprotocol\/sdk\/dist\/esm\/server\/(sse|streamableHttp|webStandardStreamableHttp|express)\.js$/],
    ['the SDK\'s McpServer', /@modelcontextprotocol\/sdk\/dist\/esm\/server\/mcp\.js$/],
    ['HTTP frameworks', /node_modules\/(express|hono|@hono\/node-server|cors|express-rate-limit|raw-body|eventsource|jose|pkce-challenge|cross-spawn)\//],
  ];
  for (const [what, pattern] of unwanted) assert.deepEqual(inputs.filter((input) => pattern.test(input)), [], `${what} in dist/mcp.js`);
});

test('the MCP SDK is only in dist/mcp.js: the CLI requires that bundle for `coupon mcp` alone, and the extension never loads it', () => {
  for (const name of ['cli', 'extension']) {
    const inputs = bundleInputs(name);
    assert.deepEqual(inputs.filter((input) => /node_modules\/(@modelcontextprotocol|zod)\//.test(input)), [], `the MCP SDK in dist/${name}.js`);
    assert.deepEqual(inputs.filter((input) => /cli\/src\/mcp\/server\.ts$/.test(input)), [], `the MCP server in dist/${name}.js`);
  }
  assert.ok(bundleInputs('cli').includes('cli/src/mcp/load.ts'));
  assert.match(bundle('cli.js'), /require\("\.\/mcp\.js"\)/, 'the CLI requires ./mcp.js when the command runs');
  assert.ok(bundleInputs('extension').some((input) => /core\/src\/agent\/index\.ts$/.test(input)), 'the extension runs the same tool code');
});
