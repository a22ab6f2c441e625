/** `unknown-property`: a property the docs' field tables do not list (the schema's `additionalProperties: false`). */
import { replaceWithSuggestion } from './quickFix';
import { defineRules, WARNING } from './rule';

export const unknownProperty = defineRules({
  name: 'unknownProperty',
  codes: [
    {
      code: 'unknown-property',
      title: 'a property the docs do not list',
      severity: WARNING,
      source: 'inferred',
      summary: 'A property the docs\' field tables do not list; suggests the closest known name.',
      reason: 'Whether the API rejects or ignores a field it does not know is not documented.',
      description:
        'Most unknown properties are typos of known ones (`maxBilAmount`), and the API would then not get the intended value: the message names the closest known property, and a quick fix writes it. ' +
        'At the top level of the file, only `CouponSeriesV2`, `deployments` and `$schema` are known: series fields go inside `CouponSeriesV2`.\n\n' +
        'A warning only: the docs do not say whether the API rejects a field it does not know or ignores it. For the same reason the strict schema (`schemas/coupon-series.schema.json`) does not close its objects.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "maxBilAmount": 20000\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "maxBillAmount": 20000\n  }\n}\n' },
      },
      fix: replaceWithSuggestion('property'),
    },
  ],
});
