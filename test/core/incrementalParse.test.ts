/**
 * The incremental re-parse must agree with a full parse. Random edits inside
 * strings and numbers (the fast path) and anywhere (the fallback) are applied to
 * the vendor example; after each, the reused tree and a fresh parse must give
 * the same diagnostics, the same value and the same node offsets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASTNode, TextDocument } from 'vscode-json-languageservice';
import { updateCouponDocument } from '../../core/src/incrementalParse';
import { nodeValue, parseCouponDocument } from '../../core/src/parse';
import { validateCouponDocument } from '../../core/src/validate';
import { WindowedTextDocument } from '../../core/src/windowedDocument';
import { fixture, NOW } from '../support/testUtil';

/** Both kinds of documents the parse is given: plain ones (CLI, tests) and the server's windowed ones. */
const kinds = [
  { kind: 'plain', create: (text: string) => TextDocument.create('file:///x.coupon.json', 'coupon-json', 1, text), update: (document: TextDocument, changes: Parameters<typeof TextDocument.update>[1], version: number) => void TextDocument.update(document, changes, version) },
  {
    kind: 'windowed',
    create: (text: string) => new WindowedTextDocument('file:///x.coupon.json', 'coupon-json', 1, text) as unknown as TextDocument,
    update: (document: TextDocument, changes: Parameters<typeof TextDocument.update>[1], version: number) => (document as unknown as WindowedTextDocument).update(changes, version),
  },
];

const vendorExample = fixture('valid/vendor-example.coupon.json');

function shape(node: ASTNode | undefined): unknown {
  if (!node) return undefined;
  const children = node.children?.map(shape);
  const colon = node.type === 'property' ? node.colonOffset : undefined;
  return [node.type, node.offset, node.length, colon, node.type === 'object' || node.type === 'array' || node.type === 'property' ? undefined : node.value, children];
}

function randomGenerator(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const cases = [
  { name: 'typing inside strings', pieces: ['a', 'Z', ' ', '%', 'é', '\\n', '\\"', ''], insideTokens: 'string' },
  { name: 'typing inside numbers', pieces: ['0', '1', '9', '5', ''], insideTokens: 'number' },
  { name: 'edits anywhere', pieces: ['"', '{', '}', ',', ':', '1', 'x', '\\', ''], insideTokens: undefined },
] as const;

for (const { kind, create, update } of kinds) {
  for (const c of cases) {
    test(`incremental parse agrees with a full parse (${kind} document): ${c.name}`, () => {
      const random = randomGenerator(7 + c.name.length);
      const document = create(vendorExample);
      let parsed = parseCouponDocument(document);
      let fastPathUsed = 0;
      let eligible = 0;
      for (let i = 0, attempts = 0; i < 300 && attempts < 100_000; attempts++) {
        const text = document.getText();
        let start = Math.floor(random() * text.length);
        if (c.insideTokens && parsed.root) {
          const node = parsed.jsonDocument.getNodeFromOffset(start);
          if (node?.type !== c.insideTokens) continue;
          // Keys are not fast-path edits (a renamed key may collide with a sibling).
          if (node.parent?.type === 'property' && node.parent.keyNode === node) continue;
          start = Math.max(node.offset + 1, Math.min(start, node.offset + node.length - 1));
          // Splitting an escape sequence (\n → \an) is a syntax error, which the other case covers.
          if (text[start - 1] === '\\') continue;
        }
        const end = Math.min(text.length, start + (random() < 0.3 ? 1 : 0));
        const insert = c.pieces[Math.floor(random() * c.pieces.length)];
        update(document, [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text: insert }], document.version + 1);
        const previousRoot = parsed.root;
        const previousClean = parsed.syntaxErrors.length === 0;
        parsed = updateCouponDocument(parsed, document);
        const fresh = parseCouponDocument(TextDocument.create('file:///x.coupon.json', 'coupon-json', 1, document.getText()));
        if (c.insideTokens && fresh.syntaxErrors.length > 0) {
          // Keep typing on a valid file: undo an edit that broke the syntax (the last case covers those).
          update(document, [{ text }], document.version + 1);
          parsed = parseCouponDocument(document);
          continue;
        }
        // An in-token edit between two valid texts is exactly what the fast path is for.
        if (previousClean && fresh.syntaxErrors.length === 0) eligible++;
        if (parsed.root === previousRoot && previousRoot) fastPathUsed++;
        assert.deepEqual(shape(parsed.root), shape(fresh.root), `tree after edit ${i}`);
        assert.deepEqual(nodeValue(parsed.root), nodeValue(fresh.root));
        assert.deepEqual(validateCouponDocument(parsed, { now: NOW }), validateCouponDocument(fresh, { now: NOW }));
        i++;
      }
      if (c.insideTokens) {
        assert.ok(eligible > 100, `only ${eligible} in-token edits between valid texts`);
        assert.equal(fastPathUsed, eligible, 'every in-token edit between valid texts takes the fast path');
      }
    });
  }
}

