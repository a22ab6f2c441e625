/**
 * The engine's results as JSON: the machine-readable contract shared by the
 * CLI's `--json` and the agent tools (`coupon mcp`, VS Code's language model
 * tools). Stable field names; 1-based lines and columns for people, the LSP
 * range (0-based) for tools.
 */
import type { Diagnostic } from 'vscode-json-languageservice';
import type { Failure } from './failures';
import type { FilePlan, FilePushResult, Plan } from './operations';

/** LSP's severities 1 to 4, by name. */
export const SEVERITY_NAMES = ['error', 'warning', 'information', 'hint'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export function severityName(diagnostic: Diagnostic): SeverityName {
  switch (diagnostic.severity) {
    case 1:
      return 'error';
    case 2:
      return 'warning';
    case 3:
      return 'information';
    default:
      return 'hint';
  }
}

/** The text of a diagnostic's message (LSP 3.18 allows markup; ours are plain strings). */
export function diagnosticMessage(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

export interface JsonDiagnostic {
  severity: SeverityName;
  code: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  range: Diagnostic['range'];
}

export function jsonDiagnostic(diagnostic: Diagnostic): JsonDiagnostic {
  const { start, end } = diagnostic.range;
  return {
    severity: severityName(diagnostic),
    code: String(diagnostic.code ?? ''),
    message: diagnosticMessage(diagnostic),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    range: diagnostic.range,
  };
}

export interface JsonFailure {
  kind: string;
  message: string;
  status?: number;
  advice: string[];
}

export function jsonFailure(failure: Failure, message = failure.message): JsonFailure {
  return { kind: failure.kind, message, ...(failure.status ? { status: failure.status } : {}), advice: failure.advice };
}

/** One file of a plan: the fields CI scripts and agents read. */
export function jsonPlanEntry(entry: FilePlan): Record<string, unknown> {
  return {
    file: entry.file,
    environment: entry.environment,
    action: entry.action,
    state: entry.state,
    ...(entry.key ? { key: entry.key } : {}),
    ...(entry.deployment ? { id: entry.deployment.id } : {}),
    drifted: entry.drifted,
    changes: entry.changes,
    ...(entry.migratesLegacyIds ? { migratesLegacyIds: true } : {}),
    ...(entry.problem ? { problem: entry.problem } : {}),
    ...(entry.diagnostics ? { diagnostics: entry.diagnostics.map(jsonDiagnostic) } : {}),
  };
}

export function jsonPlan(plan: Plan, environment: string): Record<string, unknown> {
  return {
    environment,
    ...(plan.key ? { key: plan.key } : {}),
    files: plan.files.map(jsonPlanEntry),
    counts: plan.counts,
    ...(plan.failure ? { failure: jsonFailure(plan.failure) } : {}),
  };
}

export function jsonPushResult(result: FilePushResult, failureMessage?: string): Record<string, unknown> {
  const { failure, ...rest } = result;
  return {
    ...rest,
    ...(failure ? { error: jsonFailure(failure, failureMessage), ...(failure.diagnostics.length ? { diagnostics: failure.diagnostics.map(jsonDiagnostic) } : {}) } : {}),
  };
}
