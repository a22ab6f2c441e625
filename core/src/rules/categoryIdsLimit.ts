/** `category-ids-limit`: a CATEGORY `productInfo` entry holds at most 1,000 ids (the schema's if/then on the entry). */
import { defineRules, ERROR } from './rule';

/** The ids from..to. */
function ids(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** A file whose productInfo is CATEGORY entries with these ids (an example too long to show: the page shows it shortened). */
function categoryExample(entries: number[][]): string {
  const lines = entries.map((list) => `      { "productType": "CATEGORY", "productIds": ${JSON.stringify(list)} }`);
  return `{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n${lines.join(',\n')}\n    ]\n  }\n}\n`;
}

export const categoryIdsLimit = defineRules({
  name: 'categoryIdsLimit',
  codes: [
    {
      code: 'category-ids-limit',
      title: 'more than 1,000 CATEGORY ids',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A CATEGORY `productInfo` entry has more than 1,000 ids.',
      quotes: [{ page: 'facts', text: 'A `productInfo` entry with more than 1,000 CATEGORY ids is rejected with 400.' }],
      description:
        'An entry whose `productType` is `CATEGORY` lists at most 1,000 category ids; the API answers 400 beyond that. Split the ids over several CATEGORY entries. ' +
        'The limit is documented for CATEGORY only: SKU and BRAND entries, and an entry without `productType` (a [`missing-property`](missing-property.md) warning), are not limited.',
      checkedBy: ['schema'],
      examples: {
        wrong: {
          text: categoryExample([ids(1, 1001)]),
          shownAs: '{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n      { "productType": "CATEGORY", "productIds": [1, 2, 3, …, 1001] }\n    ]\n  }\n}\n',
        },
        right: {
          text: categoryExample([ids(1, 1000), ids(1001, 1001)]),
          shownAs: '{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n      { "productType": "CATEGORY", "productIds": [1, 2, 3, …, 1000] },\n      { "productType": "CATEGORY", "productIds": [1001] }\n    ]\n  }\n}\n',
        },
      },
    },
  ],
});
