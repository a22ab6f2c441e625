/**
 * Write-back of coupon files on a full disk and on shared machines
 * (core/src/node/seriesFiles.ts): a write either lands whole or leaves the
 * file as it was, with nothing partial beside it; owner and mode are kept.
 * Full disks are simulated (short writes injected) everywhere, and real (a
 * 64 KiB tmpfs) where the tests run as root, as in CI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, chown, link, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { createFileExclusively, writeFileDurably } from '../../../core/src/node/seriesFiles';
import { cannotGrowPast, fillLeaving, isRoot, mountTmpfs, noSpace, PAGE, withWriteFault } from '../../support/fileSystemFaults';

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function newFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'coupon-writes-'));
  folders.push(folder);
  return folder;
}

/** A coupon file's text of exactly `bytes` bytes. */
function textOf(bytes: number, fill = 'a'): string {
  const start = '{"CouponSeriesV2": {"description": "';
  const end = '"}}\n';
  return start + fill.repeat(bytes - start.length - end.length) + end;
}

/** The file: 3,950 bytes, growing to 4,246 with its record (past one 4 KiB page). */
const ORIGINAL = textOf(3_950);
const LONGER = textOf(4_246, 'b');

/** A file with two names (hard links) in `folder`. */
async function twoNames(folder: string, text = ORIGINAL): Promise<{ file: string; other: string; ino: bigint }> {
  const file = path.join(folder, 'twin.coupon.json');
  const other = path.join(folder, 'twin-other.coupon.json');
  await writeFile(file, text);
  await link(file, other);
  return { file, other, ino: (await stat(file, { bigint: true })).ino };
}

async function assertUnchanged(names: string[], text: string, folder: string, expectedEntries: string[]): Promise<void> {
  for (const name of names) assert.equal(await readFile(name, 'utf8'), text, `${path.basename(name)} holds its original content`);
  assert.deepEqual((await readdir(folder)).sort(), [...expectedEntries].sort(), 'nothing partial left beside it');
}

test('a hard-linked file on a disk that takes only part of the new text (simulated short writes): an error, the original content, nothing left beside it', async () => {
  for (const noProgress of [false, true]) {
    const folder = await newFolder();
    const { file, other, ino } = await twoNames(folder);
    // The file cannot grow past its one page: the write is short, then ENOSPC (or, noProgress, writes nothing at all).
    await assert.rejects(withWriteFault(cannotGrowPast(ino, PAGE, noProgress), () => writeFileDurably(file, LONGER)), { code: 'ENOSPC' }, `noProgress=${noProgress}`);
    await assertUnchanged([file, other], ORIGINAL, folder, ['twin.coupon.json', 'twin-other.coupon.json']);
    assert.equal((await stat(file)).nlink, 2, 'still one file with two names');
  }
});

test('a hard-linked file whose safety copy cannot be made (simulated full disk): an error before the file is touched, and no partial copy', async () => {
  const folder = await newFolder();
  const { file, other, ino } = await twoNames(folder);
  // Only this file's own blocks may be written: any other file gets 100 bytes, then ENOSPC.
  const fault = (call: { ino: bigint; position: number; length: number }) => (call.ino === ino ? undefined : call.position >= 100 ? noSpace() : 100 - call.position);
  await assert.rejects(withWriteFault(fault, () => writeFileDurably(file, LONGER)), { code: 'ENOSPC' });
  await assertUnchanged([file, other], ORIGINAL, folder, ['twin.coupon.json', 'twin-other.coupon.json']);
});

test('a hard-linked file whose original cannot be written back either: the error names the complete copy that is kept', async () => {
  const folder = await newFolder();
  const { file, ino } = await twoNames(folder);
  // The file takes 100 bytes in all, then nothing: the new text stops short, and so does writing the original back.
  let room = 100;
  const fault = (call: { ino: bigint; length: number }) => {
    if (call.ino !== ino) return undefined;
    if (room === 0) return noSpace();
    const allowed = Math.min(room, call.length);
    room -= allowed;
    return allowed;
  };
  const error = await withWriteFault(fault, () => writeFileDurably(file, LONGER)).then(
    () => assert.fail('the write reported success'),
    (rejected: Error) => rejected,
  );
  const copy = (await readdir(folder)).find((name) => name.endsWith('.original'));
  assert.ok(copy, `a copy is kept: ${String(await readdir(folder))}`);
  assert.equal(await readFile(path.join(folder, copy), 'utf8'), ORIGINAL, 'the copy is complete');
  assert.ok(error.message.includes(path.join(folder, copy)), error.message);
  assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
});

test('a new file on a disk that fills up while it is written (simulated): an error, and no file or temporary file left', async () => {
  const folder = await newFolder();
  const file = path.join(folder, 'pulled.coupon.json');
  const fault = (call: { position: number }) => (call.position >= 100 ? noSpace() : 100 - call.position);
  await assert.rejects(withWriteFault(fault, () => createFileExclusively(file, ORIGINAL)), { code: 'ENOSPC' });
  assert.deepEqual(await readdir(folder), []);
});

