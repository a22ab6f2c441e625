/**
 * Minimal, formatting-preserving edits to a coupon file (quick fixes), and the
 * one changed span between two texts (applying a new text as a minimal edit). Built on jsonc-parser's `modify`, which touches only the
 * characters it must and indents new lines like their neighbours.
 */
import { Edit, FormattingOptions, JSONPath, modify } from 'jsonc-parser';

/** Indentation and line ending the file already uses, so inserted lines match. */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indents = text.match(/^[ \t]+(?=\S)/gm) ?? [];
  const tabs = indents.filter((indent) => indent.startsWith('\t')).length;
  if (tabs > indents.length / 2) return { insertSpaces: false, tabSize: 1, eol };
  const widths = indents.map((indent) => indent.length).filter((width) => width > 0);
  const smallest = widths.length ? Math.min(...widths) : 2;
  return { insertSpaces: true, tabSize: smallest, eol };
}

/** Edits that set (or, with `undefined`, remove) the value at `path`; a one-line file stays on one line. */
export function editsToSet(text: string, path: JSONPath, value: unknown): Edit[] {
  return modify(text, path, value, text.includes('\n') ? { formattingOptions: detectFormatting(text) } : {});
}

export type { Edit };

/**
 * The one span where two texts differ: old [start, oldEnd) became new
 * [start, newEnd). Turns "here is the new text" into a minimal edit.
 */
export function changedSpan(oldText: string, newText: string): { start: number; oldEnd: number; newEnd: number } {
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < shorter - start && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) suffix++;
  return { start, oldEnd: oldText.length - suffix, newEnd: newText.length - suffix };
}
