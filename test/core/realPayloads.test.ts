/**
 * Real payloads against the principle "an error means the API would refuse it":
 * the docs' examples, a server response pasted into a file, the update built
 * from the update page and every payload issue 9 found wrongly refused give no
 * error, and the sandbox (which makes only the checks the docs say the server
 * makes, written apart from the rules) accepts each of them. The documented
 * rules still give their error, and the sandbox refuses those payloads too.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { basicAuthorization } from '../../core/src/api/auth';
import type { DiagnosticCode } from '../../core/src/rules/index';
import { Sandbox, SANDBOX_USERNAME, startSandbox } from '../../core/src/sandbox';
import { isBoundFile } from '../../core/src/schema';
import { validateCouponSeries } from '../../core/src/validate';
import { fixture, NOW } from '../support/testUtil';
import { jsonExamples, tableParameters } from '../support/vendorDocs';
import { SANDBOX_PASSWORD_MD5 } from '../support/apiSupport';

type Json = Record<string, unknown>;
interface CouponFile {
  CouponSeriesV2: Json;
  deployments?: Json;
}

const [createExample, responseExample] = jsonExamples('create') as [CouponFile, Json];
const DEPLOYED = { '100458@eu.api.capillarytech.com': { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458 } };

/** The docs' create example with `edit` applied to its series (and, optionally, to the whole file). */
function example(edit: (series: Json) => void, fileEdit?: (file: CouponFile) => void): CouponFile {
  const file = structuredClone(createExample);
  edit(file.CouponSeriesV2);
  fileEdit?.(file);
  return file;
}

function productInfo(series: Json): { productType: string; productIds: unknown[] }[] {
  return series.productInfo as { productType: string; productIds: unknown[] }[];
}

interface Accepted {
  name: string;
  file: CouponFile;
  /** The warning codes expected, in document order; any when absent. */
  warnings?: DiagnosticCode[];
}

