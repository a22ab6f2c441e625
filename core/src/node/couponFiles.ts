/**
 * Coupon files by path, folder or glob, on the file system: what `coupon
 * validate`, `plan` and `push` and the agent tools (`coupon mcp`, VS Code's
 * language model tools) work on. Which files count is
 * core/src/fileSelection.ts's rule; this module enumerates.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { COUPON_FILE_PATTERN, couponSuffixAnyCase, isExcluded, SelectionRules, SKIPPED_FOLDERS } from '../fileSelection';
import { FILE_SUFFIX } from '../protocol';

const SKIPPED = SKIPPED_FOLDERS.map((folder) => `**/${folder}/**`);

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch {
    return undefined;
  }
}

export interface FindOptions {
  /** The workspace folder: the rules' globs are relative to it. */
  cwd: string;
  /** `couponSeries.exclude` and `files.exclude`, applied to what folders and globs select (not to files named). */
  rules?: SelectionRules;
  /** Search folders and files whose names start with "." too (node_modules and .git never). */
  dot?: boolean;
}

export interface FoundFiles {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Paths that do not exist: bad usage. */
  missing: string[];
  /** Globs that selected nothing. */
  unmatched: string[];
  /** How many files a folder or glob selected that `exclusion` left out. */
  excluded: number;
}

/**
 * The files `coupon validate` checks: a file is taken as given, a folder is
 * searched for coupon files, a glob selects the files it matches (a glob
 * ending in `**` means the coupon files below it). Globs are picomatch's:
 * `*`, `?`, `**`, `[ab]`, `{a,b}`; the `.coupon.json` suffix matches in any
 * case (the editor's rule). `**` and `*` pass over names starting with "."
 * unless the pattern spells the dot or `dot` is set; node_modules and .git
 * are never searched; symbolic links are not followed.
 */
export async function findCouponFiles(inputs: readonly string[], options: FindOptions): Promise<FoundFiles> {
  const { cwd, rules } = options;
  const files = new Set<string>();
  const missing: string[] = [];
  const unmatched: string[] = [];
  const excluded = new Set<string>();
  const keep = (file: string): boolean => {
    // The search itself passes over node_modules, .git and "." names as `isSelected` does (it knows what a pattern spelled).
    if (!rules || !isExcluded(path.relative(cwd, file).split(path.sep).join('/'), rules)) return true;
    excluded.add(file);
    return false;
  };
  await Promise.all(
    inputs.map(async (input) => {
      const stats = await statOrUndefined(path.resolve(cwd, input));
      if (stats?.isFile()) {
        files.add(path.resolve(cwd, input));
        return;
      }
      const folder = stats?.isDirectory() ?? false;
      let base = input;
      let pattern = COUPON_FILE_PATTERN;
      if (!folder) {
        const scanned = picomatch.scan(input);
        if (!scanned.isGlob) {
          missing.push(input);
          return;
        }
        base = scanned.base;
        pattern = scanned.glob.endsWith('**') ? `${scanned.glob}/*${FILE_SUFFIX}` : scanned.glob;
      }
      const matched = await glob(couponSuffixAnyCase(pattern), {
        cwd: path.resolve(cwd, base),
        absolute: true,
        dot: options.dot ?? false,
        ignore: SKIPPED,
        expandDirectories: false,
        followSymbolicLinks: false,
      });
      const kept = matched.map((file) => path.normalize(file)).filter(keep);
      if (matched.length === 0 && !folder) unmatched.push(input);
      kept.forEach((file) => files.add(file));
    }),
  );
  return { files: [...files].sort(), missing, unmatched, excluded: [...excluded].filter((file) => !files.has(file)).length };
}
