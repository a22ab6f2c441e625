/**
 * The rules (core/src/rules/: the modules' checks and the schema's) and the
 * date parsing they share with hover (core/src/dates.ts), through the same entry
 * point the editor uses (`validateCouponSeries`), so each case also proves no
 * rule repeats a schema diagnostic. Table-driven: one entry per case.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Diagnostic, DiagnosticSeverity } from 'vscode-json-languageservice';
import { DIAGNOSTIC_CODES, DiagnosticCode, RULE_MODULES } from '../../../core/src/rules/index';
import { explainInvalidDateTime, formatInstant, parseOffsetDateTime } from '../../../core/src/dates';
import { parseCouponText } from '../../../core/src/parse';
import { runFileChecks, runRules } from '../../../core/src/rules/run';
import { seriesSchema } from '../../../core/src/schema';
import { validateCouponSeries } from '../../../core/src/validate';
import { diagnosticCodes, editedVendorExample, fixture, fixtureNames, FIXTURES, lineOf, NOW, rangeText, vendorExample, withCursor } from '../../support/testUtil';

const ERROR = DiagnosticSeverity.Error;
const WARNING = DiagnosticSeverity.Warning;

interface Expected {
  code: DiagnosticCode;
  /** 0-based line of the range's start. */
  line: number;
  severity: DiagnosticSeverity;
  /** The exact text the range covers. */
  covers?: string;
  /** The exact range, [startLine, startCharacter, endLine, endCharacter]. */
  range?: [number, number, number, number];
  /** The `data.suggestion` a quick fix would use. */
  suggestion?: string;
}

interface Case {
  name: string;
  /** The file text; or `fixture` names a file under test/fixtures. */
  text?: string;
  fixture?: string;
  now?: Date;
  /** Every diagnostic of the file, in document order. */
  expect: Expected[];
}

/** The vendor example with one change, and the line of a needle in the result. */
function edited(edit: (series: Record<string, unknown>) => void): string {
  return editedVendorExample(edit);
}

function check(c: Case, diagnostics: Diagnostic[], text: string): void {
  const actual = diagnostics.map((d) => ({ code: String(d.code), line: d.range.start.line, severity: d.severity }));
  const expected = c.expect.map((e) => ({ code: e.code, line: e.line, severity: e.severity }));
  assert.deepEqual(actual, expected, diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  c.expect.forEach((e, i) => {
    const d = diagnostics[i];
    assert.equal(d.severity, DIAGNOSTIC_CODES[e.code].severity, `${e.code} severity differs from its rule module`);
    assert.ok(typeof d.message === 'string' && d.message.length > 20, `${e.code} has a message that says what to do`);
    if (e.covers !== undefined) assert.equal(rangeText(text, d), e.covers, `${e.code} range`);
    if (e.range) assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], e.range, `${e.code} exact range`);
    if (e.suggestion !== undefined) assert.equal((d.data as { suggestion?: string } | undefined)?.suggestion, e.suggestion);
  });
}

// ---------------------------------------------------------------------------
// Rule cases: the vendor example with one change
// ---------------------------------------------------------------------------