test('a real full disk (a 64 KiB tmpfs with 0 to 3 pages free): each write lands whole or leaves the file as it was, with nothing beside it', async (t) => {
  const tmpfs = await mountTmpfs(64);
  if ('skipped' in tmpfs) {
    t.skip(tmpfs.skipped);
    return;
  }
  try {
    for (const freePages of [0, 1, 2, 3]) {
      const folder = path.join(tmpfs.folder, `free-${freePages}`);
      await mkdir(folder);
      const { file, other } = await twoNames(folder);
      const single = path.join(folder, 'single.coupon.json');
      await writeFile(single, ORIGINAL);
      const filler = path.join(tmpfs.folder, 'filler');
      const expected = ['twin.coupon.json', 'twin-other.coupon.json', 'single.coupon.json'];

      await fillLeaving(filler, freePages);
      const hardLinked = await writeFileDurably(file, LONGER).then(
        () => 'written',
        (error: NodeJS.ErrnoException) => error.code,
      );
      // Written whole (both names see it), or refused with the original intact: never reported written with less.
      await assertUnchanged([file, other], hardLinked === 'written' ? LONGER : ORIGINAL, folder, expected);
      // 0 or 1 page free: no room for the copy and the file's second page; 2 or more: room for both.
      assert.equal(hardLinked, freePages >= 2 ? 'written' : 'ENOSPC', `hard links, ${freePages} pages free`);

      await fillLeaving(filler, freePages);
      const singleOutcome = await writeFileDurably(single, LONGER).then(
        () => 'written',
        (error: NodeJS.ErrnoException) => error.code,
      );
      assert.equal(await readFile(single, 'utf8'), singleOutcome === 'written' ? LONGER : ORIGINAL, `single link, ${freePages} pages free`);
      assert.equal(singleOutcome, freePages >= 2 ? 'written' : 'ENOSPC', `single link, ${freePages} pages free`);

      await fillLeaving(filler, freePages);
      const created = path.join(folder, 'pulled.coupon.json');
      const createOutcome = await createFileExclusively(created, LONGER).then(
        () => 'written',
        (error: NodeJS.ErrnoException) => error.code,
      );
      assert.equal(createOutcome, freePages >= 2 ? 'written' : 'ENOSPC', `new file, ${freePages} pages free`);
      if (createOutcome === 'written') {
        assert.equal(await readFile(created, 'utf8'), LONGER);
        expected.push('pulled.coupon.json');
      }
      assert.deepEqual((await readdir(folder)).sort(), expected.sort(), `${freePages} pages free: nothing partial left`);
      await rm(filler);
      await rm(folder, { recursive: true });
    }
  } finally {
    await tmpfs.unmount();
  }
});

/** Runs `work` with the process's umask set to `mask`. */
async function withUmask<T>(mask: number, work: () => Promise<T>): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

test('write-back keeps the mode exactly: 0664 stays 0664 under umask 022, and umask 077 makes nothing 0600', async () => {
  const folder = await newFolder();
  for (const [mask, mode] of [
    [0o022, 0o664],
    [0o077, 0o644],
    [0o077, 0o664],
    [0o022, 0o600],
  ] as const) {
    const file = path.join(folder, `mode-${mode.toString(8)}.coupon.json`);
    await writeFile(file, ORIGINAL);
    await chmod(file, mode);
    await withUmask(mask, () => writeFileDurably(file, LONGER));
    assert.equal(await readFile(file, 'utf8'), LONGER);
    assert.equal((await stat(file)).mode & 0o7777, mode, `mode ${mode.toString(8)} under umask ${mask.toString(8).padStart(3, '0')}`);
  }
});

/** A user and group no one has on this machine (chown needs no account). */
const OTHER_UID = 54_321;
const OTHER_GID = 54_322;

test("root's write-back keeps the user's ownership", async (t) => {
  if (!isRoot()) {
    t.skip('giving a file to another user needs root (CI runs as root)');
    return;
  }
  const folder = await newFolder();
  const file = path.join(folder, 'theirs.coupon.json');
  await writeFile(file, ORIGINAL);
  await chown(file, OTHER_UID, OTHER_GID);
  await chmod(file, 0o640);
  await writeFileDurably(file, LONGER);
  const after = await stat(file);
  assert.deepEqual([after.uid, after.gid, after.mode & 0o7777], [OTHER_UID, OTHER_GID, 0o640]);
  assert.equal(await readFile(file, 'utf8'), LONGER);
});

test('a user who may not give the file its group back still writes it (the refusal is not an error), keeping the mode', async (t) => {
  if (!isRoot()) {
    t.skip('running as a second user needs root (CI runs as root)');
    return;
  }
  const folder = await newFolder();
  await chown(folder, OTHER_UID, OTHER_GID);
  const file = path.join(folder, 'shared.coupon.json');
  await writeFile(file, ORIGINAL);
  // Group root: the second user is not in it, so chown to it is refused (EPERM).
  await chown(file, OTHER_UID, 0);
  await chmod(file, 0o664);
  const module = path.resolve(__dirname, '../../../core/src/node/seriesFiles.js');
  const script = `require(${JSON.stringify(module)}).writeFileDurably(${JSON.stringify(file)}, ${JSON.stringify(LONGER)}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
  const run = spawnSync(process.execPath, ['-e', script], { uid: OTHER_UID, gid: OTHER_GID, encoding: 'utf8', cwd: folder });
  assert.equal(run.status, 0, run.stderr);
  const after = await stat(file);
  assert.equal(await readFile(file, 'utf8'), LONGER);
  assert.deepEqual([after.uid, after.mode & 0o7777], [OTHER_UID, 0o664]);
});
