/**
 * The tree built for valid JSON must be the tree vscode-json-languageservice's
 * parser builds, node for node: completion and hover run on it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASTNode, getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { buildTreeOfValidJson } from '../../core/src/fastParse';
import { fixture, fixtureNames } from '../support/testUtil';

const service = getLanguageService({});

function shape(node: ASTNode | undefined): unknown {
  if (!node) return undefined;
  const own: Record<string, unknown> = { type: node.type, offset: node.offset, length: node.length };
  if (node.type === 'property') own.colonOffset = node.colonOffset;
  if (node.type === 'number') own.isInteger = node.isInteger;
  if (node.type !== 'object' && node.type !== 'array' && node.type !== 'property') own.value = node.value;
  own.children = node.children?.map((child) => {
    assert.equal(child.parent, node, 'parent links');
    return shape(child);
  });
  return own;
}

function generalTree(text: string): ASTNode | undefined {
  return service.parseJSONDocument(TextDocument.create('file:///x.json', 'json', 1, text)).root;
}

const handWritten = [
  { name: 'empty containers', text: '{"a": {}, "b": [], "c": [[]], "d": [{}]}' },
  { name: 'escapes and unicode', text: '{"s": "a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00", "é": "ü", "k\\"q": 1}' },
  { name: 'numbers', text: '[0, -0, 1, -1, 1.5, -1.25e-3, 1E10, 2e+5, 123456789012345678901234567890, 1e999]' },
  { name: 'literals', text: '[true, false, null, {"t": true, "f": false, "n": null}]' },
  { name: 'whitespace everywhere', text: ' \r\n\t{ \n "a" \t : \r\n [ 1 , 2 ] , "b":{"c" :3 } } \n' },
  { name: 'scalar roots', text: '"just a string"' },
  { name: 'number root', text: '  42  ' },
  { name: 'repeated "//" comment keys', text: '{"//": "one", "//": "two", "a": 1}' },
];

for (const c of handWritten) {
  test(`same tree as the JSON service: ${c.name}`, () => {
    assert.deepEqual(shape(buildTreeOfValidJson(c.text)), shape(generalTree(c.text)));
  });
}

for (const folder of ['valid', 'invalid'] as const) {
  for (const name of fixtureNames(folder)) {
    const text = fixture(`${folder}/${name}`);
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    if (!valid) continue;
    test(`same tree as the JSON service: fixture ${folder}/${name}`, () => {
      const fast = buildTreeOfValidJson(text);
      if (fast === undefined) return; // duplicate keys: the general parser is used, by design
      assert.deepEqual(shape(fast), shape(generalTree(text)));
    });
  }
}

test('duplicate keys are left to the general parser (it reports them)', () => {
  assert.equal(buildTreeOfValidJson('{"a": 1, "a": 2}'), undefined);
  assert.equal(buildTreeOfValidJson('{"x": {"a": 1, "b": {"a": 2}, "a": 3}}'), undefined);
});

test('same tree on 300 random valid documents', () => {
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const strings = ['', 'a', 'DISC_CODE', 'é', 'x\ny', 'q"q', 'back\\slash', '\u0001', '😀'];
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 3 || r < 0.35) return [1, -2.5, 0, 1e21, true, false, null][Math.floor(random() * 7)];
    if (r < 0.55) return strings[Math.floor(random() * strings.length)];
    if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`${strings[Math.floor(random() * strings.length)]}${i}`, value(depth + 1)]));
  };
  for (let i = 0; i < 300; i++) {
    const text = JSON.stringify(value(0), null, i % 3 === 0 ? undefined : i % 3 === 1 ? 2 : '\t');
    assert.deepEqual(shape(buildTreeOfValidJson(text)), shape(generalTree(text)), text);
  }
});
