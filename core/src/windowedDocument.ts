/**
 * An open document's text as a long-lived base string plus one edited window.
 *
 * vscode-languageserver-textdocument rebuilds the whole string on every edit:
 * on an 880 KB file that is ~1 ms and 880 KB of garbage per keystroke, which
 * outlives young-generation collections (the document holds it) and makes the
 * heap grow. Here an edit near the previous ones rewrites only the window (a
 * few hundred bytes while typing); the base is rebuilt when the window grows
 * large or an edit lands far from it. Line starts are kept the same way, so
 * positions cost O(log lines) and never a rebuild. The whole text is built
 * only when asked for (`getText()`), and kept only until the next edit.
 *
 * A whole-text change (what simpler clients send) is compared with the
 * current text piece by piece and applied as the one span that differs, so
 * the window and the incremental parse serve those clients too. The new
 * string itself is not kept: held until the next edit, each one outlived a
 * young-generation collection and piled up in the old generation (+13 MB RSS
 * over 60 whole-text changes of the 880 KB file).
 *
 * It also says what changed since an earlier state (`changeSince`), so the
 * incremental parse needs neither the old text nor a character-by-character
 * comparison of two whole texts (after a rebase, the pieces are compared
 * where they lie, without building either text). Semantics match
 * vscode-languageserver-textdocument exactly (a randomized test compares
 * every method).
 */
import type { Position, Range, TextDocument } from 'vscode-languageserver-textdocument';
import { changedSpan } from './edits';

/** Changes as TextDocuments delivers them (LSP TextDocumentContentChangeEvent). */
export type ContentChange = { range: Range; rangeLength?: number; text: string } | { text: string };

/** An earlier state of a windowed document: enough to say what changed since. */
export interface TextMark {
  readonly generation: number;
  readonly base: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly window: string;
}

/** The changed span between two texts: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export interface ChangedSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** A window larger than this, or an edit further than this from it, rebuilds the base. */
const MAX_WINDOW = 16 * 1024;
const NEAR = 4 * 1024;

const LF = 10;
const CR = 13;

function lineStarts(text: string, offset = 0, first = true): number[] {
  const starts: number[] = first ? [offset] : [];
  if (text.indexOf('\r') < 0) {
    // Only LF: indexOf skips whole lines at a time (the usual case, and a whole-text rebase of a large file).
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(offset + i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) {
      if (c === CR && i + 1 < text.length && text.charCodeAt(i + 1) === LF) i++;
      starts.push(offset + i + 1);
    }
  }
  return starts;
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) count++;
  }
  return count;
}

/** A text as pieces: characters [from, to) of the text are `source`'s [from - shift, to - shift). */
interface Piece {
  readonly source: string;
  readonly from: number;
  readonly to: number;
  readonly shift: number;
}

/** The pieces of a base with one window (empty pieces left out). */
function piecesOf(base: string, windowStart: number, windowEnd: number, window: string): Piece[] {
  const windowTo = windowStart + window.length;
  const delta = window.length - (windowEnd - windowStart);
  const pieces = [
    { source: base, from: 0, to: windowStart, shift: 0 },
    { source: window, from: windowStart, to: windowTo, shift: windowStart },
    { source: base, from: windowTo, to: base.length + delta, shift: delta },
  ];
  return pieces.filter((piece) => piece.to > piece.from);
}

/**
 * Strings compared a chunk at a time (V8 compares two flat strings as a block
 * of memory), growing up to 64 KB, then character by character inside the
 * chunk that differs: comparing a whole-text change of 880 KB costs a
 * fraction of a character loop. Forward: the first offset in [at, end) where
 * `a[i - shiftA]` and `b[i - shiftB]` differ, or `end`.
 */
function matchForward(a: string, shiftA: number, b: string, shiftB: number, at: number, end: number): number {
  for (let chunk = 256; end - at >= chunk && a.slice(at - shiftA, at - shiftA + chunk) === b.slice(at - shiftB, at - shiftB + chunk); chunk = Math.min(chunk * 2, 65536)) at += chunk;
  while (at < end && a.charCodeAt(at - shiftA) === b.charCodeAt(at - shiftB)) at++;
  return at;
}

