/**
 * Quick fixes for the diagnostics whose repair is unambiguous. Each fix is a
 * minimal text edit computed from the diagnostic (its code, range and data) and
 * the document; nothing here knows about LSP connections or VS Code.
 */
import { CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-json-languageservice';
import { CouponDiagnosticData } from './diagnostics';
import { Edit, editsToSet } from './edits';
import { CouponDocument, nodeValue, pathOf } from './parse';
import { schemaAtPath, SERIES_KEY } from './schema';

type FixBuilder = (document: CouponDocument, diagnostic: Diagnostic) => CodeAction | undefined;

function toTextEdits(document: CouponDocument, edits: Edit[]): TextEdit[] {
  const text = document.textDocument;
  return edits.map((edit) => TextEdit.replace({ start: text.positionAt(edit.offset), end: text.positionAt(edit.offset + edit.length) }, edit.content));
}

function action(document: CouponDocument, title: string, diagnostic: Diagnostic, edits: TextEdit[], preferred = true): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [document.textDocument.uri]: edits } },
  };
}

/** The AST node the diagnostic points at (its range start). */
function nodeAt(document: CouponDocument, diagnostic: Diagnostic) {
  return document.jsonDocument.getNodeFromOffset(document.textDocument.offsetAt(diagnostic.range.start));
}

const replaceWithSuggestion: FixBuilder = (document, diagnostic) => {
  const suggestion = (diagnostic.data as CouponDiagnosticData | undefined)?.suggestion;
  if (!suggestion) return undefined;
  const what = diagnostic.code === 'unknown-property' || diagnostic.code === 'deployment-invalid' ? 'property' : 'value';
  return action(document, `Change ${what} to "${suggestion}"`, diagnostic, [TextEdit.replace(diagnostic.range, JSON.stringify(suggestion))]);
};

const FIXES: Record<string, FixBuilder> = {
  'unknown-property': replaceWithSuggestion,
  'unknown-enum-value': replaceWithSuggestion,
  // An unknown field of a deployment entry with a close known name.
  'deployment-invalid': replaceWithSuggestion,
  'date-format-variant': (document, diagnostic) => {
    const suggestion = (diagnostic.data as CouponDiagnosticData | undefined)?.suggestion;
    return suggestion ? action(document, `Write the date as ${suggestion}`, diagnostic, [TextEdit.replace(diagnostic.range, JSON.stringify(suggestion))]) : undefined;
  },
  'product-id-type': (document, diagnostic) => {
    const replacement = (diagnostic.data as CouponDiagnosticData | undefined)?.replacement;
    return replacement ? action(document, `Write the id as the number ${replacement}`, diagnostic, [TextEdit.replace(diagnostic.range, replacement)]) : undefined;
  },
  'sms-unknown-tag': (document, diagnostic) => {
    const suggestion = (diagnostic.data as CouponDiagnosticData | undefined)?.suggestion;
    return suggestion ? action(document, `Change tag to {{${suggestion}}}`, diagnostic, [TextEdit.replace(diagnostic.range, suggestion)]) : undefined;
  },
  'generic-code-required': (document) => {
    const text = document.textDocument.getText();
    const edits = editsToSet(text, [SERIES_KEY, 'genericCode'], '');
    return { title: 'Add "genericCode"', kind: CodeActionKind.QuickFix, isPreferred: true, edit: { changes: { [document.textDocument.uri]: toTextEdits(document, edits) } } };
  },
  'expiry-value-series': (document, diagnostic) =>
    action(document, 'Set "expiryStrategyValue" to 1', diagnostic, [TextEdit.replace(diagnostic.range, '1')]),
  'wrong-type': (document, diagnostic) => {
    const node = nodeAt(document, diagnostic);
    if (!node || (node.type !== 'array' && node.type !== 'object')) return undefined;
    if (!schemaAtPath(pathOf(node))?.['x-embeddedJson']) return undefined;
    const asString = JSON.stringify(JSON.stringify(nodeValue(node)));
    return action(document, 'Convert to the JSON string the API expects', diagnostic, [TextEdit.replace(diagnostic.range, asString)]);
  },
  'read-only-property': (document, diagnostic) => {
    const key = nodeAt(document, diagnostic);
    const property = key?.parent;
    if (property?.type !== 'property') return undefined;
    const edits = editsToSet(document.textDocument.getText(), pathOf(property.valueNode ?? property.keyNode), undefined);
    return action(document, `Remove server-owned "${property.keyNode.value}"`, diagnostic, toTextEdits(document, edits));
  },
};

/** The codes that have a quick fix (where the diagnostic's repair is unambiguous). */
export const QUICK_FIX_CODES: readonly string[] = Object.keys(FIXES);

/** Quick fixes for the given diagnostics (those the client sent for the requested range). */
export function quickFixes(document: CouponDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const build = typeof diagnostic.code === 'string' ? FIXES[diagnostic.code] : undefined;
    const fix = build?.(document, diagnostic);
    if (fix) {
      fix.diagnostics = [diagnostic];
      actions.push(fix);
    }
  }
  return actions;
}
