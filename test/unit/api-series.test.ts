import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createCouponApiClient } from '../../core/src/api/client';
import { Sandbox, startSandbox } from '../../core/src/sandbox';
import { compareWithServer, DATE_TIME_FIELDS, FILE_FIELDS, requestFields, seriesFromServer, SERVER_ASSIGNED_FIELDS, writeServerIds } from '../../core/src/series';
import { basicCredentials, sampleSeries } from './api-support';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox.close();
});

const IDS = { id: 1001, seriesCode: 'ABCDEF0123456789ABCD', orgId: 100458 };

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

const writeCases: { name: string; before: string; after: string; ids?: Parameters<typeof writeServerIds>[1] }[] = [
  {
    name: '2-space indentation',
    before: '{\n  "CouponSeriesV2": {\n    "description": "x",\n    "discountValue": 10\n  }\n}\n',
    after: '{\n  "CouponSeriesV2": {\n    "description": "x",\n    "discountValue": 10,\n    "id": 1001,\n    "seriesCode": "ABCDEF0123456789ABCD",\n    "orgId": 100458\n  }\n}\n',
  },
  {
    name: '4-space indentation',
    before: '{\n    "CouponSeriesV2": {\n        "description": "x",\n        "discountValue": 10\n    }\n}',
    after: '{\n    "CouponSeriesV2": {\n        "description": "x",\n        "discountValue": 10,\n        "id": 1001,\n        "seriesCode": "ABCDEF0123456789ABCD",\n        "orgId": 100458\n    }\n}',
  },
  {
    name: 'tabs',
    before: '{\n\t"CouponSeriesV2": {\n\t\t"description": "x",\n\t\t"discountValue": 10\n\t}\n}\n',
    after: '{\n\t"CouponSeriesV2": {\n\t\t"description": "x",\n\t\t"discountValue": 10,\n\t\t"id": 1001,\n\t\t"seriesCode": "ABCDEF0123456789ABCD",\n\t\t"orgId": 100458\n\t}\n}\n',
  },
  {
    name: 'CRLF line ends',
    before: '{\r\n  "CouponSeriesV2": {\r\n    "description": "x",\r\n    "discountValue": 10\r\n  }\r\n}\r\n',
    after: '{\r\n  "CouponSeriesV2": {\r\n    "description": "x",\r\n    "discountValue": 10,\r\n    "id": 1001,\r\n    "seriesCode": "ABCDEF0123456789ABCD",\r\n    "orgId": 100458\r\n  }\r\n}\r\n',
  },
  {
    name: 'compact one line',
    before: '{"CouponSeriesV2":{"description":"x","discountValue":10}}',
    after: '{"CouponSeriesV2":{"description":"x","discountValue":10,"id":1001,"seriesCode":"ABCDEF0123456789ABCD","orgId":100458}}',
  },
  {
    name: 'one line with spaces',
    before: '{ "CouponSeriesV2": { "description": "x", "discountValue": 10 } }',
    after: '{ "CouponSeriesV2": { "description": "x", "discountValue": 10, "id": 1001, "seriesCode": "ABCDEF0123456789ABCD", "orgId": 100458 } }',
  },
  {
    name: 'existing id replaced in place, the rest appended',
    before: '{\n  "CouponSeriesV2": {\n    "id": 5,\n    "description": "x"\n  }\n}\n',
    after: '{\n  "CouponSeriesV2": {\n    "id": 1001,\n    "description": "x",\n    "seriesCode": "ABCDEF0123456789ABCD",\n    "orgId": 100458\n  }\n}\n',
  },
  {
    name: 'all ids present: values replaced, nothing moves',
    before: '{\n  "CouponSeriesV2": {\n    "seriesCode": "OLD",\n    "id": 5,\n    "orgId": 1,\n    "description": "x"\n  }\n}\n',
    after: '{\n  "CouponSeriesV2": {\n    "seriesCode": "ABCDEF0123456789ABCD",\n    "id": 1001,\n    "orgId": 100458,\n    "description": "x"\n  }\n}\n',
  },
  {
    name: 'after a multi-line last property, with other root keys untouched',
    before: '{\n  "$schema": "./coupon.schema.json",\n  "CouponSeriesV2": {\n    "targetUserDetails": {\n      "validMaxUserTransactionLimit": 1\n    }\n  },\n  "note": [1,2]\n}\n',
    after: '{\n  "$schema": "./coupon.schema.json",\n  "CouponSeriesV2": {\n    "targetUserDetails": {\n      "validMaxUserTransactionLimit": 1\n    },\n    "id": 1001\n  },\n  "note": [1,2]\n}\n',
    ids: { id: 1001 },
  },
  {
    name: 'an empty object is opened up',
    before: '{\n  "CouponSeriesV2": {}\n}\n',
    after: '{\n  "CouponSeriesV2": {\n    "id": 1001,\n    "orgId": 100458\n  }\n}\n',
    ids: { id: 1001, orgId: 100458 },
  },
];

