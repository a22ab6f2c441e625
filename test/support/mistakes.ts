/**
 * Realistic mistakes in a coupon file, each a one-change edit of the docs'
 * create example, with the code this tool reports for it: the corpus the
 * strict schema is measured on (test/core/strictSchema.test.ts).
 */
import type { DiagnosticCode } from '../../core/src/rules/index';
import { jsonExamples } from './vendorDocs';

type Json = Record<string, unknown>;

export interface Mistake {
  name: string;
  /** The file's text. */
  text: string;
  /** What this tool reports for it. */
  code: DiagnosticCode;
}

const [createExample] = jsonExamples('create') as [{ CouponSeriesV2: Json }];
const DEPLOYED = { '100458@eu.api.capillarytech.com': { id: 86066, seriesCode: '453163F75E8C4A2EAA2E', orgId: 100458 } };

function file(edit: (series: Json) => void, fileEdit?: (file: Json) => void): string {
  const copy = structuredClone(createExample) as Json & { CouponSeriesV2: Json };
  edit(copy.CouponSeriesV2);
  fileEdit?.(copy);
  return `${JSON.stringify(copy, null, 2)}\n`;
}

function productInfo(series: Json): Json[] {
  return series.productInfo as Json[];
}

/** Mistakes this tool reports as errors: the docs say the API refuses them, or the docs' types and values rule them out. */
export const DOCUMENTED_MISTAKES: Mistake[] = [
  { name: 'discountValue as a string', text: file((s) => (s.discountValue = '500')), code: 'wrong-type' },
  { name: 'anyUser as a string', text: file((s) => (s.anyUser = 'false')), code: 'wrong-type' },
  { name: 'maxCreate with decimals', text: file((s) => (s.maxCreate = 1.5)), code: 'wrong-type' },
  { name: 'productIds that is not an array', text: file((s) => (productInfo(s)[0].productIds = 30)), code: 'wrong-type' },
  { name: 'a custom property that is not a string', text: file((s) => ((s.customPropertyMap as Json).milestone = 1)), code: 'wrong-type' },
  { name: 'CouponSeriesV2 that is an array', text: file(() => undefined, (f) => (f.CouponSeriesV2 = [])), code: 'wrong-type' },
  { name: 'redemptionRange written as an object', text: file((s) => (s.redemptionRange = { dom: [1], dow: [1], hours: [1] })), code: 'wrong-type' },
  { name: 'mutualExclusiveSeriesIds written as an array', text: file((s) => (s.mutualExclusiveSeriesIds = [10])), code: 'wrong-type' },
  { name: 'a root that is an array', text: `[${file(() => undefined)}]`, code: 'not-a-series' },
  { name: 'discountType PERCENT', text: file((s) => (s.discountType = 'PERCENT')), code: 'unknown-enum-value' },
  { name: 'clientHandlingType GENERIC_CODE', text: file((s) => (s.clientHandlingType = 'GENERIC_CODE')), code: 'unknown-enum-value' },
  { name: 'expiryStrategyType DAY', text: file((s) => (s.expiryStrategyType = 'DAY')), code: 'unknown-enum-value' },
  { name: 'productType SKU_ID', text: file((s) => (productInfo(s)[0].productType = 'SKU_ID')), code: 'unknown-enum-value' },
  { name: 'redemptionOrgEntityType OUTLET', text: file((s) => ((s.redemptionOrgEntityDetails as Json[])[0].redemptionOrgEntityType = 'OUTLET')), code: 'unknown-enum-value' },
  { name: 'validTillDate without a time', text: file((s) => (s.validTillDate = '2029-05-10')), code: 'invalid-format' },
  { name: 'validTillDate without a time zone', text: file((s) => (s.validTillDate = '2029-05-10T00:00:00')), code: 'invalid-format' },
  { name: 'redemptionValidFrom as a local date', text: file((s) => (s.redemptionValidFrom = '18/05/2024')), code: 'invalid-format' },
  { name: 'a coupon prefix of 11 characters', text: file((s) => (s.couponPrefix = 'DIWALI-2029')), code: 'invalid-format' },
  { name: 'a coupon suffix with a space', text: file((s) => (s.couponSuffix = 'X Y')), code: 'invalid-format' },
  { name: 'GENERIC without genericCode', text: file((s) => (s.clientHandlingType = 'GENERIC')), code: 'generic-code-required' },
  { name: 'a new series without validTillDate', text: file((s) => delete s.validTillDate), code: 'valid-till-required' },
  { name: 'an existing series without discountCode', text: file((s) => delete s.discountCode, (f) => (f.deployments = DEPLOYED)), code: 'mandatory-field-missing' },
  { name: 'a legacy id without seriesCode', text: file((s) => (s.id = 86066)), code: 'series-code-required' },
  { name: '1,001 CATEGORY ids', text: file((s) => (productInfo(s)[1].productIds = Array.from({ length: 1001 }, (_, i) => i + 1))), code: 'category-ids-limit' },
  { name: 'SERIES_EXPIRY with expiryStrategyValue 30', text: file((s) => (s.expiryStrategyValue = 30)), code: 'expiry-value-series' },
  { name: 'redemptionRange with unquoted keys', text: file((s) => (s.redemptionRange = '{dom: [1], dow: [1], hours: [1]}')), code: 'redemption-range-invalid' },
  { name: 'redemptionRange holding a list', text: file((s) => (s.redemptionRange = '[1, 2]')), code: 'redemption-range-invalid' },
  { name: 'redemptionRange empty', text: file((s) => (s.redemptionRange = '')), code: 'redemption-range-invalid' },
  { name: 'mutualExclusiveSeriesIds without brackets', text: file((s) => (s.mutualExclusiveSeriesIds = '10, 11')), code: 'mutual-exclusive-ids-invalid' },
  { name: 'mutualExclusiveSeriesIds listing strings', text: file((s) => (s.mutualExclusiveSeriesIds = '["10"]')), code: 'mutual-exclusive-ids-invalid' },
  { name: 'mutualExclusiveSeriesIds empty', text: file((s) => (s.mutualExclusiveSeriesIds = '')), code: 'mutual-exclusive-ids-invalid' },
  { name: 'redemptionPerCouponMaxLimit 0', text: file((s) => Object.assign(s, { anyUser: true, redemptionPerCouponMaxLimit: 0 })), code: 'redemption-limit-value' },
  { name: 'redemptionPerCouponMaxLimit -5', text: file((s) => Object.assign(s, { anyUser: true, redemptionPerCouponMaxLimit: -5 })), code: 'redemption-limit-value' },
];

