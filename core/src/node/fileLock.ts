/**
 * A cross-process lock on one file: a lock file created with O_EXCL, so of
 * two processes (two CLI runs, the CLI and the editor) exactly one holds it.
 * It is `.<name>.lock` beside the file; a file with several hard links is
 * locked by its inode instead (in the temporary folder), so its names exclude
 * each other too.
 *
 * A lock is broken only when its holder is surely gone: a process of this
 * machine that no longer runs, or (another machine's, or one being written)
 * a lock whose refresh time has not moved for `staleMs` while this process
 * watched. A live holder on this machine is never broken, however long it
 * holds; the holder can check it still holds the lock (`stillHeld`).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import { EngineProblem } from '../engine/problems';

export interface FileLockOptions {
  /** Give up waiting for another holder after this long (default 3 minutes). */
  waitMs?: number;
  /** Another machine's lock whose refresh time did not move for this long is stale (default 30 s; holders refresh every third of it). */
  staleMs?: number;
  signal?: AbortSignal;
  /** Called once, when the lock is held by someone else and waiting starts. */
  onWait?: (holder: string) => void;
}

export interface HeldLock {
  /** Throws a `locked` problem when the lock is no longer this holder's (it was broken as stale). */
  stillHeld(): Promise<void>;
}

interface LockContent {
  pid: number;
  hostname: string;
  since: string;
  token: string;
}

const DEFAULT_WAIT_MS = 180_000;
const DEFAULT_STALE_MS = 30_000;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** The lock file of `file` (a real path): beside it, or by inode for a file with several names. */
export async function lockPathOf(file: string): Promise<string> {
  let stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw new EngineProblem('unreadable', errorCode(error) === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${errorCode(error) ?? (error as Error).message}`);
  }
  if (stats.nlink <= 1) return path.join(path.dirname(file), `.${path.basename(file)}.lock`);
  // One folder per user: /tmp is shared, and another user's folder would not be writable.
  const folder = path.join(tmpdir(), `coupon-series-locks-${process.getuid?.() ?? userInfo().username}`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  return path.join(folder, `${stats.dev}-${stats.ino}.lock`);
}

/** The tokens of the locks this process holds now: a lock with this pid and another token is a crashed run's (the pid was reused). */
const heldTokens = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

interface SeenLock {
  content?: LockContent;
  mtimeMs: number;
}

async function readLock(lockPath: string): Promise<SeenLock | undefined> {
  try {
    const [text, stats] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    let content: LockContent | undefined;
    try {
      content = JSON.parse(text) as LockContent;
    } catch {
      // Being written right now, or truncated by a crash: judged by its refresh time alone.
    }
    return { ...(content ? { content } : {}), mtimeMs: stats.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function describe(content: LockContent | undefined): string {
  return content ? `process ${content.pid} on ${content.hostname}, since ${content.since}` : 'another process';
}

/** Watches one lock's refresh time from this process's clock, so another machine's clock never matters. */
class StalenessWatch {
  private mtimeMs = NaN;
  private unchangedSince = 0;

  constructor(private readonly staleMs: number) {}

  isStale(lock: SeenLock): boolean {
    const { content } = lock;
    if (content && content.hostname === hostname() && typeof content.pid === 'number') {
      if (content.pid === process.pid) return !heldTokens.has(content.token);
      return !processAlive(content.pid);
    }
    const now = Date.now();
    if (lock.mtimeMs !== this.mtimeMs) {
      this.mtimeMs = lock.mtimeMs;
      this.unchangedSince = now;
    }
    return now - this.unchangedSince > this.staleMs;
  }
}

async function tryCreate(file: string, content: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** A breaker lives for milliseconds: one that stood still this long while watched was left by a crash. */
const BREAKER_STALE_MS = 60_000;

/** Removes a stale lock, unless someone replaced it meanwhile (a short-lived second lock keeps two breakers apart). */
async function breakStaleLock(lockPath: string, stale: SeenLock, breakerWatch: StalenessWatch): Promise<void> {
  const breaker = `${lockPath}.break`;
  if (!(await tryCreate(breaker, String(process.pid)))) {
    // Someone else is breaking it; a breaker left by a crash is removed once it has not moved for a minute.
    const left = await readLock(breaker);
    if (left && breakerWatch.isStale({ mtimeMs: left.mtimeMs })) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const current = await readLock(lockPath);
    if (current && current.content?.token === stale.content?.token && current.mtimeMs === stale.mtimeMs) await unlink(lockPath).catch(() => undefined);
  } finally {
    await unlink(breaker).catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new EngineProblem('cancelled', 'Cancelled while waiting for the file.'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new EngineProblem('cancelled', 'Cancelled while waiting for the file.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A lock-file failure (a read-only folder, a name too long...) as a problem of this file, never a crash. */
function lockFailure(file: string, error: unknown): EngineProblem {
  if (error instanceof EngineProblem) return error;
  return new EngineProblem('unreadable', `${file} cannot be locked: ${errorCode(error) ?? (error as Error).message}. Nothing was sent.`);
}

/** Runs `work` holding the lock of `file` (a real path: resolve links first). */
export async function withFileLock<T>(file: string, work: (held: HeldLock) => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const content: LockContent = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const started = Date.now();
  const watch = new StalenessWatch(staleMs);
  const breakerWatch = new StalenessWatch(BREAKER_STALE_MS);
  let waiting = false;
  let lockPath: string;
  try {
    lockPath = await lockPathOf(file);
    for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
      if (await tryCreate(lockPath, JSON.stringify(content))) break;
      const holder = await readLock(lockPath);
      if (!holder) continue;
      if (watch.isStale(holder)) {
        await breakStaleLock(lockPath, holder, breakerWatch);
        continue;
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.(describe(holder.content));
      }
      if (Date.now() - started > waitMs) {
        throw new EngineProblem('locked', `${path.basename(file)} is being pushed by ${describe(holder.content)}: gave up waiting after ${Math.round(waitMs / 1000)} s. Nothing was sent.`);
      }
      await sleep(pause, options.signal);
    }
  } catch (error) {
    throw lockFailure(file, error);
  }
  heldTokens.add(content.token);
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(1_000, Math.floor(staleMs / 3)));
  heartbeat.unref();
  const held: HeldLock = {
    async stillHeld() {
      const current = await readLock(lockPath).catch(() => undefined);
      if (current?.content?.token !== content.token) {
        throw new EngineProblem('locked', `${path.basename(file)}'s lock was taken over by ${describe(current?.content)} (it looked abandoned): nothing more was sent or written.`);
      }
    },
  };
  try {
    return await work(held);
  } finally {
    clearInterval(heartbeat);
    heldTokens.delete(content.token);
    const current = await readLock(lockPath).catch(() => undefined);
    if (current?.content?.token === content.token) await unlink(lockPath).catch(() => undefined);
  }
}
