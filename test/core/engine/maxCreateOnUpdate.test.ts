/**
 * "On update, maxCreate must be greater than the number already issued"
 * (FACTS.md): the engine knows the server's series before an update, so it
 * says so before sending, and sends nothing. A stub API client stands for a
 * server whose series has issued 1,200 coupons (the sandbox issues none).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { CouponApiClient, ServerCouponSeries } from '../../../core/src/api';
import { Connection, EngineProblem, pushFile } from '../../../core/src/engine';
import { analyzeFile, FileStatus, withValidation } from '../../../core/src/engine/status';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { NOW, vendorExample } from '../../support/testUtil';

const KEY = '100458@eu.api.capillarytech.com';
const SERVER: ServerCouponSeries = { ...(JSON.parse(vendorExample()) as { CouponSeriesV2: Record<string, unknown> }).CouponSeriesV2, id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458, numIssued: 1200 };

function boundFile(maxCreate: number): string {
  const file = JSON.parse(vendorExample()) as { CouponSeriesV2: Record<string, unknown> };
  file.CouponSeriesV2.maxCreate = maxCreate;
  return `${JSON.stringify({ ...file, deployments: { [KEY]: { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458 } } }, null, 2)}\n`;
}

function status(action: FileStatus['action'], server?: ServerCouponSeries): FileStatus {
  return { state: 'changed', action, key: KEY, migratesLegacyIds: false, locallyChanged: true, drifted: false, changes: ['maxCreate'], notReturned: [], ...(server ? { server } : {}) };
}

test('withValidation: an update to a maxCreate at or below what the server issued is invalid, with the rule\'s diagnostic', () => {
  for (const maxCreate of [500, 1200]) {
    const judged = withValidation(status('update', SERVER), analyzeFile(boundFile(maxCreate)), { now: NOW });
    assert.equal(judged.state, 'invalid');
    assert.equal(judged.action, 'none');
    assert.deepEqual(judged.diagnostics?.map((d) => d.code), ['max-create-below-issued']);
    assert.match(judged.problem ?? '', new RegExp(`maxCreate \\(${maxCreate}\\) must be greater than the 1200 coupons`));
  }
});

test('withValidation: above what was issued, -1, a create, or no server copy are not judged by it', () => {
  assert.equal(withValidation(status('update', SERVER), analyzeFile(boundFile(1201)), { now: NOW }).state, 'changed');
  assert.equal(withValidation(status('update', SERVER), analyzeFile(boundFile(-1)), { now: NOW }).state, 'changed');
  assert.equal(withValidation(status('create', SERVER), analyzeFile(boundFile(500)), { now: NOW }).state, 'changed');
  assert.equal(withValidation(status('update'), analyzeFile(boundFile(500)), { now: NOW }).state, 'changed');
});

const folders: string[] = [];
after(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A connection whose client answers reads with SERVER and counts updates. */
function stubConnection(): { connection: Connection; updates: number[] } {
  const updates: number[] = [];
  const client = {
    baseUrl: new URL('https://eu.api.capillarytech.com'),
    getSeries: async () => [SERVER],
    updateSeries: async (id: number, body: { CouponSeriesV2: Record<string, unknown> }) => {
      updates.push(id);
      return { ...SERVER, ...body.CouponSeriesV2, id };
    },
    createSeries: async () => assert.fail('nothing is created'),
    generateToken: async () => assert.fail('no token is needed'),
  } as unknown as CouponApiClient;
  const connection: Connection = { environment: { name: 'EU', host: 'eu.api.capillarytech.com', auth: 'basic', username: 'u', orgId: 100458 }, host: 'eu.api.capillarytech.com', client, key: KEY, orgId: 100458, learnOrg: () => undefined };
  return { connection, updates };
}

for (const mode of ['update', 'push'] as const) {
  test(`pushFile (${mode}): refused before sending, the file unchanged; a maxCreate above it is sent`, async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'coupon-maxcreate-'));
    folders.push(folder);
    const file = path.join(folder, 'series.coupon.json');
    const text = boundFile(500);
    await writeFile(file, text);
    const files = createNodeSeriesFiles({ lock: { waitMs: 5_000 } });
    const { connection, updates } = stubConnection();
    const options = { mode, validation: { now: NOW } } as const;
    await assert.rejects(pushFile(connection, files, file, options), (error: unknown) => {
      assert.ok(error instanceof EngineProblem && error.kind === 'invalid', String(error));
      assert.deepEqual(error.diagnostics.map((d) => d.code), ['max-create-below-issued']);
      assert.match(error.message, /Nothing was sent/);
      return true;
    });
    assert.deepEqual(updates, []);
    assert.equal(await readFile(file, 'utf8'), text);

    await writeFile(file, boundFile(5000));
    const outcome = await pushFile(connection, files, file, options);
    assert.equal(outcome.action, 'update');
    assert.deepEqual(updates, [86066]);
  });
}