const t = {
  genericUnused: edited((s) => (s.genericCode = 'WELCOME10')),
  genericUsed: edited((s) => ((s.clientHandlingType = 'GENERIC'), (s.genericCode = 'WELCOME10'))),
  readOnly: edited((s) => (s.numIssued = 0)),
  serverAssigned: edited((s) => ((s.id = 86066), (s.seriesCode = '453163F75E8C4A2EAA2E'), (s.orgId = 100458))),
  seriesExpiry5: edited((s) => (s.expiryStrategyValue = 5)),
  days30: edited((s) => ((s.expiryStrategyType = 'DAYS'), (s.expiryStrategyValue = 30))),
  days0: edited((s) => ((s.expiryStrategyType = 'DAYS'), (s.expiryStrategyValue = 0))),
  daysNegative: edited((s) => ((s.expiryStrategyType = 'DAYS'), (s.expiryStrategyValue = -2))),
  monthsMissing: edited((s) => ((s.expiryStrategyType = 'MONTHS_END'), delete s.expiryStrategyValue)),
  seriesMissing: edited((s) => delete s.expiryStrategyValue),
  months3: edited((s) => ((s.expiryStrategyType = 'MONTHS_END'), (s.expiryStrategyValue = 3))),
  perc500: edited((s) => (s.discountType = 'PERC')),
  perc100: edited((s) => ((s.discountType = 'PERC'), (s.discountValue = 100))),
  billMinAboveMax: edited((s) => (s.minBillAmount = 30000)),
  billEqual: edited((s) => (s.minBillAmount = 20000)),
  billNoMax0: edited((s) => (s.maxBillAmount = 0)),
  billNoMaxMinus1: edited((s) => (s.maxBillAmount = -1)),
  redemptionAfter: edited((s) => (s.redemptionValidFrom = '2029-06-01T00:00:00+05:30')),
  // Textually later, but 2029-05-09T19:30Z is before 2029-05-09T20:00Z.
  redemptionOffsetsBefore: edited((s) => ((s.redemptionValidFrom = '2029-05-10T01:00:00+05:30'), (s.validTillDate = '2029-05-09T20:00:00+00:00'))),
  // Textually earlier, but 2029-05-09T23:00Z is after 2029-05-09T18:30Z.
  redemptionOffsetsAfter: edited((s) => (s.redemptionValidFrom = '2029-05-09T23:00:00+00:00')),
  tillPast: edited((s) => (s.validTillDate = '2025-05-10T00:00:00+05:30')),
  feb30: edited((s) => (s.validTillDate = '2029-02-30T00:00:00+05:30')),
  feb29Leap: edited((s) => (s.validTillDate = '2028-02-29T23:59:59+05:30')),
  feb29NotLeap: edited((s) => (s.redemptionValidFrom = '2027-02-29T00:00:00+05:30')),
  month13: edited((s) => (s.validTillDate = '2029-13-01T00:00:00+05:30')),
  rangeNotJson: edited((s) => (s.redemptionRange = '{dom: [1], dow: [1], hours: [1]}')),
  rangeArray: edited((s) => (s.redemptionRange = '[1, 2]')),
  rangeMissingHours: edited((s) => (s.redemptionRange = '{"dom": [1], "dow": [1]}')),
  rangeHoursNotList: edited((s) => (s.redemptionRange = '{"dom": [1], "dow": [1], "hours": 1}')),
  rangeExtraKey: edited((s) => (s.redemptionRange = '{"dom": [1], "dow": [1], "hours": [1], "weeks": [1]}')),
  rangeObject: edited((s) => (s.redemptionRange = { dom: [1], dow: [1], hours: [1] })),
  rangeHours24: edited((s) => (s.redemptionRange = '{"dom": [1], "dow": [1], "hours": [0, 24]}')),
  rangeDow8Dom0: edited((s) => (s.redemptionRange = '{"dom": [0], "dow": [8], "hours": [-1]}')),
  rangeMixedAll: edited((s) => (s.redemptionRange = '{"dom": [-1, 3], "dow": [], "hours": ["9"]}')),
  rangeAll: edited((s) => (s.redemptionRange = '{"dom": [-1], "dow": [-1], "hours": [-1]}')),
  idsNotJson: edited((s) => (s.mutualExclusiveSeriesIds = '10, 11')),
  idsStrings: edited((s) => (s.mutualExclusiveSeriesIds = '["10"]')),
  idsObject: edited((s) => (s.mutualExclusiveSeriesIds = '{}')),
  idsOk: edited((s) => (s.mutualExclusiveSeriesIds = '[10, 11, -1]')),
  idsEmpty: edited((s) => (s.mutualExclusiveSeriesIds = '[]')),
  idsArray: edited((s) => (s.mutualExclusiveSeriesIds = [10, 11])),
  limitNotAnyUser: edited((s) => (s.redemptionPerCouponMaxLimit = 5)),
  limitAnyUser: edited((s) => ((s.anyUser = true), (s.redemptionPerCouponMaxLimit = 5))),
  limitNull: edited((s) => (s.redemptionPerCouponMaxLimit = null)),
  limitGeneric: edited((s) => ((s.anyUser = true), (s.clientHandlingType = 'GENERIC'), (s.genericCode = 'WELCOME10'), (s.redemptionPerCouponMaxLimit = 5))),
  limitPin: edited((s) => ((s.anyUser = true), (s.clientHandlingType = 'DISC_CODE_PIN'), (s.redemptionPerCouponMaxLimit = 5))),
  limitZero: edited((s) => ((s.anyUser = true), (s.redemptionPerCouponMaxLimit = 0))),
  limitMinus1: edited((s) => ((s.anyUser = true), (s.redemptionPerCouponMaxLimit = -1))),
  limitMinus3: edited((s) => ((s.anyUser = true), (s.redemptionPerCouponMaxLimit = -3))),
  limitZeroEverywhere: edited((s) => Object.assign(s, { clientHandlingType: 'GENERIC', genericCode: 'SAVE10', redemptionPerCouponMaxLimit: 0 })),
  limitString: edited((s) => ((s.anyUser = true), (s.redemptionPerCouponMaxLimit = '5'))),
  seriesExpiryString: edited((s) => (s.expiryStrategyValue = '1')),
  rangeEmpty: edited((s) => (s.redemptionRange = '')),
  idsEmptyString: edited((s) => (s.mutualExclusiveSeriesIds = '')),
  categoryNoType: edited((s) => ((s.productInfo as Record<string, unknown>[])[1] = { productIds: Array.from({ length: 1001 }, (_, i) => i + 1) })),
  category1001: edited((s) => ((s.productInfo as Record<string, unknown>[])[1] = { productType: 'CATEGORY', productIds: Array.from({ length: 1001 }, (_, i) => i + 1) })),
  sku1001: edited((s) => ((s.productInfo as Record<string, unknown>[])[0] = { productType: 'SKU', productIds: Array.from({ length: 1001 }, (_, i) => i + 1) })),
  smsSingle: edited((s) => (s.smsTemplate = 'Hi {first_name}, use {{voucher}}')),
  smsUnclosed: edited((s) => (s.smsTemplate = 'Hi {{first_name, use {{voucher}}')),
  smsUnopened: edited((s) => (s.smsTemplate = 'Hi first_name}} use {{voucher}}')),
  smsEmpty: edited((s) => (s.smsTemplate = 'Hi {{}} use {{voucher}}')),
  smsMixed: edited((s) => (s.smsTemplate = 'Hi {{first_name} use {{voucher}}')),
  smsPlain: edited((s) => (s.smsTemplate = 'Your voucher is ready.')),
  smsUnknown: edited((s) => (s.smsTemplate = 'Hi {{frist_name}}, use {{voucher}}')),
  smsUnknownNoSuggestion: edited((s) => (s.smsTemplate = 'Hi {{loyalty_points}}')),
  dupIds: edited((s) => ((s.productInfo as { productIds: number[] }[])[0].productIds = [30, 40, 30, 30])),
  sameIdOtherEntry: edited((s) => ((s.productInfo as { productIds: number[] }[])[1].productIds = [30, 40])),
};

