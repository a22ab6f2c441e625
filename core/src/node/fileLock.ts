/**
 * A cross-process lock on one file: a lock file created with O_EXCL, so of
 * two processes (two CLI runs, the CLI and the editor) exactly one holds it.
 * It is `.<name>.lock` beside the file; a file with several hard links is
 * locked by its inode instead, in this user's private lock folder
 * ($XDG_RUNTIME_DIR/coupon-series-locks, else the user's cache folder: never
 * a shared one another user could create first), so its names exclude each
 * other too. A lock folder that is not private (another owner, group or
 * other access, a symbolic link) is refused at once, never waited on.
 *
 * A lock is broken only when its holder is surely gone: a process of this
 * machine's boot and pid namespace that no longer runs; a lock this machine
 * left before it last booted; an empty lock (its creator died before writing
 * it, as on a full disk) that stood still for a few seconds; or (another
 * machine's, another pid namespace's, one of an older version) a lock whose
 * refresh time has not moved for `staleMs` while this process watched. A
 * live holder on this machine is never broken, however long it holds; the
 * holder can check it still holds the lock (`stillHeld`).
 *
 * Lock files are never opened through a symbolic link and are read only up
 * to a few KiB: anything else found at a lock's name is refused, never read.
 */
import { randomBytes } from 'node:crypto';
import { constants, readFileSync, readlinkSync } from 'node:fs';
import { FileHandle, lstat, mkdir, open, stat, unlink } from 'node:fs/promises';
import { homedir, hostname, tmpdir, uptime } from 'node:os';
import * as path from 'node:path';
import { EngineProblem } from '../engine/problems';
import { isJsonObject, parseJsonOrUndefined, sleep } from '../util';
import { errorCode, O_NOFOLLOW, writeAll } from './fileWrites';

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

/** What a lock file holds. Read from disk, so any field may be missing (an older version's lock) or of another type (anything at all). */
interface LockContent {
  pid: number;
  hostname: string;
  since: string;
  token: string;
  /** Linux's id of this boot: a lock of this host from before its last boot has no live holder. */
  bootId?: string;
  /** The holder's pid namespace (containers): its pid means something only there. */
  pidNamespace?: string;
}

const DEFAULT_WAIT_MS = 180_000;
const DEFAULT_STALE_MS = 30_000;
/** An empty lock changes within milliseconds while its creator writes it; one that stood still this long was left by a creator that failed or died. */
const EMPTY_LOCK_GRACE_MS = 2_000;
/** Lock files are a few hundred bytes; nothing bigger is read (a planted one may be endless). */
const LOCK_READ_LIMIT = 4_096;
/** A lock refreshed this long before this boot cannot be a live holder's, even with the clock set at boot. */
const BOOT_MARGIN_MS = 60_000;

const NEW_LOCK = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
/** Non-blocking: a FIFO planted at a lock's name must not hang the open. */
const READ_LOCK = constants.O_RDONLY | O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);

const LOCK_FOLDER_NAME = 'coupon-series-locks';

/** Why `folder` is not this user's alone, or undefined when it is. */
async function whyNotPrivate(folder: string, uid: number): Promise<string | undefined> {
  const stats = await lstat(folder);
  if (stats.isSymbolicLink()) return 'it is a symbolic link';
  if (!stats.isDirectory()) return 'it is not a folder';
  if (stats.uid !== uid) return `it belongs to user ${stats.uid}, not to this user (${uid})`;
  if ((stats.mode & 0o077) !== 0) return `its mode is ${(stats.mode & 0o777).toString(8).padStart(4, '0')}, not 0700 (this user's alone)`;
  return undefined;
}

/** $XDG_RUNTIME_DIR when it is set and private (per user, cleared at logout), else the user's cache folder. */
async function lockFolderLocation(uid: number): Promise<string> {
  const runtime = process.env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime) && !(await whyNotPrivate(runtime, uid).catch(() => 'unusable'))) return path.join(runtime, LOCK_FOLDER_NAME);
  const cacheHome = process.env.XDG_CACHE_HOME;
  return path.join(cacheHome && path.isAbsolute(cacheHome) ? cacheHome : path.join(homedir(), '.cache'), 'coupon-series', 'locks');
}

/** This user's private folder for the locks of files with several names; refused at once (an `unreadable` problem) when it is not private. */
async function privateLockFolder(): Promise<string> {
  const uid = process.getuid?.();
  if (uid === undefined) {
    // Windows: the temporary folder is already the user's own.
    const folder = path.join(tmpdir(), LOCK_FOLDER_NAME);
    await mkdir(folder, { recursive: true });
    return folder;
  }
  const folder = await lockFolderLocation(uid);
  let problem: string | undefined;
  try {
    // Whatever was there already is checked below: mkdir accepts any existing folder, and a link to one.
    await mkdir(folder, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      if (errorCode(error) !== 'EEXIST') throw error;
    });
    problem = await whyNotPrivate(folder, uid);
  } catch (error) {
    problem = `it cannot be created (${errorCode(error) ?? (error as Error).message})`;
  }
  if (problem) {
    throw new EngineProblem(
      'unreadable',
      `The lock folder ${folder} cannot be used: ${problem}. Nothing was sent. Remove it (a new, private one is made), or set XDG_RUNTIME_DIR or XDG_CACHE_HOME to a folder of your own.`,
    );
  }
  return folder;
}

