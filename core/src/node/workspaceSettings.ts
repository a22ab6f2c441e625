/**
 * The workspace's `.vscode/settings.json`, read the way VS Code reads it
 * (JSON with comments): the `couponSeries.*` settings the CLI shares with the
 * extension (environments, exclusions...). Kept apart from the network code,
 * so `coupon validate` loads no HTTP client.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';
import { SETTINGS_SECTION } from '../environments';
import { isJsonObject } from '../util';

export const SETTINGS_FILE = path.join('.vscode', 'settings.json');

export interface WorkspaceSettings {
  /** `couponSeries.<key>`. */
  read(key: string): unknown;
  /** Any setting by its full name (`files.exclude`), flat or nested. */
  readSetting(name: string): unknown;
  problems: string[];
}

/** `.vscode/settings.json` of `folder` (JSONC): `couponSeries.<key>` flat, as VS Code writes it, or nested. */
export function readWorkspaceSettings(folder: string): WorkspaceSettings {
  const file = path.join(folder, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { read: () => undefined, readSetting: () => undefined, problems: [] };
  }
  const errors: ParseError[] = [];
  const root: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems = errors.slice(0, 3).map((error) => `${SETTINGS_FILE}: ${printParseErrorCode(error.error)} at offset ${error.offset}`);
  const settings = isJsonObject(root) ? root : {};
  const readSetting = (name: string): unknown => {
    if (settings[name] !== undefined) return settings[name];
    const dot = name.indexOf('.');
    const section = dot > 0 ? settings[name.slice(0, dot)] : undefined;
    return typeof section === 'object' && section !== null ? (section as Record<string, unknown>)[name.slice(dot + 1)] : undefined;
  };
  return { read: (key) => readSetting(`${SETTINGS_SECTION}.${key}`), readSetting, problems };
}
