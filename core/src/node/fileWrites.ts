/**
 * Writes that never report bytes as written when the disk did not take them:
 * every write's byte count is checked (a short write, as on a nearly full
 * disk, is continued; one that makes no progress is ENOSPC), files are
 * fsynced, and a file created here is removed again when writing it failed,
 * so a failure leaves nothing partial behind.
 */
import { constants, Stats } from 'node:fs';
import { FileHandle, open, unlink } from 'node:fs/promises';

/** O_NOFOLLOW is not defined on Windows, which has no symbolic links of that kind. */
export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** A new file: created here or not at all, and never through a symbolic link planted at its name. */
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function noSpaceLeft(file: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`ENOSPC: no space left on device, write '${file}' (the disk took no more bytes)`);
  error.code = 'ENOSPC';
  error.syscall = 'write';
  error.path = file;
  return error;
}

/** Writes all of `bytes` at `position` of `file` (its name, for the error): short writes are continued; one that writes nothing is ENOSPC. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number, file: string): Promise<void> {
  for (let written = 0; written < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, position + written);
    if (!(bytesWritten > 0)) throw noSpaceLeft(file);
    written += bytesWritten;
  }
}

/** What the file system may refuse when asked to keep an owner or mode (not root, FAT, some network mounts): the content still matters more. */
const OWNERSHIP_REFUSALS = new Set(['EPERM', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

async function unlessRefused(change: Promise<void>): Promise<void> {
  try {
    await change;
  } catch (error) {
    if (!OWNERSHIP_REFUSALS.has(errorCode(error) ?? '')) throw error;
  }
}

/**
 * Gives a file that replaces another the replaced file's owner, group and
 * exact mode: a write-back changes the content, not who may read it. The mode
 * is set with fchmod, which the umask does not filter; after chown, which
 * clears set-id bits. Only root may give a file away: others keep the group
 * when they are in it.
 */
export async function keepOwnerAndMode(handle: FileHandle, original: Stats): Promise<void> {
  const current = await handle.stat();
  if (current.uid !== original.uid || current.gid !== original.gid) {
    try {
      await handle.chown(original.uid, original.gid);
    } catch (error) {
      if (!OWNERSHIP_REFUSALS.has(errorCode(error) ?? '')) throw error;
      if (current.gid !== original.gid) await unlessRefused(handle.chown(current.uid, original.gid));
    }
  }
  await unlessRefused(handle.chmod(original.mode & 0o7777));
}

export interface NewFileOptions {
  /** Permission bits when created (the umask filters them); default 0o666. */
  mode?: number;
  /** A file this one replaces: its owner, group and exact mode are given to the new file before any byte is written. */
  like?: Stats;
}

/** Creates `file` (exclusively, never through a link), writes all of `bytes` and fsyncs it; on any failure the file is removed again. */
export async function writeNewFile(file: string, bytes: Uint8Array, options: NewFileOptions = {}): Promise<void> {
  let handle: FileHandle | undefined = await open(file, NEW_FILE, options.mode ?? 0o666);
  try {
    if (options.like) await keepOwnerAndMode(handle, options.like);
    await writeAll(handle, bytes, 0, file);
    await handle.sync();
    const written = handle;
    handle = undefined;
    // Some file systems (NFS) report a failed write only when the file is closed.
    await written.close();
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw error;
  }
}

/** Makes a rename or a new name durable; not possible on every platform (Windows), where it is skipped. */
export async function syncFolder(folder: string): Promise<void> {
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