const accepted: Accepted[] = [
  { name: "the docs' create example", file: createExample, warnings: [] },
  { name: 'a server response (the create page\'s) pasted into a file', file: JSON.parse(fixture('payloads/server-response.coupon.json')) as CouponFile },
  { name: 'the update built from the update page (every body parameter)', file: JSON.parse(fixture('valid/update-from-update-page.coupon.json')) as CouponFile, warnings: [] },
  {
    name: 'a create without the update page\'s 8 mandatory fields (the create page marks none)',
    file: example((s) => {
      for (const name of ['description', 'discountCode', 'discountType', 'discountValue', 'anyUser', 'smsTemplate', 'clientHandlingType', 'expiryStrategyType']) delete s[name];
    }),
    warnings: Array(8).fill('missing-property') as DiagnosticCode[],
  },
  {
    name: '-1 for maxRedemptionsInSeriesPerUser, maxBillAmount, minBillAmount, minDaysBetweenRedemption, validMaxUserTransactionLimit',
    file: example((s) => {
      Object.assign(s, { maxRedemptionsInSeriesPerUser: -1, maxBillAmount: -1, minBillAmount: -1, minDaysBetweenRedemption: -1 });
      (s.targetUserDetails as Json).validMaxUserTransactionLimit = -1;
    }),
    warnings: [],
  },
  {
    name: 'negative integers everywhere ("Integer", no bounds): warnings at most',
    file: example((s) => {
      for (const name of ['maxCreate', 'maxRedeem', 'maxVouchersPerUser', 'minDaysBetweenVouchers', 'discountValue', 'redemptionValidAfterDays', 'randomCodeLength']) s[name] = -7;
      s.targetUserDetails = { validMaxUserTransactionLimit: -7, validUserRegistrationStartTime: -7, validUserRegistrationEndTime: -7 };
    }),
  },
  { name: 'DAYS without expiryStrategyValue', file: example((s) => ((s.expiryStrategyType = 'DAYS'), delete s.expiryStrategyValue)), warnings: ['expiry-value-min'] },
  { name: 'MONTHS_END with expiryStrategyValue 0', file: example((s) => ((s.expiryStrategyType = 'MONTHS_END'), (s.expiryStrategyValue = 0))), warnings: ['expiry-value-min'] },
  { name: 'redemptionRange without dom and hours: "{\\"dow\\": [6, 7]}"', file: example((s) => (s.redemptionRange = '{"dow": [6, 7]}')), warnings: ['redemption-range-values'] },
  { name: 'productType ATTRIBUTE (shown once in the docs)', file: example((s) => (productInfo(s)[0].productType = 'ATTRIBUTE')), warnings: [] },
  { name: 'productIds as strings ("Array, IDs of product")', file: example((s) => (productInfo(s)[0].productIds = ['30', '40'])), warnings: ['product-id-type', 'product-id-type'] },
  { name: "dates in the server's own UTC form (…Z)", file: example((s) => ((s.validTillDate = '2029-05-09T18:30:00Z'), (s.redemptionValidFrom = '2024-05-17T18:30:00Z'))), warnings: [] },
  { name: 'a date with an offset without a colon (+0530)', file: example((s) => (s.validTillDate = '2029-05-10T00:00:00+0530')), warnings: ['date-format-variant'] },
  { name: 'a date with fractional seconds', file: example((s) => (s.redemptionValidFrom = '2024-05-18T00:00:00.000+05:30')), warnings: ['date-format-variant'] },
  { name: 'redemptionPerCouponMaxLimit -1 with anyUser false, like null', file: example((s) => (s.redemptionPerCouponMaxLimit = -1)), warnings: [] },
  { name: 'redemptionPerCouponMaxLimit null with anyUser false', file: example((s) => (s.redemptionPerCouponMaxLimit = null)), warnings: [] },
  { name: 'redemptionPerCouponMaxLimit -1 on a GENERIC series', file: example((s) => Object.assign(s, { clientHandlingType: 'GENERIC', genericCode: 'SAVE10', redemptionPerCouponMaxLimit: -1 })), warnings: [] },
  { name: 'a date not on the calendar (2029-02-30)', file: example((s) => (s.validTillDate = '2029-02-30T00:00:00+05:30')), warnings: ['invalid-date'] },
  { name: 'an empty genericCode', file: example((s) => Object.assign(s, { clientHandlingType: 'GENERIC', genericCode: '' })), warnings: ['out-of-range'] },
  { name: 'a bound file without validTillDate (an update may omit it)', file: example((s) => delete s.validTillDate, (f) => (f.deployments = DEPLOYED)), warnings: ['valid-till-missing'] },
  // The update page: "Applicable only when the anyUser parameter is set to true", "Not applicable for GENERIC": where it applies, not a rejection.
  { name: 'a redemption limit with anyUser false', file: example((s) => (s.redemptionPerCouponMaxLimit = 5)), warnings: ['redemption-limit-any-user'] },
  { name: 'a redemption limit on GENERIC', file: example((s) => Object.assign(s, { anyUser: true, clientHandlingType: 'GENERIC', genericCode: 'SAVE10', redemptionPerCouponMaxLimit: 5 })), warnings: ['redemption-limit-generic'] },
  { name: 'a productInfo entry without productType, with 1,001 ids (not a CATEGORY entry)', file: example((s) => (productInfo(s)[1] = { productIds: Array.from({ length: 1001 }, (_, i) => i + 1) } as never)), warnings: ['missing-property'] },
];

interface Refused {
  name: string;
  file: CouponFile;
  code: DiagnosticCode;
  /** What the sandbox answers when the tool sends it. */
  status: 400 | 403;
}

