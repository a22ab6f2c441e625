/**
 * `duplicate-key`: a key written twice in one object. Valid JSON; JSON.parse
 * (and the tool, which sends what JSON.parse reads) keeps the last value, so
 * the earlier ones are silently lost.
 */
import { ErrorCode, ObjectASTNode, PropertyASTNode, TextEdit } from 'vscode-json-languageservice';
import { findProperty } from '../parse';
import { codeAction, nodeAt } from './quickFix';
import { defineRules, WARNING } from './rule';

/** The value the API would get, for the message: short scalars as written. */
function shownValue(property: PropertyASTNode | undefined): string {
  const value = property?.valueNode;
  if (!value) return 'no value';
  if (value.type === 'object' || value.type === 'array') return `the ${value.type} there`;
  const text = JSON.stringify(value.value);
  return text.length <= 40 ? text : `${text.slice(0, 37)}…"`;
}

/** The property whose key a diagnostic is on, and the object holding it. */
function propertyAt(node: ReturnType<typeof nodeAt>): { property: PropertyASTNode; object: ObjectASTNode } | undefined {
  const property = node?.parent;
  if (property?.type !== 'property' || property.keyNode !== node || property.parent?.type !== 'object') return undefined;
  return { property, object: property.parent };
}

export const duplicateKey = defineRules({
  name: 'duplicateKey',
  codes: [
    {
      code: 'duplicate-key',
      title: 'a key written twice',
      severity: WARNING,
      source: 'inferred',
      summary: 'A key written twice in one object: only the last value counts, and the message says which value the API would get.',
      reason: 'JSON allows a repeated key and JSON.parse keeps the last value, which is what the tool sends; the docs say nothing of a rejection.',
      description:
        'JSON allows a key to appear twice in one object, and JSON.parse keeps the last value. The tool reads the file that way and sends what it read, so the API gets the last value and never sees the earlier ones. ' +
        'That is rarely what was meant: usually a field was pasted twice, or changed in one place and not the other. ' +
        'Each earlier occurrence is reported, with the value the API would get and where it is.',
      checkedBy: ['file'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountType": "PERC",\n    "discountValue": 10,\n    "discountType": "ABS"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountType": "PERC",\n    "discountValue": 10\n  }\n}\n' },
      },
      fix: {
        description: '**Remove this "…"** deletes the earlier occurrence (the one the API would not get), so the file says what is sent.',
        build: (document, diagnostic) => {
          const found = propertyAt(nodeAt(document, diagnostic));
          if (!found) return undefined;
          const { property, object } = found;
          const next = object.properties[object.properties.indexOf(property) + 1];
          if (!next) return undefined;
          const text = document.textDocument;
          const edit = TextEdit.del({ start: text.positionAt(property.offset), end: text.positionAt(next.offset) });
          return codeAction(document, `Remove this "${property.keyNode.value}" (the API gets the later one)`, diagnostic, [edit]);
        },
      },
    },
  ],
  checkFile({ document, report }) {
    const done = new Set<ObjectASTNode>();
    for (const error of document.syntaxErrors) {
      if (error.code !== ErrorCode.DuplicateKey) continue;
      const found = propertyAt(document.jsonDocument.getNodeFromOffset(document.textDocument.offsetAt(error.range.start)));
      if (!found || done.has(found.object)) continue;
      const { object } = found;
      done.add(object);
      // Every key of this object repeated, each reported on all but its last occurrence.
      for (const property of object.properties) {
        const key = property.keyNode.value;
        const last = findProperty(object, key);
        if (!last || last === property || key === '//') continue;
        const line = document.textDocument.positionAt(last.keyNode.offset).line + 1;
        report(
          property.keyNode,
          'duplicate-key',
          `"${key}" appears again on line ${line}: JSON keeps the last value, so the API would get ${shownValue(last)}, not this one. Remove one of the two.`,
        );
      }
    }
  },
});
