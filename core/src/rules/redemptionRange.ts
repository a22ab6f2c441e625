/**
 * `redemptionRange` is a string holding a JSON object `{dom, dow, hours}`. A
 * string that is not JSON, or JSON that is not an object, is an error (the docs
 * say it holds JSON of that shape); a missing, unknown or non-list key and
 * values outside the (inferred) ranges are warnings, each where it is.
 */
import { parseTree } from 'jsonc-parser';
import { closestMatch } from '../closestMatch';
import { embeddedSchema, embeddedValidator, exampleLiteral, parseEmbedded, passes } from '../embeddedJson';
import { describeJsonType, describeShortValue } from '../jsonWording';
import { CouponSchema } from '../schema';
import { embeddedNodeSpan, Span, stringValueOffsets } from '../stringValueOffsets';
import { stringField } from './seriesFields';
import { defineRules, ERROR, WARNING } from './rule';

const SHAPE_QUOTE = { page: 'facts', text: '`redemptionRange` is a **string containing JSON**: `"{\\"dom\\": [1, 13, 31], \\"dow\\": [1, 2, 7], \\"hours\\": [0, 1, 23]}"`' } as const;

/** The `minimum`/`maximum` of the items of an embedded list schema (looked for in oneOf/anyOf branches too). */
function itemBounds(schema: CouponSchema): { minimum: number; maximum: number } | undefined {
  const candidates: CouponSchema[] = [schema];
  const withBranches = schema as CouponSchema & { oneOf?: CouponSchema[]; anyOf?: CouponSchema[] };
  candidates.push(...(withBranches.oneOf ?? []), ...(withBranches.anyOf ?? []));
  for (const candidate of candidates) {
    const items = candidate.items;
    if (items && typeof items.minimum === 'number' && typeof items.maximum === 'number') return { minimum: items.minimum, maximum: items.maximum };
  }
  return undefined;
}

