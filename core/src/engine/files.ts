/**
 * How the engine reads and writes coupon files, injected by each platform:
 * the CLI uses the file system (`core/src/node/seriesFiles.ts`), the extension
 * the same for closed files and the editor's documents for open ones. The
 * lock is always the file system's, so the editor and the CLI exclude each other.
 */

/** A file held under its lock. */
export interface LockedFile {
  /** The file's text when the lock was taken (no writer of ours can change it while held). */
  readonly text: string;
  /**
   * Replaces the text by `change(current)`: computed on the text as it is at
   * write time (an editor buffer may have moved on), written atomically.
   */
  update(change: (current: string) => string): Promise<void>;
  /**
   * Throws a `locked` problem when the lock is no longer ours (another
   * process judged it abandoned and took it): checked right before sending
   * (so a taken-over lock never leads to a second create) and before a pull
   * writes. After a send the record is written regardless: losing it would be worse.
   */
  stillHeld(): Promise<void>;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** Called once when another process holds the lock and this one starts waiting. */
  onWait?: (holder: string) => void;
}

export interface SeriesFiles {
  /** The file's current text, unlocked (for reads: plan, compare). */
  read(file: string): Promise<string>;
  /** Runs `work` holding the file's cross-process lock, so two pushes of one file never both create. */
  withLock<T>(file: string, work: (locked: LockedFile) => Promise<T>, options?: LockOptions): Promise<T>;
  /** Writes a new file, failing with an `exists` problem when one is there (or appeared meanwhile): never replaces. */
  createNew(file: string, text: string): Promise<void>;
  /** The path of `name` in `folder`, as this platform writes paths. */
  resolve(folder: string, name: string): string;
}
