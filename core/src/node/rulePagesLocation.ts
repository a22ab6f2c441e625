/**
 * Where this package's rule pages are (docs/rules/), for the link from each
 * diagnostic to its rule's page (`codeDescription`, `helpUri` in SARIF) where
 * nobody says where they are: the CLI, and the language server started by
 * another editor (VS Code's client names the installed extension's). The
 * bundles live in `<package>/dist/`, the compiled tests in `<package>/out/…`.
 * Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_PAGES_PATH } from '../rules/rulePages';

const PACKAGE_NAME = 'coupon-series';
const MAX_LEVELS_UP = 4;

let found: string | null | undefined;

function packageRulePages(): string | null {
  if (typeof __dirname !== 'string') return null;
  let directory = __dirname;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const pages = path.join(directory, ...RULE_PAGES_PATH.split('/'));
    const manifest = path.join(directory, 'package.json');
    try {
      if (existsSync(pages) && existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) {
        return `${pathToFileURL(pages).href}/`;
      }
    } catch {
      // An unreadable manifest is not ours: keep looking.
    }
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return null;
}

/** The `file:` URI (ending in `/`) of this package's rule pages, or undefined when they cannot be found (then diagnostics carry no link). */
export function defaultRulePagesUri(): string | undefined {
  if (found === undefined) found = packageRulePages();
  return found ?? undefined;
}
