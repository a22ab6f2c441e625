/**
 * Where the CLI writes: stdout for results, stderr for progress, summaries
 * and errors; colour only when stdout is a terminal and NO_COLOR is unset.
 * Diagnostics are printed like a compiler's: `file:line:col: severity code message`.
 */
import type { Diagnostic } from 'vscode-json-languageservice';
import { diagnosticMessage as messageOf, severityName } from '../../core/src/engine/reports';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Stops a foreground command (`coupon sandbox`); SIGINT/SIGTERM when absent. */
  signal?: AbortSignal;
  /** What `coupon mcp` reads its protocol messages from (the process's stdin). */
  stdin?: NodeJS.ReadableStream;
}

const STYLES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
export type Style = keyof typeof STYLES;

export class Output {
  readonly color: boolean;
  /** Applied to every line written (removes secrets in API commands). */
  private filter: (text: string) => string = (text) => text;

  constructor(readonly io: CliIo) {
    const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
    this.color = io.stdout.isTTY === true && !noColor;
  }

  setFilter(filter: (text: string) => string): void {
    this.filter = filter;
  }

  paint(style: Style, text: string): string {
    return this.color ? `\u001b[${STYLES[style]}m${text}\u001b[0m` : text;
  }

  /** One line (or several) on stdout. */
  out(text: string): void {
    this.io.stdout.write(`${this.filter(text)}\n`);
  }

  /** One line on stderr. */
  err(text: string): void {
    this.io.stderr.write(`${this.filter(text)}\n`);
  }

  /** `coupon: error: ...`: the one-line form of every failure. */
  error(message: string): void {
    this.err(`coupon: error: ${message}`);
  }

  warn(message: string): void {
    this.err(`coupon: warning: ${message}`);
  }

  /** A JSON result on stdout (pretty, one document). */
  json(value: unknown): void {
    this.out(JSON.stringify(value, null, 2));
  }

  /** Progress for batches on stderr: a rewritten line on a terminal, nothing otherwise. */
  progress(text: string): void {
    if (this.io.stderr.isTTY) this.io.stderr.write(`\r\u001b[2K${text}`);
  }

  clearProgress(): void {
    if (this.io.stderr.isTTY) this.io.stderr.write('\r\u001b[2K');
  }
}

export { diagnosticMessage as messageOf, jsonDiagnostic, severityName } from '../../core/src/engine/reports';
export type { JsonDiagnostic, SeverityName } from '../../core/src/engine/reports';

/** `path:line:col: severity code message`. */
export function formatDiagnostic(output: Output, file: string, diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  const severity = severityName(diagnostic);
  const painted = output.paint(severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'cyan', severity);
  return `${output.paint('bold', `${file}:${line + 1}:${character + 1}`)}: ${painted} ${output.paint('dim', String(diagnostic.code ?? ''))} ${messageOf(diagnostic)}`;
}

export function countSeverities(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 1) errors++;
    else if (diagnostic.severity === 2) warnings++;
  }
  return { errors, warnings };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `3 files, 1 error, 2 warnings`. */
export function summaryLine(files: number, errors: number, warnings: number): string {
  return `${plural(files, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** Prints a file's diagnostics, one compiler-style line each, on stdout. */
export function printDiagnostics(output: Output, display: string, diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length > 0) output.out(diagnostics.map((diagnostic) => formatDiagnostic(output, display, diagnostic)).join('\n'));
}
