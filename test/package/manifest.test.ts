/**
 * The manifest must repeat some facts (setting defaults, host suggestions,
 * command ids) because VS Code reads them from package.json: these tests keep
 * it in step with the code that owns them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_SANDBOX_PORT, ENVIRONMENT_PROPERTIES, REGIONAL_HOSTS, SETTING_KEYS, SETTINGS_SECTION } from '../../core/src/environments';
import { languageModelToolsManifest } from '../../core/src/agent';
import { EXCLUDE_SETTING_KEY } from '../../core/src/fileSelection';
import { FILE_SUFFIX, LANGUAGE_CLIENT_ID, LANGUAGE_ID, LANGUAGE_SETTING_KEYS } from '../../core/src/protocol';
import { REPO_ROOT } from '../support/testUtil';

interface Manifest {
  engines: { vscode: string };
  contributes: {
    languages: { id: string; extensions: string[] }[];
    commands: { command: string; category: string }[];
    configuration: { properties: Record<string, { default?: unknown; scope?: string; items?: { properties?: Record<string, { examples?: string[] }> } }> };
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; when?: string }[];
    views: Record<string, { id: string }[]>;
    languageModelTools: { name: string; tags: string[]; displayName: string; modelDescription: string; canBeReferencedInPrompt?: boolean; toolReferenceName?: string }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;

test('every setting the code reads is contributed, with the code\'s default', () => {
  const contributed = Object.keys(settings).map((key) => key.slice(SETTINGS_SECTION.length + 1)).sort();
  assert.deepEqual(contributed, [...new Set([...Object.values(SETTING_KEYS), EXCLUDE_SETTING_KEY, ...LANGUAGE_SETTING_KEYS])].sort());
  assert.equal(settings[`${SETTINGS_SECTION}.requestTimeoutSeconds`].default, DEFAULT_REQUEST_TIMEOUT_SECONDS);
  assert.equal(settings[`${SETTINGS_SECTION}.sandboxPort`].default, DEFAULT_SANDBOX_PORT);
  assert.deepEqual(settings[`${SETTINGS_SECTION}.${EXCLUDE_SETTING_KEY}`].default, []);
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
  const ids = readFileSync(path.join(REPO_ROOT, 'client/src/commandIds.ts'), 'utf8');
  const registered = readFileSync(path.join(REPO_ROOT, 'client/src/commands/index.ts'), 'utf8') + readFileSync(path.join(REPO_ROOT, 'client/src/seriesView.ts'), 'utf8');
  for (const { command, category } of manifest.contributes.commands) {
    assert.equal(category, 'Coupon Series', command);
    const name = new RegExp(`(\\w+): '${command.replace(/\./g, '\\.')}'`).exec(ids)?.[1];
    assert.ok(name, `${command} is in COMMAND_IDS (client/src/commandIds.ts)`);
    assert.ok(registered.includes(`registerCommand(COMMANDS.${name},`), `${command} is registered (client/src/commands/index.ts or the view)`);
  }
});

test('an environment entry in the manifest has exactly the properties the code reads', () => {
  const properties = Object.keys(settings[`${SETTINGS_SECTION}.environments`].items?.properties ?? {}).sort();
  assert.deepEqual(properties, [...ENVIRONMENT_PROPERTIES].sort());
});

test('only the user can turn off the confirmation before sending (application scope)', () => {
  assert.equal(settings[`${SETTINGS_SECTION}.confirmBeforeSending`].scope, 'application');
});

test('menus and keybindings name contributed commands; the view is registered by the extension', () => {
  const commands = new Set(manifest.contributes.commands.map((command) => command.command));
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) assert.ok(commands.has(entry.command), `${menu}: ${entry.command}`);
  }
  for (const binding of manifest.contributes.keybindings) assert.ok(commands.has(binding.command), binding.command);
  const view = readFileSync(path.join(REPO_ROOT, 'client/src/seriesView.ts'), 'utf8');
  for (const { id } of Object.values(manifest.contributes.views).flat()) assert.ok(view.includes(`'${id}'`), `${id} is created in client/src/seriesView.ts`);
});

test('the language model tools are the agent tools\' definitions (npm run generate), with names VS Code lets an extension register', () => {
  assert.deepEqual(manifest.contributes.languageModelTools, languageModelToolsManifest(), 'package.json is not current: run npm run generate');
  for (const tool of manifest.contributes.languageModelTools) {
    // VS Code's contribution schema: `^(?!copilot_|vscode_)[\\w-]+$`; tags must not start with those either.
    assert.match(tool.name, /^(?!copilot_|vscode_)[\w-]+$/);
    for (const tag of tool.tags) assert.doesNotMatch(tag, /^(copilot_|vscode_)/);
    assert.ok(tool.displayName && tool.modelDescription, 'required by VS Code');
    if (tool.canBeReferencedInPrompt) assert.match(tool.toolReferenceName ?? '', /^[\w-]+$/);
  }
  // lm.registerTool, lm.tools and LanguageModelTool.prepareInvocation are in the API since 1.95: the oldest VS Code the e2e suite runs (1.100) has them.
  assert.equal(manifest.engines.vscode, '^1.100.0');
});
