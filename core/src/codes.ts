/**
 * Every diagnostic the project reports: its stable code, severity, where the
 * rule comes from and, for documented rules, the sentence of the vendor's docs
 * it rests on (verbatim, checked by a test against the copies in
 * test/fixtures/vendor-docs/). The README's rule table is generated from this
 * list (`npm run readme:rules`) and a test keeps the two equal.
 *
 * The principle: an error only where the docs say the API rejects a value, or
 * where the value cannot be what the docs' tables say (wrong JSON type, not a
 * documented enum value, not the documented shape). Everything else is a
 * warning, marked inferred, with a one-line reason. Warnings never block sending.
 */
import { DiagnosticSeverity } from 'vscode-json-languageservice';

/**
 * `json`: JSON itself (the file is the request body). `vendor docs`: the create
 * and update reference pages and FACTS.md's documented facts. `inferred`: not
 * documented, a warning. `this tool`: the tool's own file format (`deployments`).
 */
export type RuleSource = 'json' | 'vendor docs' | 'inferred' | 'this tool';

/** The vendor documents quoted: the two reference pages and the facts gathered from the docs. */
export const VENDOR_DOCUMENTS = {
  create: 'create-coupon-series.txt',
  update: 'update-coupon-series.txt',
  facts: 'FACTS.md',
} as const;

export interface DocQuote {
  readonly page: keyof typeof VENDOR_DOCUMENTS;
  /** Verbatim from the page (white space may differ: the pages wrap lines). */
  readonly text: string;
}

export interface DiagnosticCodeInfo {
  readonly severity: DiagnosticSeverity;
  readonly source: RuleSource;
  /** What the rule catches, one sentence (Markdown). */
  readonly summary: string;
  /** Documented rules: the docs' sentences the rule rests on. */
  readonly quotes?: readonly DocQuote[];
  /** Warnings: why the rule is only a warning, one line. */
  readonly reason?: string;
}

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;

