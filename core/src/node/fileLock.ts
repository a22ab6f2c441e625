/**
 * A cross-process lock on one file: `.<name>.lock` beside it, created with
 * O_EXCL, so of two processes (two CLI runs, the CLI and the editor) exactly
 * one holds it. The holder refreshes its mtime; a lock whose holder died on
 * this machine, or that nobody refreshed for `staleMs`, is broken (through a
 * short-lived second lock, so two breakers cannot both take it).
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { EngineProblem } from '../engine/problems';

export interface FileLockOptions {
  /** Give up waiting for another holder after this long (default 3 minutes). */
  waitMs?: number;
  /** A lock not refreshed for this long is stale (default 30 s; the holder refreshes it every third of that). */
  staleMs?: number;
  signal?: AbortSignal;
  /** Called once, when the lock is held by someone else and waiting starts. */
  onWait?: (holder: string) => void;
}

interface LockContent {
  pid: number;
  hostname: string;
  since: string;
  token: string;
}

const DEFAULT_WAIT_MS = 180_000;
const DEFAULT_STALE_MS = 30_000;

export function lockPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.lock`);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

async function readLock(lockPath: string): Promise<{ content?: LockContent; ageMs: number } | undefined> {
  try {
    const [text, stats] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    let content: LockContent | undefined;
    try {
      content = JSON.parse(text) as LockContent;
    } catch {
      // Being written right now, or truncated by a crash: judged by its age alone.
    }
    return { content, ageMs: Date.now() - stats.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(lock: { content?: LockContent; ageMs: number }, staleMs: number): boolean {
  const { content } = lock;
  if (content && content.hostname === hostname() && typeof content.pid === 'number' && !processAlive(content.pid)) return true;
  return lock.ageMs > staleMs;
}

function describe(content: LockContent | undefined): string {
  return content ? `process ${content.pid} on ${content.hostname}, since ${content.since}` : 'another process';
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

/** Removes a stale lock, unless someone replaced it meanwhile. */
async function breakStaleLock(lockPath: string, staleToken: string | undefined, staleMs: number): Promise<void> {
  const breaker = `${lockPath}.break`;
  if (!(await tryCreate(breaker, String(process.pid)))) {
    // Someone else is breaking it; a breaker left by a crash is itself stale after a while.
    const left = await readLock(breaker);
    if (left && left.ageMs > staleMs) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const current = await readLock(lockPath);
    if (current && current.content?.token === staleToken && isStale(current, staleMs)) await unlink(lockPath).catch(() => undefined);
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

/** Runs `work` holding the lock of `file` (a real path: resolve links first). */
export async function withFileLock<T>(file: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lockPath = lockPathOf(file);
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const content: LockContent = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), token: randomBytes(12).toString('hex') };
  const started = Date.now();
  let waiting = false;
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    if (await tryCreate(lockPath, JSON.stringify(content))) break;
    const holder = await readLock(lockPath);
    if (!holder) continue;
    if (isStale(holder, staleMs)) {
      await breakStaleLock(lockPath, holder.content?.token, staleMs);
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
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(1_000, Math.floor(staleMs / 3)));
  heartbeat.unref();
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    const current = await readLock(lockPath).catch(() => undefined);
    if (current?.content?.token === content.token) await unlink(lockPath).catch(() => undefined);
  }
}