/** A template written with escapes in the file: `\"`, `\u00e9` and `\n` before the tags. */
const escapedSms = vendorExample().replace(/"smsTemplate": ".*",/, String.raw`"smsTemplate": "Caf\u00e9 \"deal\"\n{first_name} and {{vouchr}}",`);

const vendorLine = (needle: string): number => lineOf(vendorExample(), needle);

const cases: Case[] = [
  { name: 'vendor example: zero diagnostics', fixture: 'valid/vendor-example.coupon.json', expect: [] },

  { name: 'generic-code-unused: genericCode with DISC_CODE', text: t.genericUnused, expect: [{ code: 'generic-code-unused', line: lineOf(t.genericUnused, '"genericCode"'), severity: WARNING, covers: '"WELCOME10"' }] },
  { name: 'generic-code-unused: genericCode with GENERIC is fine', text: t.genericUsed, expect: [] },

  { name: 'read-only-property: numIssued, on the key', text: t.readOnly, expect: [{ code: 'read-only-property', line: lineOf(t.readOnly, '"numIssued"'), severity: WARNING, covers: '"numIssued"' }] },
  { name: 'read-only-property: id, seriesCode, orgId are not read-only', text: t.serverAssigned, expect: [] },

  { name: 'expiry-value-series: 5 with SERIES_EXPIRY (the schema\'s if/then)', text: t.seriesExpiry5, expect: [{ code: 'expiry-value-series', line: vendorLine('"expiryStrategyValue"'), severity: ERROR, covers: '5' }] },
  { name: 'expiry-value-series: absent value is fine', text: t.seriesMissing, expect: [] },
  { name: 'expiry-value-series: DAYS 30 is fine', text: t.days30, expect: [] },

  { name: 'expiry-value-min: DAYS 0 (a warning: the docs give only an example)', text: t.days0, expect: [{ code: 'expiry-value-min', line: vendorLine('"expiryStrategyValue"'), severity: WARNING, covers: '0' }] },
  {
    name: 'expiry-value-min: DAYS -2, reported once (by the rule, not the schema too)',
    text: t.daysNegative,
    expect: [
      { code: 'expiry-value-min', line: vendorLine('"expiryStrategyValue"'), severity: WARNING },
    ],
  },
  { name: 'expiry-value-min: MONTHS_END without a value, on the type', text: t.monthsMissing, expect: [{ code: 'expiry-value-min', line: lineOf(t.monthsMissing, '"expiryStrategyType"'), severity: WARNING, covers: '"MONTHS_END"' }] },
  { name: 'expiry-value-min: MONTHS_END 3 is fine', text: t.months3, expect: [] },

  { name: 'percent-over-100: PERC 500', text: t.perc500, expect: [{ code: 'percent-over-100', line: vendorLine('"discountValue"'), severity: WARNING, covers: '500' }] },
  { name: 'percent-over-100: PERC 100 is fine', text: t.perc100, expect: [] },

  { name: 'bill-amount-range: min above max, on minBillAmount', text: t.billMinAboveMax, expect: [{ code: 'bill-amount-range', line: vendorLine('"minBillAmount"'), severity: WARNING, covers: '30000' }] },
  { name: 'bill-amount-range: min equal to max is fine', text: t.billEqual, expect: [] },
  { name: 'bill-amount-range: maxBillAmount 0 means no maximum', text: t.billNoMax0, expect: [] },
  { name: 'bill-amount-range: maxBillAmount -1 means no maximum, and is no out-of-range either', text: t.billNoMaxMinus1, expect: [] },

  {
    name: 'redemption-after-expiry: from after till',
    text: t.redemptionAfter,
    expect: [{ code: 'redemption-after-expiry', line: vendorLine('"redemptionValidFrom"'), severity: WARNING, range: [vendorLine('"redemptionValidFrom"'), 27, vendorLine('"redemptionValidFrom"'), 54] }],
  },
  { name: 'redemption-after-expiry: compared as instants (textually later, really earlier)', text: t.redemptionOffsetsBefore, expect: [] },
  { name: 'redemption-after-expiry: compared as instants (textually earlier, really later)', text: t.redemptionOffsetsAfter, expect: [{ code: 'redemption-after-expiry', line: vendorLine('"redemptionValidFrom"'), severity: WARNING }] },

  { name: 'valid-till-past: 2025', text: t.tillPast, expect: [{ code: 'valid-till-past', line: vendorLine('"validTillDate"'), severity: WARNING, covers: '"2025-05-10T00:00:00+05:30"' }] },
  { name: 'valid-till-past: follows the pinned now', fixture: 'valid/vendor-example.coupon.json', now: new Date('2030-01-01T00:00:00Z'), expect: [{ code: 'valid-till-past', line: vendorLine('"validTillDate"'), severity: WARNING }] },
  { name: 'valid-till-past: one second before expiry is fine', fixture: 'valid/vendor-example.coupon.json', now: new Date('2029-05-09T18:29:59Z'), expect: [] },

  { name: 'invalid-date: 2029-02-30 (a warning: the docs do not say)', text: t.feb30, expect: [{ code: 'invalid-date', line: vendorLine('"validTillDate"'), severity: WARNING, covers: '"2029-02-30T00:00:00+05:30"' }] },
  { name: 'invalid-date: 2028-02-29 (leap year) is fine', text: t.feb29Leap, expect: [] },
  { name: 'invalid-date: 2027-02-29 in redemptionValidFrom', text: t.feb29NotLeap, expect: [{ code: 'invalid-date', line: vendorLine('"redemptionValidFrom"'), severity: WARNING }] },
  { name: 'invalid-date: month 13 is the pattern\'s invalid-format, not both', text: t.month13, expect: [{ code: 'invalid-format', line: vendorLine('"validTillDate"'), severity: ERROR }] },

  { name: 'redemption-range-invalid: not JSON', text: t.rangeNotJson, expect: [{ code: 'redemption-range-invalid', line: vendorLine('"redemptionRange"'), severity: ERROR, covers: '"{dom: [1], dow: [1], hours: [1]}"' }] },
  { name: 'redemption-range-invalid: an array', text: t.rangeArray, expect: [{ code: 'redemption-range-invalid', line: vendorLine('"redemptionRange"'), severity: ERROR }] },
  { name: 'redemption-range-values: hours missing (no key is documented as required)', text: t.rangeMissingHours, expect: [{ code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING }] },
  { name: 'redemption-range-values: hours not a list', text: t.rangeHoursNotList, expect: [{ code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING }] },
  { name: 'redemption-range-values: unknown key', text: t.rangeExtraKey, expect: [{ code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING }] },
  { name: 'redemption-range-invalid: an object instead of a string is wrong-type only', text: t.rangeObject, expect: [{ code: 'wrong-type', line: vendorLine('"redemptionRange"'), severity: ERROR }] },
  { name: 'redemption-range-invalid: vendor value is fine', fixture: 'valid/vendor-example.coupon.json', expect: [] },

  { name: 'redemption-range-values: hours 24, on the 24 inside the string', text: t.rangeHours24, expect: [{ code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING, covers: '24' }] },
  {
    name: 'redemption-range-values: dom 0 and dow 8',
    text: t.rangeDow8Dom0,
    expect: [
      { code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING, covers: '0' },
      { code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING, covers: '8' },
    ],
  },
  {
    name: 'redemption-range-values: -1 mixed, empty list, a string',
    text: t.rangeMixedAll,
    expect: [
      { code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING, covers: '-1' },
      { code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING, covers: '[]' },
      { code: 'redemption-range-values', line: vendorLine('"redemptionRange"'), severity: WARNING, covers: String.raw`\"9\"` },
    ],
  },
  { name: 'redemption-range-values: [-1] everywhere is fine', text: t.rangeAll, expect: [] },

  { name: 'mutual-exclusive-ids-invalid: not JSON', text: t.idsNotJson, expect: [{ code: 'mutual-exclusive-ids-invalid', line: vendorLine('"mutualExclusiveSeriesIds"'), severity: ERROR, covers: '"10, 11"' }] },
  { name: 'mutual-exclusive-ids-invalid: strings in the list', text: t.idsStrings, expect: [{ code: 'mutual-exclusive-ids-invalid', line: vendorLine('"mutualExclusiveSeriesIds"'), severity: ERROR }] },
  { name: 'mutual-exclusive-ids-invalid: an object', text: t.idsObject, expect: [{ code: 'mutual-exclusive-ids-invalid', line: vendorLine('"mutualExclusiveSeriesIds"'), severity: ERROR }] },
  { name: 'mutual-exclusive-ids-invalid: "[10, 11, -1]" is fine', text: t.idsOk, expect: [] },
  { name: 'mutual-exclusive-ids-invalid: "[]" is fine', text: t.idsEmpty, expect: [] },
  { name: 'mutual-exclusive-ids-invalid: a JSON array instead of a string is wrong-type only', text: t.idsArray, expect: [{ code: 'wrong-type', line: vendorLine('"mutualExclusiveSeriesIds"'), severity: ERROR }] },

  { name: 'redemption-limit-any-user: anyUser false (a warning: "applicable only when", not a rejection)', text: t.limitNotAnyUser, expect: [{ code: 'redemption-limit-any-user', line: lineOf(t.limitNotAnyUser, '"redemptionPerCouponMaxLimit"'), severity: WARNING, covers: '5' }] },
  { name: 'redemption-limit-any-user: anyUser true is fine', text: t.limitAnyUser, expect: [] },
  { name: 'redemption-limit-any-user: null limit is fine', text: t.limitNull, expect: [] },
  { name: 'redemption-limit-generic: GENERIC (a warning: "not applicable", not a rejection)', text: t.limitGeneric, expect: [{ code: 'redemption-limit-generic', line: lineOf(t.limitGeneric, '"redemptionPerCouponMaxLimit"'), severity: WARNING }] },
  {
    name: 'redemption-limit-*: 0 with anyUser false on GENERIC: the documented error, and both warnings',
    text: t.limitZeroEverywhere,
    expect: [
      { code: 'redemption-limit-value', line: lineOf(t.limitZeroEverywhere, '"redemptionPerCouponMaxLimit"'), severity: ERROR, covers: '0' },
      { code: 'redemption-limit-any-user', line: lineOf(t.limitZeroEverywhere, '"redemptionPerCouponMaxLimit"'), severity: WARNING, covers: '0' },
      { code: 'redemption-limit-generic', line: lineOf(t.limitZeroEverywhere, '"redemptionPerCouponMaxLimit"'), severity: WARNING, covers: '0' },
    ],
  },
  { name: 'redemption-limit-generic: DISC_CODE_PIN is fine', text: t.limitPin, expect: [] },
  {
    // The schema's anyOf (at least 1, or -1), reported once with its own message, not once per branch.
    name: 'redemption-limit-value: 0',
    text: t.limitZero,
    expect: [
      { code: 'redemption-limit-value', line: lineOf(t.limitZero, '"redemptionPerCouponMaxLimit"'), severity: ERROR, covers: '0' },
    ],
  },
  {
    name: 'redemption-limit-value: -3, reported once',
    text: t.limitMinus3,
    expect: [
      { code: 'redemption-limit-value', line: lineOf(t.limitMinus3, '"redemptionPerCouponMaxLimit"'), severity: ERROR },
    ],
  },
  { name: 'redemption-limit-value: -1 is fine', text: t.limitMinus1, expect: [] },
  { name: 'redemption-limit-value: "5" is wrong-type only, not the anyOf too', text: t.limitString, expect: [{ code: 'wrong-type', line: lineOf(t.limitString, '"redemptionPerCouponMaxLimit"'), severity: ERROR }] },

  { name: 'expiry-value-series: "1" (a string) is wrong-type only, not the if/then too', text: t.seriesExpiryString, expect: [{ code: 'wrong-type', line: vendorLine('"expiryStrategyValue"'), severity: ERROR, covers: '"1"' }] },

  {
    name: 'category-ids-limit: an entry without productType is not a CATEGORY entry (only its missing field is said)',
    text: t.categoryNoType,
    expect: [{ code: 'missing-property', line: lineOf(t.categoryNoType, '"productIds"', 2) - 1, severity: WARNING }],
  },
  { name: 'category-ids-limit: 1,001 CATEGORY ids, on the list', text: t.category1001, expect: [{ code: 'category-ids-limit', line: lineOf(t.category1001, '"productIds"', 2), severity: ERROR }] },
  { name: 'category-ids-limit: 1,001 SKU ids are fine', text: t.sku1001, expect: [] },

  { name: 'redemption-range-invalid: an empty string (no JSON in it)', text: t.rangeEmpty, expect: [{ code: 'redemption-range-invalid', line: vendorLine('"redemptionRange"'), severity: ERROR, covers: '""' }] },
  { name: 'mutual-exclusive-ids-invalid: an empty string (no JSON in it; "[]" is the documented none)', text: t.idsEmptyString, expect: [{ code: 'mutual-exclusive-ids-invalid', line: vendorLine('"mutualExclusiveSeriesIds"'), severity: ERROR, covers: '""' }] },

  {
    name: 'sms-placeholder-unbalanced: single braces, exact range',
    text: t.smsSingle,
    expect: [{ code: 'sms-placeholder-unbalanced', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: '{first_name}', range: [vendorLine('"smsTemplate"'), 23, vendorLine('"smsTemplate"'), 35] }],
  },
  { name: 'sms-placeholder-unbalanced: {{ never closed', text: t.smsUnclosed, expect: [{ code: 'sms-placeholder-unbalanced', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: '{{first_name' }] },
  { name: 'sms-placeholder-unbalanced: }} never opened', text: t.smsUnopened, expect: [{ code: 'sms-placeholder-unbalanced', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: 'first_name}}' }] },
  { name: 'sms-placeholder-unbalanced: empty {{}}', text: t.smsEmpty, expect: [{ code: 'sms-placeholder-unbalanced', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: '{{}}' }] },
  { name: 'sms-placeholder-unbalanced: {{tag}', text: t.smsMixed, expect: [{ code: 'sms-placeholder-unbalanced', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: '{{first_name}' }] },
  { name: 'sms-placeholder-unbalanced: no placeholders is fine', text: t.smsPlain, expect: [] },
  {
    name: 'sms rules: exact ranges through escapes (\\u00e9, \\", \\n)',
    text: escapedSms,
    expect: [
      { code: 'sms-placeholder-unbalanced', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: '{first_name}' },
      { code: 'sms-unknown-tag', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: 'vouchr', suggestion: 'voucher' },
    ],
  },

  {
    name: 'sms-unknown-tag: frist_name, on the tag, with a suggestion',
    text: t.smsUnknown,
    expect: [{ code: 'sms-unknown-tag', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: 'frist_name', range: [vendorLine('"smsTemplate"'), 25, vendorLine('"smsTemplate"'), 35], suggestion: 'first_name' }],
  },
  { name: 'sms-unknown-tag: no close match', text: t.smsUnknownNoSuggestion, expect: [{ code: 'sms-unknown-tag', line: vendorLine('"smsTemplate"'), severity: WARNING, covers: 'loyalty_points' }] },

  {
    name: 'duplicate-product-id: each repeat, not the first',
    text: t.dupIds,
    expect: [
      { code: 'duplicate-product-id', line: lineOf(t.dupIds, '          30', 2), severity: WARNING, covers: '30' },
      { code: 'duplicate-product-id', line: lineOf(t.dupIds, '          30', 3), severity: WARNING, covers: '30' },
    ],
  },
  { name: 'duplicate-product-id: the same id in two entries is fine', text: t.sameIdOtherEntry, expect: [] },
];

