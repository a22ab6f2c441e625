/**
 * Every diagnostic the project reports: its stable code, severity and where the
 * rule comes from. The README's rule table is checked against this list by a test.
 */
import { DiagnosticSeverity } from 'vscode-json-languageservice';

export type RuleOrigin = 'json' | 'schema' | 'vendor docs' | 'inferred';

export interface DiagnosticCodeInfo {
  readonly severity: DiagnosticSeverity;
  readonly origin: RuleOrigin;
  readonly summary: string;
}

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;

export const DIAGNOSTIC_CODES = {
  'json-syntax': { severity: E, origin: 'json', summary: 'The file is not strict JSON (comments, trailing commas and duplicate keys included): it is the request body.' },
  'not-a-series': { severity: E, origin: 'vendor docs', summary: 'The root must be an object holding `CouponSeriesV2`.' },
  'missing-property': { severity: E, origin: 'vendor docs', summary: 'A required field is missing: the update page\'s mandatory list, which the API enforces ("mandatory field missing").' },
  'wrong-type': { severity: E, origin: 'vendor docs', summary: 'A value has the wrong JSON type (string, integer, boolean, array, object).' },
  'unknown-enum-value': { severity: E, origin: 'vendor docs', summary: 'A value is not one of the field\'s documented values.' },
  'invalid-format': { severity: E, origin: 'vendor docs', summary: 'A string does not have the documented format (dates `YYYY-MM-DDTHH:MM:SS±hh:mm`, coupon prefix/suffix).' },
  'out-of-range': { severity: E, origin: 'vendor docs', summary: 'A number or length is outside what the field allows.' },
  'unknown-property': { severity: W, origin: 'vendor docs', summary: 'A property the API does not know; suggests the closest known name.' },
  'read-only-property': { severity: W, origin: 'vendor docs', summary: 'A server-owned response field (counters, timestamps) that a request should not carry.' },
  'generic-code-required': { severity: E, origin: 'vendor docs', summary: '`clientHandlingType` GENERIC needs `genericCode`.' },
  'valid-till-required': { severity: E, origin: 'vendor docs', summary: 'A new series (no `id`) needs `validTillDate`.' },
  'series-code-required': { severity: E, origin: 'vendor docs', summary: 'An existing series (with `id`) needs `seriesCode` for update.' },
  'category-ids-limit': { severity: E, origin: 'vendor docs', summary: 'A CATEGORY `productInfo` entry has more than 1,000 ids (the API answers 400).' },
  'invalid-date': { severity: E, origin: 'vendor docs', summary: 'A date has the right shape but is not a real calendar date (e.g. 2029-02-30).' },
  'generic-code-unused': { severity: W, origin: 'inferred', summary: '`genericCode` is only used with `clientHandlingType` GENERIC.' },
  'expiry-value-series': { severity: E, origin: 'vendor docs', summary: '`expiryStrategyValue` must be 1 for SERIES_EXPIRY.' },
  'expiry-value-min': { severity: E, origin: 'vendor docs', summary: '`expiryStrategyValue` must be at least 1 for DAYS and MONTHS_END.' },
  'percent-over-100': { severity: W, origin: 'inferred', summary: 'A PERC `discountValue` above 100.' },
  'bill-amount-range': { severity: W, origin: 'inferred', summary: '`minBillAmount` is greater than `maxBillAmount`.' },
  'redemption-after-expiry': { severity: W, origin: 'inferred', summary: '`redemptionValidFrom` is after `validTillDate`: no coupon could ever be redeemed.' },
  'valid-till-past': { severity: W, origin: 'inferred', summary: '`validTillDate` is in the past.' },
  'redemption-range-invalid': { severity: E, origin: 'vendor docs', summary: '`redemptionRange` must be a string holding JSON `{"dom": [...], "dow": [...], "hours": [...]}`.' },
  'redemption-range-values': { severity: W, origin: 'inferred', summary: '`redemptionRange` values outside dom 1-31, dow 1-7, hours 0-23 (or `[-1]` for all).' },
  'mutual-exclusive-ids-invalid': { severity: E, origin: 'vendor docs', summary: '`mutualExclusiveSeriesIds` must be a string holding a JSON array of integers, e.g. `"[10, 11]"`.' },
  'redemption-limit-any-user': { severity: E, origin: 'vendor docs', summary: '`redemptionPerCouponMaxLimit` applies only when `anyUser` is true.' },
  'redemption-limit-generic': { severity: E, origin: 'vendor docs', summary: '`redemptionPerCouponMaxLimit` does not apply to GENERIC series.' },
  'redemption-limit-value': { severity: E, origin: 'vendor docs', summary: '`redemptionPerCouponMaxLimit` must be greater than 0, or -1/null for no limit.' },
  'sms-placeholder-unbalanced': { severity: W, origin: 'inferred', summary: 'An SMS template placeholder is not a balanced `{{tag}}`.' },
  'sms-unknown-tag': { severity: W, origin: 'inferred', summary: 'An SMS template tag that the vendor\'s docs never show.' },
  'duplicate-product-id': { severity: W, origin: 'inferred', summary: 'The same product id appears twice in one `productInfo` entry.' },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Diagnostic `source` shown by editors next to the message. */
export const DIAGNOSTIC_SOURCE = 'coupon-series';
