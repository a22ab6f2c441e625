/**
 * `validateCouponSeries`: every diagnostic of a coupon file (syntax, schema,
 * cross-field rules) in one call. The language server, the editor commands,
 * the sandbox and the CLI all call this, so they agree to the character.
 */
import { Diagnostic, Range, TextDocument } from 'vscode-json-languageservice';
import { ruleDocumentationHref } from './codes';
import { createDiagnostic } from './diagnostics';
import { CouponDocument, nodeValue, parseCouponText } from './parse';
import { runRules } from './rules';
import { validateAgainstSchema } from './schemaValidation';

export interface ValidationOptions {
  /** "Now" for date rules (validTillDate in the past); tests pin it. */
  now?: Date;
  /**
   * The request the file is about to become. Without it the rules judge by
   * whether the file is bound (recorded on an environment: its next send may be
   * an update); a bound file sent as a create is judged as a new series.
   */
  sendAs?: 'create' | 'update';
  /**
   * The README whose rule table each diagnostic links to (`codeDescription`);
   * no links without it. The platform says where it is (the language client,
   * or `core/src/node/packageReadme.ts`).
   */
  ruleDocumentationUri?: string;
}

function messageText(message: Diagnostic['message']): string {
  return typeof message === 'string' ? message : message.value;
}

/** JSONDocument keeps comment ranges on a field its published type omits. */
interface JSONDocumentInternals {
  comments?: Range[];
}

function syntaxDiagnostics(document: CouponDocument): Diagnostic[] {
  const diagnostics = document.syntaxErrors.map((error) =>
    createDiagnostic(document, error.range, 'json-syntax', `${messageText(error.message).replace(/\.$/, '')}: fix the JSON syntax first.`),
  );
  // The file is the request body, and the API takes strict JSON.
  for (const comment of (document.jsonDocument as JSONDocumentInternals).comments ?? []) {
    diagnostics.push(createDiagnostic(document, comment, 'json-syntax', 'Comments are not allowed: the file is sent to the API as it is, and the API takes strict JSON.'));
  }
  return diagnostics;
}

/** The document's value: JSON.parse is several times faster than walking the tree, and agrees with it on valid JSON. */
function documentValue(document: CouponDocument): unknown {
  if (document.value !== undefined) return document.value;
  if (document.syntaxErrors.length === 0) {
    try {
      return JSON.parse(document.text);
    } catch {
      // Comments are not syntax errors to the tree parser; fall through to the tree.
    }
  }
  return nodeValue(document.root);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** Each diagnostic's link to its row in the README's rule table. */
function linkRules(diagnostics: Diagnostic[], readmeUri: string | undefined): Diagnostic[] {
  if (!readmeUri) return diagnostics;
  for (const diagnostic of diagnostics) {
    if (typeof diagnostic.code === 'string') diagnostic.codeDescription = { href: ruleDocumentationHref(readmeUri, diagnostic.code) };
  }
  return diagnostics;
}

export function validateCouponDocument(document: CouponDocument, options: ValidationOptions = {}): Diagnostic[] {
  const readmeUri = options.ruleDocumentationUri;
  const diagnostics = syntaxDiagnostics(document);
  if (!document.root) {
    if (diagnostics.length === 0) {
      diagnostics.push(createDiagnostic(document, { offset: 0, length: 0 }, 'json-syntax', 'The file is empty: start with {"CouponSeriesV2": {...}} (type "coupon" for a snippet).'));
    }
    return linkRules(diagnostics, readmeUri);
  }
  diagnostics.push(...validateAgainstSchema(document, documentValue(document)));
  if (document.series) diagnostics.push(...runRules(document, options.now ?? new Date()));
  const judged = options.sendAs === 'create' ? asCreate(document, diagnostics) : diagnostics;
  return linkRules(judged.sort(byPosition), readmeUri);
}

/**
 * A file recorded on an environment is judged as an update (its mandatory
 * fields are errors; `validTillDate` only a warning). Sent as a create on
 * another environment it is a new series: the update's mandatory list does
 * not apply, and a missing `validTillDate` is the create page's error.
 */
function asCreate(document: CouponDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const judged: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.code === 'mandatory-field-missing' || diagnostic.code === 'series-code-required') continue;
    if (diagnostic.code === 'valid-till-missing') {
      judged.push(createDiagnostic(document, diagnostic.range, 'valid-till-required', '"validTillDate" is required to create a series (the create page): add it.'));
      continue;
    }
    judged.push(diagnostic);
  }
  return judged;
}

/** Validate file text (or an already-open document) the way the editor does. */
export function validateCouponSeries(input: string | TextDocument, options: ValidationOptions = {}): Diagnostic[] {
  const document = typeof input === 'string' ? parseCouponText(input) : parseCouponText(input.getText(), input.uri);
  return validateCouponDocument(document, options);
}

/** True when none of the diagnostics is an error (warnings do not block sending). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 1);
}
