/**
 * Real and simulated full disks for the file tests: a small tmpfs mounted for
 * the test (root only), and a fault in `FileHandle.prototype.write` that makes
 * chosen writes short or fail with ENOSPC (everywhere).
 */
import { spawnSync } from 'node:child_process';
import { FileHandle, mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const PAGE = 4096;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** A tmpfs of `sizeKiB` mounted on a new folder, or why not (not root, mount refused). */
export async function mountTmpfs(sizeKiB: number): Promise<{ folder: string; unmount: () => Promise<void> } | { skipped: string }> {
  if (!isRoot()) return { skipped: 'mounting a tmpfs needs root (CI runs as root)' };
  const folder = await mkdtemp(path.join(tmpdir(), 'coupon-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0755`, 'tmpfs', folder], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    await rm(folder, { recursive: true, force: true });
    return { skipped: `mount -t tmpfs failed: ${(mounted.stderr || mounted.error?.message || `status ${mounted.status}`).trim()}` };
  }
  return {
    folder,
    async unmount() {
      spawnSync('umount', [folder]);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Fills the file system of `filler`'s folder, then frees `freePages` pages: exactly that much room is left. */
export async function fillLeaving(filler: string, freePages: number): Promise<void> {
  const chunk = Buffer.alloc(PAGE, 0x2e);
  const handle = await open(filler, 'w');
  let size = 0;
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(chunk, 0, chunk.length, size);
      size += bytesWritten;
      if (bytesWritten < chunk.length) break;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  await truncate(filler, Math.max(0, Math.ceil(size / PAGE) - freePages) * PAGE);
}

export interface WriteCall {
  /** The inode written to. */
  ino: bigint;
  position: number;
  length: number;
}

/**
 * What a write may do: `undefined` lets it through, a number caps the bytes
 * it writes (0: a write that makes no progress), an Error is thrown instead.
 */
export type WriteFault = (call: WriteCall) => number | Error | undefined;

export function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write (simulated)'), { code: 'ENOSPC', syscall: 'write' });
}

type HandleWrite = (this: FileHandle, buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => Promise<{ bytesWritten: number; buffer: Uint8Array }>;

/** Runs `work` with `fault` deciding every `FileHandle.write(buffer, offset, length, position)` (the calls of the code under test). */
export async function withWriteFault<T>(fault: WriteFault, work: () => Promise<T>): Promise<T> {
  const probe = path.join(tmpdir(), `coupon-fault-probe-${process.pid}`);
  await writeFile(probe, '');
  const handle = await open(probe, 'r');
  const prototype = Object.getPrototypeOf(handle) as { write: HandleWrite };
  await handle.close();
  await rm(probe, { force: true });
  const original = prototype.write;
  prototype.write = async function (this: FileHandle, buffer, offset = 0, length, position) {
    if (!(buffer instanceof Uint8Array) || typeof position !== 'number') return original.call(this, buffer, offset, length, position);
    const wanted = length ?? buffer.byteLength - offset;
    const decision = fault({ ino: (await this.stat({ bigint: true })).ino, position, length: wanted });
    if (decision instanceof Error) throw decision;
    if (decision === undefined) return original.call(this, buffer, offset, wanted, position);
    if (decision <= 0) return { bytesWritten: 0, buffer };
    return original.call(this, buffer, offset, Math.min(wanted, decision), position);
  };
  try {
    return await work();
  } finally {
    prototype.write = original;
  }
}

/** A disk on which the file `ino` cannot grow past `limit` bytes: writes beyond are short, then ENOSPC (or, `noProgress`, write nothing). */
export function cannotGrowPast(ino: bigint, limit: number, noProgress = false): WriteFault {
  return (call) => {
    if (call.ino !== ino || call.position + call.length <= limit) return undefined;
    const room = limit - call.position;
    if (room > 0) return room;
    return noProgress ? 0 : noSpace();
  };
}