export const redemptionRange = defineRules({
  name: 'redemptionRange',
  codes: [
    {
      code: 'redemption-range-invalid',
      title: '`redemptionRange` not a JSON object in a string',
      severity: ERROR,
      source: 'vendor docs',
      summary: '`redemptionRange` must be a string holding a JSON object, e.g. `"{\\"dom\\": [-1], \\"dow\\": [1, 2], \\"hours\\": [-1]}"`.',
      quotes: [SHAPE_QUOTE],
      description:
        '`redemptionRange` says on which days of the month (`dom`), days of the week (`dow`) and hours (`hours`) coupons can be redeemed. Its value is a **string** that holds a JSON object, with the quotes inside escaped. ' +
        'A string that is not JSON (unquoted keys, `dom=1`), JSON that is not an object (`"[1, 2]"`), or an empty string, holds no such object: an error.\n\n' +
        'An empty string is an error too: the docs give the field only as a string containing JSON, and `""` contains none (as `""` is no date for `validTillDate`). ' +
        'For "any day, any hour", write `[-1]` in each list.\n\n' +
        'An object or array written directly (not in a string) is [`wrong-type`](wrong-type.md), with a quick fix; the keys and values inside the object are [`redemption-range-values`](redemption-range-values.md).\n\n' +
        'The strict schema (`schemas/coupon-series.schema.json`) has a pattern for a string that holds a JSON object, so other editors catch most of these too; whether the JSON inside is valid is beyond a pattern.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "redemptionRange": "{dom: [-1], dow: [6, 7], hours: [-1]}"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "redemptionRange": "{\\"dom\\": [-1], \\"dow\\": [6, 7], \\"hours\\": [-1]}"\n  }\n}\n' },
      },
    },
    {
      code: 'redemption-range-values',
      title: '`redemptionRange` keys or values out of range',
      severity: WARNING,
      source: 'inferred',
      summary: '`redemptionRange` lacks `dom`, `dow` or `hours`, has another key, or values outside dom 1-31, dow 1-7, hours 0-23 (or `[-1]` for all).',
      quotes: [SHAPE_QUOTE, { page: 'facts', text: '`[-1]` means all. Ranges dom 1-31, dow 1-7 (1 = Monday), hours 0-23 are **inferred** from the examples.' }],
      reason: 'The docs show the shape but say no key is required; the ranges are inferred from the examples.',
      description:
        'Inside the object: `dom` lists days of the month (1-31), `dow` days of the week (1-7, 1 = Monday), `hours` hours of the day (0-23); `[-1]` alone means all. ' +
        'A missing list, an unknown key (with a "did you mean"), a list that is no list, an empty list, a value that is no whole number or outside its range, or -1 mixed with other values is a warning, on the value at fault when it can be found inside the string.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "redemptionRange": "{\\"dom\\": [-1], \\"dow\\": [0, 6], \\"hour\\": [-1]}"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "redemptionRange": "{\\"dom\\": [-1], \\"dow\\": [6, 7], \\"hours\\": [-1]}"\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    const range = stringField(context, 'redemptionRange');
    const embedded = embeddedSchema('redemptionRange');
    if (!range || !embedded) return;
    const keys = embedded.required ?? Object.keys(embedded.properties ?? {});
    if (range.value.trim() === '') {
      context.report(range.node, 'redemption-range-invalid', `redemptionRange is empty: it must hold a JSON object with ${keys.map((key) => `"${key}"`).join(', ')} lists ([-1] for all)${exampleLiteral('redemptionRange')}.`);
      return;
    }
    const parsed = parseEmbedded(range.value);
    if (!parsed.ok) {
      context.report(range.node, 'redemption-range-invalid', `redemptionRange must be a string holding JSON, and this is not valid JSON (${parsed.error})${exampleLiteral('redemptionRange')}.`);
      return;
    }
    const value = parsed.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      context.report(range.node, 'redemption-range-invalid', `redemptionRange must hold a JSON object with ${keys.map((key) => `"${key}"`).join(', ')} lists, not ${describeJsonType(value)}${exampleLiteral('redemptionRange')}.`);
      return;
    }
    const object = value as Record<string, unknown>;
    const missing = keys.filter((key) => !(key in object));
    const notArrays = keys.filter((key) => key in object && embedded.properties?.[key]?.type === 'array' && !Array.isArray(object[key]));
    const known = Object.keys(embedded.properties ?? {});
    const extra = embedded.additionalProperties === false ? Object.keys(object).filter((key) => !known.includes(key)) : [];
    const problems: string[] = [];
    if (missing.length) problems.push(`add ${missing.map((key) => `"${key}"`).join(', ')} (use [-1] for all)`);
    if (notArrays.length) problems.push(`make ${notArrays.map((key) => `"${key}"`).join(', ')} a list such as [-1]`);
    for (const key of extra) {
      const suggestion = closestMatch(key, known);
      problems.push(suggestion ? `"${key}" is not a known key: did you mean "${suggestion}"?` : `remove the unknown key "${key}" (known: ${known.map((k) => `"${k}"`).join(', ')})`);
    }
    if (problems.length) {
      context.report(range.node, 'redemption-range-values', `redemptionRange is expected to hold {${keys.map((key) => `"${key}": [...]`).join(', ')}}: ${problems.join('; ')}.`);
      return;
    }
    const validate = embeddedValidator('redemptionRange');
    if (!validate || passes(validate, value)) return;

    // The shape is right, so what remains are values: explain each, on the number at fault when it can be located.
    const offsets = stringValueOffsets(context.document, range.node);
    const tree = parseTree(range.value);
    const failingKeys = new Set((validate.errors ?? []).map((error) => error.instancePath.split('/')[1]).filter((key): key is string => !!key));
    for (const key of keys) {
      if (!failingKeys.has(key)) continue;
      const keySchema = embedded.properties?.[key] ?? {};
      const list = object[key] as unknown[];
      const bounds = itemBounds(keySchema);
      const allowed = bounds ? `${bounds.minimum}-${bounds.maximum}` : 'the allowed values';
      const spanOf = (path: (string | number)[]): Span => embeddedNodeSpan(tree, path, offsets, range.node);
      if (list.length === 0) {
        context.report(spanOf([key]), 'redemption-range-values', `"${key}" is empty: list values ${allowed}, or [-1] for all.`);
        continue;
      }
      let explained = false;
      list.forEach((item, index) => {
        if (typeof item !== 'number' || !Number.isInteger(item)) {
          context.report(spanOf([key, index]), 'redemption-range-values', `"${key}" holds ${describeShortValue(item)}, which is not a whole number: use ${allowed} (or [-1] for all).`);
          explained = true;
        } else if (item === -1 && list.length > 1) {
          context.report(spanOf([key, index]), 'redemption-range-values', `"${key}" mixes -1 with other values: -1 means all and must stand alone ([-1]); remove it or the others.`);
          explained = true;
        } else if (item !== -1 && bounds && (item < bounds.minimum || item > bounds.maximum)) {
          context.report(spanOf([key, index]), 'redemption-range-values', `"${key}" ${item} is outside ${allowed} (or [-1] for all): change or remove it.`);
          explained = true;
        }
      });
      if (!explained) {
        context.report(spanOf([key]), 'redemption-range-values', `"${key}" does not hold allowed values: ${keySchema.description ?? `use ${allowed}, or [-1] for all.`}`);
      }
    }
  },
});
