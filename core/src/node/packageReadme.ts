/**
 * This package's README, for the link from each diagnostic to its rule's row
 * (`codeDescription`, `helpUri` in SARIF) where nobody says where it is: the
 * CLI, and the language server started by another editor (VS Code's client
 * names the installed extension's README). The bundles live in
 * `<package>/dist/`, the compiled tests in `<package>/out/…`. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const PACKAGE_NAME = 'coupon-series';
const MAX_LEVELS_UP = 4;

let found: string | null | undefined;

function packageReadme(): string | null {
  if (typeof __dirname !== 'string') return null;
  let directory = __dirname;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const readme = path.join(directory, 'README.md');
    const manifest = path.join(directory, 'package.json');
    try {
      if (existsSync(readme) && existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) {
        return pathToFileURL(readme).href;
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

/** The `file:` URI of this package's README, or undefined when it cannot be found (then diagnostics carry no link). */
export function defaultReadmeUri(): string | undefined {
  if (found === undefined) found = packageReadme();
  return found ?? undefined;
}