for (const c of cases) {
  test(c.name, () => {
    const text = c.text ?? fixture(c.fixture ?? '');
    check(c, validateCouponSeries(text, { now: c.now ?? NOW }), text);
  });
}

// ---------------------------------------------------------------------------
// A cursor marks where a diagnostic must be (yaml-language-server style)
// ---------------------------------------------------------------------------

const cursorCases: { name: string; text: string; code: DiagnosticCode }[] = [
  { name: 'cursor: unknown tag inside the template', text: '{"CouponSeriesV2": {"smsTemplate": "Hi {{fir|ts_name}}"}}', code: 'sms-unknown-tag' },
  { name: 'cursor: the out-of-range hour inside redemptionRange', text: String.raw`{"CouponSeriesV2": {"redemptionRange": "{\"dom\": [-1], \"dow\": [-1], \"hours\": [2|5]}"}}`, code: 'redemption-range-values' },
  { name: 'cursor: the $0 marker for a text holding |', text: '{"CouponSeriesV2": {"smsTemplate": "a | b {{vou$0cher}"}}', code: 'sms-placeholder-unbalanced' },
];

for (const c of cursorCases) {
  test(c.name, () => {
    const { text, offset } = withCursor(c.text, c.text.includes('$0') ? '$0' : '|');
    const document = parseCouponText(text);
    const found = runRules(document, NOW, RULE_MODULES, { rethrow: true }).filter((d) => d.code === c.code);
    assert.equal(found.length, 1, diagnosticCodes(found).join(', '));
    const start = document.textDocument.offsetAt(found[0].range.start);
    const end = document.textDocument.offsetAt(found[0].range.end);
    assert.ok(start <= offset && offset <= end, `range ${start}-${end} holds the cursor ${offset}`);
  });
}

