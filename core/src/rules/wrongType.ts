/** `wrong-type`: a value of another JSON type than the docs' Data Type column (the schema's `type`). */
import { TextEdit } from 'vscode-json-languageservice';
import { nodeValue, pathOf } from '../parse';
import { schemaAtPath } from '../schema';
import { codeAction, nodeAt } from './quickFix';
import { defineRules, ERROR } from './rule';

export const wrongType = defineRules({
  name: 'wrongType',
  codes: [
    {
      code: 'wrong-type',
      title: 'a value of the wrong JSON type',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A value has another JSON type than the docs\' Data Type column (string, integer, boolean, array, object).',
      quotes: [{ page: 'create', text: 'Parameter | Data Type | Description |' }],
      description:
        'Every field of the docs\' tables has a data type, and the schema gives each field that JSON type: `"500"` is a string where `discountValue` is an Integer, `1.5` is no integer. ' +
        '`redemptionRange` and `mutualExclusiveSeriesIds` are Strings that hold JSON: an object or array written directly (not inside a string) is this error too, with a quick fix.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountValue": "500",\n    "mutualExclusiveSeriesIds": [10, 11]\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountValue": 500,\n    "mutualExclusiveSeriesIds": "[10, 11]"\n  }\n}\n' },
      },
      fix: {
        description: 'For a field that holds JSON in a string (`redemptionRange`, `mutualExclusiveSeriesIds`) given as an object or array, **Convert to the JSON string the API expects** writes it as that string.',
        build: (document, diagnostic) => {
          const node = nodeAt(document, diagnostic);
          if (!node || (node.type !== 'array' && node.type !== 'object')) return undefined;
          if (!schemaAtPath(pathOf(node))?.['x-embeddedJson']) return undefined;
          const asString = JSON.stringify(JSON.stringify(nodeValue(node)));
          return codeAction(document, 'Convert to the JSON string the API expects', diagnostic, [TextEdit.replace(diagnostic.range, asString)]);
        },
      },
    },
  ],
});
