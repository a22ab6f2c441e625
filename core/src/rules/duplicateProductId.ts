/** `duplicate-product-id`: the same id twice in one productInfo entry, found in one pass (files may hold 50,000 ids). */
import { IntegerFirstIndex } from '../integerFirstIndex';
import { propertyValue } from '../parse';
import { defineRules, WARNING } from './rule';

/** One table for every validation: this runs on every keystroke. */
const integerIndex = new IntegerFirstIndex();

export const duplicateProductId = defineRules({
  name: 'duplicateProductId',
  codes: [
    {
      code: 'duplicate-product-id',
      title: 'a product id listed twice',
      severity: WARNING,
      source: 'inferred',
      summary: 'The same product id appears twice in one `productInfo` entry.',
      reason: 'Harmless to the meaning, most likely a copy-paste slip; the docs say nothing about repeats.',
      description:
        'An id listed twice in one entry\'s `productIds` adds nothing, and usually means a list was pasted twice or an id mistyped as another. Each repeat is reported, with the position of the first. ' +
        'The same id in two entries (e.g. a SKU and a BRAND entry) is not reported; `30` and `"30"` are different JSON values and are not repeats of each other.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n      { "productType": "SKU", "productIds": [30, 40, 30] }\n    ]\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n      { "productType": "SKU", "productIds": [30, 40] }\n    ]\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    const productInfo = context.field('productInfo');
    if (productInfo?.type !== 'array') return;
    for (const entry of productInfo.items) {
      if (entry.type !== 'object') continue;
      const ids = propertyValue(entry, 'productIds');
      if (ids?.type !== 'array') continue;
      // Integers (the normal case) in a typed hash table; anything else in a Map. 30 and "30" are different
      // JSON values (the string is the schema's wrong-type), so they never count as repeats of each other.
      const items = ids.items;
      const integers = integerIndex.reset(items.length);
      const others = new Map<string, number>();
      for (let index = 0; index < items.length; index++) {
        const item = items[index];
        let first: number | undefined;
        if (item.type === 'number' && Number.isSafeInteger(item.value)) {
          first = integers.firstOrAdd(item.value, index);
        } else if (item.type === 'number' || item.type === 'string') {
          const key = `${item.type}:${item.value}`;
          first = others.get(key);
          if (first === undefined) others.set(key, index);
        } else {
          continue;
        }
        if (first !== undefined) {
          context.report(item, 'duplicate-product-id', `Product id ${JSON.stringify(item.value)} is already listed in this productInfo entry (at position ${first + 1}): remove the repeat.`);
        }
      }
    }
  },
});