test('withCursor: removes the marker, refuses none or two', () => {
  assert.deepEqual(withCursor('ab|c'), { text: 'abc', offset: 2 });
  assert.throws(() => withCursor('abc'));
  assert.throws(() => withCursor('a|b|c'));
});

// ---------------------------------------------------------------------------
// Fixtures: one invalid twin per code
// ---------------------------------------------------------------------------

/** Codes a fixture may show besides its own, because the schema reports the same mistake too. */
const ALSO_ALLOWED: Partial<Record<DiagnosticCode, DiagnosticCode[]>> = {};

/** The server's copy of the series the fixtures of server-checked rules are updates of. */
const FIXTURE_SERVER_SERIES = { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458, numIssued: 1200 };

for (const code of Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]) {
  test(`fixture invalid/${code}.coupon.json yields ${code} (and nothing else)`, () => {
    const file = path.join(FIXTURES, 'invalid', `${code}.coupon.json`);
    assert.ok(fs.existsSync(file), `missing fixture ${file}`);
    // A rule checked before an update needs the server's series: the fixture is judged as that update.
    const options = DIAGNOSTIC_CODES[code].checkedBy.includes('server') ? { now: NOW, sendAs: 'update' as const, server: FIXTURE_SERVER_SERIES } : { now: NOW };
    const codes = diagnosticCodes(validateCouponSeries(fixture(`invalid/${code}`), options));
    assert.ok(codes.includes(code), `expected ${code}, got ${codes.join(', ') || 'nothing'}`);
    const others = codes.filter((other) => other !== code && !(ALSO_ALLOWED[code] ?? []).includes(other as DiagnosticCode));
    assert.deepEqual(others, [], `only ${code} expected`);
  });
}

