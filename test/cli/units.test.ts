/** The CLI's small pieces: argument parsing, glob patterns, the unified diff. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionSpec, parseArgs, UsageError } from '../../cli/src/args';
import { globToRegExp } from '../../cli/src/files';
import { unifiedDiff } from '../../cli/src/textDiff';

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
  ];
  for (const [argv, expected] of ok) assert.deepEqual(parseArgs(argv, SPECS, 'test'), expected, argv.join(' '));
  const bad: [string[], RegExp][] = [
    [['--nope'], /unknown option --nope/],
    [['-x'], /unknown option -x/],
    [['--format'], /--format needs a value/],
    [['--format', '--strict'], /--format needs a value/],
    [['--format', 'xml'], /must be one of text, json/],
    [['--strict=yes'], /takes no value/],
    [['-o', 'a', '-o', 'b'], /given twice/],
    [['--password', 'x'], /--password: secrets are never accepted/],
    [['--client-secret=x'], /--client-secret: secrets are never accepted/],
    [['--token', 'x'], /--token: secrets are never accepted/],
    [['--secret'], /--secret: secrets are never accepted/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseArgs(argv, SPECS, 'test'), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
});

test('globToRegExp: * and ? within a name, ** across folders', () => {
  const cases: [pattern: string, matches: string[], misses: string[]][] = [
    ['*.coupon.json', ['a.coupon.json', '.x.coupon.json'], ['a/b.coupon.json', 'a.coupon.jsonx', 'acoupon.json']],
    ['**/*.coupon.json', ['a.coupon.json', 'x/a.coupon.json', 'x/y/z/a.coupon.json'], ['a.json', 'x/a.json']],
    ['a/**/b.json', ['a/b.json', 'a/x/b.json', 'a/x/y/b.json'], ['b.json', 'ab.json', 'a/x/c.json']],
    ['s?.json', ['s1.json', 'sx.json'], ['s.json', 's12.json', 's/.json']],
    ['x/**', ['x/a', 'x/a/b'], ['y/a']],
    ['(a)+[b].json', ['(a)+[b].json'], ['aab.json']],
  ];
  for (const [pattern, matches, misses] of cases) {
    const regex = globToRegExp(pattern.split('/'));
    for (const path of matches) assert.ok(regex.test(path), `${pattern} matches ${path}`);
    for (const path of misses) assert.ok(!regex.test(path), `${pattern} does not match ${path}`);
  }
});

test('unifiedDiff: hunks with context, - before +, nothing for equal texts', () => {
  assert.deepEqual(unifiedDiff('a\nb\n', 'a\nb\n'), []);
  const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15'].join('\n');
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
  assert.deepEqual(unifiedDiff('a\nc', 'a\nb\nc'), ['@@ -1,2 +1,3 @@', ' a', '+b', ' c']);
  assert.deepEqual(unifiedDiff('a\nb\nc', 'a\nc'), ['@@ -1,3 +1,2 @@', ' a', '-b', ' c']);
});
