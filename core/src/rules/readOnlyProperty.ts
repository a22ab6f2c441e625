/** `read-only-property`: server-owned response fields (schema `readOnly`) should not be sent back. */
import { editsToSet } from '../edits';
import { pathOf } from '../parse';
import { seriesSchema } from '../schema';
import { codeAction, nodeAt, toTextEdits } from './quickFix';
import { defineRules, WARNING } from './rule';

export const readOnlyProperty = defineRules({
  name: 'readOnlyProperty',
  codes: [
    {
      code: 'read-only-property',
      title: 'a field only the server sets',
      severity: WARNING,
      source: 'inferred',
      summary: 'A server-owned response field (counters, timestamps) that a request should not carry.',
      reason: 'The response table lists it and the request table does not; whether a request carrying it is refused or ignored is not documented.',
      description:
        'The server answers with fields a request never sets: counters (`numIssued`, `numRedeemed`), timestamps (`createdOn`, `lastUsed`), `createdBy`, `warnings` and more. ' +
        'They appear when an answer is pasted into a file. The request table does not list them, so they should not be sent back. ' +
        '`id`, `seriesCode` and `orgId` are server-assigned but not this: a file made before deployments keeps them to name its series.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "numIssued": 0,\n    "createdOn": "2021-05-13T11:11:42Z"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n  }\n}\n' },
      },
      fix: {
        description: '**Remove server-owned "…"** deletes the property.',
        build: (document, diagnostic) => {
          const key = nodeAt(document, diagnostic);
          const property = key?.parent;
          if (property?.type !== 'property') return undefined;
          const edits = editsToSet(document.textDocument.getText(), pathOf(property.valueNode ?? property.keyNode), undefined);
          return codeAction(document, `Remove server-owned "${property.keyNode.value}"`, diagnostic, toTextEdits(document, edits));
        },
      },
    },
  ],
  check({ series, report }) {
    for (const property of series.properties) {
      const name = property.keyNode.value;
      if (seriesSchema.properties?.[name]?.readOnly) {
        report(property.keyNode, 'read-only-property', `"${name}" is set by the server (it appears in responses, not requests): remove it from the file.`);
      }
    }
  },
});
