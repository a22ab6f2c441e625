/**
 * A syntax tree for text that is already known to be valid JSON (JSON.parse
 * accepted it), built in one pass over character codes. It has exactly the
 * shape vscode-json-languageservice's parser gives (same node types, offsets,
 * lengths, values, `children`), so completion and hover work on it unchanged.
 * A test checks both parsers agree node for node.
 *
 * Its point is `parseMembersOfFragment`: re-parsing only the members of one
 * object or array that an edit touched (incrementalParse.ts), which the JSON
 * service's parser cannot do; a whole-document build costs about what the
 * JSON service's own parser does (`npm run bench` prints both).
 */
import { ASTNode } from 'vscode-json-languageservice';

type Parent = FastNode | ASTNode | undefined;

abstract class FastNode {
  // The type lives on the prototype: one field less on each of a file's 50,000 nodes.
  declare readonly type: ASTNode['type'];
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
  declare readonly type: 'object';
  properties: PropertyNode[] = [];
  override get children(): FastNode[] {
    return this.properties;
  }
}
class PropertyNode extends FastNode {
  declare readonly type: 'property';
  keyNode!: StringNode;
  valueNode: FastNode | undefined;
  colonOffset = -1;
  override get children(): FastNode[] {
    return this.valueNode ? [this.keyNode, this.valueNode] : [this.keyNode];
  }
}
class ArrayNode extends FastNode {
  declare readonly type: 'array';
  items: FastNode[] = [];
  override get children(): FastNode[] {
    return this.items;
  }
}
class StringNode extends FastNode {
  declare readonly type: 'string';
  value = '';
}
class NumberNode extends FastNode {
  declare readonly type: 'number';
  value = 0;
  isInteger = true;
}
class BooleanNode extends FastNode {
  declare readonly type: 'boolean';
  value = false;
}
class NullNode extends FastNode {
  declare readonly type: 'null';
  declare readonly value: null;
}
for (const [node, type] of [
  [ObjectNode, 'object'],
  [PropertyNode, 'property'],
  [ArrayNode, 'array'],
  [StringNode, 'string'],
  [NumberNode, 'number'],
  [BooleanNode, 'boolean'],
  [NullNode, 'null'],
] as const) {
  Object.defineProperty(node.prototype, 'type', { value: type });
}
Object.defineProperty(NullNode.prototype, 'value', { value: null });

/** Thrown when the text holds something the general parser reports (a duplicate key). */
class NeedsGeneralParser extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

/** Parses values of `text` (valid JSON) from a position; the cursor is shared by the helpers. */
class ValidJsonReader {
  position: number;
  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.position = start;
  }

  skipWhitespace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.position);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.position++;
      else return;
    }
  }

  string(parent: Parent): StringNode {
    const text = this.text;
    const node = new StringNode(parent, this.position);
    const start = this.position++;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(this.position++);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        this.position++;
      }
    }
    node.length = this.position - start;
    node.value = escaped ? (JSON.parse(text.slice(start, this.position)) as string) : text.slice(start + 1, this.position - 1);
    return node;
  }

  property(parent: Parent): PropertyNode {
    const property = new PropertyNode(parent, this.position);
    property.keyNode = this.string(property);
    this.skipWhitespace();
    property.colonOffset = this.position++;
    property.valueNode = this.value(property);
    property.length = property.valueNode.offset + property.valueNode.length - property.offset;
    return property;
  }

  value(parent: Parent): FastNode {
    this.skipWhitespace();
    const text = this.text;
    const c = text.charCodeAt(this.position);
    if (c === 123 /* { */) {
      const node = new ObjectNode(parent, this.position++);
      const seen = new Set<string>();
      this.skipWhitespace();
      if (text.charCodeAt(this.position) === 125 /* } */) {
        this.position++;
      } else {
        for (;;) {
          this.skipWhitespace();
          const property = this.property(node);
          const key = property.keyNode.value;
          if (key !== '//') {
            if (seen.has(key)) throw new NeedsGeneralParser();
            seen.add(key);
          }
          node.properties.push(property);
          this.skipWhitespace();
          if (text.charCodeAt(this.position++) === 125 /* } */) break;
        }
      }
      node.length = this.position - node.offset;
      return node;
    }
    if (c === 91 /* [ */) {
      const node = new ArrayNode(parent, this.position++);
      this.skipWhitespace();
      if (text.charCodeAt(this.position) === 93 /* ] */) {
        this.position++;
      } else {
        for (;;) {
          node.items.push(this.value(node));
          this.skipWhitespace();
          if (text.charCodeAt(this.position++) === 93 /* ] */) break;
        }
      }
      node.length = this.position - node.offset;
      return node;
    }
    if (c === QUOTE) return this.string(parent);
    if (c === 116 /* t */ || c === 102 /* f */) {
      const node = new BooleanNode(parent, this.position);
      node.value = c === 116;
      node.length = node.value ? 4 : 5;
      this.position += node.length;
      return node;
    }
    if (c === 110 /* n */) {
      const node = new NullNode(parent, this.position);
      node.length = 4;
      this.position += 4;
      return node;
    }
    return this.number(parent);
  }

  number(parent: Parent): NumberNode {
    const text = this.text;
    const node = new NumberNode(parent, this.position);
    const start = this.position;
    const negative = text.charCodeAt(start) === 45; /* - */
    let position = negative ? start + 1 : start;
    // Plain integers (product ids) are summed digit by digit: no token string to allocate.
    let digits = 0;
    let value = 0;
    for (let d = text.charCodeAt(position); d >= 48 && d <= 57; d = text.charCodeAt(++position)) {
      value = value * 10 + (d - 48);
      digits++;
    }
    const next = text.charCodeAt(position);
    if (digits > 15 || next === 46 /* . */ || next === 101 /* e */ || next === 69 /* E */) {
      // digits, '-', '+', '.', 'e', 'E'
      for (let d = next; (d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69; d = text.charCodeAt(++position));
      const token = text.slice(start, position);
      node.value = Number(token);
      node.isInteger = token.indexOf('.') === -1;
    } else {
      node.value = negative ? -value : value;
    }
    node.length = position - start;
    this.position = position;
    return node;
  }
}

