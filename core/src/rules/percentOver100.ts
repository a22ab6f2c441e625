/** `percent-over-100`: a percentage discount above 100 would pay the customer. */
import { numberField, stringField } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const percentOver100 = defineRules({
  name: 'percentOver100',
  codes: [
    {
      code: 'percent-over-100',
      title: 'a percentage above 100',
      severity: WARNING,
      source: 'inferred',
      summary: 'A PERC `discountValue` above 100.',
      reason: 'No PERC ≤ 100 rule is documented; a percentage above 100 is almost certainly a mistake.',
      description:
        'With `discountType` PERC, `discountValue` is a percentage of the bill: above 100, the discount would be more than the bill. ' +
        'Most often the value was written for ABS (an amount) and the type is wrong.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountType": "PERC",\n    "discountValue": 500\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountType": "ABS",\n    "discountValue": 500\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    if (stringField(context, 'discountType')?.value !== 'PERC') return;
    const value = numberField(context, 'discountValue');
    if (value && value.value > 100) {
      context.report(value.node, 'percent-over-100', `discountType is "PERC", so discountValue is a percentage: ${value.value}% is more than the whole bill. Use a value from 0 to 100, or switch discountType to "ABS" for a fixed amount.`);
    }
  },
});
