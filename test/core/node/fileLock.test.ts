/**
 * The cross-process lock on shared machines (core/src/node/fileLock.ts): the
 * lock folder of hard-linked files belongs to its user alone, anything at a
 * lock's name that is not a lock is refused without being read, an empty
 * lock does not stall the next run, and a holder is judged by its boot and
 * pid namespace, not only by host name and pid.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chmod, chown, link, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, uptime } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { EngineProblem } from '../../../core/src/engine/problems';
import { lockPathOf, withFileLock } from '../../../core/src/node/fileLock';
import { fillLeaving, isRoot, mountTmpfs, noSpace, withWriteFault } from '../../support/fileSystemFaults';
import { DEAD_PID, hasMachineIds, thisMachine } from '../../support/lockHolders';

const folders: string[] = [];
const savedEnvironment = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, TMPDIR: process.env.TMPDIR };

afterEach(() => {
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function newFolder(prefix = 'coupon-locks-'): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** A coupon file with one name (its lock is beside it). */
async function singleFile(folder: string, name = 'series.coupon.json'): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, '{"CouponSeriesV2": {}}\n');
  return file;
}

/** A coupon file with two names (its lock is in the private lock folder). */
async function linkedFile(folder: string): Promise<string> {
  const file = await singleFile(folder, 'twin.coupon.json');
  await link(file, path.join(folder, 'twin-other.coupon.json'));
  return file;
}

/** A private XDG_RUNTIME_DIR for this test (mkdtemp makes it 0700). */
async function privateRuntimeDir(): Promise<string> {
  const runtime = await newFolder('coupon-runtime-');
  process.env.XDG_RUNTIME_DIR = runtime;
  return runtime;
}

/** A user no one is on this machine (chown needs no account). */
const OTHER_UID = 54_321;

