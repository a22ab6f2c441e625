/** `mutualExclusiveSeriesIds` is a string holding a JSON array of series ids: `"[10, 11]"`. */
import { TextEdit } from 'vscode-json-languageservice';
import { embeddedValidator, exampleLiteral, parseEmbedded, passes } from '../embeddedJson';
import { describeJsonType, describeShortValue } from '../jsonWording';
import { codeAction, diagnosticData } from './quickFix';
import { stringField } from './seriesFields';
import { defineRules, ERROR } from './rule';

export const mutualExclusiveIds = defineRules({
  name: 'mutualExclusiveIds',
  codes: [
    {
      code: 'mutual-exclusive-ids-invalid',
      title: '`mutualExclusiveSeriesIds` not a JSON list of ids',
      severity: ERROR,
      source: 'vendor docs',
      summary: '`mutualExclusiveSeriesIds` must be a string holding a JSON array of series ids, e.g. `"[10, 11]"`.',
      quotes: [{ page: 'facts', text: '`mutualExclusiveSeriesIds` is a **string containing a JSON array** of series ids: `"[]"`, `"[10]"`, `"[-1]"`.' }],
      description:
        '`mutualExclusiveSeriesIds` lists the series whose coupons exclude this one: a customer who has a coupon of any of them cannot get one of this series. Its value is a **string** holding a JSON array of series ids. ' +
        'A string that is not JSON (`"10, 11"`), JSON that is no array, or an array of anything but whole numbers is an error.\n\n' +
        'An empty string is an error too: the docs give the field only as a string containing a JSON array, and `""` contains none; the documented value for "no exclusions" is `"[]"` ' +
        '(the server itself answers `"mutualExclusiveSeriesIds": "[]"` in the create page\'s example), and a quick fix writes it.\n\n' +
        'An array written directly (not in a string) is [`wrong-type`](wrong-type.md), with a quick fix.\n\n' +
        'The strict schema (`schemas/coupon-series.schema.json`) has a pattern for a string holding a JSON list of numbers, so other editors catch these too, except a number that is not whole (`"[1.5]"`).',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "mutualExclusiveSeriesIds": "10, 11"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "mutualExclusiveSeriesIds": "[10, 11]"\n  }\n}\n' },
      },
      fix: {
        description: 'For an empty string, **Write "[]" (no exclusions)** writes the documented empty list.',
        build: (document, diagnostic) => {
          const replacement = diagnosticData(diagnostic).replacement;
          return replacement ? codeAction(document, 'Write "[]" (no exclusions)', diagnostic, [TextEdit.replace(diagnostic.range, replacement)]) : undefined;
        },
      },
    },
  ],
  check(context) {
    const ids = stringField(context, 'mutualExclusiveSeriesIds');
    if (!ids) return;
    if (ids.value.trim() === '') {
      context.report(ids.node, 'mutual-exclusive-ids-invalid', 'mutualExclusiveSeriesIds is empty: it must hold a JSON list of series ids; for no exclusions write "[]".', { replacement: JSON.stringify('[]') });
      return;
    }
    const parsed = parseEmbedded(ids.value);
    const validate = embeddedValidator('mutualExclusiveSeriesIds');
    if (!parsed.ok) {
      context.report(ids.node, 'mutual-exclusive-ids-invalid', `mutualExclusiveSeriesIds must be a string holding a JSON list of series ids, and this is not valid JSON (${parsed.error})${exampleLiteral('mutualExclusiveSeriesIds')}.`);
    } else if (validate && !passes(validate, parsed.value)) {
      const list = parsed.value;
      const bad = Array.isArray(list) ? list.find((item) => typeof item !== 'number' || !Number.isInteger(item)) : undefined;
      const message = Array.isArray(list)
        ? `mutualExclusiveSeriesIds lists ${describeShortValue(bad)}, which is not a series id: list whole numbers only, e.g. "[10, 11]".`
        : `mutualExclusiveSeriesIds must hold a JSON list of series ids such as "[10, 11]" or "[]", not ${describeJsonType(list)}.`;
      context.report(ids.node, 'mutual-exclusive-ids-invalid', message);
    }
  },
});
