/**
 * The editor's `couponSeries.extraCaCertificates`: a user (machine) setting,
 * which has no folder of its own to be relative to (local, remote, profiles),
 * so only absolute paths and `~/` paths are read.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** The absolute path `file` names, or undefined when it is relative. */
export function userCaCertificatePath(file: string, home = homedir()): string | undefined {
  const resolved = file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file;
  return path.isAbsolute(resolved) ? resolved : undefined;
}

/** The PEM text of each file; an Error naming the setting and the file when one is relative or unreadable. */
export async function readUserCaCertificates(files: readonly string[], setting: string): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      const resolved = userCaCertificatePath(file);
      if (!resolved) throw new Error(`The CA certificate file "${file}" (${setting}) is a relative path: give an absolute path, or one starting with ~/.`);
      try {
        return await readFile(resolved, 'utf8');
      } catch (error) {
        throw new Error(`Cannot read the CA certificate file ${file} (${setting}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }),
  );
}