/** A random edit that keeps the text valid JSON: a member added, removed or replaced somewhere in the tree. */
function structuralEdit(parsed: ReturnType<typeof parseCouponDocument>, random: () => number): { start: number; end: number; insert: string } | undefined {
  const nodes: ASTNode[] = [];
  const walk = (node: ASTNode) => {
    nodes.push(node);
    node.children?.forEach(walk);
  };
  if (parsed.root) walk(parsed.root);
  const node = nodes[Math.floor(random() * nodes.length)];
  const values = ['1', '-2.5e3', '"x"', 'true', 'null', '{}', '[]', '{"a": [1, {"b": 2}]}', '[3, "four", {"five": 5}]', '"GENERIC"'];
  const value = values[Math.floor(random() * values.length)];
  const key = `"k${Math.floor(random() * 1e6)}"`;
  const op = random();
  if (node.type === 'object' || node.type === 'array') {
    const members = node.type === 'object' ? node.properties : node.items;
    const member = node.type === 'object' ? `${key}: ${value}` : value;
    if (op < 0.5 || members.length === 0) {
      // Insert at a random position among the members.
      const index = Math.floor(random() * (members.length + 1));
      if (members.length === 0) return { start: node.offset + 1, end: node.offset + 1, insert: member };
      if (index < members.length) return { start: members[index].offset, end: members[index].offset, insert: `${member},\n  ` };
      const last = members[members.length - 1];
      return { start: last.offset + last.length, end: last.offset + last.length, insert: `, ${member}` };
    }
    // Remove one member with its separating comma.
    const index = Math.floor(random() * members.length);
    const target = members[index];
    if (members.length === 1) return { start: node.offset + 1, end: node.offset + node.length - 1, insert: '' };
    if (index < members.length - 1) return { start: target.offset, end: members[index + 1].offset, insert: '' };
    const previous = members[index - 1];
    return { start: previous.offset + previous.length, end: target.offset + target.length, insert: '' };
  }
  if (node.type === 'property') {
    // Rename the key (a key is never a fast-path token edit) or replace the value.
    if (op < 0.5) return { start: node.keyNode.offset, end: node.keyNode.offset + node.keyNode.length, insert: key };
    if (node.valueNode) return { start: node.valueNode.offset, end: node.valueNode.offset + node.valueNode.length, insert: value };
    return undefined;
  }
  if (node.parent?.type === 'property' && node.parent.keyNode === node) return undefined;
  return { start: node.offset, end: node.offset + node.length, insert: value };
}