/**
 * The tree of `text`, which must be valid JSON; undefined when the general
 * parser must be used instead (duplicate keys, which it reports as problems).
 */
export function buildTreeOfValidJson(text: string): ASTNode | undefined {
  try {
    return new ValidJsonReader(text, 0).value(undefined) as unknown as ASTNode;
  } catch (error) {
    if (error instanceof NeedsGeneralParser) return undefined;
    throw error;
  }
}

/** The members of a fragment, their values, and the commas that join it to the members around it. */
export interface ParsedMembers {
  members: ASTNode[];
  /** JSON.parse's values of the members, in order. */
  values: unknown[];
  leadingComma: boolean;
  trailingComma: boolean;
}

const isJsonWhitespace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The members (properties or items) that `fragment` holds inside `container`,
 * an object or array: a comma-separated list that may start and end with the
 * commas joining it to the members around it. JSON.parse checks the list is
 * valid JSON; undefined when it is not. Node offsets are the fragment's plus
 * `offset` (where it starts in the document). Duplicate keys are the caller's
 * to check.
 */
export function parseMembersOfFragment(fragment: string, container: ASTNode, offset: number): ParsedMembers | undefined {
  if (container.type !== 'object' && container.type !== 'array') return undefined;
  let start = 0;
  let end = fragment.length;
  const trim = () => {
    while (start < end && isJsonWhitespace(fragment.charCodeAt(start))) start++;
    while (end > start && isJsonWhitespace(fragment.charCodeAt(end - 1))) end--;
  };
  trim();
  const leadingComma = start < end && fragment.charCodeAt(start) === COMMA;
  if (leadingComma) start++;
  trim();
  const trailingComma = start < end && fragment.charCodeAt(end - 1) === COMMA;
  if (trailingComma) end--;
  trim();
  const list = fragment.slice(start, end);
  const [open, close] = container.type === 'object' ? ['{', '}'] : ['[', ']'];
  let parsed: unknown;
  try {
    parsed = JSON.parse(`${open}${list}${close}`);
  } catch {
    return undefined;
  }
  const reader = new ValidJsonReader(fragment, start);
  const members: ASTNode[] = [];
  try {
    while (reader.position < end) {
      reader.skipWhitespace();
      members.push((container.type === 'object' ? reader.property(container) : reader.value(container)) as unknown as ASTNode);
      reader.skipWhitespace();
      if (fragment.charCodeAt(reader.position) === COMMA) reader.position++;
    }
  } catch (error) {
    if (error instanceof NeedsGeneralParser) return undefined;
    throw error;
  }
  for (const member of members) shift(member, offset);
  const values = container.type === 'object' ? members.map((member) => (parsed as Record<string, unknown>)[(member as { keyNode: { value: string } }).keyNode.value]) : (parsed as unknown[]);
  return { members, values, leadingComma, trailingComma };
}

function shift(node: ASTNode, by: number): void {
  const mutable = node as unknown as { offset: number; colonOffset?: number };
  mutable.offset += by;
  if (node.type === 'property' && node.colonOffset !== undefined && node.colonOffset >= 0) mutable.colonOffset = node.colonOffset + by;
  for (const child of node.children ?? []) shift(child, by);
}
