/**
 * Finding coupon files (paths, folders, globs) and reading many of them
 * concurrently (writes are the engine's: core/src/node/seriesFiles.ts). Which files count is
 * core/src/fileSelection.ts's rule, shared with the editor.
 */
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { COUPON_FILE_PATTERN, couponSuffixAnyCase, isExcluded, SelectionRules, SKIPPED_FOLDERS } from '../../core/src/fileSelection';
import { withoutByteOrderMark } from '../../core/src/node/seriesFiles';
import { FILE_SUFFIX } from '../../core/src/protocol';

export const COUPON_SUFFIX = FILE_SUFFIX;
const READ_CONCURRENCY = 64;
const SKIPPED = SKIPPED_FOLDERS.map((folder) => `**/${folder}/**`);

/** `path` relative to `cwd` with forward slashes, as messages, JSON and SARIF show it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative === '' ? path.basename(file) : relative).split(path.sep).join('/');
}

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
        pattern = scanned.glob.endsWith('**') ? `${scanned.glob}/*${COUPON_SUFFIX}` : scanned.glob;
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

export interface ReadResult {
  file: string;
  text?: string;
  /** Why the file could not be read (`ENOENT`, `EACCES`...). */
  error?: string;
}

/**
 * Reads the files with up to 64 reads in flight, handing each to `onRead` as it
 * arrives (so validating one overlaps reading the next); the results come back
 * in the order of `files`. Callback `readFile`: half the overhead of the promise API.
 */
export function readFiles<T>(files: readonly string[], onRead: (result: ReadResult, index: number) => T): Promise<T[]> {
  const results: T[] = new Array(files.length);
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    if (files.length === 0) resolve(results);
    const start = (): void => {
      if (next >= files.length) return;
      const index = next++;
      const file = files[index];
      readFile(file, 'utf8', (error, text) => {
        try {
          results[index] = onRead(error ? { file, error: error.code ?? error.message } : { file, text: withoutByteOrderMark(text) }, index);
        } catch (failure) {
          reject(failure);
          return;
        }
        if (++done === files.length) resolve(results);
        else start();
      });
    };
    for (let slot = 0; slot < Math.min(READ_CONCURRENCY, files.length); slot++) start();
  });
}