const refused: Refused[] = [
  { name: 'GENERIC without genericCode', file: example((s) => (s.clientHandlingType = 'GENERIC')), code: 'generic-code-required', status: 400 },
  { name: 'SERIES_EXPIRY with expiryStrategyValue 5', file: example((s) => (s.expiryStrategyValue = 5)), code: 'expiry-value-series', status: 400 },
  { name: 'a redemption limit of 0', file: example((s) => Object.assign(s, { anyUser: true, redemptionPerCouponMaxLimit: 0 })), code: 'redemption-limit-value', status: 400 },
  { name: '1,001 CATEGORY ids', file: example((s) => (productInfo(s)[1].productIds = Array.from({ length: 1001 }, (_, i) => i + 1))), code: 'category-ids-limit', status: 400 },
  { name: 'a new series without validTillDate', file: example((s) => delete s.validTillDate), code: 'valid-till-required', status: 400 },
  { name: 'a bound series without discountCode', file: example((s) => delete s.discountCode, (f) => (f.deployments = DEPLOYED)), code: 'mandatory-field-missing', status: 403 },
  { name: 'a legacy id without seriesCode', file: example((s) => (s.id = 86066)), code: 'series-code-required', status: 403 },
  { name: 'mutualExclusiveSeriesIds that is not JSON', file: example((s) => (s.mutualExclusiveSeriesIds = '10, 11')), code: 'mutual-exclusive-ids-invalid', status: 400 },
  { name: 'redemptionRange that is not JSON', file: example((s) => (s.redemptionRange = '{dom: [1]}')), code: 'redemption-range-invalid', status: 400 },
  { name: 'discountValue as a string', file: example((s) => (s.discountValue = '500')), code: 'wrong-type', status: 400 },
  { name: 'productIds that is not an array', file: example((s) => (productInfo(s)[0].productIds = 30 as unknown as unknown[])), code: 'wrong-type', status: 400 },
  { name: 'discountType PERCENT', file: example((s) => (s.discountType = 'PERCENT')), code: 'unknown-enum-value', status: 400 },
  { name: 'productType SKU_ID', file: example((s) => (productInfo(s)[0].productType = 'SKU_ID')), code: 'unknown-enum-value', status: 400 },
  { name: 'a date without a time', file: example((s) => (s.validTillDate = '2029-05-10')), code: 'invalid-format', status: 400 },
  { name: 'a coupon prefix of 11 characters', file: example((s) => (s.couponPrefix = 'DIWALI-2029')), code: 'invalid-format', status: 400 },
  { name: 'CouponSeriesV2 that is not an object', file: { CouponSeriesV2: [] as unknown as Json }, code: 'wrong-type', status: 400 },
];

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

const AUTH = basicAuthorization(SANDBOX_USERNAME, SANDBOX_PASSWORD_MD5);

