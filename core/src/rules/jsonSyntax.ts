/** `json-syntax`: the file must be strict JSON, since it is sent as the request body. */
import { ErrorCode, Range } from 'vscode-json-languageservice';
import { defineRules, ERROR } from './rule';

/** JSONDocument keeps comment ranges on a field its published type omits. */
interface JSONDocumentInternals {
  comments?: Range[];
}

export const jsonSyntax = defineRules({
  name: 'jsonSyntax',
  codes: [
    {
      code: 'json-syntax',
      title: 'not strict JSON',
      severity: ERROR,
      source: 'json',
      summary: 'The file is not strict JSON (a comment, a trailing comma, a missing quote, comma or bracket): it is the request body.',
      reason: 'The file is sent to the API as the request body, and the API takes JSON, which allows no comments or trailing commas.',
      description:
        'A coupon file is the body of the create or update request, so it must be JSON as the API reads it: no comments, no trailing commas, every key in double quotes, every bracket closed. ' +
        'The rest of the file is still checked as far as the parser can recover, but fix the syntax first: the other diagnostics may change once it is right.\n\n' +
        'A key written twice is valid JSON, and is reported apart, as [`duplicate-key`](duplicate-key.md).',
      checkedBy: ['file'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountValue": 500, // flat 500 off\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountValue": 500\n  }\n}\n' },
      },
    },
  ],
  checkFile({ document, report }) {
    let reported = 0;
    for (const error of document.syntaxErrors) {
      // A repeated key is valid JSON: duplicateKey.ts says which value the API gets.
      if (error.code === ErrorCode.DuplicateKey) continue;
      const message = typeof error.message === 'string' ? error.message : String(error.message);
      report(error.range, 'json-syntax', `${message.replace(/\.$/, '')}: fix the JSON syntax first.`);
      reported++;
    }
    // The file is the request body, and the API takes strict JSON.
    for (const comment of (document.jsonDocument as JSONDocumentInternals).comments ?? []) {
      report(comment, 'json-syntax', 'Comments are not allowed: the file is sent to the API as it is, and the API takes strict JSON.');
      reported++;
    }
    if (!document.root && reported === 0) {
      report({ offset: 0, length: 0 }, 'json-syntax', 'The file is empty: start with {"CouponSeriesV2": {...}} (type "coupon" for a snippet).');
    }
  },
});
