/**
 * Reading many coupon files concurrently, and paths as the CLI shows them.
 * Finding them (paths, folders, globs) is core/src/node/couponFiles.ts, shared
 * with the agent tools; which files count is core/src/fileSelection.ts's rule,
 * shared with the editor; writes are the engine's (core/src/node/seriesFiles.ts).
 */
import { readFile } from 'node:fs';
import * as path from 'node:path';
import { withoutByteOrderMark } from '../../core/src/node/seriesFiles';
import { FILE_SUFFIX } from '../../core/src/protocol';

export { findCouponFiles } from '../../core/src/node/couponFiles';
export type { FindOptions, FoundFiles } from '../../core/src/node/couponFiles';

export const COUPON_SUFFIX = FILE_SUFFIX;
const READ_CONCURRENCY = 64;

/** `path` relative to `cwd` with forward slashes, as messages, JSON and SARIF show it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return (relative === '' ? path.basename(file) : relative).split(path.sep).join('/');
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