async function call(method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ status: number; json: Json }> {
  const response = await request(`${sandbox.url}${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: AUTH } });
  return { status: response.statusCode, json: (await response.body.json()) as Json };
}

/**
 * Sends the file as the tool would: a create when it is not bound; when it is,
 * an update of a series made for the purpose, with that series' id and seriesCode put in.
 */
async function send(file: CouponFile): Promise<{ status: number; json: Json }> {
  if (!isBoundFile(file)) return call('POST', '/v2/coupon/series', { CouponSeriesV2: file.CouponSeriesV2 });
  const target = await call('POST', '/v2/coupon/series', createExample);
  assert.equal(target.status, 200);
  const series = file.CouponSeriesV2;
  const ids = 'seriesCode' in series || file.deployments ? { id: target.json.id, seriesCode: target.json.seriesCode } : { id: target.json.id };
  return call('PUT', `/v2/coupon/series/${String(target.json.id)}`, { CouponSeriesV2: { ...series, ...ids } });
}

function text(file: CouponFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

for (const payload of accepted) {
  test(`no error, and the sandbox accepts it: ${payload.name}`, async () => {
    const diagnostics = validateCouponSeries(text(payload.file), { now: NOW });
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 1);
    assert.deepEqual(errors.map((d) => `${String(d.code)}: ${String(d.message)}`), []);
    if (payload.warnings) assert.deepEqual(diagnostics.map((d) => d.code), payload.warnings);
    const answer = await send(payload.file);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
  });
}

for (const payload of refused) {
  test(`${payload.code}, and the sandbox refuses it too: ${payload.name}`, async () => {
    const errors = validateCouponSeries(text(payload.file), { now: NOW }).filter((diagnostic) => diagnostic.severity === 1);
    assert.deepEqual(errors.map((d) => d.code), [payload.code], errors.map((d) => String(d.message)).join('\n'));
    const answer = await send(payload.file);
    assert.equal(answer.status, payload.status, JSON.stringify(answer.json));
  });
}

test('a key written twice: a warning naming the last value, which is the one a JSON server (the sandbox) keeps', async () => {
  const body = `{"CouponSeriesV2": ${JSON.stringify(createExample.CouponSeriesV2).replace('"discountType":"ABS"', '"discountType":"PERC","discountType":"ABS"')}}`;
  assert.ok(body.includes('"discountType":"PERC","discountType":"ABS"'));
  const diagnostics = validateCouponSeries(body, { now: NOW });
  assert.deepEqual(diagnostics.map((d) => d.code), ['duplicate-key']);
  assert.match(String(diagnostics[0].message), /the API would get "ABS"/);
  const response = await request(`${sandbox.url}/v2/coupon/series`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: AUTH } });
  const answer = (await response.body.json()) as Json;
  assert.equal(response.statusCode, 200, JSON.stringify(answer));
  assert.equal(answer.discountType, 'ABS');
});

test("the payloads are the docs' own: the pasted response is the create page's, the update covers the update page's body table", () => {
  assert.deepEqual(JSON.parse(fixture('payloads/server-response.coupon.json')), { CouponSeriesV2: responseExample });
  const update = (JSON.parse(fixture('valid/update-from-update-page.coupon.json')) as CouponFile).CouponSeriesV2;
  const present = new Set<string>();
  const collect = (value: unknown, prefix: string): void => {
    if (Array.isArray(value)) value.forEach((item) => collect(item, prefix));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        present.add(key).add(prefix ? `${prefix}.${key}` : key);
        collect(child, key);
      }
    }
  };
  collect(update, '');
  // key1/key2 stand for any custom property; genericCode goes only with GENERIC.
  const expected = tableParameters('update', 'Body Parameters').filter((name) => !['CouponSeriesV2', 'customPropertyMap.key1', 'customPropertyMap.key2', 'genericCode'].includes(name));
  assert.deepEqual(expected.filter((name) => !present.has(name)), []);
});

/** Every name of a page's response table in an answer: at the top, or inside the object the docs' example nests it in. */
function missingResponseFields(page: 'create' | 'update', answer: Json): string[] {
  const nested = [answer, answer.customPropertyMap, answer.targetUserDetails].filter((value): value is Json => typeof value === 'object' && value !== null);
  return tableParameters(page, 'Response parameter').filter((name) => !nested.some((object) => name in object));
}

test("the sandbox answers with every field of the docs' response tables, and fewer custom properties than sent", async () => {
  const created = await call('POST', '/v2/coupon/series', createExample);
  assert.equal(created.status, 200);
  assert.deepEqual(missingResponseFields('create', created.json), []);
  assert.deepEqual(created.json.customPropertyMap, { standard_terms_and_conditions: 'terms and condtion' }, "as in the docs' example: 1 of the 3 keys comes back");
  assert.deepEqual(Object.keys(created.json).sort(), Object.keys(responseExample).sort(), "the same fields as the docs' example answer");

  const update = JSON.parse(fixture('valid/update-from-update-page.coupon.json')) as CouponFile;
  const updated = await call('PUT', `/v2/coupon/series/${String(created.json.id)}`, { CouponSeriesV2: { ...update.CouponSeriesV2, id: created.json.id, seriesCode: created.json.seriesCode } });
  assert.equal(updated.status, 200, JSON.stringify(updated.json));
  assert.deepEqual(missingResponseFields('update', updated.json), []);
});
