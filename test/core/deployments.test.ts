/**
 * The root-level `deployments` record: its problems are warnings that say what
 * is wrong; hover and completion know its fields; a file with a deployment (or a
 * legacy id) is bound, which decides between the create and update severities.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MarkupContent, TextDocument } from 'vscode-json-languageservice';
import { createCouponLanguageService } from '../../core/src/languageService';
import { FIELDS_NOT_RETURNED, FIELDS_RETURNED_IN_PART, isBoundFile, isDeploymentKey, MANDATORY_ON_UPDATE, parseDeploymentKey, REQUIRED_ON_CREATE } from '../../core/src/schema';
import { validateCouponSeries } from '../../core/src/validate';
import { NOW, rangeText, vendorExample, withCursor } from '../support/testUtil';

type Json = Record<string, unknown>;
const ENTRY = { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458, pushedAt: '2026-11-30T10:15:00Z', pushedFingerprint: 'sha256:9f86d081884c7d65', serverFingerprint: 'sha256:2c26b46b68ffc68f' };

function file(deployments: unknown, edit: (series: Json) => void = () => undefined): string {
  const document = JSON.parse(vendorExample()) as { CouponSeriesV2: Json; deployments?: unknown };
  edit(document.CouponSeriesV2);
  document.deployments = deployments;
  return `${JSON.stringify(document, null, 2)}\n`;
}

function findings(text: string): { code: string; severity: number; message: string; covers: string }[] {
  return validateCouponSeries(text, { now: NOW }).map((d) => ({ code: String(d.code), severity: d.severity ?? 0, message: String(d.message), covers: rangeText(text, d) }));
}

test('a well-formed deployments record gives nothing; sandbox and IPv6 hosts, ports and path prefixes are keys', () => {
  const keys = ['100458@eu.api.capillarytech.com', '100459@127.0.0.1:47631', '7@[::1]:8080', '100458@gateway.example.com/capillary'];
  assert.deepEqual(findings(file(Object.fromEntries(keys.map((key) => [key, { ...ENTRY, orgId: parseDeploymentKey(key)?.orgId }])))), []);
  assert.deepEqual(findings(file({})), [], 'an empty record is fine (and the file is not bound)');
});

const problems: { name: string; deployments: unknown; covers: string; message: RegExp }[] = [
  { name: "the key's org differs from orgId", deployments: { '100458@eu.api.capillarytech.com': { ...ENTRY, orgId: 100459 } }, covers: '100459', message: /key "100458@eu\.api\.capillarytech\.com" names org 100458, but orgId is 100459/ },
  { name: 'a key with a scheme', deployments: { '100458@https://eu.api.capillarytech.com': ENTRY }, covers: '"100458@https://eu.api.capillarytech.com"', message: /has a scheme \(https:\/\/\): leave it out/ },
  { name: 'a key without @', deployments: { 'eu.api.capillarytech.com': ENTRY }, covers: '"eu.api.capillarytech.com"', message: /has no "@"/ },
  { name: 'a key whose org is a name', deployments: { 'production@eu.api.capillarytech.com': ENTRY }, covers: '"production@eu.api.capillarytech.com"', message: /starts with "production", which is not an org id/ },
  { name: 'a key with an upper-case host', deployments: { '100458@EU.api.capillarytech.com': ENTRY }, covers: '"100458@EU.api.capillarytech.com"', message: /upper-case letters in the host/ },
  { name: 'a missing seriesCode', deployments: { '100458@eu.api.capillarytech.com': { id: 86066, orgId: 100458 } }, covers: '"100458@eu.api.capillarytech.com"', message: /lacks "seriesCode"/ },
  { name: 'an id of 0', deployments: { '100458@eu.api.capillarytech.com': { ...ENTRY, id: 0 } }, covers: '0', message: /"id" of the deployment "100458@eu\.api\.capillarytech\.com" must be a positive integer, not 0/ },
  { name: 'an id as a string', deployments: { '100458@eu.api.capillarytech.com': { ...ENTRY, id: '86066' } }, covers: '"86066"', message: /"id" of the deployment .* must be an integer, not a string/ },
  { name: 'a pushedAt with an offset', deployments: { '100458@eu.api.capillarytech.com': { ...ENTRY, pushedAt: '2026-11-30T10:15:00+05:30' } }, covers: '"2026-11-30T10:15:00+05:30"', message: /"pushedAt" .* in UTC \(YYYY-MM-DDTHH:MM:SSZ\), e\.g\. "2026-11-30T10:15:00Z"/ },
  { name: 'a fingerprint in upper case', deployments: { '100458@eu.api.capillarytech.com': { ...ENTRY, serverFingerprint: 'sha256:2C26B46B68FFC68F' } }, covers: '"sha256:2C26B46B68FFC68F"', message: /sha256: and 16 to 64 lower-case hex digits/ },
  { name: 'an unknown field, with a suggestion', deployments: { '100458@eu.api.capillarytech.com': { ...ENTRY, pushedAT: 'x' } }, covers: '"pushedAT"', message: /unknown field "pushedAT": did you mean "pushedAt"\?/ },
  { name: 'an entry that is not an object', deployments: { '100458@eu.api.capillarytech.com': 86066 }, covers: '86066', message: /must be an object such as \{"id": 86066/ },
  { name: 'deployments that is not an object', deployments: [ENTRY], covers: '', message: /"deployments" must be an object of deployments keyed by "<orgId>@<host>"/ },
];

for (const problem of problems) {
  test(`deployment-invalid, a warning that says what is wrong: ${problem.name}`, () => {
    const text = file(problem.deployments);
    const found = findings(text);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].code, 'deployment-invalid');
    assert.equal(found[0].severity, 2, 'never an error');
    assert.match(found[0].message, problem.message);
    if (problem.covers) assert.equal(found[0].covers, problem.covers);
  });
}

test('bound or not: a deployment, or a legacy id, makes the next send possibly an update', () => {
  assert.equal(isBoundFile({ CouponSeriesV2: {} }), false);
  assert.equal(isBoundFile({ CouponSeriesV2: {}, deployments: {} }), false);
  assert.equal(isBoundFile({ CouponSeriesV2: {}, deployments: { '1@h': ENTRY } }), true);
  assert.equal(isBoundFile({ CouponSeriesV2: { id: 5 } }), true);
  assert.equal(isBoundFile('text'), false);
  assert.deepEqual(MANDATORY_ON_UPDATE, ['description', 'discountCode', 'discountType', 'discountValue', 'anyUser', 'smsTemplate', 'clientHandlingType', 'expiryStrategyType']);
  assert.deepEqual(REQUIRED_ON_CREATE, ['validTillDate']);

  const withoutDiscountCode = (deployments: unknown) => findings(file(deployments, (s) => delete s.discountCode)).map((f) => [f.code, f.severity]);
  assert.deepEqual(withoutDiscountCode({ '100458@eu.api.capillarytech.com': ENTRY }), [['mandatory-field-missing', 1]], 'bound: an update would be refused');
  assert.deepEqual(withoutDiscountCode({}), [['missing-property', 2]], 'not bound: a create, which marks nothing mandatory');
  const withoutValidTill = (deployments: unknown) => findings(file(deployments, (s) => delete s.validTillDate)).map((f) => [f.code, f.severity]);
  assert.deepEqual(withoutValidTill({ '100458@eu.api.capillarytech.com': ENTRY }), [['valid-till-missing', 2]]);
  assert.deepEqual(withoutValidTill({}), [['valid-till-required', 1]]);
  assert.deepEqual(
    findings(file(undefined, (s) => ((s.id = 86066), delete s.discountCode))).map((f) => f.code),
    ['mandatory-field-missing', 'series-code-required'],
    'a legacy id binds the file too, and still needs its seriesCode',
  );
  const legacyAsCreate = validateCouponSeries(file(undefined, (s) => ((s.id = 86066), (s.orgId = 100458), delete s.discountCode)), { now: NOW, sendAs: 'create' });
  assert.deepEqual(
    legacyAsCreate.map((d) => d.code).filter((code) => code === 'series-code-required' || code === 'mandatory-field-missing'),
    [],
    'sent as a create on another org, neither the update\'s mandatory fields nor its seriesCode apply',
  );
});

test('keys: parsed and checked as the schema says', () => {
  assert.deepEqual(parseDeploymentKey('100458@127.0.0.1:47631'), { orgId: 100458, host: '127.0.0.1:47631' });
  assert.equal(parseDeploymentKey('0@host'), undefined);
  assert.equal(parseDeploymentKey('host'), undefined);
  assert.equal(isDeploymentKey('100458@eu.api.capillarytech.com'), true);
  assert.equal(isDeploymentKey('100458@Eu.api.capillarytech.com'), false);
  assert.equal(isDeploymentKey('100458@https://eu.api.capillarytech.com'), false);
});

test('the fields the server never returns, and the one it returns in part, come from the schema', () => {
  assert.deepEqual([...FIELDS_NOT_RETURNED].sort(), ['genericCode', 'productInfo', 'redemptionOrgEntityDetails']);
  assert.deepEqual(FIELDS_RETURNED_IN_PART, ['customPropertyMap']);
});

const service = createCouponLanguageService({ validation: { now: NOW } });

function at(textWithCursor: string): { document: TextDocument; position: ReturnType<TextDocument['positionAt']> } {
  const { text, offset } = withCursor(textWithCursor);
  const document = TextDocument.create('file:///d.coupon.json', 'coupon-json', 1, text);
  return { document, position: document.positionAt(offset) };
}

test('hover: a deployment key names its org and host; its fields are documented', () => {
  const base = JSON.stringify({ CouponSeriesV2: {}, deployments: { '100458@eu.api.capillarytech.com': ENTRY } }, null, 2);
  const key = at(base.replace('"100458@eu', '"1|00458@eu'));
  const keyHover = (service.hover(key.document, key.position)?.contents as MarkupContent).value;
  assert.match(keyHover, /a deployment, org 100458 on `eu\.api\.capillarytech\.com`/);
  const field = at(base.replace('"seriesCode"', '"series|Code"'));
  assert.match((service.hover(field.document, field.position)?.contents as MarkupContent).value, /\*\*seriesCode\*\*: `string`\n\nThe code the server gave the series on this environment/);
  const pushedAt = at(base.replace('"2026-11-30T10:15:00Z"', '"2026-11-30T|10:15:00Z"'));
  assert.match((service.hover(pushedAt.document, pushedAt.position)?.contents as MarkupContent).value, /Instant: 2026-11-30 10:15:00 UTC/);
});

test('hover: the fields the server does not return say so', () => {
  const { document, position } = at(vendorExample().replace('"productInfo"', '"product|Info"'));
  assert.match((service.hover(document, position)?.contents as MarkupContent).value, /server never returns this field/);
});

test('completion: the root offers deployments, an entry offers its fields', async () => {
  const root = at('{"CouponSeriesV2": {}, |}');
  const rootLabels = (await service.complete(root.document, root.position)).items.map((item) => item.label);
  assert.ok(rootLabels.includes('deployments'), rootLabels.join(', '));
  const entry = at('{"CouponSeriesV2": {}, "deployments": {"100458@eu.api.capillarytech.com": {"id": 1, |}}}');
  const entryLabels = (await service.complete(entry.document, entry.position)).items.map((item) => item.label);
  assert.deepEqual(['seriesCode', 'orgId', 'pushedAt', 'pushedFingerprint', 'serverFingerprint'].filter((name) => !entryLabels.includes(name)), []);
  assert.ok(!entryLabels.includes('id'), 'not offered twice');
});
