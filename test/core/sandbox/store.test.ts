/**
 * The sandbox's data file (`coupon sandbox --data`, core/src/sandbox/store.ts):
 * written through a temporary file with a random name, created exclusively,
 * fsynced and renamed, so a name planted in advance is never written through
 * and a full disk leaves the last complete file and nothing else.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { SeriesStore } from '../../../core/src/sandbox/store';
import { fillLeaving, mountTmpfs, noSpace, withWriteFault } from '../../support/fileSystemFaults';

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

function series(orgId: number, description: string) {
  const now = '2026-01-01T00:00:00Z';
  return { seriesCode: 'S', orgId, fields: { description }, createdOn: now, lastModifiedOn: now, numIssued: 0, numRedeemed: 0 };
}

test('symbolic links planted at the temporary names a write would have used are never written through', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'coupon-store-'));
  folders.push(folder);
  const victim = path.join(folder, 'victim.txt');
  await writeFile(victim, 'the victim\'s own file\n');
  const dataFile = path.join(folder, 'data', 'series.json');
  await mkdir(path.dirname(dataFile));
  // Every name of the form <data>.<pid>.<n>.tmp the first writes would take, and a few more.
  const planted: string[] = [];
  for (let n = 1; n <= 10; n++) {
    const name = `${dataFile}.${process.pid}.${n}.tmp`;
    await symlink(victim, name);
    planted.push(path.basename(name));
  }
  const store = await SeriesStore.open(dataFile);
  for (const description of ['one', 'two', 'three']) await store.add(series(100, description));
  await store.flushed();
  assert.equal(await readFile(victim, 'utf8'), 'the victim\'s own file\n', 'the victim is untouched');
  assert.ok((await lstat(dataFile)).isFile(), 'the data file is a file, not a link');
  assert.equal((JSON.parse(await readFile(dataFile, 'utf8')) as { series: unknown[] }).series.length, 3);
  assert.deepEqual((await readdir(path.dirname(dataFile))).sort(), ['series.json', ...planted].sort(), 'no temporary file left');
});

test('a data file write that the disk cannot take (simulated): an error, the last complete file, no temporary file', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'coupon-store-'));
  folders.push(folder);
  const dataFile = path.join(folder, 'series.json');
  const store = await SeriesStore.open(dataFile);
  await store.add(series(100, 'kept'));
  const kept = await readFile(dataFile, 'utf8');
  const fault = (call: { position: number }) => (call.position >= 64 ? noSpace() : 64 - call.position);
  await assert.rejects(withWriteFault(fault, () => store.add(series(100, 'lost'))), { code: 'ENOSPC' });
  assert.equal(await readFile(dataFile, 'utf8'), kept);
  assert.deepEqual(await readdir(folder), ['series.json']);
});

test('a data file write on a real full disk (a 64 KiB tmpfs): an error, the last complete file, no temporary file', async (t) => {
  const tmpfs = await mountTmpfs(64);
  if ('skipped' in tmpfs) {
    t.skip(tmpfs.skipped);
    return;
  }
  try {
    const onTmpfs = path.join(tmpfs.folder, 'series.json');
    const full = await SeriesStore.open(onTmpfs);
    await full.add(series(100, 'kept'));
    const before = await readFile(onTmpfs, 'utf8');
    await fillLeaving(path.join(tmpfs.folder, 'filler'), 0);
    await assert.rejects(full.add(series(100, 'x'.repeat(5_000))), { code: 'ENOSPC' });
    assert.equal(await readFile(onTmpfs, 'utf8'), before);
    assert.deepEqual((await readdir(tmpfs.folder)).sort(), ['filler', 'series.json']);
  } finally {
    await tmpfs.unmount();
  }
});
