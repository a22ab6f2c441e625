/** `valid-till-past`: a series that has already expired. */
import { formatInstant } from '../dates';
import { dateField } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const validTillPast = defineRules({
  name: 'validTillPast',
  codes: [
    {
      code: 'valid-till-past',
      title: '`validTillDate` in the past',
      severity: WARNING,
      source: 'inferred',
      summary: '`validTillDate` is in the past.',
      reason: 'An update of an expired series may be deliberate; the docs do not say the API refuses it.',
      description: 'A series valid until a past date can no longer issue or redeem coupons. Most often the year is wrong, or the file was copied from an old series.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2021-05-10T23:59:59+05:30"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    const till = dateField(context, 'validTillDate');
    if (till && till.epochMs < context.now.getTime()) {
      context.report(till.node, 'valid-till-past', `validTillDate (${formatInstant(till.epochMs)}) is in the past: coupons of this series could not be issued or redeemed. Set a future date.`);
    }
  },
});