/** The problem `promise` rejects with, checked to be an EngineProblem of `kind`. */
async function problemOf(promise: Promise<unknown>, kind: string): Promise<EngineProblem> {
  const error = await promise.then(
    () => assert.fail(`expected a ${kind} problem, but it succeeded`),
    (rejected: unknown) => rejected,
  );
  assert.ok(error instanceof EngineProblem, `not an EngineProblem: ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  return error;
}

/** Takes `file`'s lock and says whether the work ran, and whether it had to wait. */
async function acquire(file: string, options: { waitMs?: number; staleMs?: number } = {}): Promise<{ waited: string[] }> {
  const waited: string[] = [];
  let ran = false;
  await withFileLock(
    file,
    async () => {
      ran = true;
    },
    { ...options, onWait: (holder) => waited.push(holder) },
  );
  assert.ok(ran);
  return { waited };
}

test('the lock of a file with several names is in $XDG_RUNTIME_DIR/coupon-series-locks, created 0700', async () => {
  const runtime = await privateRuntimeDir();
  const file = await linkedFile(await newFolder());
  const lockPath = await lockPathOf(file);
  assert.equal(path.dirname(lockPath), path.join(runtime, 'coupon-series-locks'));
  assert.equal((await stat(path.dirname(lockPath))).mode & 0o777, 0o700);
  await acquire(file);
});

test("without a usable XDG_RUNTIME_DIR, the lock folder is in the user's cache (XDG_CACHE_HOME), created 0700", async () => {
  const cache = await newFolder('coupon-cache-');
  process.env.XDG_CACHE_HOME = cache;
  const file = await linkedFile(await newFolder());
  const expected = path.join(cache, 'coupon-series', 'locks');
  delete process.env.XDG_RUNTIME_DIR;
  assert.equal(path.dirname(await lockPathOf(file)), expected);
  // An XDG_RUNTIME_DIR open to others is not used.
  const open = await newFolder('coupon-runtime-');
  await chmod(open, 0o777);
  process.env.XDG_RUNTIME_DIR = open;
  assert.equal(path.dirname(await lockPathOf(file)), expected);
  assert.deepEqual(await readdir(open), []);
  assert.equal((await stat(expected)).mode & 0o777, 0o700);
});

test('a lock folder that is not private (open to others, another user\'s, a symbolic link, a file) is refused at once, naming it and what is wrong', async () => {
  const cases: [name: string, prepare: (folder: string) => Promise<void>, expected: RegExp, needsRoot?: boolean][] = [
    ['mode 0777', async (folder) => (await mkdir(folder), chmod(folder, 0o777)), /its mode is 0777/],
    ['mode 0755', async (folder) => (await mkdir(folder), chmod(folder, 0o755)), /its mode is 0755/],
    ["another user's", async (folder) => (await mkdir(folder, { mode: 0o700 }), chown(folder, OTHER_UID, OTHER_UID)), /belongs to user 54321/, true],
    ['a symbolic link', async (folder) => symlink(await newFolder('coupon-victim-'), folder), /is a symbolic link/],
    ['a file', async (folder) => writeFile(folder, ''), /is not a folder/],
  ];
  for (const [name, prepare, expected, needsRoot] of cases) {
    if (needsRoot && !isRoot()) {
      console.log(`# skipped "${name}": giving a folder to another user needs root (CI runs as root)`);
      continue;
    }
    const runtime = await privateRuntimeDir();
    const lockFolder = path.join(runtime, 'coupon-series-locks');
    await prepare(lockFolder);
    const file = await linkedFile(await newFolder());
    const waits: string[] = [];
    let ran = false;
    const problem = await problemOf(
      withFileLock(
        file,
        async () => {
          ran = true;
        },
        { waitMs: 60_000, onWait: (holder) => waits.push(holder) },
      ),
      'unreadable',
    );
    assert.match(problem.message, expected, name);
    assert.ok(problem.message.includes(lockFolder), `${name}: names the folder: ${problem.message}`);
    assert.deepEqual([ran, waits], [false, []], `${name}: refused, not waited`);
    const found = await lstat(lockFolder);
    if (found.isSymbolicLink()) assert.deepEqual(await readdir(lockFolder), [], 'nothing created where the link points');
  }
});

test("another user's folder at the old shared name (/tmp/coupon-series-locks-<uid>, open to all, with a fake lock in it) does not hold up a push", async () => {
  const shared = await newFolder('coupon-shared-tmp-');
  process.env.TMPDIR = shared;
  await privateRuntimeDir();
  const file = await linkedFile(await newFolder());
  const { dev, ino } = await stat(file);
  const planted = path.join(shared, `coupon-series-locks-${process.getuid?.() ?? 'user'}`);
  await mkdir(planted);
  await chmod(planted, 0o777);
  if (isRoot()) await chown(planted, OTHER_UID, OTHER_UID);
  const fake = path.join(planted, `${dev}-${ino}.lock`);
  const fakeContent = JSON.stringify({ pid: 1, hostname: 'elsewhere', since: '2026-01-01T00:00:00Z', token: 'fake' });
  await writeFile(fake, fakeContent);
  const { waited } = await acquire(file, { waitMs: 2_000 });
  assert.deepEqual(waited, [], 'the planted lock is not this file\'s lock');
  assert.equal(await readFile(fake, 'utf8'), fakeContent);
});