for (const { kind, create, update } of kinds) {
  test(`incremental parse agrees with a full parse (${kind} document): structural edits of a valid file`, () => {
    const random = randomGenerator(2024);
    const document = create(vendorExample);
    let parsed = parseCouponDocument(document);
    let spliced = 0;
    for (let i = 0; i < 400; i++) {
      const edit = structuralEdit(parsed, random);
      if (!edit) continue;
      update(document, [{ range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) }, text: edit.insert }], document.version + 1);
      const previousRoot = parsed.root;
      parsed = updateCouponDocument(parsed, document);
      const fresh = parseCouponDocument(TextDocument.create('file:///x.coupon.json', 'coupon-json', 1, document.getText()));
      if (parsed.root === previousRoot) spliced++;
      assert.deepEqual(shape(parsed.root), shape(fresh.root), `tree after edit ${i}: ${JSON.stringify(edit)}`);
      assert.deepEqual(parsed.value, JSON.parse(document.getText()));
      assert.deepEqual(parsed.syntaxErrors, fresh.syntaxErrors);
      assert.deepEqual(validateCouponDocument(parsed, { now: NOW }), validateCouponDocument(fresh, { now: NOW }));
    }
    // Edits that touch the root braces and the ones that create a duplicate key take the full parse.
    assert.ok(spliced > 300, `only ${spliced} of 400 structural edits kept the tree`);
  });
}

test('a structural edit next to 50,000 ids keeps their nodes', () => {
  const series = JSON.parse(vendorExample);
  series.CouponSeriesV2.productInfo = [{ productType: 'SKU', productIds: Array.from({ length: 50_000 }, (_, i) => 100_000 + i) }];
  const text = JSON.stringify(series, null, 2);
  const document = TextDocument.create('file:///big.coupon.json', 'coupon-json', 1, text);
  const parsed = parseCouponDocument(document);
  const idsNode = (parsed.series?.properties.find((p) => p.keyNode.value === 'productInfo')?.valueNode as ASTNode & { items: ASTNode[] }).items[0];
  const at = document.positionAt(text.indexOf('"CouponSeriesV2": {') + '"CouponSeriesV2": {'.length);
  TextDocument.update(document, [{ range: { start: at, end: at }, text: '"couponPrefix": "DIW",' }], 2);
  const updated = updateCouponDocument(parsed, document);
  const idsAfter = (updated.series?.properties.find((p) => p.keyNode.value === 'productInfo')?.valueNode as ASTNode & { items: ASTNode[] }).items[0];
  assert.equal(idsAfter, idsNode, 'the productInfo entry (and its 50,000 id nodes) is the same object');
  const fresh = parseCouponDocument(TextDocument.create('file:///big.coupon.json', 'coupon-json', 1, document.getText()));
  assert.deepEqual(shape(updated.root), shape(fresh.root));
});

test('structural edits that break the JSON are never taken as valid', () => {
  const cases: [string, string][] = [
    ['{"a": [1 , 3]}', '{"a": [1  2]}'],
    ['{"a": [1, 2, 3]}', '{"a": [1, , 3]}'],
    ['{"a": [1, 2]}', '{"a": [1, 2,]}'],
    ['{"a": 1, "b": 2}', '{"a": 1 "c": 3, "b": 2}'],
    ['{"a": 1, "b": 2}', '{"a": 1, "b": 2, "a": 3}'],
    ['{"a": 1, "b": 2}', '{"a": 1, "b" 2}'],
    ['{"a": {"x": 1}, "b": 2}', '{"a": {"x": 1,}, "b": 2}'],
    ['{"a": [1, 2], "b": 2}', '{"a": [1, 2, "unterminated], "b": 2}'],
    ['{"a": 1, "b": 2}', '{"a": 1,, "b": 2}'],
    ['{"a": [1]}', '{"a": [,1]}'],
    ['{"a": 1, "b": 2}', '{"a": 1, "__proto__": {"x": 1}, "b": 2}'],
  ];
  for (const { kind, create, update } of kinds) {
    for (const [before, after] of cases) {
      const document = create(before);
      const parsed = parseCouponDocument(document);
      update(document, [{ text: after }], 2);
      const updated = updateCouponDocument(parsed, document);
      const fresh = parseCouponDocument(TextDocument.create('file:///x.coupon.json', 'coupon-json', 1, after));
      assert.deepEqual(updated.syntaxErrors, fresh.syntaxErrors, `${kind}: ${after}`);
      assert.deepEqual(shape(updated.root), shape(fresh.root), `${kind}: ${after}`);
      assert.deepEqual(updated.value, fresh.value, `${kind}: ${after}`);
    }
  }
});
