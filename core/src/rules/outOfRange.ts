/** `out-of-range`: numbers below what the field can mean, and empty strings that must say something (`x-minimum`, `x-minLength`). */
import type { ObjectASTNode } from 'vscode-json-languageservice';
import { schemaAtPath } from '../schema';
import { defineRules, WARNING } from './rule';

export const outOfRange = defineRules({
  name: 'outOfRange',
  codes: [
    {
      code: 'out-of-range',
      title: 'a number below what the field can mean',
      severity: WARNING,
      source: 'inferred',
      summary: 'A number below what the field can mean (a negative count, days or discount; below -1 where -1 means "no limit"), or an empty `genericCode`.',
      reason: 'The docs give these integers no bounds ("Integer"); such a value is most likely a mistake, but the API may accept it.',
      description:
        'The docs type the counts, amounts and day numbers as "Integer" and give no bounds. The schema notes the least value that makes sense for each (`x-minimum`): ' +
        '`-1` wherever the vendor writes it for "no limit" or "not set" (`maxCreate`, `maxRedeem`, `maxVouchersPerUser`, the bill amounts, the day counts…), `0` for `discountValue` and `randomCodeLength`, `1` for ids. ' +
        'A value below it is most likely a mistake. An empty `genericCode` gives customers no code to use.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "maxCreate": -5\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "maxCreate": -1\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    const visit = (object: ObjectASTNode, path: string[]): void => {
      for (const property of object.properties) {
        const value = property.valueNode;
        const name = property.keyNode.value;
        const schema = schemaAtPath([...path, name]);
        if (!value || !schema) continue;
        if (value.type === 'object') {
          visit(value, [...path, name]);
          continue;
        }
        const minimum = schema['x-minimum'];
        if (value.type === 'number' && minimum !== undefined && value.value < minimum) {
          const unlimited = schema['x-unlimitedValue'];
          const meaning = unlimited === minimum ? ` (${unlimited} means no limit)` : minimum === -1 ? ' (the vendor writes -1 for "not set")' : '';
          context.report(value, 'out-of-range', `${name} ${value.value} is below ${minimum}${meaning}: most likely a mistake, though the docs set no bound.`);
        }
        const minLength = schema['x-minLength'];
        if (value.type === 'string' && minLength !== undefined && value.value.length < minLength) {
          context.report(value, 'out-of-range', value.value.length === 0 ? `${name} is empty: write the code customers will use.` : `${name} is shorter than ${minLength} characters.`);
        }
      }
    };
    visit(context.series, ['CouponSeriesV2']);
  },
});
