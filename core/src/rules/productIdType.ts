/** `product-id-type`: productIds hold ids; the docs say only "Array", the examples list integers (`x-itemType`). */
import { TextEdit } from 'vscode-json-languageservice';
import { describeJsonType } from '../jsonWording';
import { nodeValue, propertyValue } from '../parse';
import { schemaAtPath } from '../schema';
import { codeAction, diagnosticData } from './quickFix';
import { defineRules, WARNING } from './rule';

/** Enough to see the problem; a file of 50,000 string ids is not 50,000 diagnostics. */
const MAX_ITEM_REPORTS = 100;

export const productIdType = defineRules({
  name: 'productIdType',
  codes: [
    {
      code: 'product-id-type',
      title: 'a product id that is not an integer',
      severity: WARNING,
      source: 'inferred',
      summary: 'A `productIds` entry is not an integer.',
      reason: 'The docs say only "Array | IDs of product."; every example lists integers.',
      description:
        'The docs\' table says `productIds` is an "Array" of "IDs of product" without the type of its items, and every example lists integers. ' +
        'A string id (`"30"`) is most likely an integer written in quotes; the first 100 such ids are reported.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n      { "productType": "SKU", "productIds": ["30", "40"] }\n    ]\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "productInfo": [\n      { "productType": "SKU", "productIds": [30, 40] }\n    ]\n  }\n}\n' },
      },
      fix: {
        description: 'For a string of digits, **Write the id as the number …** removes the quotes.',
        build: (document, diagnostic) => {
          const replacement = diagnosticData(diagnostic).replacement;
          return replacement ? codeAction(document, `Write the id as the number ${replacement}`, diagnostic, [TextEdit.replace(diagnostic.range, replacement)]) : undefined;
        },
      },
    },
  ],
  check(context) {
    const productInfo = context.field('productInfo');
    if (productInfo?.type !== 'array') return;
    const expected = schemaAtPath(['CouponSeriesV2', 'productInfo', 0, 'productIds'])?.['x-itemType'];
    if (expected !== 'integer') return;
    let reported = 0;
    for (const entry of productInfo.items) {
      if (entry.type !== 'object') continue;
      const ids = propertyValue(entry, 'productIds');
      if (ids?.type !== 'array') continue;
      // An indexed loop: 50,000 ids through an array iterator allocated ~2 MB per validation.
      const items = ids.items;
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        if (item.type === 'number' && Number.isInteger(item.value)) continue;
        if (reported++ >= MAX_ITEM_REPORTS) return;
        const shown = item.type === 'string' || item.type === 'number' ? JSON.stringify(item.value) : describeJsonType(nodeValue(item));
        const asNumber = item.type === 'string' && /^(0|[1-9]\d*)$/.test(item.value) && Number.isSafeInteger(Number(item.value)) ? item.value : undefined;
        const hint = asNumber ? ` Write it as ${asNumber}.` : '';
        context.report(item, 'product-id-type', `Product id ${shown} is not an integer: the vendor's examples list integer ids, and the server may refuse anything else.${hint}`, asNumber ? { replacement: asNumber } : undefined);
      }
    }
  },
});
