/**
 * `invalid-format`: a date that is not a date and time with its zone, or a
 * coupon prefix/suffix that is not up to 10 letters, digits, `-` or `_` (the
 * schema's `pattern` and `maxLength`).
 */
import { defineRules, ERROR } from './rule';

export const invalidFormat = defineRules({
  name: 'invalidFormat',
  codes: [
    {
      code: 'invalid-format',
      title: 'a date or coupon prefix in the wrong format',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A date is not a date and time with a time zone (`YYYY-MM-DDTHH:MM:SS±hh:mm`, or `…Z`), or a coupon prefix/suffix is not up to 10 letters, digits, `-` or `_`.',
      quotes: [
        { page: 'facts', text: '`validTillDate`, `redemptionValidFrom`: `YYYY-MM-DDTHH:MM:SS±hh:mm`.' },
        { page: 'facts', text: '`couponPrefix` / `couponSuffix` (newer docs): at most 10 characters of letters, digits, `-`, `_`.' },
      ],
      description:
        '`validTillDate` and `redemptionValidFrom` are a date and a time with a time zone, `YYYY-MM-DDTHH:MM:SS±hh:mm` (the server itself answers `…Z`, which is accepted too). ' +
        'A date without a time, a time without a zone, or text that is no date is this error. ' +
        'Fractional seconds and an offset without a colon (`+0530`) still make a date: they are only a [`date-format-variant`](date-format-variant.md) warning; a well-formed date that is not on the calendar is [`invalid-date`](invalid-date.md).\n\n' +
        '`couponPrefix` and `couponSuffix` take at most 10 characters, each a letter, a digit, `-` or `_`.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10",\n    "couponPrefix": "DIWALI 2029"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10T23:59:59+05:30",\n    "couponPrefix": "DIW29-"\n  }\n}\n' },
      },
    },
  ],
});
