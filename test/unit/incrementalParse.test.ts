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
import { fixture, NOW } from '../support/testUtil';

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

for (const c of cases) {
  test(`incremental parse agrees with a full parse: ${c.name}`, () => {
    const random = randomGenerator(7 + c.name.length);
    const document = TextDocument.create('file:///x.coupon.json', 'coupon-json', 1, vendorExample);
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
      TextDocument.update(document, [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text: insert }], document.version + 1);
      const previousRoot = parsed.root;
      const previousClean = parsed.syntaxErrors.length === 0;
      parsed = updateCouponDocument(parsed, document);
      const fresh = parseCouponDocument(TextDocument.create('file:///x.coupon.json', 'coupon-json', 1, document.getText()));
      if (c.insideTokens && fresh.syntaxErrors.length > 0) {
        // Keep typing on a valid file: undo an edit that broke the syntax (the last case covers those).
        TextDocument.update(document, [{ text }], document.version + 1);
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
