/** `bill-amount-range`: minBillAmount above maxBillAmount leaves no bill that qualifies. */
import { fieldSchema, numberField } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const billAmountRange = defineRules({
  name: 'billAmountRange',
  codes: [
    {
      code: 'bill-amount-range',
      title: 'minimum bill above the maximum',
      severity: WARNING,
      source: 'inferred',
      summary: '`minBillAmount` is greater than `maxBillAmount`.',
      reason: 'No bill could qualify; the docs do not say the API checks it.',
      description:
        'A coupon applies to bills from `minBillAmount` to `maxBillAmount`: with the minimum above the maximum, no bill qualifies. ' +
        'A `maxBillAmount` of 0 or less is read as "no maximum" (the docs give no such value, but no real maximum could be 0, and the vendor writes 0 for "no cap" elsewhere), and is not compared.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "minBillAmount": 30000,\n    "maxBillAmount": 20000\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "minBillAmount": 1000,\n    "maxBillAmount": 20000\n  }\n}\n' },
      },
    },
  ],
  /**
   * Decision: the docs give no "no maximum" value for maxBillAmount. A maximum of 0
   * or below (or the schema's `x-unlimitedValue`, should it ever declare one) cannot
   * be a real maximum bill (no coupon could ever apply), and the vendor uses 0 for
   * "no cap" elsewhere (`discountUpto: 0`) and -1 for "unlimited" on other fields,
   * so such a maxBillAmount is read as "no maximum" and this rule stays quiet.
   */
  check(context) {
    const min = numberField(context, 'minBillAmount');
    const max = numberField(context, 'maxBillAmount');
    if (!min || !max) return;
    const unlimited = fieldSchema('maxBillAmount')?.['x-unlimitedValue'];
    if (max.value <= 0 || max.value === unlimited) return;
    if (min.value > max.value) {
      context.report(min.node, 'bill-amount-range', `minBillAmount (${min.value}) is greater than maxBillAmount (${max.value}), so no bill qualifies: lower minBillAmount or raise maxBillAmount.`);
    }
  },
});
