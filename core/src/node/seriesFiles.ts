/**
 * Coupon files on the file system, for the engine: reads, locked updates and
 * new files. Updates go to the real file behind a symbolic link, are written
 * to a temporary file, fsynced and renamed over it (atomic), keeping its
 * owner and mode; a file with hard links is rewritten in place instead (a
 * rename would leave the other names on the old content), after an fsynced
 * copy of its original content is put beside it, and written back from that
 * on any failure. New files are linked into place, so one that appeared
 * meanwhile is never replaced. Every write checks its byte count and is
 * fsynced (`fileWrites.ts`): a full disk is an error, never a cut file.
 */
import { randomBytes } from 'node:crypto';
import { constants, Stats } from 'node:fs';
import { link, mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { LockedFile, LockOptions, SeriesFiles } from '../engine/files';
import { EngineProblem } from '../engine/problems';
import { FileLockOptions, withFileLock } from './fileLock';
import { errorCode, O_NOFOLLOW, syncFolder, writeAll, writeNewFile } from './fileWrites';

const BYTE_ORDER_MARK = '\ufeff';

/** Editors hide a UTF-8 byte order mark, and so does the engine; writes put it back. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

function unreadable(file: string, error: unknown): EngineProblem {
  const code = errorCode(error);
  return new EngineProblem('unreadable', code === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${code ?? (error as Error).message}`);
}

function temporaryBeside(file: string, purpose: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.${purpose}`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rewrites a file with hard links in place (its inode, and so every name,
 * keeps the new content). Until the new content is fully on disk, a complete
 * fsynced copy of the original is beside it; any failure writes the original
 * back (that needs no new space: the file had those blocks) and only then
 * removes the copy. If even that fails, the copy stays and the error names it.
 */
async function rewriteInPlace(real: string, bytes: Uint8Array, stats: Stats): Promise<void> {
  const handle = await open(real, constants.O_RDWR | O_NOFOLLOW);
  try {
    const original = await handle.readFile();
    const copy = temporaryBeside(real, 'original');
    await writeNewFile(copy, original, { mode: 0o600, like: stats });
    await syncFolder(path.dirname(real));
    try {
      await writeAll(handle, bytes, 0, real);
      await handle.truncate(bytes.length);
      await handle.sync();
    } catch (error) {
      try {
        await writeAll(handle, original, 0, real);
        await handle.truncate(original.length);
        await handle.sync();
      } catch (restoreError) {
        const kept = new Error(`${messageOf(error)}; writing the original content back failed too (${messageOf(restoreError)}): it is kept in ${copy}`);
        (kept as NodeJS.ErrnoException).code = errorCode(error);
        throw kept;
      }
      await unlink(copy).catch(() => undefined);
      throw error;
    }
    await unlink(copy).catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** Replaces the content of `real` (a resolved path) durably, keeping its owner and mode. */
export async function writeFileDurably(real: string, text: string): Promise<void> {
  const stats = await stat(real);
  const bytes = Buffer.from(text, 'utf8');
  if (stats.nlink > 1) {
    await rewriteInPlace(real, bytes, stats);
    return;
  }
  const temporary = temporaryBeside(real, 'tmp');
  // Private until it has the old file's owner and mode (set before any byte is written).
  await writeNewFile(temporary, bytes, { mode: 0o600, like: stats });
  try {
    await rename(temporary, real);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(real));
}

/** Writes a new file at `file`; an `exists` problem when something is already there. */
export async function createFileExclusively(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const bytes = Buffer.from(text, 'utf8');
  const temporary = temporaryBeside(file, 'tmp');
  await writeNewFile(temporary, bytes);
  try {
    await link(temporary, file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') throw new EngineProblem('exists', `${file} exists: nothing was written.`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    // No hard links here (some network or FAT file systems): exclusive create, then write.
    try {
      await writeNewFile(file, bytes);
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') throw new EngineProblem('exists', `${file} exists: nothing was written.`);
      throw fallbackError;
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  await syncFolder(path.dirname(file));
}

/** The file's text without a byte order mark, and whether it had one. */
async function readText(file: string): Promise<{ text: string; bom: boolean }> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
  return { text: withoutByteOrderMark(raw), bom: raw.startsWith(BYTE_ORDER_MARK) };
}

export interface NodeSeriesFilesOptions {
  lock?: Pick<FileLockOptions, 'waitMs' | 'staleMs'>;
}

/** The engine's files on the local file system. */
export function createNodeSeriesFiles(options: NodeSeriesFilesOptions = {}): SeriesFiles {
  return {
    async read(file) {
      return (await readText(file)).text;
    },

    async withLock(file, work, lockOptions: LockOptions = {}) {
      let real: string;
      try {
        real = await realpath(file);
      } catch (error) {
        throw unreadable(file, error);
      }
      return withFileLock(
        real,
        async (held) => {
          const { text, bom } = await readText(real);
          const locked: LockedFile = {
            text,
            stillHeld: () => held.stillHeld(),
            async update(change) {
              const current = await readText(real);
              const next = change(current.text);
              if (next !== current.text) await writeFileDurably(real, (bom ? BYTE_ORDER_MARK : '') + next);
            },
          };
          return work(locked);
        },
        { ...options.lock, ...lockOptions },
      );
    },

    createNew: createFileExclusively,

    resolve: (folder, name) => path.join(folder, name),
  };
}
