/**
 * Parsing a coupon file once per version, and the small AST helpers every rule
 * and feature shares. The AST is vscode-json-languageservice's, so completion
 * and hover reuse the very parse that validation used.
 */
import {
  ASTNode,
  Diagnostic,
  getLanguageService,
  JSONDocument,
  ObjectASTNode,
  PropertyASTNode,
  Range,
  TextDocument,
} from 'vscode-json-languageservice';
import { buildTreeOfValidJson } from './fastParse';
import { SERIES_KEY } from './schema';
import { parseJsonOrUndefined } from './util';
import { isWindowedTextDocument, TextMark } from './windowedDocument';

/** What one parse of one document version yields. */
export interface CouponDocument {
  readonly textDocument: TextDocument;
  /** The text this parse is of (the TextDocument itself may since have been updated in place). */
  readonly text: string;
  readonly jsonDocument: JSONDocument;
  readonly root: ASTNode | undefined;
  /** The `CouponSeriesV2` object, when the root is an object holding one. */
  readonly series: ObjectASTNode | undefined;
  /** The text's JSON.parse value when it is valid JSON (parsing picks a parser by it). */
  readonly value?: unknown;
  /** Syntax problems found by the parser (the tree is still built, with recovery). */
  readonly syntaxErrors: readonly Diagnostic[];
  /**
   * For a windowed document (the server's open documents): its state when parsed.
   * Then `text` is rebuilt from it when asked for, rather than kept (see windowedDocument.ts).
   */
  readonly mark?: TextMark;
}

/**
 * A parse of `textDocument` whose text is `text`. A windowed document's parse
 * keeps a mark of its state, not the whole text: holding an 880 KB string per
 * version is what made the server's heap grow while typing.
 */
export function couponDocument(fields: Omit<CouponDocument, 'text' | 'mark'>, text: string): CouponDocument {
  if (!isWindowedTextDocument(fields.textDocument)) return { ...fields, text };
  const mark = fields.textDocument.mark();
  return Object.defineProperty({ ...fields, mark }, 'text', { get: () => mark.base.slice(0, mark.windowStart) + mark.window + mark.base.slice(mark.windowEnd) }) as CouponDocument;
}

// The JSON service is only a parser here; schema features are configured in languageService.ts.
const parser = getLanguageService({});

/** JSONDocument keeps its syntax errors on a field its published type omits. */
interface JSONDocumentInternals {
  syntaxErrors?: Diagnostic[];
}

/**
 * Coupon files nest four levels deep. The JSON parser, ajv and the tree walks are
 * recursive, so absurd nesting (an accident or an attack) is refused up front
 * instead of overflowing the stack.
 */
export const MAX_NESTING_DEPTH = 256;

/** Offset where nesting first exceeds `limit` (strings skipped), or -1. */
export function excessiveNestingOffset(text: string, limit = MAX_NESTING_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return -1;
}

export function parseCouponDocument(textDocument: TextDocument): CouponDocument {
  const text = textDocument.getText();
  const tooDeep = excessiveNestingOffset(text);
  if (tooDeep >= 0) {
    const at = textDocument.positionAt(tooDeep);
    const error = Diagnostic.create(Range.create(at, at), `The JSON is nested more than ${MAX_NESTING_DEPTH} levels deep; a coupon series never is`);
    return couponDocument({ textDocument, jsonDocument: parser.newJSONDocument(undefined, [error]), root: undefined, series: undefined, syntaxErrors: [error] }, text);
  }
  const value = parseJsonOrUndefined(text);
  const fastRoot = value === undefined ? undefined : buildTreeOfValidJson(text);
  const jsonDocument = fastRoot ? parser.newJSONDocument(fastRoot, []) : parser.parseJSONDocument(textDocument);
  const root = jsonDocument.root;
  return couponDocument({ value, textDocument, jsonDocument, root, series: seriesObject(root), syntaxErrors: (jsonDocument as JSONDocumentInternals).syntaxErrors ?? [] }, text);
}

/** The `CouponSeriesV2` object of a root, if the root is an object holding one. */
export function seriesObject(root: ASTNode | undefined): ObjectASTNode | undefined {
  const value = root?.type === 'object' ? findProperty(root, SERIES_KEY)?.valueNode : undefined;
  return value?.type === 'object' ? value : undefined;
}

/** Convenience for callers holding plain text (CLI, sandbox, tests). */
export function parseCouponText(text: string, uri = 'untitled:coupon.coupon.json'): CouponDocument {
  return parseCouponDocument(TextDocument.create(uri, 'coupon-json', 0, text));
}

/** The last property with this key (JSON.parse semantics when a key is repeated). */
export function findProperty(object: ObjectASTNode, key: string): PropertyASTNode | undefined {
  for (let i = object.properties.length - 1; i >= 0; i--) {
    if (object.properties[i].keyNode.value === key) return object.properties[i];
  }
  return undefined;
}

export function propertyValue(object: ObjectASTNode | undefined, key: string): ASTNode | undefined {
  return object && findProperty(object, key)?.valueNode;
}

/** The JavaScript value a node stands for (what JSON.parse would give, with parser recovery). */
export function nodeValue(node: ASTNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = Object.create(null);
      for (const property of node.properties) {
        if (property.valueNode) result[property.keyNode.value] = nodeValue(property.valueNode);
      }
      return { ...result };
    }
    case 'array':
      return node.items.map(nodeValue);
    case 'property':
      return nodeValue(node.valueNode);
    default:
      return node.value;
  }
}

export function rangeOf(document: TextDocument, node: { offset: number; length: number }): Range {
  return Range.create(document.positionAt(node.offset), document.positionAt(node.offset + node.length));
}

/** The node at a JSON path (property names and array indices), if present. */
export function nodeAtPath(root: ASTNode | undefined, path: readonly (string | number)[]): ASTNode | undefined {
  let current = root;
  for (const segment of path) {
    if (!current) return undefined;
    if (typeof segment === 'number') {
      current = current.type === 'array' ? current.items[segment] : undefined;
    } else {
      current = current.type === 'object' ? findProperty(current, segment)?.valueNode : undefined;
    }
  }
  return current;
}

/** The JSON path of a node: property names and array indices from the root. */
export function pathOf(node: ASTNode): (string | number)[] {
  const path: (string | number)[] = [];
  let child: ASTNode = node;
  let parent = node.parent;
  while (parent) {
    if (parent.type === 'property') {
      path.unshift(parent.keyNode.value);
    } else if (parent.type === 'array') {
      path.unshift(parent.items.indexOf(child));
    }
    child = parent;
    parent = parent.parent;
  }
  return path;
}
