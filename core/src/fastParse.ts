/**
 * A syntax tree for text that is already known to be valid JSON (JSON.parse
 * accepted it), built in one pass over character codes. It has exactly the
 * shape vscode-json-languageservice's parser gives (same node types, offsets,
 * lengths, values, `children`), so completion and hover work on it unchanged,
 * at a fraction of the cost: the general parser spends most of its time on
 * tokens and error recovery that valid JSON never needs. A test checks both
 * parsers agree node for node.
 */
import { ASTNode } from 'vscode-json-languageservice';

type Parent = FastNode | undefined;

abstract class FastNode {
  abstract readonly type: ASTNode['type'];
  length = 0;
  constructor(
    public parent: Parent,
    public offset: number,
  ) {}
  get children(): FastNode[] {
    return [];
  }
}

class ObjectNode extends FastNode {
  readonly type = 'object';
  properties: PropertyNode[] = [];
  override get children(): FastNode[] {
    return this.properties;
  }
}
class PropertyNode extends FastNode {
  readonly type = 'property';
  keyNode!: StringNode;
  valueNode: FastNode | undefined;
  colonOffset = -1;
  override get children(): FastNode[] {
    return this.valueNode ? [this.keyNode, this.valueNode] : [this.keyNode];
  }
}
class ArrayNode extends FastNode {
  readonly type = 'array';
  items: FastNode[] = [];
  override get children(): FastNode[] {
    return this.items;
  }
}
class StringNode extends FastNode {
  readonly type = 'string';
  value = '';
}
class NumberNode extends FastNode {
  readonly type = 'number';
  value = 0;
  isInteger = true;
}
class BooleanNode extends FastNode {
  readonly type = 'boolean';
  value = false;
}
class NullNode extends FastNode {
  readonly type = 'null';
  readonly value = null;
}

/** Thrown when the text holds something the general parser reports (a duplicate key). */
class NeedsGeneralParser extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * The tree of `text`, which must be valid JSON; undefined when the general
 * parser must be used instead (duplicate keys, which it reports as problems).
 */
export function buildTreeOfValidJson(text: string): ASTNode | undefined {
  let position = 0;

  function skipWhitespace(): void {
    for (;;) {
      const c = text.charCodeAt(position);
      if (c === 32 || c === 10 || c === 13 || c === 9) position++;
      else return;
    }
  }

  function parseString(parent: Parent): StringNode {
    const node = new StringNode(parent, position);
    const start = position++;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(position++);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        position++;
      }
    }
    node.length = position - start;
    node.value = escaped ? (JSON.parse(text.slice(start, position)) as string) : text.slice(start + 1, position - 1);
    return node;
  }

  function parseValue(parent: Parent): FastNode {
    skipWhitespace();
    const c = text.charCodeAt(position);
    if (c === 123 /* { */) {
      const node = new ObjectNode(parent, position++);
      const seen = new Set<string>();
      skipWhitespace();
      if (text.charCodeAt(position) === 125 /* } */) {
        position++;
      } else {
        for (;;) {
          skipWhitespace();
          const property = new PropertyNode(node, position);
          property.keyNode = parseString(property);
          const key = property.keyNode.value;
          if (key !== '//') {
            if (seen.has(key)) throw new NeedsGeneralParser();
            seen.add(key);
          }
          skipWhitespace();
          property.colonOffset = position++;
          property.valueNode = parseValue(property);
          property.length = property.valueNode.offset + property.valueNode.length - property.offset;
          node.properties.push(property);
          skipWhitespace();
          if (text.charCodeAt(position++) === 125 /* } */) break;
        }
      }
      node.length = position - node.offset;
      return node;
    }
    if (c === 91 /* [ */) {
      const node = new ArrayNode(parent, position++);
      skipWhitespace();
      if (text.charCodeAt(position) === 93 /* ] */) {
        position++;
      } else {
        for (;;) {
          node.items.push(parseValue(node));
          skipWhitespace();
          if (text.charCodeAt(position++) === 93 /* ] */) break;
        }
      }
      node.length = position - node.offset;
      return node;
    }
    if (c === QUOTE) return parseString(parent);
    if (c === 116 /* t */ || c === 102 /* f */) {
      const node = new BooleanNode(parent, position);
      node.value = c === 116;
      node.length = node.value ? 4 : 5;
      position += node.length;
      return node;
    }
    if (c === 110 /* n */) {
      const node = new NullNode(parent, position);
      node.length = 4;
      position += 4;
      return node;
    }
    const node = new NumberNode(parent, position);
    const start = position;
    for (;;) {
      const d = text.charCodeAt(position);
      // digits, '-', '+', '.', 'e', 'E'
      if ((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69) position++;
      else break;
    }
    const token = text.slice(start, position);
    node.length = position - start;
    node.value = Number(token);
    node.isInteger = token.indexOf('.') === -1;
    return node;
  }

  try {
    const root = parseValue(undefined);
    return root as unknown as ASTNode;
  } catch (error) {
    if (error instanceof NeedsGeneralParser) return undefined;
    throw error;
  }
}
