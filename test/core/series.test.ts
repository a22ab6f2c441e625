import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Sandbox, startSandbox } from '../../core/src/sandbox';
import { compareWithServer, DATE_TIME_FIELDS, FILE_FIELDS, mergeServerIntoFile, requestFields, seriesFromServer, SERVER_ASSIGNED_FIELDS } from '../../core/src/series';
import { basicCredentials, createTestClient, sampleSeries } from '../support/apiSupport';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});

test('the field lists come from the schema', () => {
  for (const field of ['description', 'discountType', 'validTillDate', 'productInfo', 'genericCode', 'id', 'seriesCode', 'orgId']) {
    assert.ok(FILE_FIELDS.includes(field), field);
  }
  for (const field of ['numIssued', 'createdOn', 'warnings', 'tag', 'fixedExpiryDate']) assert.ok(!FILE_FIELDS.includes(field), field);
  assert.deepEqual([...SERVER_ASSIGNED_FIELDS].sort(), ['id', 'orgId', 'seriesCode']);
  assert.deepEqual([...DATE_TIME_FIELDS].sort(), ['redemptionValidFrom', 'validTillDate']);
});

test('requestFields keeps what a file carries, in the object\'s order', () => {
  assert.deepEqual(requestFields({ numIssued: 3, description: 'd', id: 7, warnings: [], unknownThing: 1, discountType: 'ABS' }), { description: 'd', id: 7, discountType: 'ABS' });
});

test('compareWithServer: dates are compared as instants and shown in the file\'s spelling; ids are not compared', () => {
  const file = { CouponSeriesV2: { validTillDate: '2030-09-30T00:00:00+05:30', redemptionValidFrom: '2025-01-01T00:00:00+05:30' } };
  const server = { id: 1, orgId: 100458, seriesCode: 'C', validTillDate: '2030-09-29T18:30:00Z', redemptionValidFrom: '2025-01-01T00:00:00Z', numIssued: 4, createdOn: '2025-01-01T00:00:00Z' };
  const comparison = compareWithServer(file, server);
  assert.deepEqual(comparison.differences, [{ path: 'redemptionValidFrom', file: '2025-01-01T00:00:00+05:30', server: '2025-01-01T00:00:00Z' }]);
  assert.deepEqual(comparison.left, { validTillDate: '2030-09-30T00:00:00+05:30', redemptionValidFrom: '2025-01-01T00:00:00Z' });
  assert.deepEqual(comparison.right, { validTillDate: '2030-09-30T00:00:00+05:30', redemptionValidFrom: '2025-01-01T00:00:00+05:30' });
  assert.deepEqual(comparison.notReturned, []);
});

test('compareWithServer: fields the server does not return are listed, not shown as changes', () => {
  const file = {
    description: 'd',
    productInfo: [{ productType: 'SKU', productIds: [1] }],
    genericCode: 'G',
    customPropertyMap: { milestone: 'm', standard_terms_and_conditions: 't' },
    redemptionRange: '{"dom": [1], "dow": [1], "hours": [1]}',
  };
  const server = {
    description: 'changed on the server',
    customPropertyMap: { standard_terms_and_conditions: 't' },
    redemptionRange: '{"dom" : [1],"dow":[1],"hours":[1]}',
    maxCreate: 100,
    warnings: [],
  };
  const comparison = compareWithServer(file, server);
  assert.deepEqual(comparison.notReturned, ['productInfo', 'genericCode', 'customPropertyMap.milestone']);
  assert.deepEqual(comparison.differences, [
    { path: 'description', file: 'd', server: 'changed on the server' },
    { path: 'maxCreate', file: undefined, server: 100 },
  ]);
  assert.deepEqual(comparison.right, { description: 'd', customPropertyMap: { standard_terms_and_conditions: 't' }, redemptionRange: file.redemptionRange });
  assert.deepEqual(comparison.left, {
    description: 'changed on the server',
    customPropertyMap: { standard_terms_and_conditions: 't' },
    redemptionRange: file.redemptionRange,
    maxCreate: 100,
  });
});

test('seriesFromServer keeps the request fields in schema order (ids go to deployments), dates as +00:00', () => {
  const server = { warnings: [], numIssued: 0, discountType: 'ABS', id: 9, orgId: 100458, seriesCode: 'C0DE', validTillDate: '2030-09-29T18:30:00Z', redemptionValidFrom: '2025-01-01T10:00:00+05:30', description: 'd', tag: 'd' };
  const series = seriesFromServer(server);
  assert.deepEqual(series, { description: 'd', validTillDate: '2030-09-29T18:30:00+00:00', redemptionValidFrom: '2025-01-01T10:00:00+05:30', discountType: 'ABS' });
  assert.deepEqual(Object.keys(series), FILE_FIELDS.filter((field) => field in series));
});

test('mergeServerIntoFile takes the server\'s values field by field and keeps what it does not return', () => {
  const text = [
    '{',
    '    "CouponSeriesV2": {',
    '        "description": "old",',
    '        "validTillDate": "2030-09-30T00:00:00+05:30",',
    '        "genericCode": "SHARED",',
    '        "productInfo": [{"productType": "SKU", "productIds": [1]}],',
    '        "customPropertyMap": {"milestone": "m", "standard_terms_and_conditions": "old terms"},',
    '        "maxRedeem": 5',
    '    }',
    '}',
    '',
  ].join('\n');
  const server = {
    id: 7,
    orgId: 1,
    seriesCode: 'C',
    description: 'new',
    validTillDate: '2030-09-29T18:30:00Z',
    customPropertyMap: { standard_terms_and_conditions: 'new terms' },
    maxRedeem: 5,
    maxCreate: 100,
    numIssued: 3,
  };
  const merged = mergeServerIntoFile(text, server);
  const series = (JSON.parse(merged.text) as { CouponSeriesV2: Record<string, unknown> }).CouponSeriesV2;
  assert.deepEqual(merged.changed.sort(), ['customPropertyMap.standard_terms_and_conditions', 'description', 'maxCreate']);
  assert.deepEqual(merged.kept.sort(), ['customPropertyMap.milestone', 'genericCode', 'productInfo']);
  assert.equal(series.description, 'new');
  assert.equal(series.validTillDate, '2030-09-30T00:00:00+05:30', 'the same instant keeps the file\'s spelling');
  assert.equal(series.genericCode, 'SHARED');
  assert.deepEqual(series.customPropertyMap, { milestone: 'm', standard_terms_and_conditions: 'new terms' });
  assert.equal(series.maxCreate, 100);
  assert.ok(!('id' in series) && !('numIssued' in series));
  assert.ok(merged.text.includes('\n        "description": "new",\n'), 'the file\'s own indentation');
});

test('round trip with the sandbox: a pulled series compares equal to the file it came from', async () => {
  const client = createTestClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 5_000 });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  const [server] = await client.getSeries(created.id);

  const comparison = compareWithServer({ CouponSeriesV2: sampleSeries() }, server);
  assert.deepEqual(comparison.differences, []);
  assert.deepEqual(comparison.notReturned, ['customPropertyMap.milestone', 'productInfo', 'redemptionOrgEntityDetails'], 'the sandbox, like the API, keeps only the custom properties the org knows');

  const pulled = seriesFromServer(server);
  assert.equal(pulled.validTillDate, '2030-09-29T18:30:00+00:00');
  assert.ok(!('id' in pulled) && !('numIssued' in pulled));
  assert.deepEqual(compareWithServer(pulled, server).differences, []);
});