export const DIAGNOSTIC_CODES = {
  'json-syntax': {
    severity: E,
    source: 'json',
    summary: 'The file is not strict JSON (comments, trailing commas and duplicate keys included): it is the request body.',
  },
  'not-a-series': {
    severity: E,
    source: 'vendor docs',
    summary: 'The root must be an object holding `CouponSeriesV2`, an object.',
    quotes: [{ page: 'create', text: 'CouponSeriesV2 | Object | Object containing the coupon series details.' }],
  },
  'mandatory-field-missing': {
    severity: E,
    source: 'vendor docs',
    summary: 'A series already created (the file has a deployment, or an `id`) lacks a field of the update page\'s mandatory list; the API answers 403 "mandatory field missing".',
    quotes: [
      {
        page: 'facts',
        text: "The docs' update examples name these as mandatory on update: `description`, `discountCode`, `discountType`, `discountValue`, `anyUser`, `smsTemplate`, `clientHandlingType`, `seriesCode`, `expiryStrategyType`.",
      },
      { page: 'facts', text: '403 access denied / V2 not enabled / mandatory field missing' },
    ],
  },
  'missing-property': {
    severity: W,
    source: 'inferred',
    summary: 'A series not created yet lacks a field of the update page\'s mandatory list, or a `productInfo` / `redemptionOrgEntityDetails` entry lacks one of its two fields.',
    reason: 'The create page marks no field as mandatory; a series without these fields, or an entry without its type or id, is most likely unfinished.',
  },
  'wrong-type': {
    severity: E,
    source: 'vendor docs',
    summary: 'A value has another JSON type than the docs\' Data Type column (string, integer, boolean, array, object).',
    quotes: [{ page: 'create', text: 'Parameter | Data Type | Description |' }],
  },
  'unknown-enum-value': {
    severity: E,
    source: 'vendor docs',
    summary: 'A value is not one of the field\'s documented "Supported values".',
    quotes: [{ page: 'create', text: 'discountType | Enum | Specifies the type of discount provided by the coupon. Supported values: ABS(a fixed amount is discounted), PERC(a percentage of the total amount is discounted).' }],
  },
  'invalid-format': {
    severity: E,
    source: 'vendor docs',
    summary: 'A date is not a date and time with a time zone (`YYYY-MM-DDTHH:MM:SS±hh:mm`, or `…Z`), or a coupon prefix/suffix is not up to 10 letters, digits, `-` or `_`.',
    quotes: [
      { page: 'create', text: 'Format: YYYY-MM-DDTHH:MM:SS+/-(time-zone).' },
      { page: 'facts', text: '`couponPrefix` / `couponSuffix` (newer docs): at most 10 characters of letters, digits, `-`, `_`.' },
    ],
  },
  'date-format-variant': {
    severity: W,
    source: 'inferred',
    summary: 'A date with fractional seconds or an offset without a colon (`+0530`): a date, but not in the documented form.',
    reason: 'The docs write YYYY-MM-DDTHH:MM:SS±hh:mm and the server answers …Z; whether it reads fractions or +0530 is not documented.',
  },
  'invalid-date': {
    severity: W,
    source: 'inferred',
    summary: 'A date has the right shape but is not on the calendar (e.g. 2029-02-30).',
    reason: 'The docs do not say whether the server refuses such a date or rolls it over to the next month.',
  },
  'out-of-range': {
    severity: W,
    source: 'inferred',
    summary: 'A number below what the field can mean (a negative count, days or discount; below -1 where -1 means "no limit"), or an empty `genericCode`.',
    reason: 'The docs give these integers no bounds ("Integer"); such a value is most likely a mistake, but the API may accept it.',
  },
  'product-id-type': {
    severity: W,
    source: 'inferred',
    summary: 'A `productIds` entry is not an integer.',
    reason: 'The docs say only "Array | IDs of product."; every example lists integers.',
  },
  'unknown-property': {
    severity: W,
    source: 'inferred',
    summary: 'A property the docs\' field tables do not list; suggests the closest known name.',
    reason: 'Whether the API rejects or ignores a field it does not know is not documented.',
  },
  'read-only-property': {
    severity: W,
    source: 'inferred',
    summary: 'A server-owned response field (counters, timestamps) that a request should not carry.',
    reason: 'The response table lists it and the request table does not; whether a request carrying it is refused or ignored is not documented.',
  },
  'generic-code-required': {
    severity: E,
    source: 'vendor docs',
    summary: '`clientHandlingType` GENERIC needs `genericCode`.',
    quotes: [{ page: 'create', text: 'genericCode | String | Generic code of the coupon. Note:Only required if the clientHandlingType is set to GENERIC.' }],
  },
  'valid-till-required': {
    severity: E,
    source: 'vendor docs',
    summary: 'A series not created yet (no deployment, no `id`: its next send is a create) needs `validTillDate`.',
    quotes: [{ page: 'facts', text: '`validTillDate` is required on create, optional on update.' }],
  },
  'valid-till-missing': {
    severity: W,
    source: 'inferred',
    summary: 'A series already created somewhere has no `validTillDate`: an update may omit it, but creating it on another environment needs it.',
    reason: 'Optional on update; only a create (on an environment where the file has no deployment yet) needs it.',
  },
  'series-code-required': {
    severity: E,
    source: 'vendor docs',
    summary: 'A file from before deployments (with `id` in `CouponSeriesV2`) needs `seriesCode` for an update.',
    quotes: [
      {
        page: 'facts',
        text: "The docs' update examples name these as mandatory on update: `description`, `discountCode`, `discountType`, `discountValue`, `anyUser`, `smsTemplate`, `clientHandlingType`, `seriesCode`, `expiryStrategyType`.",
      },
    ],
  },
  'category-ids-limit': {
    severity: E,
    source: 'vendor docs',
    summary: 'A CATEGORY `productInfo` entry has more than 1,000 ids.',
    quotes: [{ page: 'facts', text: 'A `productInfo` entry with more than 1,000 CATEGORY ids is rejected with 400.' }],
  },
  'generic-code-unused': {
    severity: W,
    source: 'inferred',
    summary: '`genericCode` with a `clientHandlingType` other than GENERIC.',
    reason: 'The docs say genericCode is required only for GENERIC; what the other types do with it is not documented.',
  },
  'expiry-value-series': {
    severity: E,
    source: 'vendor docs',
    summary: '`expiryStrategyValue` must be 1 for SERIES_EXPIRY.',
    quotes: [{ page: 'create', text: 'For expiryStrategyType: "SERIES_EXPIRY", expiryStrategyValue is always 1, which defines the coupon expires based on the rules defined for its series.' }],
  },
  'expiry-value-min': {
    severity: W,
    source: 'inferred',
    summary: '`expiryStrategyValue` missing, or below 1, for DAYS and MONTHS_END.',
    reason: 'The docs give one example per strategy (5 days, 10 months) but state no minimum and do not say the value is required.',
  },
  'percent-over-100': {
    severity: W,
    source: 'inferred',
    summary: 'A PERC `discountValue` above 100.',
    reason: 'No PERC ≤ 100 rule is documented; a percentage above 100 is almost certainly a mistake.',
  },
  'bill-amount-range': {
    severity: W,
    source: 'inferred',
    summary: '`minBillAmount` is greater than `maxBillAmount`.',
    reason: 'No bill could qualify; the docs do not say the API checks it.',
  },
  'redemption-after-expiry': {
    severity: W,
    source: 'inferred',
    summary: '`redemptionValidFrom` is after `validTillDate`: no coupon could ever be redeemed.',
    reason: 'Follows from what the dates mean; the docs do not say the API checks it.',
  },
  'valid-till-past': {
    severity: W,
    source: 'inferred',
    summary: '`validTillDate` is in the past.',
    reason: 'An update of an expired series may be deliberate; the docs do not say the API refuses it.',
  },
  'redemption-range-invalid': {
    severity: E,
    source: 'vendor docs',
    summary: '`redemptionRange` must be a string holding a JSON object, e.g. `"{\\"dom\\": [-1], \\"dow\\": [1, 2], \\"hours\\": [-1]}"`.',
    quotes: [{ page: 'facts', text: '`redemptionRange` is a **string containing JSON**: `"{\\"dom\\": [1, 13, 31], \\"dow\\": [1, 2, 7], \\"hours\\": [0, 1, 23]}"`' }],
  },
  'redemption-range-values': {
    severity: W,
    source: 'inferred',
    summary: '`redemptionRange` lacks `dom`, `dow` or `hours`, has another key, or values outside dom 1-31, dow 1-7, hours 0-23 (or `[-1]` for all).',
    reason: 'The docs show the shape but say no key is required; the ranges are inferred from the examples.',
  },
  'mutual-exclusive-ids-invalid': {
    severity: E,
    source: 'vendor docs',
    summary: '`mutualExclusiveSeriesIds` must be a string holding a JSON array of series ids, e.g. `"[10, 11]"`.',
    quotes: [{ page: 'facts', text: '`mutualExclusiveSeriesIds` is a **string containing a JSON array** of series ids: `"[]"`, `"[10]"`, `"[-1]"`.' }],
  },
  'redemption-limit-any-user': {
    severity: E,
    source: 'vendor docs',
    summary: '`redemptionPerCouponMaxLimit` (other than no limit) applies only when `anyUser` is true.',
    quotes: [{ page: 'update', text: 'Applicable only when the anyUser parameter is set to true .' }],
  },
  'redemption-limit-generic': {
    severity: E,
    source: 'vendor docs',
    summary: '`redemptionPerCouponMaxLimit` (other than no limit) does not apply to GENERIC series.',
    quotes: [{ page: 'update', text: 'Not applicable for GENERIC coupon codes' }],
  },
  'redemption-limit-value': {
    severity: E,
    source: 'vendor docs',
    summary: '`redemptionPerCouponMaxLimit` must be greater than 0, or -1/null for no limit.',
    quotes: [
      { page: 'update', text: 'The value must be greater than 0.' },
      { page: 'update', text: 'To create a coupon series without a redemption limit, set value as null or -1' },
    ],
  },
  'sms-placeholder-unbalanced': {
    severity: W,
    source: 'inferred',
    summary: 'An SMS template placeholder is not a balanced `{{tag}}`.',
    reason: 'The docs show tags in double braces; what the server does with a stray brace is not documented.',
  },
  'sms-unknown-tag': {
    severity: W,
    source: 'inferred',
    summary: "An SMS template tag that the vendor's docs never show.",
    reason: 'No authoritative list of tags exists, so an unknown tag may still be valid.',
  },
  'duplicate-product-id': {
    severity: W,
    source: 'inferred',
    summary: 'The same product id appears twice in one `productInfo` entry.',
    reason: 'Harmless to the meaning, most likely a copy-paste slip; the docs say nothing about repeats.',
  },
  'deployment-invalid': {
    severity: W,
    source: 'this tool',
    summary: 'The `deployments` record (where the series was created, per environment) is malformed: a key that is not `<orgId>@<host>`, an `orgId` other than the key\'s, a missing or malformed field.',
    reason: 'It is this tool\'s record, never sent to the API: a person may read and fix it, so problems in it never block sending.',
  },
} as const satisfies Record<string, DiagnosticCodeInfo>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Diagnostic `source` shown by editors next to the message. */
export const DIAGNOSTIC_SOURCE = 'coupon-series';

/** The id of a code's row in the README's rule table (an HTML anchor in the row). */
export function ruleAnchor(code: string): string {
  return `rule-${code}`;
}

/** The link to a code's row in the README at `readmeUri` (any URI: file:, https:, vscode-resource...). */
export function ruleDocumentationHref(readmeUri: string, code: string): string {
  return `${readmeUri.replace(/#.*$/, '')}#${ruleAnchor(code)}`;
}
