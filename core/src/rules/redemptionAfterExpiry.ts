/** `redemption-after-expiry`: redemption opening after the series expires means no coupon can ever be redeemed. */
import { formatInstant } from '../dates';
import { dateField } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const redemptionAfterExpiry = defineRules({
  name: 'redemptionAfterExpiry',
  codes: [
    {
      code: 'redemption-after-expiry',
      title: 'redeemable only after it expires',
      severity: WARNING,
      source: 'inferred',
      summary: '`redemptionValidFrom` is after `validTillDate`: no coupon could ever be redeemed.',
      reason: 'Follows from what the dates mean; the docs do not say the API checks it.',
      description:
        'Coupons can be redeemed from `redemptionValidFrom` and the series is valid until `validTillDate`: if the first is later, no coupon could ever be redeemed. ' +
        'The two are compared as instants, so different offsets are taken into account (`2029-05-10T01:00:00+05:30` is before `2029-05-09T20:00:00+00:00`).',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "redemptionValidFrom": "2029-06-01T00:00:00+05:30",\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "redemptionValidFrom": "2029-05-01T00:00:00+05:30",\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  }\n}\n' },
      },
    },
  ],
  // Instants, not text, are compared.
  check(context) {
    const from = dateField(context, 'redemptionValidFrom');
    const till = dateField(context, 'validTillDate');
    if (from && till && from.epochMs > till.epochMs) {
      context.report(
        from.node,
        'redemption-after-expiry',
        `redemptionValidFrom (${formatInstant(from.epochMs)}) is after validTillDate (${formatInstant(till.epochMs)}): no coupon could ever be redeemed. Move redemptionValidFrom earlier or validTillDate later.`,
      );
    }
  },
});
