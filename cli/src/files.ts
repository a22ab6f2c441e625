/**
 * Finding coupon files (paths, folders, simple globs with `*`, `**`, `?`),
 * reading many of them concurrently, and writing one atomically.
 */
import { randomBytes } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import { readFile } from 'node:fs';
import { readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

export const COUPON_SUFFIX = '.coupon.json';
/** Folders never searched (unless a path names one explicitly). */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git']);
const READ_CONCURRENCY = 64;

export function isCouponFile(name: string): boolean {
  return name.endsWith(COUPON_SUFFIX);
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** `path` relative to `cwd` with forward slashes, as messages, JSON and SARIF show it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative === '' ? path.basename(file) : relative).split(path.sep).join('/');
}

/** A regular expression for glob segments: `**` any number of folders, `*` and `?` within one name. */
export function globToRegExp(segments: readonly string[]): RegExp {
  let source = '';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      source += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    source += segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
    if (!last) source += '/';
  });
  return new RegExp(`^${source}$`);
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch {
    return undefined;
  }
}

/**
 * Every file below `root` (relative paths with `/`), folders in `SKIPPED_FOLDERS`
 * left out, at most `maxDepth` folders deep. Symbolic links to files count;
 * links to folders are not followed (no loops).
 */
async function walk(root: string, maxDepth: number, accept: (relative: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  async function visit(folder: string, relative: string, depth: number): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    const subfolders: Promise<void>[] = [];
    for (const entry of entries) {
      const entryRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && depth < maxDepth) subfolders.push(visit(full, entryRelative, depth + 1));
      } else if (entry.isFile() || (entry.isSymbolicLink() && (await statOrUndefined(full))?.isFile())) {
        if (accept(entryRelative)) found.push(full);
      }
    }
    await Promise.all(subfolders);
  }
  await visit(root, '', 0);
  return found;
}

export interface FoundFiles {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Paths that do not exist: bad usage. */
  missing: string[];
  /** Globs that matched nothing. */
  unmatched: string[];
}

/**
 * The files `coupon validate` checks: a file is taken as given, a folder is
 * searched for `*.coupon.json`, a glob selects the files it matches (a glob
 * ending in `**` means the coupon files below it).
 */
export async function findCouponFiles(inputs: readonly string[], cwd: string): Promise<FoundFiles> {
  const files = new Set<string>();
  const missing: string[] = [];
  const unmatched: string[] = [];
  await Promise.all(
    inputs.map(async (input) => {
      if (!isGlob(input)) {
        const absolute = path.resolve(cwd, input);
        const stats = await statOrUndefined(absolute);
        if (!stats) missing.push(input);
        else if (stats.isDirectory()) (await walk(absolute, Infinity, isCouponFile)).forEach((file) => files.add(file));
        else files.add(absolute);
        return;
      }
      const segments = input.split('/');
      if (segments[segments.length - 1] === '**') segments.push(`*${COUPON_SUFFIX}`);
      const firstWild = segments.findIndex(isGlob);
      const base = path.resolve(cwd, segments.slice(0, firstWild).join('/') || '.');
      const rest = segments.slice(firstWild);
      const pattern = globToRegExp(rest);
      const maxDepth = rest.includes('**') ? Infinity : rest.length - 1;
      const matched = await walk(base, maxDepth, (relative) => pattern.test(relative));
      if (matched.length === 0) unmatched.push(input);
      matched.forEach((file) => files.add(file));
    }),
  );
  return { files: [...files].sort(), missing, unmatched };
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

/**
 * Replaces `file`'s content in one step: a temporary file in the same folder,
 * then a rename, so a crash or a full disk never leaves half a file. Keeps
 * the file's permission bits.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const existing = await statOrUndefined(file);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx', ...(existing ? { mode: existing.mode & 0o777 } : {}) });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Editors hide a UTF-8 byte order mark and so does the language server's client: the CLI reads past it too. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
