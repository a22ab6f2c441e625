/** Building the quick fixes of rule modules: a code action from minimal text edits, and the node a diagnostic is on. */
import { ASTNode, CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-json-languageservice';
import { Edit } from '../edits';
import { CouponDocument } from '../parse';
import type { CouponDiagnosticData, QuickFix } from './rule';

export function toTextEdits(document: CouponDocument, edits: readonly Edit[]): TextEdit[] {
  const text = document.textDocument;
  return edits.map((edit) => TextEdit.replace({ start: text.positionAt(edit.offset), end: text.positionAt(edit.offset + edit.length) }, edit.content));
}

export function codeAction(document: CouponDocument, title: string, diagnostic: Diagnostic, edits: TextEdit[], preferred = true): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [document.textDocument.uri]: edits } },
  };
}

/** The AST node the diagnostic points at (its range start). */
export function nodeAt(document: CouponDocument, diagnostic: Diagnostic): ASTNode | undefined {
  return document.jsonDocument.getNodeFromOffset(document.textDocument.offsetAt(diagnostic.range.start));
}

export function diagnosticData(diagnostic: Diagnostic): CouponDiagnosticData {
  return (diagnostic.data as CouponDiagnosticData | undefined) ?? {};
}

/** "Did you mean": writes the diagnostic's `data.suggestion` (a property name or a value) over its range. */
export function replaceWithSuggestion(what: 'property' | 'value'): QuickFix {
  return {
    description: `When a known ${what} is close to the one written (a typo), **Change ${what} to "…"** writes it instead.`,
    build: (document, diagnostic) => {
      const suggestion = diagnosticData(diagnostic).suggestion;
      if (!suggestion) return undefined;
      return codeAction(document, `Change ${what} to "${suggestion}"`, diagnostic, [TextEdit.replace(diagnostic.range, JSON.stringify(suggestion))]);
    },
  };
}
