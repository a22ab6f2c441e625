/** `not-a-series`: the file's root must be an object holding `CouponSeriesV2` (the schema's root `type` and `required`). */
import { defineRules, ERROR } from './rule';

export const notASeries = defineRules({
  name: 'notASeries',
  codes: [
    {
      code: 'not-a-series',
      title: 'no `CouponSeriesV2` object',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'The file is not an object holding `CouponSeriesV2`: the root is another JSON value, or the key is missing.',
      quotes: [{ page: 'create', text: 'CouponSeriesV2 | Object | Object containing the coupon series details.' }],
      description:
        'Both requests carry the series under one key, `CouponSeriesV2`, and a coupon file is that request body. ' +
        'A root that is not an object, or an object without `CouponSeriesV2`, is no series at all. ' +
        'A `CouponSeriesV2` that is not an object is [`wrong-type`](wrong-type.md).',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '[\n  {\n    "CouponSeriesV2": {\n      …\n    }\n  }\n]\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n  }\n}\n' },
      },
    },
  ],
});
