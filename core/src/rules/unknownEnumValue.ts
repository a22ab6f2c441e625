/** `unknown-enum-value`: a value that is not one of the field's documented values (the schema's `enum`). */
import { replaceWithSuggestion } from './quickFix';
import { defineRules, ERROR } from './rule';

export const unknownEnumValue = defineRules({
  name: 'unknownEnumValue',
  codes: [
    {
      code: 'unknown-enum-value',
      title: 'not one of the documented values',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A value is not one of the field\'s documented "Supported values".',
      quotes: [{ page: 'create', text: 'discountType | Enum | Specifies the type of discount provided by the coupon. Supported values: ABS(a fixed amount is discounted), PERC(a percentage of the total amount is discounted).' }],
      description:
        'Five fields take one of a fixed list of values, which the docs give as "Supported values": `discountType` (ABS, PERC), `clientHandlingType` (DISC_CODE, GENERIC, DISC_CODE_PIN), `expiryStrategyType` (SERIES_EXPIRY, DAYS, MONTHS_END), ' +
        '`productInfo[].productType` (SKU, CATEGORY, BRAND, and ATTRIBUTE, which the docs show once) and `redemptionOrgEntityDetails[].redemptionOrgEntityType` (CONCEPT, TILL, ZONE, STORE). Values are case-sensitive.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountType": "PERCENT",\n    "discountValue": 10\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountType": "PERC",\n    "discountValue": 10\n  }\n}\n' },
      },
      fix: replaceWithSuggestion('value'),
    },
  ],
});