for (const { name, before: text, after: expected, ids } of writeCases) {
  test(`writeServerIds keeps formatting: ${name}`, () => {
    const written = writeServerIds(text, ids ?? IDS);
    assert.equal(written, expected);
    assert.equal((JSON.parse(written) as { CouponSeriesV2: { id: number } }).CouponSeriesV2.id, 1001);
  });
}

test('writeServerIds refuses a file without a CouponSeriesV2 object', () => {
  assert.throws(() => writeServerIds('{"other": {}}', IDS), /no "CouponSeriesV2" object/);
  assert.throws(() => writeServerIds('{"CouponSeriesV2": []}', IDS), /no "CouponSeriesV2" object/);
});

test('compareWithServer: dates are compared as instants and shown in the file\'s spelling', () => {
  const file = { CouponSeriesV2: { id: 1, validTillDate: '2030-09-30T00:00:00+05:30', redemptionValidFrom: '2025-01-01T00:00:00+05:30' } };
  const server = { id: 1, validTillDate: '2030-09-29T18:30:00Z', redemptionValidFrom: '2025-01-01T00:00:00Z', numIssued: 4, createdOn: '2025-01-01T00:00:00Z' };
  const comparison = compareWithServer(file, server);
  assert.deepEqual(comparison.differences, [{ path: 'redemptionValidFrom', file: '2025-01-01T00:00:00+05:30', server: '2025-01-01T00:00:00Z' }]);
  assert.deepEqual(comparison.left, { id: 1, validTillDate: '2030-09-30T00:00:00+05:30', redemptionValidFrom: '2025-01-01T00:00:00Z' });
  assert.deepEqual(comparison.right, { id: 1, validTillDate: '2030-09-30T00:00:00+05:30', redemptionValidFrom: '2025-01-01T00:00:00+05:30' });
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

test('seriesFromServer keeps request fields and ids in schema order, dates as +00:00', () => {
  const server = { warnings: [], numIssued: 0, discountType: 'ABS', id: 9, orgId: 100458, seriesCode: 'C0DE', validTillDate: '2030-09-29T18:30:00Z', redemptionValidFrom: '2025-01-01T10:00:00+05:30', description: 'd', tag: 'd' };
  const file = seriesFromServer(server);
  assert.deepEqual(file, {
    CouponSeriesV2: { description: 'd', validTillDate: '2030-09-29T18:30:00+00:00', redemptionValidFrom: '2025-01-01T10:00:00+05:30', discountType: 'ABS', id: 9, seriesCode: 'C0DE', orgId: 100458 },
  });
  assert.deepEqual(Object.keys(file.CouponSeriesV2), FILE_FIELDS.filter((field) => field in file.CouponSeriesV2));
});

test('round trip with the sandbox: a pulled series compares equal to the file it came from', async () => {
  const client = createCouponApiClient({ baseUrl: sandbox.url, credentials: basicCredentials(), timeoutMs: 5_000 });
  const created = await client.createSeries({ CouponSeriesV2: sampleSeries() });
  const text = writeServerIds(`${JSON.stringify({ CouponSeriesV2: sampleSeries() }, null, 2)}\n`, { id: created.id, seriesCode: String(created.seriesCode), orgId: Number(created.orgId) });
  const [server] = await client.getSeries(created.id);

  const comparison = compareWithServer(JSON.parse(text) as Record<string, unknown>, server);
  assert.deepEqual(comparison.differences, []);
  assert.deepEqual(comparison.notReturned, ['customPropertyMap.milestone', 'productInfo', 'redemptionOrgEntityDetails'], 'the sandbox, like the API, keeps only the custom properties the org knows');

  const pulled = seriesFromServer(server);
  assert.equal(pulled.CouponSeriesV2.validTillDate, '2030-09-29T18:30:00+00:00');
  assert.equal(pulled.CouponSeriesV2.id, created.id);
  assert.ok(!('numIssued' in pulled.CouponSeriesV2));
  assert.deepEqual(compareWithServer(pulled, server).differences, []);
});
