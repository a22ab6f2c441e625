/**
 * Paths an agent names, kept inside the workspace: a path is taken only when
 * it, with every symbolic link on the way resolved, is inside the workspace
 * root (itself resolved), so `../x`, an absolute path elsewhere and a link out
 * of the folder are all refused. Reads are bounded.
 */
import { lstat, open, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';

/** Where a path resolved: inside the root (its real path and how to show it), or not. */
export type InsideRoot = { inside: true; path: string; relative: string } | { inside: false; reason: string };

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The real path of `file`, or of its nearest existing folder with the rest appended (a file about to be written). */
async function realPathOfMaybeMissing(file: string): Promise<string> {
  const missing: string[] = [];
  let current = file;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length ? path.join(real, ...missing.reverse()) : real;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A dangling link is refused like any other link we cannot follow.
      if (code !== 'ENOENT' || (await lstat(current).then(() => true, () => false))) throw error;
      const parent = path.dirname(current);
      if (parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** `/`-separated, relative to the root, as tools show paths. */
export function relativeToRoot(root: string, file: string): string {
  const relative = path.relative(root, file);
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/**
 * `input` (relative to `root`, or absolute) if it is inside `root` with its
 * links resolved. `root` must be a real path already (`workspaceRoot`).
 */
export async function resolveInsideRoot(root: string, input: string): Promise<InsideRoot> {
  if (input.includes('\0')) return { inside: false, reason: 'the path holds a NUL character' };
  const absolute = path.resolve(root, input);
  if (!isInside(root, absolute)) return { inside: false, reason: `${input} is outside the workspace root` };
  let real: string;
  try {
    real = await realPathOfMaybeMissing(absolute);
  } catch (error) {
    return { inside: false, reason: `${input} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!isInside(root, real)) return { inside: false, reason: `${input} leads outside the workspace root (through a symbolic link)` };
  return { inside: true, path: real, relative: relativeToRoot(root, real) };
}

/** The workspace root as every check compares it: absolute, links resolved; throws when it is not a folder. */
export async function workspaceRoot(folder: string): Promise<string> {
  const real = await realpath(path.resolve(folder));
  if (!(await stat(real)).isDirectory()) throw new Error(`${folder} is not a folder`);
  return real;
}

/** Whether `file` is a folder (false when it does not exist). */
export async function isFolder(file: string): Promise<boolean> {
  return stat(file).then((stats) => stats.isDirectory(), () => false);
}

export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
}

/** A file's text as UTF-8, refused (before reading it all) when it is larger than `maxBytes`. */
export async function readBoundedText(file: string, maxBytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new FileTooLargeError(`${path.basename(file)} is ${(size / 1024 / 1024).toFixed(1)} MB, more than a coupon file can be (${maxBytes / 1024 / 1024} MB)`);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(buffer, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}
