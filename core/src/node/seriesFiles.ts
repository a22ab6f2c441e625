/**
 * Coupon files on the file system, for the engine: reads, locked updates and
 * new files. Updates go to the real file behind a symbolic link, are written
 * to a temporary file, fsynced and renamed over it (atomic); a file with hard
 * links is rewritten in place instead (a rename would leave the other names
 * on the old content), after an fsynced copy of the new text is put beside it.
 * New files are linked into place, so one that appeared meanwhile is never replaced.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import type { LockedFile, LockOptions, SeriesFiles } from '../engine/files';
import { EngineProblem } from '../engine/problems';
import { FileLockOptions, withFileLock } from './fileLock';

const BYTE_ORDER_MARK = '\ufeff';

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Editors hide a UTF-8 byte order mark, and so does the engine; writes put it back. */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}

function unreadable(file: string, error: unknown): EngineProblem {
  const code = errorCode(error);
  return new EngineProblem('unreadable', code === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${code ?? (error as Error).message}`);
}

async function syncFolder(folder: string): Promise<void> {
  // Makes the rename itself durable; not possible on every platform (Windows), where it is skipped.
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

function temporaryBeside(file: string, purpose: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.${purpose}`);
}

async function writeSynced(file: string, text: string, flags: string, mode?: number): Promise<void> {
  const handle = await open(file, flags, mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces the content of `real` (a resolved path) durably. */
export async function writeFileDurably(real: string, text: string): Promise<void> {
  const stats = await stat(real);
  if (stats.nlink > 1) {
    const copy = temporaryBeside(real, 'new');
    await writeSynced(copy, text, 'wx', stats.mode & 0o777);
    const handle = await open(real, 'r+');
    try {
      const bytes = Buffer.from(text, 'utf8');
      await handle.write(bytes, 0, bytes.length, 0);
      await handle.truncate(bytes.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await unlink(copy).catch(() => undefined);
    return;
  }
  const temporary = temporaryBeside(real, 'tmp');
  try {
    await writeSynced(temporary, text, 'wx', stats.mode & 0o777);
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
  const temporary = temporaryBeside(file, 'tmp');
  await writeSynced(temporary, text, 'wx', 0o644);
  try {
    await link(temporary, file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') throw new EngineProblem('exists', `${file} exists: nothing was written.`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    // No hard links here (some network or FAT file systems): exclusive create, then write.
    try {
      await writeSynced(file, text, 'wx', 0o644);
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