/** Backward: how many characters match from `a[lastA - k]` and `b[lastB - k]` down, for k from `k` up to `stop`. */
function matchBackward(a: string, lastA: number, b: string, lastB: number, k: number, stop: number): number {
  for (let chunk = 256; stop - k >= chunk && a.slice(lastA - k - chunk + 1, lastA - k + 1) === b.slice(lastB - k - chunk + 1, lastB - k + 1); chunk = Math.min(chunk * 2, 65536)) k += chunk;
  while (k < stop && a.charCodeAt(lastA - k) === b.charCodeAt(lastB - k)) k++;
  return k;
}

/** How many characters two texts (as pieces) have in common from their start, at most `limit`. */
function commonPrefix(a: readonly Piece[], b: readonly Piece[], limit: number): number {
  let at = 0;
  let i = 0;
  let j = 0;
  while (at < limit && i < a.length && j < b.length) {
    const pa = a[i];
    const pb = b[j];
    const end = Math.min(pa.to, pb.to, limit);
    at = matchForward(pa.source, pa.shift, pb.source, pb.shift, at, end);
    if (at < end) return at;
    if (at === pa.to) i++;
    if (at === pb.to) j++;
  }
  return at;
}

/** How many characters two texts (as pieces, of lengths `aLength` and `bLength`) have in common at their end, at most `limit`. */
function commonSuffix(a: readonly Piece[], aLength: number, b: readonly Piece[], bLength: number, limit: number): number {
  let k = 0;
  let i = a.length - 1;
  let j = b.length - 1;
  while (k < limit && i >= 0 && j >= 0) {
    const pa = a[i];
    const pb = b[j];
    // The k-th character from the end is at aLength - 1 - k (source index lastA - k), and likewise in b.
    const stop = k + Math.min(aLength - k - pa.from, bLength - k - pb.from, limit - k);
    k = matchBackward(pa.source, aLength - 1 - pa.shift, pb.source, bLength - 1 - pb.shift, k, stop);
    if (k < stop) return k;
    if (aLength - k === pa.from) i--;
    if (bLength - k === pb.from) j--;
  }
  return k;
}

/** The one span where two texts (as pieces) differ. */
function spanBetween(a: readonly Piece[], aLength: number, b: readonly Piece[], bLength: number): ChangedSpan {
  const shorter = Math.min(aLength, bLength);
  const start = commonPrefix(a, b, shorter);
  const suffix = commonSuffix(a, aLength, b, bLength, shorter - start);
  return { start, oldEnd: aLength - suffix, newEnd: bLength - suffix };
}

/** Index of the first element of the ascending `values` greater than `value`. */
function firstGreater(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] > value) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The brand of a windowed document. The Node server and its language service
 * are two bundles (dist/server.js creates the documents, dist/languageService.js
 * parses them), each with its own copy of this class, so `instanceof` cannot
 * tell; a registered symbol can.
 */
const WINDOWED = Symbol.for('coupon-series.WindowedTextDocument');

/** Whether `document` is a WindowedTextDocument, whichever bundle made it. */
export function isWindowedTextDocument(document: unknown): document is WindowedTextDocument {
  return typeof document === 'object' && document !== null && (document as Record<symbol, unknown>)[WINDOWED] === true;
}

