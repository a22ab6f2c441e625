/**
 * Unified diffs (`diff -u` hunks) by jsdiff: Myers' O(ND) algorithm, whose
 * time grows with the texts' length times the number of lines that differ.
 */
import { formatPatch, OMIT_HEADERS, structuredPatch, StructuredPatch } from 'diff';

/**
 * Past this many added and removed lines a minimal diff is not worth the wait
 * (about a second for 100,000 lines on a busy machine): what lies between the
 * common leading and trailing lines is shown as one replacement.
 */
export const MAX_EDIT_LENGTH = 1_000;

const NO_NEWLINE = '\\ No newline at end of file';

/** The lines of a text, each with its newline (the last may have none). */
function linesWithNewlines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

function shown(lines: readonly string[], mark: ' ' | '-' | '+'): string[] {
  return lines.flatMap((line) => (line.endsWith('\n') ? [`${mark}${line.slice(0, -1)}`] : [`${mark}${line}`, NO_NEWLINE]));
}

/** One hunk replacing all that lies between the common leading and trailing lines. */
function replacement(before: string, after: string, context: number): StructuredPatch {
  const a = linesWithNewlines(before);
  const b = linesWithNewlines(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const from = Math.max(0, prefix - context);
  const leading = a.slice(from, prefix);
  const trailing = a.slice(a.length - suffix, a.length - suffix + context);
  const removed = a.slice(prefix, a.length - suffix);
  const added = b.slice(prefix, b.length - suffix);
  const hunk = {
    oldStart: from + 1,
    oldLines: leading.length + removed.length + trailing.length,
    newStart: from + 1,
    newLines: leading.length + added.length + trailing.length,
    lines: [...shown(leading, ' '), ...shown(removed, '-'), ...shown(added, '+'), ...shown(trailing, ' ')],
  };
  return { oldFileName: '', newFileName: '', oldHeader: undefined, newHeader: undefined, hunks: [hunk] };
}

/**
 * Hunks of `-`/`+`/` ` lines with `@@ -l,s +l,s @@` headers; empty when the
 * texts are equal. A side without a final newline gets `\ No newline at end of file`.
 */
export function unifiedDiff(before: string, after: string, context = 3, maxEditLength = MAX_EDIT_LENGTH): string[] {
  if (before === after) return [];
  const patch = structuredPatch('', '', before, after, undefined, undefined, { context, maxEditLength }) ?? replacement(before, after, context);
  return formatPatch(patch, OMIT_HEADERS).replace(/\n$/, '').split('\n');
}
