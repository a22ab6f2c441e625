/**
 * coupon_validate: a coupon file's problems, with the editor's validator and
 * quick fixes (the same code the language server and `coupon validate` run),
 * as 1-based ranges.
 */
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-json-languageservice';
import { diagnosticMessage, severityName, SeverityName } from '../engine/reports';
import { parseCouponText } from '../parse';
import { quickFixes } from '../quickFixes';
import { validateCouponDocument } from '../validate';
import type { AgentHost } from './host';
import { AgentRefusal } from './host';
import { namedCouponFile, readWorkspaceFile } from './workspace';

/** The most problems listed (the counts have them all): a broken file can have thousands. */
export const MAX_PROBLEMS = 300;

interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface AgentProblem extends Span {
  code: string;
  severity: SeverityName;
  message: string;
  fixes?: { title: string; edits: (Span & { newText: string })[] }[];
}

export interface ValidateOutput {
  file?: string;
  problems: AgentProblem[];
  counts: { errors: number; warnings: number; information: number; hints: number };
  truncated?: boolean;
}

function span(range: Diagnostic['range']): Span {
  return { line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function editsOf(action: CodeAction): (Span & { newText: string })[] {
  const changes = Object.values(action.edit?.changes ?? {}) as TextEdit[][];
  return changes.flat().map((edit) => ({ ...span(edit.range), newText: edit.newText }));
}

/** The problems of `text`, each with its quick fixes. */
export function problemsOf(text: string): ValidateOutput {
  const document = parseCouponText(text);
  const diagnostics = validateCouponDocument(document);
  const fixes = new Map<Diagnostic, CodeAction[]>();
  for (const action of quickFixes(document, diagnostics.slice(0, MAX_PROBLEMS))) {
    const diagnostic = action.diagnostics?.[0];
    if (diagnostic) fixes.set(diagnostic, [...(fixes.get(diagnostic) ?? []), action]);
  }
  const counts = { errors: 0, warnings: 0, information: 0, hints: 0 };
  for (const diagnostic of diagnostics) {
    const severity = severityName(diagnostic);
    counts[severity === 'error' ? 'errors' : severity === 'warning' ? 'warnings' : severity === 'information' ? 'information' : 'hints']++;
  }
  const problems = diagnostics.slice(0, MAX_PROBLEMS).map((diagnostic): AgentProblem => {
    const actions = fixes.get(diagnostic) ?? [];
    return {
      code: String(diagnostic.code ?? ''),
      severity: severityName(diagnostic),
      message: diagnosticMessage(diagnostic),
      ...span(diagnostic.range),
      ...(actions.length ? { fixes: actions.map((action) => ({ title: action.title, edits: editsOf(action) })) } : {}),
    };
  });
  return { problems, counts, ...(diagnostics.length > MAX_PROBLEMS ? { truncated: true } : {}) };
}

export async function validateTool(host: AgentHost, input: { path?: string; content?: string }): Promise<ValidateOutput> {
  if ((input.path === undefined) === (input.content === undefined)) throw new AgentRefusal('invalid-input', 'Give either "path" (a coupon file in the workspace) or "content" (a coupon file\'s text), not both or neither.');
  if (input.content !== undefined) return problemsOf(input.content);
  const named = await namedCouponFile(host, input.path as string);
  return { file: named.file, ...problemsOf(await readWorkspaceFile(host, named)) };
}

export function describeValidation(output: ValidateOutput, shown = 20): string {
  const { errors, warnings } = output.counts;
  const head = `${output.file ?? 'The text'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${errors === 0 ? ' (the API would take it)' : ''}.`;
  const lines = output.problems.slice(0, shown).map((problem) => `${problem.line}:${problem.column} ${problem.severity} ${problem.code}: ${problem.message}${problem.fixes?.length ? ` [quick fix: ${problem.fixes[0].title}]` : ''}`);
  const more = output.problems.length > shown || output.truncated ? [`… and ${errors + warnings + output.counts.information + output.counts.hints - shown} more (see the structured result).`] : [];
  return [head, ...lines, ...more].join('\n');
}
