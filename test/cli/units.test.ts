/** The CLI's small pieces: argument parsing, file selection's patterns, the unified diff. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPatch } from 'diff';
import { OptionSpec, parseArgs, UsageError } from '../../cli/src/args';
import picomatch from 'picomatch';
import { couponSuffixAnyCase, createExclusion, isCouponFileName, parseExcludeSetting } from '../../core/src/fileSelection';
import { MAX_EDIT_LENGTH, unifiedDiff } from '../../cli/src/textDiff';

const SPECS: OptionSpec[] = [
  { name: 'format', short: 'f', type: 'string', choices: ['text', 'json'], description: '' },
  { name: 'strict', type: 'boolean', description: '' },
  { name: 'ca', type: 'list', value: 'FILE', description: '' },
  { name: 'output', short: 'o', type: 'string', value: 'FILE', description: '' },
];

test('parseArgs: long, =value, short, repeatable, -- and bad usage', () => {
  const ok: [string[], unknown][] = [
    [['a', '--format', 'json', 'b'], { positionals: ['a', 'b'], options: { format: 'json' } }],
    [['--format=text', '--strict'], { positionals: [], options: { format: 'text', strict: true } }],
    [['-o', 'x.json', '-f', 'json'], { positionals: [], options: { output: 'x.json', format: 'json' } }],
    [['--ca', 'a.pem', '--ca=b.pem'], { positionals: [], options: { ca: ['a.pem', 'b.pem'] } }],
    [['--', '--strict', '-x'], { positionals: ['--strict', '-x'], options: {} }],
    [['-'], { positionals: ['-'], options: {} }],
    [['-o', '-'], { positionals: [], options: { output: '-' } }],
    [['-ox.json'], { positionals: [], options: { output: 'x.json' } }],
  ];
  for (const [argv, expected] of ok) assert.deepEqual(parseArgs(argv, SPECS, 'test'), expected, argv.join(' '));
  const bad: [string[], RegExp][] = [
    [['--nope'], /unknown option --nope/],
    [['-x'], /unknown option -x/],
    [['--format'], /--format needs a value/],
    [['--format', '--strict'], /--format needs a value; for a value that starts with "-", write --format=VALUE/],
    [['--format='], /--format needs a value/],
    [['--format', 'xml'], /must be one of text, json/],
    [['--strict=yes'], /takes no value/],
    [['-o', 'a', '-o', 'b'], /given twice/],
    [['--password', 'x'], /--password: secrets are never accepted/],
    [['--client-secret=x'], /--client-secret: secrets are never accepted/],
    [['--token', 'x'], /--token: secrets are never accepted/],
    [['--secret'], /--secret: secrets are never accepted/],
    [['-pw', 'x'], /-pw: secrets are never accepted/],
    [['--nope', '--password=x'], /--password: secrets are never accepted/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseArgs(argv, SPECS, 'test'), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
});

test('couponSuffixAnyCase: the .coupon.json suffix of a glob matches in any case, the rest as written', () => {
  const cases: [pattern: string, matches: string[], misses: string[]][] = [
    ['*.coupon.json', ['a.coupon.json', 'A.Coupon.json', 'b.COUPON.JSON'], ['a.coupon.jsonx', 'acoupon.json', 'x/a.coupon.json']],
    ['Promos/*.Coupon.JSON', ['Promos/a.coupon.json'], ['promos/a.coupon.json']],
    ['**/*.json', ['a/b.json'], ['a/b.JSON']],
  ];
  for (const [pattern, matches, misses] of cases) {
    const match = picomatch(couponSuffixAnyCase(pattern));
    for (const path of matches) assert.ok(match(path), `${pattern} matches ${path}`);
    for (const path of misses) assert.ok(!match(path), `${pattern} does not match ${path}`);
  }
  assert.equal(couponSuffixAnyCase('x/*.json'), 'x/*.json');
  for (const name of ['a.coupon.json', 'X.Coupon.json', 'dir/Y.COUPON.JSON']) assert.ok(isCouponFileName(name), name);
  for (const name of ['a.json', 'a.coupon.json.bak', 'coupon.json.txt']) assert.ok(!isCouponFileName(name), name);
});

