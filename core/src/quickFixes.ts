/**
 * Quick fixes for the diagnostics whose repair is unambiguous: each code's
 * fix is its rule module's (core/src/rules/), a minimal text edit computed from
 * the diagnostic (its code, range and data) and the document. Nothing here
 * knows about LSP connections or VS Code.
 */
import { CodeAction, Diagnostic } from 'vscode-json-languageservice';
import { CouponDocument } from './parse';
import { DIAGNOSTIC_CODES, isDiagnosticCode } from './rules/index';

/** The codes that have a quick fix (where the diagnostic's repair is unambiguous). */
export const QUICK_FIX_CODES: readonly string[] = Object.values(DIAGNOSTIC_CODES)
  .filter((info) => info.fix !== undefined)
  .map((info) => info.code);

/** Quick fixes for the given diagnostics (those the client sent for the requested range). */
export function quickFixes(document: CouponDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const fix = isDiagnosticCode(diagnostic.code) ? DIAGNOSTIC_CODES[diagnostic.code].fix?.build(document, diagnostic) : undefined;
    if (fix) {
      fix.diagnostics = [diagnostic];
      actions.push(fix);
    }
  }
  return actions;
}
