/**
 * Where the characters of a JSON string's value are in the file, so a problem
 * inside the value (a tag in an SMS template, a number inside the JSON a string
 * holds) is shown on exactly those characters even when the string has escapes.
 */
import { findNodeAtLocation, Node as JsoncNode } from 'jsonc-parser';
import type { StringASTNode } from 'vscode-json-languageservice';
import { CouponDocument, rangeOf } from './parse';

/** A stretch of the document: an offset and a length, in UTF-16 code units. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string | undefined>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * For a string node, the document offset of each character of its decoded value
 * (index `value.length` is the closing quote), so a span of the value maps to the
 * exact characters in the file even when the JSON string holds escapes
 * (`\"`, `\n`, `\u00e9`). `undefined` when the raw text does not decode to the
 * node's value (parser recovery on a broken string): callers then use the whole node.
 */
export function stringValueOffsets(document: CouponDocument, node: StringASTNode): number[] | undefined {
  // Only the string's own characters: a large file's whole text is not built for this (offsets pushed are the file's).
  const text = document.textDocument.getText(rangeOf(document.textDocument, node));
  const base = node.offset;
  const end = node.length;
  if (node.length < 2 || text[0] !== '"' || text[end - 1] !== '"') return undefined;
  const offsets: number[] = [];
  let decoded = '';
  let i = 1;
  while (i < end - 1) {
    offsets.push(base + i);
    const ch = text[i];
    if (ch !== '\\') {
      decoded += ch;
      i += 1;
      continue;
    }
    const escape = text[i + 1];
    if (escape === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
      decoded += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else {
      const unescaped = SIMPLE_ESCAPES[escape];
      if (unescaped === undefined) return undefined;
      decoded += unescaped;
      i += 2;
    }
  }
  offsets.push(base + end - 1);
  return decoded === node.value ? offsets : undefined;
}

/** The span in the file of characters [from, to) of a string node's value; the whole node as a fallback. */
export function spanInString(offsets: number[] | undefined, node: StringASTNode, from: number, to: number): Span {
  if (!offsets || from < 0 || to >= offsets.length || from > to) return node;
  return { offset: offsets[from], length: offsets[to] - offsets[from] };
}

/** Where the node at `path` of the JSON a string holds (parsed by jsonc-parser) is in the file; the whole string when it cannot be mapped. */
export function embeddedNodeSpan(tree: JsoncNode | undefined, path: (string | number)[], offsets: number[] | undefined, node: StringASTNode): Span {
  const found = tree && findNodeAtLocation(tree, path);
  return found ? spanInString(offsets, node, found.offset, found.offset + found.length) : node;
}