test('a lock name that is a symbolic link (to /dev/zero, to a big file), a big file or a FIFO is refused, never read', async () => {
  const folder = await newFolder();
  const big = path.join(folder, 'big');
  await writeFile(big, '');
  await truncate(big, 64 * 1024 * 1024);
  const cases: [name: string, plant: (lockPath: string) => Promise<void>, expected: RegExp][] = [
    ['a link to /dev/zero', (lockPath) => symlink('/dev/zero', lockPath), /symbolic link/],
    ['a link to a 64 MiB file', (lockPath) => symlink(big, lockPath), /symbolic link/],
    ['a 64 MiB file', async (lockPath) => (await writeFile(lockPath, ''), truncate(lockPath, 64 * 1024 * 1024)), /67108864 bytes/],
  ];
  if (spawnSync('mkfifo', ['--version']).status === 0) {
    cases.push(['a FIFO', async (lockPath) => void spawnSync('mkfifo', [lockPath]), /not a regular file/]);
  } else {
    console.log('# skipped the FIFO case: no mkfifo here');
  }
  await privateRuntimeDir();
  for (const [name, plant, expected] of cases) {
    for (const file of [await singleFile(await newFolder()), await linkedFile(await newFolder())]) {
      const lockPath = await lockPathOf(file);
      await plant(lockPath);
      const problem = await problemOf(acquire(file, { waitMs: 60_000 }), 'unreadable');
      assert.match(problem.message, expected, name);
      assert.ok(problem.message.includes(lockPath), `${name}: names ${lockPath}: ${problem.message}`);
      await lstat(lockPath); // Left where it was: not this tool's to remove.
      await rm(lockPath);
    }
  }
  assert.equal((await stat(big)).size, 64 * 1024 * 1024, 'the linked file is untouched');
});

test('an empty (or cut) lock, left by a creator that failed, does not stall the next run', async () => {
  for (const left of ['', '{"pid": 12']) {
    const file = await singleFile(await newFolder());
    await writeFile(await lockPathOf(file), left);
    // The default staleMs (30 s) would make it wait; an empty lock that stands still for a couple of seconds is broken.
    const { waited } = await acquire(file, { waitMs: 10_000 });
    assert.equal(waited.length, 1, 'watched briefly first');
    await assert.rejects(stat(await lockPathOf(file)), { code: 'ENOENT' });
  }
});

test('a lock being written right now (empty when first seen) is not broken', async () => {
  const file = await singleFile(await newFolder());
  const lockPath = await lockPathOf(file);
  await writeFile(lockPath, '');
  const content = JSON.stringify({ pid: process.ppid, ...thisMachine(), since: '2026-01-01T00:00:00Z', token: 'writer' });
  const problem = await problemOf(
    withFileLock(file, async () => assert.fail('ran while another held the lock'), {
      waitMs: 3_000,
      // Its creator writes it as soon as this process has seen it empty.
      onWait: () => writeFileSync(lockPath, content),
    }),
    'locked',
  );
  assert.match(problem.message, new RegExp(`process ${process.ppid}`));
  assert.equal(await readFile(lockPath, 'utf8'), content, 'the lock is left to its holder');
});

test('a lock whose content cannot be written (simulated full disk) is removed again: the next run does not wait', async () => {
  const file = await singleFile(await newFolder());
  const problem = await problemOf(
    withWriteFault(() => noSpace(), () => acquire(file)),
    'unreadable',
  );
  assert.match(problem.message, /ENOSPC/);
  await assert.rejects(stat(await lockPathOf(file)), { code: 'ENOENT' }, 'no empty lock left');
  const { waited } = await acquire(file, { waitMs: 10_000 });
  assert.deepEqual(waited, []);
});

test('a lock on a real full disk (a tmpfs): refused with ENOSPC, no empty lock left, and the next run takes it at once', async (t) => {
  const tmpfs = await mountTmpfs(64);
  if ('skipped' in tmpfs) {
    t.skip(tmpfs.skipped);
    return;
  }
  try {
    const file = await singleFile(tmpfs.folder);
    const filler = path.join(tmpfs.folder, 'filler');
    await fillLeaving(filler, 0);
    const problem = await problemOf(acquire(file), 'unreadable');
    assert.match(problem.message, /ENOSPC/);
    assert.deepEqual((await readdir(tmpfs.folder)).sort(), ['filler', 'series.coupon.json']);
    await rm(filler);
    const { waited } = await acquire(file, { waitMs: 10_000 });
    assert.deepEqual(waited, []);
  } finally {
    await tmpfs.unmount();
  }
});

