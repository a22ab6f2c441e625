/**
 * Running the rule modules' checks over a parsed document. One module's bug
 * must not hide the other modules' diagnostics (or crash the server), so a
 * check that throws is skipped; tests pass `rethrow` to prove none does.
 */
import type { Diagnostic, PropertyASTNode } from 'vscode-json-languageservice';
import { createDiagnostic } from '../diagnostics';
import { CouponDocument, propertyValue } from '../parse';
import { DEPLOYMENTS_KEY, isBoundFile } from '../schema';
import { DIAGNOSTIC_CODES, DiagnosticCode, RULE_MODULES } from './index';
import type { FileContext, RuleContext, RuleModule, ServerSeries } from './rule';

export interface RunRulesOptions {
  /** Let a check's exception through instead of skipping that check (tests use this to prove checks do not throw). */
  readonly rethrow?: boolean;
  readonly sendAs?: 'create' | 'update';
  readonly server?: ServerSeries;
}

/** The file's value for `isBoundFile`: only the two properties it looks at, without building the whole value. */
function rootValue(document: CouponDocument): unknown {
  const root = document.root;
  if (root?.type !== 'object') return undefined;
  const recorded = propertyValue(root, DEPLOYMENTS_KEY);
  const series = document.series;
  return {
    [DEPLOYMENTS_KEY]: recorded?.type === 'object' ? Object.fromEntries(recorded.properties.map((property: PropertyASTNode) => [property.keyNode.value, true])) : undefined,
    CouponSeriesV2: series ? { id: propertyValue(series, 'id') ? true : undefined } : undefined,
  };
}

function fileContext(document: CouponDocument, diagnostics: Diagnostic[]): FileContext<DiagnosticCode> {
  return {
    document,
    report: (at, code, message, data) => diagnostics.push(createDiagnostic(document, at, code, message, data)),
  };
}

function guarded(run: () => void, rethrow: boolean | undefined): void {
  try {
    run();
  } catch (error) {
    // Checks are written not to throw; this is the last line of defence for the server.
    if (rethrow) throw error;
  }
}

/** The checks on the JSON text (syntax), run on every document, before the schema. */
export function runFileChecks(document: CouponDocument, modules: readonly RuleModule[] = RULE_MODULES, options: RunRulesOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const context = fileContext(document, diagnostics) as FileContext<string>;
  for (const module of modules) {
    const check = module.checkFile;
    if (check) guarded(() => check(context), options.rethrow);
  }
  return diagnostics;
}

/** The checks on the series; none when the file holds no `CouponSeriesV2` object. */
export function runRules(document: CouponDocument, now: Date, modules: readonly RuleModule[] = RULE_MODULES, options: RunRulesOptions = {}): Diagnostic[] {
  const series = document.series;
  if (!series) return [];
  const diagnostics: Diagnostic[] = [];
  const context: RuleContext<DiagnosticCode> = {
    ...fileContext(document, diagnostics),
    series,
    now,
    bound: isBoundFile(rootValue(document)),
    ...(options.sendAs ? { sendAs: options.sendAs } : {}),
    ...(options.server ? { server: options.server } : {}),
    field: (name) => propertyValue(series, name),
  };
  for (const module of modules) {
    const check = module.check;
    if (check) guarded(() => check(context as RuleContext<string>), options.rethrow);
  }
  return diagnostics;
}

/**
 * The diagnostics of a file about to be sent as a create: each owner says what
 * becomes of its own (the update's requirements drop, a missing validTillDate
 * becomes the create page's error).
 */
export function judgedAsCreate(document: CouponDocument, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const judged: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const owner = typeof diagnostic.code === 'string' ? DIAGNOSTIC_CODES[diagnostic.code as DiagnosticCode]?.owner : undefined;
    const result = owner?.asCreate?.(diagnostic);
    if (result === null) continue;
    judged.push(result ? createDiagnostic(document, diagnostic.range, result.code as DiagnosticCode, result.message) : diagnostic);
  }
  return judged;
}