test('every invalid fixture is named after a code', () => {
  const unknown = fixtureNames('invalid').filter((name) => !(name in DIAGNOSTIC_CODES));
  assert.deepEqual(unknown, []);
});

test('every valid fixture has zero diagnostics', () => {
  for (const name of fixtureNames('valid')) {
    assert.deepEqual(diagnosticCodes(validateCouponSeries(fixture(`valid/${name}`), { now: NOW })), [], name);
  }
});

// ---------------------------------------------------------------------------
// Rules that need more than the file: the server's series, the parser's findings
// ---------------------------------------------------------------------------

const DEPLOYED = { '100458@eu.api.capillarytech.com': { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458 } };

/** The vendor example, bound to a series, with maxCreate set. */
function boundWithMaxCreate(maxCreate: unknown): string {
  const file = JSON.parse(editedVendorExample((s) => (s.maxCreate = maxCreate))) as Record<string, unknown>;
  return `${JSON.stringify({ ...file, deployments: DEPLOYED }, null, 2)}\n`;
}

const maxCreateCases: { name: string; maxCreate: unknown; numIssued?: unknown; sendAs?: 'create' | 'update'; expect: boolean }[] = [
  { name: '500 of 1,200 issued, on update: an error', maxCreate: 500, numIssued: 1200, sendAs: 'update', expect: true },
  { name: 'exactly the number issued: an error (it must be greater)', maxCreate: 1200, numIssued: 1200, sendAs: 'update', expect: true },
  { name: 'one more than issued is fine', maxCreate: 1201, numIssued: 1200, sendAs: 'update', expect: false },
  { name: '-1 (no limit) is fine', maxCreate: -1, numIssued: 1200, sendAs: 'update', expect: false },
  { name: 'not judged on a create', maxCreate: 500, numIssued: 1200, sendAs: 'create', expect: false },
  { name: 'not judged without the server (while typing)', maxCreate: 500, expect: false },
  { name: 'not judged when the server gives no count', maxCreate: 500, numIssued: '1200', sendAs: 'update', expect: false },
  { name: 'a maxCreate of another type is wrong-type, not this', maxCreate: '500', numIssued: 1200, sendAs: 'update', expect: false },
];

for (const c of maxCreateCases) {
  test(`max-create-below-issued: ${c.name}`, () => {
    const text = boundWithMaxCreate(c.maxCreate);
    const options = { now: NOW, ...(c.sendAs ? { sendAs: c.sendAs } : {}), ...(c.numIssued !== undefined ? { server: { id: 86066, numIssued: c.numIssued } } : {}) };
    const found = validateCouponSeries(text, options).filter((d) => d.code === 'max-create-below-issued');
    assert.equal(found.length, c.expect ? 1 : 0, found.map((d) => d.message).join('\n'));
    if (c.expect) {
      assert.equal(found[0].severity, ERROR);
      assert.equal(rangeText(text, found[0]), String(c.maxCreate));
      assert.match(String(found[0].message), new RegExp(`maxCreate \\(${String(c.maxCreate)}\\) must be greater than the 1200 coupons`));
    }
  });
}

test('duplicate-key: a warning on each earlier occurrence, naming the value the API would get and where; no json-syntax', () => {
  const text = vendorExample().replace('"discountType": "ABS"', '"discountType": "PERC",\n    "discountType": "ABS",\n    "discountType": "ABS"');
  const diagnostics = validateCouponSeries(text, { now: NOW });
  assert.deepEqual(diagnosticCodes(diagnostics), ['duplicate-key', 'duplicate-key']);
  const last = lineOf(text, '"discountType"', 3);
  for (const [index, diagnostic] of diagnostics.entries()) {
    assert.equal(diagnostic.severity, WARNING);
    assert.equal(diagnostic.range.start.line, lineOf(text, '"discountType"', index + 1));
    assert.equal(rangeText(text, diagnostic), '"discountType"');
    assert.equal(diagnostic.message, `"discountType" appears again on line ${last + 1}: JSON keeps the last value, so the API would get "ABS", not this one. Remove one of the two.`);
  }
});

