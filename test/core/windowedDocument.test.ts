/**
 * The windowed document must behave exactly like vscode-languageserver-
 * textdocument's on any sequence of edits (CR LF included), and say what
 * changed since an earlier state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { changedSpan } from '../../core/src/edits';
import { parseCouponDocument } from '../../core/src/parse';
import { isWindowedTextDocument, WindowedTextDocument } from '../../core/src/windowedDocument';

function randomGenerator(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const pieces = ['a', 'xyz', '\n', '\r\n', '\r', '"', '\n\n', 'é😀', '', '{\r\n  "k": 1\r\n}'];

function compare(reference: TextDocument, windowed: WindowedTextDocument, random: () => number, label: string): void {
  const text = reference.getText();
  assert.equal(windowed.getText(), text, `${label}: text`);
  assert.equal(windowed.lineCount, reference.lineCount, `${label}: lineCount`);
  for (let i = 0; i < 20; i++) {
    const offset = Math.floor(random() * (text.length + 3)) - 1;
    assert.deepEqual(windowed.positionAt(offset), reference.positionAt(offset), `${label}: positionAt(${offset})`);
    const position = { line: Math.floor(random() * (reference.lineCount + 2)) - 1, character: Math.floor(random() * 12) - 1 };
    assert.equal(windowed.offsetAt(position), reference.offsetAt(position), `${label}: offsetAt(${JSON.stringify(position)})`);
    const line = Math.floor(random() * (reference.lineCount + 2)) - 1;
    assert.deepEqual(windowed.getLineRange(line), reference.getLineRange(line), `${label}: getLineRange(${line})`);
    assert.equal(windowed.getEOLCharacters(line), reference.getEOLCharacters(line), `${label}: getEOLCharacters(${line})`);
    const a = Math.floor(random() * (text.length + 1));
    const b = Math.min(text.length, a + Math.floor(random() * 50));
    assert.equal(windowed.slice(a, b), text.slice(a, b), `${label}: slice(${a}, ${b})`);
  }
  for (const line of [0, reference.lineCount - 1]) {
    const range = { start: { line, character: 0 }, end: { line: line + 1, character: 3 } };
    assert.equal(windowed.getText(range), reference.getText(range), `${label}: getText(range)`);
  }
}

// The last column: the share of edits sent as the whole new text (as simpler clients do), which the document turns back into an edit.
for (const [name, initial, spread, wholeText] of [
  ['small file, edits anywhere', '{\n  "a": 1,\r\n  "b": "two"\r\n}\n', 1, 0.02],
  ['large file, edits close together', Array.from({ length: 3000 }, (_, i) => `  "k${i}": ${i},`).join('\n'), 0.02, 0.02],
  ['large file, edits far apart', Array.from({ length: 3000 }, (_, i) => `  "k${i}": ${i},`).join('\r\n'), 1, 0.02],
  ['small file, whole-text changes', '{\n  "a": 1,\r\n  "b": "two"\r\n}\n', 1, 0.7],
  ['large file, whole-text changes close together', Array.from({ length: 3000 }, (_, i) => `  "k${i}": ${i},`).join('\r\n'), 0.02, 0.7],
] as const) {
  test(`behaves like vscode-languageserver-textdocument: ${name}`, () => {
    const random = randomGenerator(name.length * 7919);
    const reference = TextDocument.create('file:///x', 'json', 1, initial);
    const windowed = new WindowedTextDocument('file:///x', 'json', 1, initial);
    let center = Math.floor(initial.length / 2);
    for (let i = 0; i < 600; i++) {
      const text = reference.getText();
      if (spread < 1 && random() < 0.02) center = Math.floor(random() * text.length);
      const start = Math.max(0, Math.min(text.length, spread < 1 ? center + Math.floor((random() - 0.5) * spread * text.length) : Math.floor(random() * (text.length + 1))));
      const end = Math.min(text.length, start + Math.floor(random() * (random() < 0.1 ? 200 : 4)));
      const insert = pieces[Math.floor(random() * pieces.length)];
      let range = { start: reference.positionAt(start), end: reference.positionAt(end) };
      if (random() < 0.1) range = { start: range.end, end: range.start }; // given end first
      const roll = random();
      const changes = roll < 0.02 ? [{ text: insert + text }] : roll < wholeText ? [{ text: text.slice(0, start) + insert + text.slice(end) }] : [{ range, text: insert }];
      const mark = windowed.mark();
      TextDocument.update(reference, changes, i + 2);
      windowed.update(changes, i + 2);
      assert.equal(windowed.version, i + 2);
      compare(reference, windowed, random, `edit ${i}`);
      // The change since the mark, applied to the old text, gives the new text.
      const span = windowed.changeSince(mark);
      const after = reference.getText();
      assert.equal(text.slice(0, span.start) + after.slice(span.start, span.newEnd) + text.slice(span.oldEnd), after, `edit ${i}: changeSince`);
      assert.ok(span.start <= changedSpan(text, after).start, 'never later than the first difference');
    }
  });
}

test('typing in one place rewrites only a small window', () => {
  const text = 'x'.repeat(500_000);
  const windowed = new WindowedTextDocument('file:///x', 'json', 1, text);
  const base = windowed.mark().base;
  for (let i = 0; i < 1000; i++) windowed.update([{ range: { start: { line: 0, character: 1000 + i }, end: { line: 0, character: 1000 + i } }, text: 'y' }], i + 2);
  const mark = windowed.mark();
  assert.equal(mark.base, base, 'the base string is the one the document was opened with');
  assert.ok(mark.window.length <= 1001, `window of ${mark.window.length} characters`);
  assert.equal(windowed.getText(), 'x'.repeat(1000) + 'y'.repeat(1000) + 'x'.repeat(499_000));
});

test('whole-text changes near each other also rewrite only a small window', () => {
  let text = 'x'.repeat(500_000);
  const windowed = new WindowedTextDocument('file:///x', 'json', 1, text);
  const base = windowed.mark().base;
  for (let i = 0; i < 1000; i++) {
    text = `${text.slice(0, 1000 + i)}y${text.slice(1000 + i)}`;
    windowed.update([{ text }], i + 2);
    assert.equal(windowed.getText(), text);
  }
  const mark = windowed.mark();
  assert.equal(mark.base, base, 'the base string is the one the document was opened with');
  assert.ok(mark.window.length <= 1001, `window of ${mark.window.length} characters`);
  const replaced = 'z'.repeat(100_000);
  windowed.update([{ text: replaced }], 1002);
  assert.equal(windowed.mark().base, replaced, 'a change of most of the text becomes the base');
  assert.deepEqual(windowed.changeSince(mark), { start: 0, oldEnd: 501_000, newEnd: 100_000 });
});

test('a CR and a LF that edits bring together count as one line break', () => {
  const cases: [string, { start: number; end: number; text: string }[]][] = [
    ['a\rb', [{ start: 2, end: 2, text: '\n' }]],
    ['a\rX\nb', [{ start: 2, end: 3, text: '' }]],
    ['a\r\nb', [{ start: 1, end: 1, text: 'Z' }, { start: 1, end: 2, text: '' }]],
    ['x\r', [{ start: 2, end: 2, text: '\n' }]],
    ['\n\r', [{ start: 0, end: 1, text: '' }, { start: 1, end: 1, text: '\n\r' }]],
  ];
  for (const [initial, edits] of cases) {
    const reference = TextDocument.create('file:///x', 'json', 1, initial);
    const windowed = new WindowedTextDocument('file:///x', 'json', 1, initial);
    const wholeText = new WindowedTextDocument('file:///x', 'json', 1, initial);
    for (const [i, edit] of edits.entries()) {
      const before = reference.getText();
      const change = { range: { start: reference.positionAt(edit.start), end: reference.positionAt(edit.end) }, text: edit.text };
      TextDocument.update(reference, [change], i + 2);
      windowed.update([change], i + 2);
      compare(reference, windowed, randomGenerator(i + 1), JSON.stringify([initial, edits.slice(0, i + 1)]));
      // The same edit sent as the whole new text.
      wholeText.update([{ text: before.slice(0, edit.start) + edit.text + before.slice(edit.end) }], i + 2);
      compare(reference, wholeText, randomGenerator(i + 1), `whole text: ${JSON.stringify([initial, edits.slice(0, i + 1)])}`);
    }
  }
});

test('a windowed document made by another copy of the module (the server\'s bundle) is still recognised by the parser (the language service\'s bundle)', () => {
  // A second copy of the module, as the Node server's two bundles each have one.
  const modulePath = require.resolve('../../core/src/windowedDocument');
  const cached = require.cache[modulePath];
  delete require.cache[modulePath];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second, fresh copy of the module (an import is cached)
  const copy = require('../../core/src/windowedDocument') as typeof import('../../core/src/windowedDocument');
  require.cache[modulePath] = cached;
  assert.notEqual(copy.WindowedTextDocument, WindowedTextDocument);
  const other = new copy.WindowedTextDocument('file:///a.coupon.json', 'coupon-json', 1, '{"CouponSeriesV2": {"description": "x"}}');
  assert.ok(!(other instanceof WindowedTextDocument), 'instanceof cannot tell');
  assert.ok(isWindowedTextDocument(other));
  assert.ok(parseCouponDocument(other).mark, 'the parse keeps a mark of the window, not the whole text');
  assert.ok(!isWindowedTextDocument(TextDocument.create('file:///b.coupon.json', 'coupon-json', 1, '{}')));
});
