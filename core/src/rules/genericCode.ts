/** `genericCode` and `clientHandlingType` GENERIC: required with it (the schema's if/then), unused without it (this module's check). */
import { CodeActionKind } from 'vscode-json-languageservice';
import { editsToSet } from '../edits';
import { nodeValue } from '../parse';
import { SERIES_KEY } from '../schema';
import { toTextEdits } from './quickFix';
import { defineRules, ERROR, WARNING } from './rule';

export const genericCode = defineRules({
  name: 'genericCode',
  codes: [
    {
      code: 'generic-code-required',
      title: 'GENERIC needs `genericCode`',
      severity: ERROR,
      source: 'vendor docs',
      summary: '`clientHandlingType` GENERIC needs `genericCode`.',
      quotes: [{ page: 'create', text: 'genericCode | String | Generic code of the coupon. Note:Only required if the clientHandlingType is set to GENERIC.' }],
      description:
        'A GENERIC series gives every customer one shared code, and `genericCode` is that code. The docs make it required with GENERIC. ' +
        'The server never returns `genericCode`, so a series pulled from the server may lack it: fill it in before sending.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "clientHandlingType": "GENERIC"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "clientHandlingType": "GENERIC",\n    "genericCode": "WELCOME10"\n  }\n}\n' },
      },
      fix: {
        description: '**Add "genericCode"** adds the field with an empty string, for you to write the code in.',
        build: (document) => {
          const edits = editsToSet(document.textDocument.getText(), [SERIES_KEY, 'genericCode'], '');
          return { title: 'Add "genericCode"', kind: CodeActionKind.QuickFix, isPreferred: true, edit: { changes: { [document.textDocument.uri]: toTextEdits(document, edits) } } };
        },
      },
    },
    {
      code: 'generic-code-unused',
      title: '`genericCode` on a series that is not GENERIC',
      severity: WARNING,
      source: 'inferred',
      summary: '`genericCode` with a `clientHandlingType` other than GENERIC.',
      quotes: [{ page: 'create', text: 'genericCode | String | Generic code of the coupon. Note:Only required if the clientHandlingType is set to GENERIC.' }],
      reason: 'The docs say genericCode is required only for GENERIC; what the other types do with it is not documented.',
      description:
        'With DISC_CODE the server generates the codes, with DISC_CODE_PIN they are uploaded: a `genericCode` means nothing to either, and most likely the series was meant to be GENERIC, or the field is left over from one.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "clientHandlingType": "DISC_CODE",\n    "genericCode": "WELCOME10"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "clientHandlingType": "DISC_CODE"\n  }\n}\n' },
      },
    },
  ],
  check({ field, report }) {
    const code = field('genericCode');
    const handling = nodeValue(field('clientHandlingType'));
    if (code && typeof handling === 'string' && handling !== 'GENERIC') {
      report(code, 'generic-code-unused', `"genericCode" is only used when clientHandlingType is "GENERIC" (this series is "${handling}"): remove it, or switch to GENERIC.`);
    }
  },
});
