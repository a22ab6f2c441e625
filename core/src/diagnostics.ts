/** Building diagnostics with the project's codes: the severity is the code's, from the registry. */
import { Diagnostic, Range } from 'vscode-json-languageservice';
import { CouponDocument, rangeOf } from './parse';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_SOURCE, DiagnosticCode } from './rules/index';
import type { CouponDiagnosticData } from './rules/rule';

export function createDiagnostic(
  document: CouponDocument,
  at: { offset: number; length: number } | Range,
  code: DiagnosticCode,
  message: string,
  data?: CouponDiagnosticData,
): Diagnostic {
  const range = 'offset' in at ? rangeOf(document.textDocument, at) : at;
  const diagnostic: Diagnostic = { range, severity: DIAGNOSTIC_CODES[code].severity, code, source: DIAGNOSTIC_SOURCE, message };
  if (data) diagnostic.data = data;
  return diagnostic;
}