test('createExclusion: a pattern excludes what it matches and everything in a folder it matches', () => {
  const exclusion = createExclusion(['test/fixtures', '**/drafts/**', '*.draft.coupon.json', '.github/**', 'a/{b,c}/*.coupon.json', 'x/[0-9].coupon.json']);
  const excluded = ['test/fixtures/a.coupon.json', 'test/fixtures/invalid/b.coupon.json', 'drafts/a.coupon.json', 'p/q/drafts/r/s.coupon.json', 'x.draft.coupon.json', '.github/a.coupon.json', './test/fixtures/x.coupon.json', 'test\\fixtures\\y.coupon.json', 'a/c/z.coupon.json', 'x/7.coupon.json'];
  const kept = ['test/fixtures.coupon.json', 'test/other/a.coupon.json', 'p/draftsman/a.coupon.json', 'dir/x.draft.coupon.json', 'a/d/z.coupon.json', 'x/77.coupon.json', '../test/fixtures/a.coupon.json', '/test/fixtures/a.coupon.json', ''];
  for (const path of excluded) assert.ok(exclusion.excludes(path), `${path} is excluded`);
  for (const path of kept) assert.ok(!exclusion.excludes(path), `${path} is kept`);
  assert.equal(createExclusion([]).excludes('anything.coupon.json'), false);
});

test('parseExcludeSetting: a list of workspace-relative globs; anything else is a problem, the good entries kept', () => {
  assert.deepEqual(parseExcludeSetting(undefined), { patterns: [], problems: [] });
  assert.deepEqual(parseExcludeSetting(['./fixtures/', 'a/**']), { patterns: ['fixtures', 'a/**'], problems: [] });
  const bad = parseExcludeSetting(['ok/**', 3, '', '../up/**', '/abs/**']);
  assert.deepEqual(bad.patterns, ['ok/**']);
  assert.equal(bad.problems.length, 4);
  assert.match(bad.problems[0], /couponSeries\.exclude\[1\] must be a non-empty glob/);
  assert.match(bad.problems[2], /couponSeries\.exclude\[3\] "\.\.\/up\/\*\*" must be relative to the workspace folder/);
  assert.match(parseExcludeSetting('fixtures/**').problems[0], /must be a list of globs/);
});

test('unifiedDiff: hunks with context, - before +, nothing for equal texts', () => {
  assert.deepEqual(unifiedDiff('a\nb\n', 'a\nb\n'), []);
  const before = `${['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'].join('\n')}\n`;
  const after = before.replace('3', 'three').replace('14', 'fourteen');
  assert.deepEqual(unifiedDiff(before, after), [
    '@@ -1,6 +1,6 @@',
    ' 1',
    ' 2',
    '-3',
    '+three',
    ' 4',
    ' 5',
    ' 6',
    '@@ -11,5 +11,5 @@',
    ' 11',
    ' 12',
    ' 13',
    '-14',
    '+fourteen',
    ' 15',
  ]);
  assert.deepEqual(unifiedDiff('a\nc\n', 'a\nb\nc\n'), ['@@ -1,2 +1,3 @@', ' a', '+b', ' c']);
  assert.deepEqual(unifiedDiff('a\nb\nc\n', 'a\nc\n'), ['@@ -1,3 +1,2 @@', ' a', '-b', ' c']);
  // A text without a final newline says so, as diff -u does.
  assert.deepEqual(unifiedDiff('a\nc', 'a\nb\nc'), ['@@ -1,2 +1,3 @@', ' a', '+b', ' c', '\\ No newline at end of file']);
});

test('unifiedDiff: every diff is a patch that turns the one text into the other, minimal or past the edit limit', () => {
  let seed = 17;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = Array.from({ length: 60 }, (_, index) => `"line ${index}",`);
  for (let round = 0; round < 200; round++) {
    const edited = lines.flatMap((line) => (random() < 0.1 ? [] : random() < 0.1 ? [line, `"added ${round}",`] : random() < 0.1 ? [`"changed ${round}",`] : [line]));
    const before = `${lines.join('\n')}${round % 3 === 0 ? '' : '\n'}`;
    const after = `${edited.join('\n')}${round % 4 === 0 ? '' : '\n'}`;
    for (const maxEditLength of [MAX_EDIT_LENGTH, 0]) {
      const hunks = unifiedDiff(before, after, 3, maxEditLength);
      if (before === after) {
        assert.deepEqual(hunks, []);
        continue;
      }
      assert.equal(applyPatch(before, `${hunks.join('\n')}\n`), after, `round ${round}, edit limit ${maxEditLength}`);
    }
  }
});

test('unifiedDiff: past the edit limit, what lies between the common first and last lines is one replacement', () => {
  const before = `{\n  "ids": [\n${Array.from({ length: 3000 }, (_, index) => `    ${index},`).join('\n')}\n  ]\n}\n`;
  const after = before.replace(/ (\d+),/g, (_, id: string) => ` ${Number(id) + 10_000},`);
  const hunks = unifiedDiff(before, after);
  assert.equal(hunks.filter((line) => line.startsWith('@@')).length, 1);
  assert.deepEqual(hunks.slice(0, 3), ['@@ -1,3004 +1,3004 @@', ' {', '   "ids": [']);
  assert.equal(hunks.filter((line) => line.startsWith('-')).length, 3000);
  assert.equal(hunks.filter((line) => line.startsWith('+')).length, 3000);
});