export class WindowedTextDocument implements TextDocument {
  readonly [WINDOWED] = true;
  private base = '';
  private baseLines: number[] = [0];
  private generation = 0;
  /** The window replaces base[windowStart, windowEnd) with `window`. */
  private windowStart = 0;
  private windowEnd = 0;
  private window = '';
  /** Line starts inside the window (current offsets, after windowStart); computed on demand. */
  private windowLines: number[] | undefined;
  /** CR and LF characters in the window: with none (an edit storm on one line), its line starts need no scan. */
  private windowBreaks = 0;
  /** The whole current text, once asked for, until the next edit (completion asks for it on every request). */
  private whole: string | undefined;
  /** Base line starts at or before windowStart (identical in the current text). */
  private headLines = 1;
  /** Index of the first base line start after windowEnd (those are shifted by `delta`). */
  private tailIndex = 1;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private currentVersion: number,
    content: string,
  ) {
    this.rebase(content);
  }

  get version(): number {
    return this.currentVersion;
  }

  get lineCount(): number {
    return this.headLines + this.lines().length + (this.baseLines.length - this.tailIndex);
  }

  /** Length of the current text. */
  get length(): number {
    return this.base.length + this.delta;
  }

  getText(range?: Range): string {
    if (range) return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    if (this.isBase()) return this.base;
    return (this.whole ??= this.base.slice(0, this.windowStart) + this.window + this.base.slice(this.windowEnd));
  }

  /** Characters [start, end) of the current text, built from the pieces that hold them. */
  slice(start: number, end: number): string {
    const windowStart = this.windowStart;
    const windowEnd = windowStart + this.window.length;
    let result = '';
    if (start < windowStart) result += this.base.slice(start, Math.min(end, windowStart));
    if (end > windowStart && start < windowEnd) result += this.window.slice(Math.max(start, windowStart) - windowStart, Math.min(end, windowEnd) - windowStart);
    if (end > windowEnd) result += this.base.slice(Math.max(start, windowEnd) - this.delta, end - this.delta);
    return result;
  }

  charCodeAt(offset: number): number {
    if (offset < this.windowStart) return this.base.charCodeAt(offset);
    const inWindow = offset - this.windowStart;
    if (inWindow < this.window.length) return this.window.charCodeAt(inWindow);
    return this.base.charCodeAt(offset - this.delta);
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.length), 0);
    // The last line starting at or before offset.
    let low = 0;
    let high = this.lineCount;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.lineStart(mid) > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    const start = this.lineStart(line);
    offset = this.beforeLineBreak(offset, start);
    return { line, character: offset - start };
  }

  offsetAt(position: Position): number {
    const count = this.lineCount;
    if (position.line >= count) return this.length;
    if (position.line < 0) return 0;
    const start = this.lineStart(position.line);
    if (position.character <= 0) return start;
    const next = position.line + 1 < count ? this.lineStart(position.line + 1) : this.length;
    return this.beforeLineBreak(Math.min(start + position.character, next), start);
  }

  getLineRange(line: number): Range {
    const count = this.lineCount;
    if (line >= count) {
      const last = count - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.length - this.lineStart(last) } };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = this.lineStart(line);
    const next = line + 1 < count ? this.lineStart(line + 1) : this.length;
    return { start: { line, character: 0 }, end: { line, character: this.beforeLineBreak(next, start) - start } };
  }

  getEOLCharacters(line: number): string {
    const count = this.lineCount;
    if (line >= count || line < 0) return '';
    const next = line + 1 < count ? this.lineStart(line + 1) : this.length;
    return this.slice(this.beforeLineBreak(next, this.lineStart(line)), next);
  }

  update(changes: readonly ContentChange[], version: number): void {
    for (const change of changes) {
      if ('range' in change) this.applyIncremental(change.range, change.text);
      else this.replaceWhole(change.text);
    }
    this.currentVersion = version;
  }

  /** The current state, to compare a later one with (`changeSince`). */
  mark(): TextMark {
    return { generation: this.generation, base: this.base, windowStart: this.windowStart, windowEnd: this.windowEnd, window: this.window };
  }

  /** What changed since `mark`, as one span: from the windows when the base is the same, else by comparing the texts. */
  changeSince(mark: TextMark): ChangedSpan {
    if (mark.generation !== this.generation) {
      // Another base: the two texts are compared where their pieces lie, neither built.
      const before = piecesOf(mark.base, mark.windowStart, mark.windowEnd, mark.window);
      const beforeLength = mark.base.length + mark.window.length - (mark.windowEnd - mark.windowStart);
      return spanBetween(before, beforeLength, this.pieces(), this.length);
    }
    // Both texts are the base with one window each: compare only the union of the two windows.
    const from = Math.min(mark.windowStart, this.windowStart);
    const to = Math.max(mark.windowEnd, this.windowEnd);
    const before = this.base.slice(from, mark.windowStart) + mark.window + this.base.slice(mark.windowEnd, to);
    const after = this.base.slice(from, this.windowStart) + this.window + this.base.slice(this.windowEnd, to);
    const span = changedSpan(before, after);
    return { start: from + span.start, oldEnd: from + span.oldEnd, newEnd: from + span.newEnd };
  }

  private pieces(): Piece[] {
    return piecesOf(this.base, this.windowStart, this.windowEnd, this.window);
  }

  /**
   * A whole-text change: the span that differs from the current text is
   * applied as an edit when it is small and near the window; otherwise the
   * new text becomes the base.
   */
  private replaceWhole(text: string): void {
    const { start, oldEnd, newEnd } = spanBetween(this.pieces(), this.length, [{ source: text, from: 0, to: text.length, shift: 0 }], text.length);
    if (start === oldEnd && start === newEnd) return;
    if (newEnd - start > MAX_WINDOW || oldEnd - start > MAX_WINDOW || (!this.isBase() && this.isFar(start, oldEnd))) {
      this.rebase(text);
      return;
    }
    // A copy: V8 makes a slice of 13 characters or more a view of the whole string, which the window would keep alive.
    this.replace(start, oldEnd, ` ${text.slice(start, newEnd)}`.slice(1));
  }

  /** No edit since the base was built. */
  private isBase(): boolean {
    return this.window === '' && this.windowStart === this.windowEnd;
  }

  /** Whether an edit of [start, end) is too far from the window (or the window too large) to widen it. */
  private isFar(start: number, end: number): boolean {
    return start > this.windowStart + this.window.length + NEAR || end < this.windowStart - NEAR || this.window.length > MAX_WINDOW;
  }

  private get delta(): number {
    return this.window.length - (this.windowEnd - this.windowStart);
  }

  private lines(): number[] {
    return (this.windowLines ??= this.windowBreaks === 0 ? [] : lineStarts(this.window, this.windowStart, false));
  }

  private lineStart(line: number): number {
    if (line < this.headLines) return this.baseLines[line];
    const inWindow = line - this.headLines;
    const windowLines = this.lines();
    if (inWindow < windowLines.length) return windowLines[inWindow];
    return this.baseLines[this.tailIndex + inWindow - windowLines.length] + this.delta;
  }

  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart) {
      const c = this.charCodeAt(offset - 1);
      if (c !== LF && c !== CR) break;
      offset--;
    }
    return offset;
  }

  private rebase(content: string): void {
    this.base = content;
    this.baseLines = lineStarts(content);
    this.generation++;
    this.windowStart = this.windowEnd = 0;
    this.window = '';
    this.windowBreaks = 0;
    this.windowChanged();
  }

  private windowChanged(): void {
    this.whole = undefined;
    this.windowLines = undefined;
    this.headLines = firstGreater(this.baseLines, this.windowStart);
    this.tailIndex = firstGreater(this.baseLines, this.windowEnd);
  }

  private applyIncremental(range: Range, text: string): void {
    // As vscode-languageserver-textdocument: a range given end first is the same range.
    const [from, to] = range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character) ? [range.end, range.start] : [range.start, range.end];
    this.replace(this.offsetAt(from), this.offsetAt(to), text);
  }

  /** Replaces [start, end) of the current text with `text`. */
  private replace(start: number, end: number, text: string): void {
    if (this.isBase()) {
      // No edit since the base was built: the window simply moves here.
      this.windowStart = this.windowEnd = start;
    } else if (this.isFar(start, end)) {
      // Far from the window, or a large one: the current text becomes the base, with an empty window here.
      this.rebase(this.getText());
      this.windowStart = this.windowEnd = start;
    }
    // Widen the window over the edited range (head offsets are base offsets; tail offsets are shifted by delta).
    if (start < this.windowStart) {
      const added = this.base.slice(start, this.windowStart);
      this.window = added + this.window;
      this.windowBreaks += lineBreaks(added);
      this.windowStart = start;
    }
    if (end > this.windowStart + this.window.length) {
      const baseEnd = end - this.delta;
      const added = this.base.slice(this.windowEnd, baseEnd);
      this.window += added;
      this.windowBreaks += lineBreaks(added);
      this.windowEnd = baseEnd;
    }
    this.windowBreaks += lineBreaks(text) - lineBreaks(this.window.slice(start - this.windowStart, end - this.windowStart));
    this.window = this.window.slice(0, start - this.windowStart) + text + this.window.slice(end - this.windowStart);
    // Line starts are computed piecewise, and whether a line starts after a CR depends on the next character:
    // the window never starts right after a CR, nor ends with a CR that a LF follows.
    if (this.windowStart > 0 && this.base.charCodeAt(this.windowStart - 1) === CR) {
      this.windowStart--;
      this.window = `\r${this.window}`;
      this.windowBreaks++;
    }
    if (this.windowEnd < this.base.length && this.base.charCodeAt(this.windowEnd) === LF && this.window.charCodeAt(this.window.length - 1) === CR) {
      this.window += '\n';
      this.windowBreaks++;
      this.windowEnd++;
    }
    this.windowChanged();
  }
}