test('duplicate-key: in nested objects too, and alongside real syntax errors (which stay errors)', () => {
  const nested = vendorExample().replace('"productType": "SKU",', '"productType": "SKU", "productType": "BRAND",');
  assert.deepEqual(diagnosticCodes(validateCouponSeries(nested, { now: NOW })), ['duplicate-key']);
  const broken = vendorExample().replace('"discountType": "ABS"', '"discountType": "PERC", "discountType": "ABS",,');
  const codes = diagnosticCodes(validateCouponSeries(broken, { now: NOW }));
  assert.ok(codes.includes('duplicate-key') && codes.includes('json-syntax'), codes.join(', '));
  assert.ok(validateCouponSeries(broken, { now: NOW }).every((d) => (d.code === 'json-syntax') === (d.severity === ERROR)));
});

// ---------------------------------------------------------------------------
// Odd input: rules never throw
// ---------------------------------------------------------------------------

const seriesFields = Object.keys(seriesSchema.properties ?? {});
const wrongTypeFor = (value: unknown): unknown => (typeof value === 'string' ? 5 : typeof value === 'number' ? 'x' : typeof value === 'boolean' ? [] : Array.isArray(value) ? {} : value === null ? true : 'x');

const oddInputs: { name: string; text: string }[] = [
  { name: 'empty text', text: '' },
  { name: 'empty object', text: '{}' },
  { name: 'empty series', text: '{"CouponSeriesV2": {}}' },
  { name: 'series is null', text: '{"CouponSeriesV2": null}' },
  { name: 'series is an array', text: '{"CouponSeriesV2": [1, 2]}' },
  { name: 'root is a string', text: '"CouponSeriesV2"' },
  { name: 'root is an array', text: '[{"CouponSeriesV2": {}}]' },
  { name: 'every field null', text: JSON.stringify({ CouponSeriesV2: Object.fromEntries(seriesFields.map((name) => [name, null])) }) },
  { name: 'every known field of the wrong type', text: editedVendorExample((s) => { for (const key of Object.keys(s)) s[key] = wrongTypeFor(s[key]); }) },
  { name: 'every field an empty object', text: JSON.stringify({ CouponSeriesV2: Object.fromEntries(seriesFields.map((name) => [name, {}])) }) },
  { name: 'every field an empty string', text: JSON.stringify({ CouponSeriesV2: Object.fromEntries(seriesFields.map((name) => [name, ''])) }) },
  {
    name: 'odd productInfo entries',
    text: JSON.stringify({ CouponSeriesV2: { productInfo: [null, 5, 'x', [], {}, { productIds: null }, { productIds: 'x' }, { productIds: [null, {}, [], true, 1, 1, '1', '1'] }] } }),
  },
  {
    name: 'odd embedded JSON',
    text: JSON.stringify({ CouponSeriesV2: { redemptionRange: 'null', mutualExclusiveSeriesIds: 'null' } }),
  },
  { name: 'embedded JSON of odd shapes', text: JSON.stringify({ CouponSeriesV2: { redemptionRange: '{"dom": null, "dow": {}, "hours": "x"}', mutualExclusiveSeriesIds: '[[1], {"a": 1}, 1.5]' } }) },
  { name: 'deep embedded JSON', text: JSON.stringify({ CouponSeriesV2: { redemptionRange: `{"dom": ${'['.repeat(5000)}${']'.repeat(5000)}, "dow": [1], "hours": [1]}` } }) },
  { name: 'template of braces only', text: JSON.stringify({ CouponSeriesV2: { smsTemplate: '{{{{}}}}}{{{}}{' } }) },
  { name: 'lone surrogate and unterminated string', text: String.raw`{"CouponSeriesV2": {"smsTemplate": "\ud800{{first_name}}`, },
  { name: 'bad escape in the template', text: String.raw`{"CouponSeriesV2": {"smsTemplate": "\x{{frist_name}}", "redemptionRange": "\q"}}` },
  { name: 'dates of odd shapes', text: JSON.stringify({ CouponSeriesV2: { validTillDate: '0000-00-00T00:00:00+99:99', redemptionValidFrom: '9999-12-31T23:59:59-23:59' } }) },
  { name: 'truncated file', text: vendorExample().slice(0, 900) },
  { name: 'repeated keys', text: '{"CouponSeriesV2": {"expiryStrategyType": "DAYS", "expiryStrategyType": null, "smsTemplate": 1, "smsTemplate": "{x}"}}' },
  { name: 'repeated keys without values, and the comment key', text: '{"CouponSeriesV2": {"a": , "a": , "//": 1, "//": 2, "b"}, "CouponSeriesV2": 5' },
];

for (const c of oddInputs) {
  test(`odd input does not throw: ${c.name}`, () => {
    const document = parseCouponText(c.text);
    assert.doesNotThrow(() => runFileChecks(document, RULE_MODULES, { rethrow: true }));
    assert.doesNotThrow(() => runRules(document, NOW, RULE_MODULES, { rethrow: true }));
    assert.doesNotThrow(() => runRules(document, NOW, RULE_MODULES, { rethrow: true, sendAs: 'update', server: { numIssued: 5 } }));
    assert.doesNotThrow(() => validateCouponSeries(c.text, { now: NOW }));
  });
}