/** The lock file of `file` (a real path): beside it, or by inode in the private lock folder for a file with several names. */
export async function lockPathOf(file: string): Promise<string> {
  let stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw new EngineProblem('unreadable', errorCode(error) === 'ENOENT' ? `No such file: ${file}` : `Cannot read ${file}: ${errorCode(error) ?? (error as Error).message}`);
  }
  if (stats.nlink <= 1) return path.join(path.dirname(file), `.${path.basename(file)}.lock`);
  return path.join(await privateLockFolder(), `${stats.dev}-${stats.ino}.lock`);
}

/** The tokens of the locks this process holds now: a lock with this pid and another token is a crashed run's (the pid was reused). */
const heldTokens = new Set<string>();

interface SystemIds {
  bootId?: string;
  pidNamespace?: string;
}

let systemIds: SystemIds | undefined;

/** This boot's and this pid namespace's ids, where the system has them (Linux). */
function thisSystem(): SystemIds {
  if (!systemIds) {
    const read = (reader: () => string) => {
      try {
        return reader().trim() || undefined;
      } catch {
        return undefined;
      }
    };
    const bootId = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
    const pidNamespace = read(() => readlinkSync('/proc/self/ns/pid'));
    systemIds = { ...(bootId ? { bootId } : {}), ...(pidNamespace ? { pidNamespace } : {}) };
  }
  return systemIds;
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

interface SeenLock {
  /** Undefined when the file is empty or not JSON (its creator failed or died before writing it). */
  content?: Partial<LockContent>;
  mtimeMs: number;
}

/** Something at a lock's name that is not a lock of this tool: refused, never read or waited for. */
function notALock(lockPath: string, what: string): EngineProblem {
  return new EngineProblem('unreadable', `${lockPath} is not a lock of this tool (${what}): remove it if no push of the file is running. Nothing was sent.`);
}

function parseLock(text: string): Partial<LockContent> | undefined {
  const parsed = parseJsonOrUndefined(text);
  return isJsonObject(parsed) ? (parsed as Partial<LockContent>) : undefined;
}

/** The lock at `lockPath`, or undefined when there is none; never through a symbolic link, never more than `LOCK_READ_LIMIT` bytes. */
async function readLock(lockPath: string): Promise<SeenLock | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(lockPath, READ_LOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw notALock(lockPath, 'a symbolic link');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notALock(lockPath, 'not a regular file');
    if (stats.size > LOCK_READ_LIMIT) throw notALock(lockPath, `${stats.size} bytes`);
    const buffer = Buffer.alloc(LOCK_READ_LIMIT + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > LOCK_READ_LIMIT) throw notALock(lockPath, `more than ${LOCK_READ_LIMIT} bytes`);
    const content = parseLock(buffer.subarray(0, length).toString('utf8'));
    return { ...(content ? { content } : {}), mtimeMs: stats.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** A value read from a lock file, fit for a message: a planted lock may hold anything. */
function printable(value: unknown): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 100);
}

function describe(content: Partial<LockContent> | undefined): string {
  return content && Number.isInteger(content.pid) && typeof content.hostname === 'string'
    ? `process ${content.pid} on ${printable(content.hostname)}, since ${printable(content.since)}`
    : 'another process';
}

/** Where a lock's holder runs, as far as this process can tell. */
type HolderPlace =
  /** This host, this boot, this pid namespace: its pid can be checked here. */
  | 'here'
  /** This host before its last boot: no holder is left. */
  | 'earlier-boot'
  /** Another machine, another pid namespace, or unknown (an older version's lock): judged by its refresh time. */
  | 'elsewhere';

function holderPlace(content: Partial<LockContent>, mtimeMs: number): HolderPlace {
  const pid = content.pid;
  if (content.hostname !== hostname() || typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return 'elsewhere';
  const system = thisSystem();
  if (content.bootId !== system.bootId) {
    // Two machines may share a name (and a network folder): another boot counts only for a lock not refreshed since this one began.
    const bootedAt = Date.now() - uptime() * 1000;
    return system.bootId && typeof content.bootId === 'string' && mtimeMs < bootedAt - BOOT_MARGIN_MS ? 'earlier-boot' : 'elsewhere';
  }
  return content.pidNamespace === system.pidNamespace ? 'here' : 'elsewhere';
}

/** Watches one lock's refresh time from this process's clock, so another machine's clock never matters. */
class RefreshWatch {
  private mtimeMs = NaN;
  private unchangedSince = 0;

  /** Whether the refresh time stood still for `ms` while this process watched. */
  stoodStill(mtimeMs: number, ms: number): boolean {
    const now = Date.now();
    if (mtimeMs !== this.mtimeMs) {
      this.mtimeMs = mtimeMs;
      this.unchangedSince = now;
    }
    return now - this.unchangedSince > ms;
  }
}

/** Whether the holder of `lock` is surely gone (see the rules at the top). */
function isStale(lock: SeenLock, watch: RefreshWatch, staleMs: number): boolean {
  const { content } = lock;
  if (!content) return watch.stoodStill(lock.mtimeMs, EMPTY_LOCK_GRACE_MS);
  switch (holderPlace(content, lock.mtimeMs)) {
    case 'here':
      if (content.pid === process.pid) return typeof content.token !== 'string' || !heldTokens.has(content.token);
      return !processAlive(content.pid as number);
    case 'earlier-boot':
      return true;
    case 'elsewhere':
      return watch.stoodStill(lock.mtimeMs, staleMs);
  }
}

/** Removes `lockPath` if it is still the file `handle` created (so never a lock someone else made after breaking ours). */
async function unlinkIfOurs(lockPath: string, handle: FileHandle): Promise<void> {
  try {
    const [ours, named] = await Promise.all([handle.stat({ bigint: true }), lstat(lockPath, { bigint: true })]);
    if (ours.ino === named.ino && ours.dev === named.dev) await unlink(lockPath);
  } catch {
    // Gone already.
  }
}

/**
 * Creates the lock file `file` holding `content`: the open handle when this
 * process now holds it, undefined when someone else does. A lock whose
 * content could not be written (a full disk) is removed again, so none is left empty.
 */
async function tryCreate(file: string, content: string): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, NEW_LOCK, 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw error;
  }
  try {
    // Not fsynced: a lock that a crash of the machine empties is broken as empty.
    await writeAll(handle, Buffer.from(content, 'utf8'), 0, file);
    const [ours, named] = await Promise.all([handle.stat({ bigint: true }), lstat(file, { bigint: true }).catch(() => undefined)]);
    if (named?.ino !== ours.ino || named.dev !== ours.dev) {
      // This creator stalled so long before writing that its empty lock was broken: whoever holds the name now holds the lock.
      await handle.close();
      return undefined;
    }
    return handle;
  } catch (error) {
    await unlinkIfOurs(file, handle);
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** A breaker lives for milliseconds: one that stood still this long while watched was left by a crash. */
const BREAKER_STALE_MS = 60_000;

/** Removes a stale lock, unless someone replaced it meanwhile (a short-lived second lock keeps two breakers apart). */
async function breakStaleLock(lockPath: string, stale: SeenLock, breakerWatch: RefreshWatch): Promise<void> {
  const breaker = `${lockPath}.break`;
  const breakerHandle = await tryCreate(breaker, String(process.pid));
  if (!breakerHandle) {
    // Someone else is breaking it; a breaker left by a crash is removed once it has not moved for a minute.
    const left = await readLock(breaker);
    if (left && breakerWatch.stoodStill(left.mtimeMs, BREAKER_STALE_MS)) await unlink(breaker).catch(() => undefined);
    return;
  }
  try {
    const current = await readLock(lockPath);
    if (current && current.content?.token === stale.content?.token && current.mtimeMs === stale.mtimeMs) await unlink(lockPath).catch(() => undefined);
  } finally {
    await unlinkIfOurs(breaker, breakerHandle);
    await breakerHandle.close().catch(() => undefined);
  }
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
  const content: LockContent = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), token: randomBytes(12).toString('hex'), ...thisSystem() };
  const started = Date.now();
  const watch = new RefreshWatch();
  const breakerWatch = new RefreshWatch();
  let waiting = false;
  let lockPath: string;
  let lock: FileHandle | undefined;
  try {
    lockPath = await lockPathOf(file);
    for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
      lock = await tryCreate(lockPath, JSON.stringify(content));
      if (lock) break;
      const holder = await readLock(lockPath);
      if (!holder) continue;
      if (isStale(holder, watch, staleMs)) {
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
      await sleep(pause, options.signal, () => new EngineProblem('cancelled', 'Cancelled while waiting for the file.'));
    }
  } catch (error) {
    throw lockFailure(file, error);
  }
  const heldLock = lock;
  heldTokens.add(content.token);
  // Refreshes this lock's own file (by handle): never another holder's lock that replaced it.
  const heartbeat = setInterval(() => {
    const now = new Date();
    heldLock.utimes(now, now).catch(() => undefined);
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
    await heldLock.close().catch(() => undefined);
  }
}
