/**
 * `validateCouponSeries`: every diagnostic of a coupon file (syntax, schema,
 * the rule modules' checks) in one call. The language server, the editor
 * commands, the engine, the sandbox and the CLI all call this, so they agree to
 * the character.
 */
import { Diagnostic, TextDocument } from 'vscode-json-languageservice';
import { CouponDocument, nodeValue, parseCouponText } from './parse';
import type { ServerSeries } from './rules/rule';
import { rulePageHref } from './rules/rulePages';
import { judgedAsCreate, runFileChecks, runRules } from './rules/run';
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
   * The server's copy of the series an update goes to (the engine knows it
   * before sending): the rules that need it (maxCreate above what was issued) run only then.
   */
  server?: ServerSeries;
  /**
   * The URI of the folder of rule pages (docs/rules/) each diagnostic links to
   * (`codeDescription`); no links without it. The platform says where it is
   * (the language client, or core/src/node/rulePagesLocation.ts).
   */
  rulePagesUri?: string;
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

/** Each diagnostic's link to its rule's page. */
function linkRulePages(diagnostics: Diagnostic[], rulePagesUri: string | undefined): Diagnostic[] {
  if (!rulePagesUri) return diagnostics;
  for (const diagnostic of diagnostics) {
    if (typeof diagnostic.code === 'string') diagnostic.codeDescription = { href: rulePageHref(rulePagesUri, diagnostic.code) };
  }
  return diagnostics;
}

export function validateCouponDocument(document: CouponDocument, options: ValidationOptions = {}): Diagnostic[] {
  const diagnostics = runFileChecks(document);
  if (!document.root) return linkRulePages(diagnostics, options.rulePagesUri);
  diagnostics.push(...validateAgainstSchema(document, documentValue(document)));
  if (document.series) {
    diagnostics.push(...runRules(document, options.now ?? new Date(), undefined, { ...(options.sendAs ? { sendAs: options.sendAs } : {}), ...(options.server ? { server: options.server } : {}) }));
  }
  // A file recorded on an environment is judged as an update; sent as a create elsewhere, it is a new series.
  const judged = options.sendAs === 'create' ? judgedAsCreate(document, diagnostics) : diagnostics;
  return linkRulePages(judged.sort(byPosition), options.rulePagesUri);
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
