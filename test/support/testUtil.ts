/**
 * Helpers shared by the unit tests, in the style of yaml-language-server's tests:
 * a cursor marker inside a text, fixtures by name, a pinned "now".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic } from 'vscode-json-languageservice';

/** Repository root (this file compiles to out/test/support/testUtil.js). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

/** "Now" for date rules: the vendor example's validTillDate (2029) is in the future. */
export const NOW = new Date('2026-11-25T00:00:00Z');

/**
 * `withCursor('{"a": |}')` → `{ text: '{"a": }', offset: 6 }`. The marker (default `|`,
 * or e.g. `$0` when the text itself needs a `|`) must occur exactly once.
 */
export function withCursor(textWithMarker: string, marker = '|'): { text: string; offset: number } {
  const offset = textWithMarker.indexOf(marker);
  if (offset < 0) throw new Error(`withCursor: no cursor marker ${JSON.stringify(marker)} in the text`);
  if (textWithMarker.indexOf(marker, offset + marker.length) >= 0) throw new Error(`withCursor: the marker ${JSON.stringify(marker)} occurs more than once`);
  return { text: textWithMarker.slice(0, offset) + textWithMarker.slice(offset + marker.length), offset };
}

/** The text of a fixture: `fixture('valid/vendor-example.coupon.json')` or `fixture('invalid/wrong-type')`. */
export function fixture(name: string): string {
  const withExtension = name.endsWith('.json') ? name : `${name}.coupon.json`;
  return fs.readFileSync(path.join(FIXTURES, withExtension), 'utf8');
}

/** The fixture names (without `.coupon.json`) in a fixture folder. */
export function fixtureNames(folder: 'valid' | 'invalid'): string[] {
  return fs
    .readdirSync(path.join(FIXTURES, folder))
    .filter((file) => file.endsWith('.coupon.json'))
    .map((file) => file.slice(0, -'.coupon.json'.length))
    .sort();
}

/** The vendor's example request: the file every "one mistake" fixture is a copy of. */
export function vendorExample(): string {
  return fixture('valid/vendor-example.coupon.json');
}

/** The vendor example with its `CouponSeriesV2` object changed by `edit`, pretty-printed. */
export function editedVendorExample(edit: (series: Record<string, unknown>) => void): string {
  const document = JSON.parse(vendorExample()) as { CouponSeriesV2: Record<string, unknown> };
  edit(document.CouponSeriesV2);
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The codes of the diagnostics, in order (for compact assertions). */
export function diagnosticCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code));
}

/** 0-based line of the first line of `text` containing `needle` (to write expectations without counting). */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`lineOf: ${JSON.stringify(needle)} (occurrence ${occurrence}) not found`);
  }
  return text.slice(0, index).split('\n').length - 1;
}

/** The text a diagnostic's range covers. */
export function rangeText(text: string, diagnostic: Diagnostic): string {
  const lines = text.split('\n');
  const toOffset = (position: { line: number; character: number }): number =>
    lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return text.slice(toOffset(diagnostic.range.start), toOffset(diagnostic.range.end));
}

/** Zero-based line/character of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