/** Documented mistakes a draft-07 schema cannot see: whether a string holds valid JSON, or whole numbers, is beyond a pattern. */
export const BEYOND_DRAFT_07: Mistake[] = [
  { name: 'redemptionRange with a trailing comma inside', text: file((s) => (s.redemptionRange = '{"dom": [1], "dow": [1], "hours": [1],}')), code: 'redemption-range-invalid' },
  { name: 'mutualExclusiveSeriesIds listing 1.5', text: file((s) => (s.mutualExclusiveSeriesIds = '[1.5]')), code: 'mutual-exclusive-ids-invalid' },
];

/** Mistakes this tool only warns about (inferred, or the tool's own record): the strict schema must not reject them. */
export const INFERRED_MISTAKES: Mistake[] = [
  { name: 'a misspelt field', text: file((s) => ((s.maxBilAmount = s.maxBillAmount), delete s.maxBillAmount)), code: 'unknown-property' },
  { name: 'a series field at the top level', text: file(() => undefined, (f) => (f.discountType = 'ABS')), code: 'unknown-property' },
  { name: 'a productInfo entry without productType', text: file((s) => delete productInfo(s)[0].productType), code: 'missing-property' },
  { name: 'a server-owned field', text: file((s) => (s.numIssued = 0)), code: 'read-only-property' },
  { name: 'PERC 500', text: file((s) => (s.discountType = 'PERC')), code: 'percent-over-100' },
  { name: 'DAYS 0', text: file((s) => Object.assign(s, { expiryStrategyType: 'DAYS', expiryStrategyValue: 0 })), code: 'expiry-value-min' },
  { name: 'an offset without a colon', text: file((s) => (s.validTillDate = '2029-05-10T00:00:00+0530')), code: 'date-format-variant' },
  { name: 'February 30th', text: file((s) => (s.validTillDate = '2029-02-30T00:00:00+05:30')), code: 'invalid-date' },
  { name: 'a redemption limit with anyUser false', text: file((s) => (s.redemptionPerCouponMaxLimit = 5)), code: 'redemption-limit-any-user' },
  { name: 'a redemption limit on GENERIC', text: file((s) => Object.assign(s, { anyUser: true, clientHandlingType: 'GENERIC', genericCode: 'SAVE10', redemptionPerCouponMaxLimit: 5 })), code: 'redemption-limit-generic' },
  { name: 'redemptionRange without hours', text: file((s) => (s.redemptionRange = '{"dom": [1], "dow": [1]}')), code: 'redemption-range-values' },
  { name: 'redemptionRange with day of week 8', text: file((s) => (s.redemptionRange = '{"dom": [-1], "dow": [8], "hours": [-1]}')), code: 'redemption-range-values' },
  { name: 'an unknown SMS tag', text: file((s) => (s.smsTemplate = 'Hi {{frist_name}}')), code: 'sms-unknown-tag' },
  { name: 'a single-brace SMS tag', text: file((s) => (s.smsTemplate = 'Hi {first_name}')), code: 'sms-placeholder-unbalanced' },
  { name: 'a product id twice', text: file((s) => (productInfo(s)[0].productIds = [30, 40, 30])), code: 'duplicate-product-id' },
  { name: 'product ids as strings', text: file((s) => (productInfo(s)[0].productIds = ['30', '40'])), code: 'product-id-type' },
  { name: 'genericCode with DISC_CODE', text: file((s) => (s.genericCode = 'SAVE10')), code: 'generic-code-unused' },
  { name: 'maxCreate -5', text: file((s) => (s.maxCreate = -5)), code: 'out-of-range' },
  { name: 'minBillAmount above maxBillAmount', text: file((s) => (s.minBillAmount = 30000)), code: 'bill-amount-range' },
  { name: 'redemption opening after expiry', text: file((s) => (s.redemptionValidFrom = '2029-06-01T00:00:00+05:30')), code: 'redemption-after-expiry' },
  { name: 'an expired series', text: file((s) => (s.validTillDate = '2021-05-10T00:00:00+05:30')), code: 'valid-till-past' },
  { name: 'a deployment key with a scheme', text: file(() => undefined, (f) => (f.deployments = { 'https://eu.api.capillarytech.com': DEPLOYED['100458@eu.api.capillarytech.com'] })), code: 'deployment-invalid' },
  { name: 'a deployment without seriesCode', text: file(() => undefined, (f) => (f.deployments = { '100458@eu.api.capillarytech.com': { id: 86066, orgId: 100458 } })), code: 'deployment-invalid' },
  { name: 'deployments that is not an object', text: file(() => undefined, (f) => (f.deployments = 5)), code: 'deployment-invalid' },
  { name: 'a key written twice', text: file(() => undefined).replace('"discountType": "ABS"', '"discountType": "PERC",\n    "discountType": "ABS"'), code: 'duplicate-key' },
];
