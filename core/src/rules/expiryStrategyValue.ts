/**
 * `expiryStrategyValue` with `expiryStrategyType`: 1 for SERIES_EXPIRY (the
 * schema's if/then), and a count of at least 1 for DAYS and MONTHS_END (this
 * module's check).
 */
import { TextEdit } from 'vscode-json-languageservice';
import { codeAction } from './quickFix';
import { numberField, stringField } from './seriesFields';
import { defineRules, ERROR, WARNING } from './rule';

const EXPIRY_QUOTE = {
  page: 'create',
  text: 'For expiryStrategyType: "SERIES_EXPIRY", expiryStrategyValue is always 1, which defines the coupon expires based on the rules defined for its series.',
} as const;

export const expiryStrategyValue = defineRules({
  name: 'expiryStrategyValue',
  codes: [
    {
      code: 'expiry-value-series',
      title: 'SERIES_EXPIRY needs `expiryStrategyValue` 1',
      severity: ERROR,
      source: 'vendor docs',
      summary: '`expiryStrategyValue` must be 1 for SERIES_EXPIRY.',
      quotes: [EXPIRY_QUOTE],
      description:
        'With `expiryStrategyType` SERIES_EXPIRY a coupon expires by the rules of its series (`validTillDate`), and the docs say `expiryStrategyValue` is then always 1. ' +
        'Leaving `expiryStrategyValue` out is not reported. The schema says it with `if`/`then`, which the strict schema keeps.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "expiryStrategyType": "SERIES_EXPIRY",\n    "expiryStrategyValue": 30\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "expiryStrategyType": "SERIES_EXPIRY",\n    "expiryStrategyValue": 1\n  }\n}\n' },
      },
      fix: {
        description: '**Set "expiryStrategyValue" to 1** writes 1. (If the coupons were meant to last a number of days or months, change `expiryStrategyType` to DAYS or MONTHS_END instead.)',
        build: (document, diagnostic) => codeAction(document, 'Set "expiryStrategyValue" to 1', diagnostic, [TextEdit.replace(diagnostic.range, '1')]),
      },
    },
    {
      code: 'expiry-value-min',
      title: '`expiryStrategyValue` missing or below 1',
      severity: WARNING,
      source: 'inferred',
      summary: '`expiryStrategyValue` missing, or below 1, for DAYS and MONTHS_END.',
      quotes: [
        {
          page: 'create',
          text: 'For expiryStrategyType: "DAYS", and expiryStrategyValue: "5", specifies that coupon will be valid till 5 days of issuance For expiryStrategyType: "MONTHS_END", and expiryStrategyValue: "10" specifies that the coupon will be valid for 10 months of issuance.',
        },
      ],
      reason: 'The docs give one example per strategy (5 days, 10 months) but state no minimum and do not say the value is required.',
      description:
        'With DAYS or MONTHS_END, `expiryStrategyValue` is how many days or months a coupon stays valid after it is issued. Without it, or with 0 or less, a coupon would expire on issue.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "expiryStrategyType": "DAYS",\n    "expiryStrategyValue": 0\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "expiryStrategyType": "DAYS",\n    "expiryStrategyValue": 30\n  }\n}\n' },
      },
    },
  ],
  // DAYS / MONTHS_END count days or months from issue: a count of at least 1 is expected (inferred from the examples).
  check(context) {
    const type = stringField(context, 'expiryStrategyType');
    if (type?.value !== 'DAYS' && type?.value !== 'MONTHS_END') return;
    const unit = type.value === 'DAYS' ? 'days' : 'months';
    const valueNode = context.field('expiryStrategyValue');
    if (!valueNode) {
      context.report(type.node, 'expiry-value-min', `expiryStrategyType "${type.value}" counts ${unit} from issue, but expiryStrategyValue is missing: add how many ${unit} a coupon stays valid (at least 1).`);
      return;
    }
    const value = numberField(context, 'expiryStrategyValue');
    if (value && value.value < 1) {
      context.report(value.node, 'expiry-value-min', `With expiryStrategyType "${type.value}" the expiryStrategyValue is a number of ${unit}: ${value.value} would make coupons expire on issue; use at least 1.`);
    }
  },
});
