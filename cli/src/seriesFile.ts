/**
 * One coupon file as the API commands see it: its text, its diagnostics
 * (the editor's, from `validateCouponSeries`) and its `CouponSeriesV2` object.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Diagnostic } from 'vscode-json-languageservice';
import { isSeriesId } from '../../core/src/operations';
import { SERIES_KEY } from '../../core/src/series';
import { hasErrors, validateCouponSeries } from '../../core/src/validate';
import { CliFailure, EXIT_USAGE } from './command';
import { displayPath, withoutByteOrderMark } from './files';
import { countSeverities, formatDiagnostic, jsonDiagnostic, JsonDiagnostic, Output } from './output';

export interface SeriesFile {
  /** Absolute path. */
  file: string;
  /** Relative to the working folder, for messages. */
  display: string;
  text: string;
  diagnostics: Diagnostic[];
  /** The file's `CouponSeriesV2` object (empty when the file has none). */
  series: Record<string, unknown>;
  /** The whole document's value. */
  root: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and validates a file; a file that cannot be read is bad usage (exit 2) or `exitCode`. */
export async function loadSeriesFile(input: string, cwd: string, exitCode = EXIT_USAGE): Promise<SeriesFile> {
  const file = path.resolve(cwd, input);
  let text: string;
  try {
    text = withoutByteOrderMark(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(code === 'ENOENT' ? `no such file: ${input}` : `cannot read ${input}: ${code ?? (error as Error).message}`, exitCode);
  }
  const root: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  const series = isRecord(root) && isRecord(root[SERIES_KEY]) ? root[SERIES_KEY] : {};
  return { file, display: displayPath(file, cwd), text, diagnostics: validateCouponSeries(text), series, root };
}

/** The file's series id, when it has a usable one. */
export function seriesId(file: SeriesFile): number | undefined {
  return isSeriesId(file.series.id) ? file.series.id : undefined;
}

export function printDiagnostics(output: Output, display: string, diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length > 0) output.out(diagnostics.map((diagnostic) => formatDiagnostic(output, display, diagnostic)).join('\n'));
}

export function jsonDiagnostics(diagnostics: readonly Diagnostic[]): JsonDiagnostic[] {
  return diagnostics.map(jsonDiagnostic);
}

/**
 * "Validate first": prints every file's diagnostics (warnings do not block)
 * and returns the files with errors. Nothing is sent when this list is not empty.
 */
export function filesWithErrors(output: Output, files: readonly SeriesFile[], quiet: boolean): SeriesFile[] {
  const failing = files.filter((file) => hasErrors(file.diagnostics));
  if (!quiet) {
    for (const file of files) printDiagnostics(output, file.display, file.diagnostics);
  }
  if (failing.length > 0) {
    const { errors } = countSeverities(failing.flatMap((file) => file.diagnostics));
    output.error(
      `${failing.map((file) => file.display).join(', ')}: ${errors} error${errors === 1 ? '' : 's'} (run coupon validate): nothing was sent`,
    );
  }
  return failing;
}
