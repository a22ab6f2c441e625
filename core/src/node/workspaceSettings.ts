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

export const SETTINGS_FILE = path.join('.vscode', 'settings.json');

export interface WorkspaceSettings {
  read(key: string): unknown;
  problems: string[];
}

/** `.vscode/settings.json` of `folder` (JSONC): `couponSeries.<key>` flat, as VS Code writes it, or nested. */
export function readWorkspaceSettings(folder: string): WorkspaceSettings {
  const file = path.join(folder, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { read: () => undefined, problems: [] };
  }
  const errors: ParseError[] = [];
  const root: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems = errors.slice(0, 3).map((error) => `${SETTINGS_FILE}: ${printParseErrorCode(error.error)} at offset ${error.offset}`);
  const settings = typeof root === 'object' && root !== null && !Array.isArray(root) ? (root as Record<string, unknown>) : {};
  const nested = settings[SETTINGS_SECTION];
  return {
    read(key) {
      const flat = settings[`${SETTINGS_SECTION}.${key}`];
      if (flat !== undefined) return flat;
      return typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>)[key] : undefined;
    },
    problems,
  };
}