test('a lock records its boot id and pid namespace', async (t) => {
  if (!hasMachineIds()) {
    t.skip('no /proc boot id or pid namespace here (not Linux)');
    return;
  }
  const file = await singleFile(await newFolder());
  await withFileLock(file, async () => {
    const content = JSON.parse(await readFile(await lockPathOf(file), 'utf8')) as Record<string, unknown>;
    const { bootId, pidNamespace } = thisMachine();
    assert.deepEqual([content.pid, content.hostname, content.bootId, content.pidNamespace], [process.pid, hostname(), bootId, pidNamespace]);
  });
});

test('a lock this host left before its last boot is broken at once, even when its pid runs now', async (t) => {
  if (!hasMachineIds()) {
    t.skip('no /proc boot id or pid namespace here (not Linux)');
    return;
  }
  const file = await singleFile(await newFolder());
  const lockPath = await lockPathOf(file);
  await writeFile(lockPath, JSON.stringify({ pid: process.ppid, ...thisMachine(), bootId: 'an-earlier-boot', since: '2026-01-01T00:00:00Z', token: 'before-reboot' }));
  const beforeBoot = new Date(Date.now() - uptime() * 1000 - 3_600_000);
  await utimes(lockPath, beforeBoot, beforeBoot);
  const { waited } = await acquire(file, { waitMs: 2_000 });
  assert.deepEqual(waited, []);

  // Refreshed since this boot: another machine of the same name, perhaps; judged by its refresh time, never at once.
  await writeFile(lockPath, JSON.stringify({ pid: DEAD_PID, ...thisMachine(), bootId: 'another-machine', since: '2026-01-01T00:00:00Z', token: 'same-name' }));
  await problemOf(acquire(file, { waitMs: 1_000 }), 'locked');
});

test("a lock of another pid namespace with this host's name is not judged by its pid here: it waits for the refresh-time rule", async (t) => {
  if (!hasMachineIds()) {
    t.skip('no /proc boot id or pid namespace here (not Linux)');
    return;
  }
  const otherNamespace = { ...thisMachine(), pidNamespace: 'pid:[4026500001]' };
  const file = await singleFile(await newFolder());
  const lockPath = await lockPathOf(file);
  // Its pid is no process here, but it is a live one in its own namespace (a push in another container).
  const content = JSON.stringify({ pid: DEAD_PID, ...otherNamespace, since: '2026-01-01T00:00:00Z', token: 'container' });
  await writeFile(lockPath, content);
  await problemOf(acquire(file, { waitMs: 1_500 }), 'locked');
  assert.equal(await readFile(lockPath, 'utf8'), content, 'not broken');
  // Once its refresh time stood still for staleMs while watched, it is stale.
  const { waited } = await acquire(file, { waitMs: 10_000, staleMs: 300 });
  assert.equal(waited.length, 1, 'watched before breaking it');

  // A pid that runs here means nothing either: the lock is still judged by its refresh time.
  await writeFile(lockPath, JSON.stringify({ pid: process.ppid, ...otherNamespace, since: '2026-01-01T00:00:00Z', token: 'container-2' }));
  assert.equal((await acquire(file, { waitMs: 10_000, staleMs: 300 })).waited.length, 1);
});

test('a lock of an older version (no boot id or pid namespace) from this host is judged by its refresh time', async (t) => {
  if (!hasMachineIds()) {
    t.skip('no /proc boot id or pid namespace here (not Linux)');
    return;
  }
  const file = await singleFile(await newFolder());
  await writeFile(await lockPathOf(file), JSON.stringify({ pid: DEAD_PID, hostname: hostname(), since: '2026-01-01T00:00:00Z', token: 'older' }));
  await problemOf(acquire(file, { waitMs: 1_000 }), 'locked');
  assert.equal((await acquire(file, { waitMs: 10_000, staleMs: 300 })).waited.length, 1);
});