test('duplicate-product-id: 50,000 ids in one pass', () => {
  const ids = Array.from({ length: 50_000 }, (_, i) => i % 49_990);
  const text = editedVendorExample((s) => ((s.productInfo as { productIds: number[] }[])[0].productIds = ids));
  const found = runRules(parseCouponText(text), NOW, RULE_MODULES, { rethrow: true }).filter((d) => d.code === 'duplicate-product-id');
  assert.equal(found.length, 10);
});

test('duplicate-product-id: large and negative integers, strings, and never 30 against "30"', () => {
  const ids = [2 ** 40, 2 ** 40 + 1, -5, 30, '30', 2 ** 40, -5, '30', 2 ** 32 + 30, 1.5, 1.5];
  const text = editedVendorExample((s) => ((s.productInfo as { productIds: unknown[] }[])[0].productIds = ids));
  const found = runRules(parseCouponText(text), NOW, RULE_MODULES, { rethrow: true }).filter((d) => d.code === 'duplicate-product-id');
  assert.deepEqual(
    found.map((d) => rangeText(text, d)),
    [String(2 ** 40), '-5', '"30"', '1.5'],
  );
});

// ---------------------------------------------------------------------------
// dates.ts
// ---------------------------------------------------------------------------

const parseCases: { text: string; expect: { iso: string; offsetMinutes: number } | undefined }[] = [
  { text: '2029-05-10T00:00:00+05:30', expect: { iso: '2029-05-09T18:30:00.000Z', offsetMinutes: 330 } },
  { text: '2029-05-10T00:00:00-03:00', expect: { iso: '2029-05-10T03:00:00.000Z', offsetMinutes: -180 } },
  { text: '2021-05-09T00:00:00Z', expect: { iso: '2021-05-09T00:00:00.000Z', offsetMinutes: 0 } },
  { text: '2028-02-29T23:59:59+00:00', expect: { iso: '2028-02-29T23:59:59.000Z', offsetMinutes: 0 } },
  { text: '2000-02-29T12:00:00+01:00', expect: { iso: '2000-02-29T11:00:00.000Z', offsetMinutes: 60 } },
  { text: '2029-02-29T00:00:00+05:30', expect: undefined },
  { text: '1900-02-29T00:00:00+05:30', expect: undefined },
  { text: '2029-04-31T00:00:00+05:30', expect: undefined },
  { text: '2029-13-01T00:00:00+05:30', expect: undefined },
  { text: '2029-00-10T00:00:00+05:30', expect: undefined },
  { text: '2029-05-00T00:00:00+05:30', expect: undefined },
  { text: '2029-05-10T24:00:00+05:30', expect: undefined },
  { text: '2029-05-10T23:60:00+05:30', expect: undefined },
  { text: '2029-05-10T23:59:60+05:30', expect: undefined },
  { text: '2029-05-10T00:00:00+19:00', expect: undefined },
  { text: '2029-05-10T00:00:00+05:60', expect: undefined },
  { text: '2029-05-10T00:00:00', expect: undefined },
  { text: '2029-05-10 00:00:00+05:30', expect: undefined },
  { text: '2029-05-10T00:00:00.250+05:30', expect: { iso: '2029-05-09T18:30:00.250Z', offsetMinutes: 330 } },
  { text: '2029-05-10T00:00:00.123456789Z', expect: { iso: '2029-05-10T00:00:00.123Z', offsetMinutes: 0 } },
  { text: '2029-05-10T00:00:00+0530', expect: { iso: '2029-05-09T18:30:00.000Z', offsetMinutes: 330 } },
  { text: '2029-05-10T00:00:00.+05:30', expect: undefined },
  { text: '2029-05-10T00:00:00+053', expect: undefined },
  { text: ' 2029-05-10T00:00:00+05:30', expect: undefined },
  { text: '', expect: undefined },
];

for (const c of parseCases) {
  test(`parseOffsetDateTime(${JSON.stringify(c.text)})`, () => {
    const parsed = parseOffsetDateTime(c.text);
    if (!c.expect) return assert.equal(parsed, undefined);
    assert.ok(parsed);
    assert.equal(new Date(parsed.epochMs).toISOString(), c.expect.iso);
    assert.equal(parsed.offsetMinutes, c.expect.offsetMinutes);
  });
}

test('parseOffsetDateTime: years before 100 are not shifted to the 1900s', () => {
  assert.equal(new Date(parseOffsetDateTime('0050-01-01T00:00:00+00:00')?.epochMs ?? NaN).getUTCFullYear(), 50);
});

test('formatInstant: UTC, and the wall time at an offset', () => {
  const epochMs = Date.UTC(2029, 4, 9, 18, 30, 0);
  assert.equal(formatInstant(epochMs), '2029-05-09 18:30:00 UTC');
  assert.equal(formatInstant(epochMs, 330), '2029-05-10 00:00:00 +05:30');
  assert.equal(formatInstant(epochMs, -180), '2029-05-09 15:30:00 -03:00');
  assert.equal(formatInstant(0), '1970-01-01 00:00:00 UTC');
  assert.equal(formatInstant(Number.NaN), 'invalid instant');
  assert.equal(formatInstant(1e20), 'invalid instant');
});

test('explainInvalidDateTime: says why', () => {
  assert.equal(explainInvalidDateTime('2029-02-30T00:00:00+05:30'), 'February 2029 has 28 days');
  assert.equal(explainInvalidDateTime('2029-02-28T00:00:00+05:30'), undefined);
  assert.equal(explainInvalidDateTime('not a date'), undefined);
  assert.match(explainInvalidDateTime('2029-02-28T00:00:00+19:00') ?? '', /offset/);
});
