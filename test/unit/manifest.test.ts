/**
 * The manifest must repeat some facts (setting defaults, host suggestions,
 * command ids) because VS Code reads them from package.json: these tests keep
 * it in step with the code that owns them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_SANDBOX_PORT, LOCAL_SANDBOX_NAME, REGIONAL_HOSTS, SETTING_KEYS, SETTINGS_SECTION } from '../../core/src/environments';
import { FILE_SUFFIX, LANGUAGE_CLIENT_ID, LANGUAGE_ID, LANGUAGE_SETTING_KEYS } from '../../core/src/protocol';
import { REPO_ROOT } from '../support/testUtil';

interface Manifest {
  engines: { vscode: string };
  contributes: {
    languages: { id: string; extensions: string[] }[];
    commands: { command: string; category: string }[];
    configuration: { properties: Record<string, { default?: unknown; items?: { properties?: Record<string, { examples?: string[] }> } }> };
  };
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;

test('every setting the code reads is contributed, with the code\'s default', () => {
  const contributed = Object.keys(settings).map((key) => key.slice(SETTINGS_SECTION.length + 1)).sort();
  assert.deepEqual(contributed, [...new Set([...Object.values(SETTING_KEYS), ...LANGUAGE_SETTING_KEYS])].sort());
  assert.equal(settings[`${SETTINGS_SECTION}.activeEnvironment`].default, LOCAL_SANDBOX_NAME);
  assert.equal(settings[`${SETTINGS_SECTION}.requestTimeoutSeconds`].default, DEFAULT_REQUEST_TIMEOUT_SECONDS);
  assert.equal(settings[`${SETTINGS_SECTION}.sandboxPort`].default, DEFAULT_SANDBOX_PORT);
});

test('couponSeries.trace.server is the language client\'s trace setting (read by the client\'s id)', () => {
  const trace = settings[`${LANGUAGE_CLIENT_ID}.trace.server`] as { enum?: string[]; default?: unknown } | undefined;
  assert.deepEqual(trace?.enum, ['off', 'messages', 'verbose']);
  assert.equal(trace?.default, 'off');
});

test('the host suggestions are the regional hosts', () => {
  const examples = settings[`${SETTINGS_SECTION}.environments`].items?.properties?.host.examples;
  assert.deepEqual(examples, REGIONAL_HOSTS.map((host) => host.host));
});

test('the language and its files are the ones the server serves', () => {
  assert.deepEqual(manifest.contributes.languages.map((language) => [language.id, language.extensions]), [[LANGUAGE_ID, [FILE_SUFFIX]]]);
});

test('engines.vscode allows VS Code 1.100 (the real-editor tests run it)', () => {
  assert.match(manifest.engines.vscode, /^\^1\.(\d+)\.0$/);
  assert.ok(Number(/^\^1\.(\d+)/.exec(manifest.engines.vscode)?.[1]) <= 100);
});

test('every command is in the "Coupon Series" category and registered by the extension', () => {
  const source = readFileSync(path.join(REPO_ROOT, 'client/src/commands.ts'), 'utf8');
  for (const { command, category } of manifest.contributes.commands) {
    assert.equal(category, 'Coupon Series', command);
    assert.ok(source.includes(`'${command}'`), `${command} is registered in client/src/commands.ts`);
  }
});
