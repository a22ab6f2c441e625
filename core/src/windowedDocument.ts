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
 * It also says what changed since an earlier state (`changeSince`), so the
 * incremental parse needs neither the old text nor a character-by-character
 * comparison of two whole texts. Semantics match vscode-languageserver-
 * textdocument exactly (a randomized test compares every method).
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
    if (this.window === '' && this.windowStart === this.windowEnd) return this.base;
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
      else this.rebase(change.text);
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
      return changedSpan(mark.base.slice(0, mark.windowStart) + mark.window + mark.base.slice(mark.windowEnd), this.getText());
    }
    // Both texts are the base with one window each: compare only the union of the two windows.
    const from = Math.min(mark.windowStart, this.windowStart);
    const to = Math.max(mark.windowEnd, this.windowEnd);
    const before = this.base.slice(from, mark.windowStart) + mark.window + this.base.slice(mark.windowEnd, to);
    const after = this.base.slice(from, this.windowStart) + this.window + this.base.slice(this.windowEnd, to);
    const span = changedSpan(before, after);
    return { start: from + span.start, oldEnd: from + span.oldEnd, newEnd: from + span.newEnd };
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
    const start = this.offsetAt(from);
    const end = this.offsetAt(to);
    const windowEnd = this.windowStart + this.window.length;
    if (this.window === '' && this.windowStart === this.windowEnd) {
      // No edit since the base was built: the window simply moves here.
      this.windowStart = this.windowEnd = start;
    } else if (start > windowEnd + NEAR || end < this.windowStart - NEAR || this.window.length > MAX_WINDOW) {
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
      this.window = '\r' + this.window;
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
