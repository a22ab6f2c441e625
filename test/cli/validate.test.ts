/** `coupon validate`: exit codes, text / JSON / SARIF output, file discovery (globs, node_modules). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DIAGNOSTIC_CODES } from '../../core/src/rules/index';
import { isJsonObject, JsonObject } from '../../core/src/util';
import { validateCouponSeries } from '../../core/src/validate';
import { fixture, vendorExample } from '../support/testUtil';
import { coupon, tempFolder } from './support';

const VALID = vendorExample();
const INVALID = fixture('invalid/wrong-type');
const WARNINGS_ONLY = fixture('invalid/unknown-property');

let folder: { dir: string; cleanup(): Promise<void> };

before(async () => {
  folder = await tempFolder({
    'valid.coupon.json': VALID,
    'invalid.coupon.json': INVALID,
    'warn.coupon.json': WARNINGS_ONLY,
    'tree/a/one.coupon.json': VALID,
    'tree/a/b/two.coupon.json': INVALID,
    'tree/a/notes.json': '{"not": "a coupon"}',
    'tree/c/three.coupon.json': WARNINGS_ONLY,
    'tree/node_modules/pkg/x.coupon.json': INVALID,
    'tree/.git/y.coupon.json': INVALID,
    'empty/readme.txt': 'nothing here',
  });
});
after(() => folder.cleanup());

test('exit codes: 0 valid, 1 errors, 0 warnings (1 with --strict), 2 bad usage or nothing to check', async () => {
  const cases: [name: string, args: string[], code: number, stderr: RegExp][] = [
    ['valid file', ['validate', 'valid.coupon.json'], 0, /^1 file, 0 errors, 0 warnings\n$/],
    ['file with an error', ['validate', 'invalid.coupon.json'], 1, /1 file, 1 error, 0 warnings/],
    ['warnings only', ['validate', 'warn.coupon.json'], 0, /1 file, 0 errors, 1 warning\n/],
    ['warnings only, --strict', ['validate', '--strict', 'warn.coupon.json'], 1, /1 file, 0 errors, 1 warning\n/],
    ['valid and invalid', ['validate', 'valid.coupon.json', 'invalid.coupon.json'], 1, /2 files, 1 error, 0 warnings/],
    ['unknown flag', ['validate', '--frmat', 'json'], 2, /^coupon: error: unknown option --frmat for "coupon validate"/],
    ['unknown format', ['validate', '--format', 'xml'], 2, /--format must be one of text, json, sarif, not "xml"/],
    ['--json with --format sarif', ['validate', '--json', '--format', 'sarif'], 2, /--json contradicts --format sarif/],
    ['folder without coupon files', ['validate', 'empty'], 2, /^coupon: error: no \*\.coupon\.json files found in empty\n$/],
    ['missing path', ['validate', 'nope.coupon.json'], 2, /no such file or folder: nope\.coupon\.json/],
    ['glob matching nothing', ['validate', 'empty/*.coupon.json'], 2, /no \*\.coupon\.json files found/],
    ['a secret as a flag', ['validate', '--password=hunter2'], 2, /--password: secrets are never accepted as command-line flags.*CAPILLARY_PASSWORD/],
    ['unknown command', ['valdate'], 2, /unknown command "valdate"/],
    ['no command', [], 2, /^Usage: coupon <command>/],
    ['an option before the command', ['--strict', 'validate'], 2, /the command comes first/],
  ];
  for (const [name, args, code, stderr] of cases) {
    const result = await coupon(args, { cwd: folder.dir });
    assert.equal(result.code, code, `${name}: exit code (stderr: ${result.stderr})`);
    assert.match(result.stderr, stderr, name);
    if (code === 2 && args.length > 0) assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line`);
  }
});

test('text output: path:line:col: severity code message, as the validator reports them (1-based)', async () => {
  const result = await coupon(['validate', 'invalid.coupon.json', 'warn.coupon.json', 'valid.coupon.json'], { cwd: folder.dir });
  const expected = [
    ...validateCouponSeries(INVALID).map((d) => `invalid.coupon.json:${d.range.start.line + 1}:${d.range.start.character + 1}: error ${String(d.code)} ${String(d.message)}`),
    ...validateCouponSeries(WARNINGS_ONLY).map((d) => `warn.coupon.json:${d.range.start.line + 1}:${d.range.start.character + 1}: warning ${String(d.code)} ${String(d.message)}`),
  ];
  assert.deepEqual(result.stdout.trimEnd().split('\n'), expected);
  assert.equal(result.stdout, `${expected.join('\n')}\n`, 'no colour when stdout is not a terminal');
  assert.match(result.stdout, /^invalid\.coupon\.json:14:16: error wrong-type "anyUser" must be a boolean, not a string\.$/m);
});

test('json output: every file with its diagnostics (1-based and LSP ranges) and a summary', async () => {
  const result = await coupon(['validate', '--format', 'json', 'invalid.coupon.json', 'valid.coupon.json'], { cwd: folder.dir });
  assert.equal(result.code, 1);
  const report = JSON.parse(result.stdout) as {
    files: { path: string; diagnostics: { severity: string; code: string; message: string; line: number; column: number; endLine: number; endColumn: number; range: unknown }[] }[];
    summary: { files: number; errors: number; warnings: number; excluded: number };
  };
  assert.deepEqual(report.files.map((file) => file.path), ['invalid.coupon.json', 'valid.coupon.json']);
  assert.deepEqual(report.files[1].diagnostics, []);
  const [diagnostic] = validateCouponSeries(INVALID);
  assert.deepEqual(report.files[0].diagnostics, [
    {
      severity: 'error',
      code: 'wrong-type',
      message: diagnostic.message,
      line: diagnostic.range.start.line + 1,
      column: diagnostic.range.start.character + 1,
      endLine: diagnostic.range.end.line + 1,
      endColumn: diagnostic.range.end.character + 1,
      range: diagnostic.range,
    },
  ]);
  assert.deepEqual(report.summary, { files: 2, errors: 1, warnings: 0, excluded: 0 });
  const same = await coupon(['validate', '--json', 'invalid.coupon.json', 'valid.coupon.json'], { cwd: folder.dir });
  assert.equal(same.stdout, result.stdout, '--json is --format json');
});


function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** The SARIF 2.1.0 requirements a code-scanning upload depends on, checked by hand (no schema download). */
function assertValidSarif(sarif: unknown): { results: JsonObject[]; rules: JsonObject[] } {
  assert.ok(isJsonObject(sarif), 'a SARIF log is an object');
  assert.equal(sarif.version, '2.1.0');
  assert.equal(typeof sarif.$schema, 'string');
  assert.match(sarif.$schema as string, /sarif-2\.1\.0/);
  assert.ok(Array.isArray(sarif.runs) && sarif.runs.length === 1, 'one run');
  const run = sarif.runs[0] as JsonObject;
  assert.ok(isJsonObject(run.tool) && isJsonObject(run.tool.driver), 'run.tool.driver');
  const driver = run.tool.driver as JsonObject;
  assert.equal(driver.name, 'coupon');
  assert.equal(typeof driver.version, 'string');
  if (driver.informationUri !== undefined) assert.doesNotThrow(() => new URL(driver.informationUri as string));
  assert.ok(Array.isArray(driver.rules));
  const rules = driver.rules as JsonObject[];
  const ruleIds = rules.map((rule) => rule.id);
  assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
  for (const rule of rules) {
    assert.equal(typeof rule.id, 'string');
    assert.ok(isJsonObject(rule.shortDescription) && typeof rule.shortDescription.text === 'string' && rule.shortDescription.text !== '', `${String(rule.id)}: shortDescription.text`);
    assert.ok(isJsonObject(rule.defaultConfiguration) && ['error', 'warning', 'note', 'none'].includes(rule.defaultConfiguration.level as string));
  }
  assert.ok(Array.isArray(run.results), 'run.results');
  const results = run.results as JsonObject[];
  for (const result of results) {
    assert.equal(typeof result.ruleId, 'string');
    assert.ok(ruleIds.includes(result.ruleId), `rule ${String(result.ruleId)} is described`);
    if (result.ruleIndex !== undefined) assert.equal(rules[result.ruleIndex as number].id, result.ruleId, 'ruleIndex points at the rule');
    assert.ok(['error', 'warning', 'note', 'none'].includes(result.level as string), `level ${String(result.level)}`);
    assert.ok(isJsonObject(result.message) && typeof result.message.text === 'string' && result.message.text !== '', 'message.text');
    assert.ok(Array.isArray(result.locations) && result.locations.length >= 1, 'locations');
    for (const location of result.locations as JsonObject[]) {
      const physical = location.physicalLocation as JsonObject;
      assert.ok(isJsonObject(physical) && isJsonObject(physical.artifactLocation) && isJsonObject(physical.region));
      const uri = physical.artifactLocation.uri as string;
      assert.equal(typeof uri, 'string');
      assert.ok(!uri.startsWith('/') && !uri.includes('\\') && !/^[a-z]+:/i.test(uri), `relative uri with forward slashes: ${uri}`);
      const region = physical.region as JsonObject;
      for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(isPositiveInteger(region[key]), `${key} is a 1-based integer`);
      assert.ok((region.endLine as number) > (region.startLine as number) || (region.endColumn as number) >= (region.startColumn as number), 'the region does not end before it starts');
    }
  }
  return { results, rules };
}

test('sarif output: valid SARIF 2.1.0, rules from the rule registry, one result per diagnostic', async () => {
  const result = await coupon(['validate', '--format', 'sarif', 'tree'], { cwd: folder.dir });
  assert.equal(result.code, 1);
  const { results, rules } = assertValidSarif(JSON.parse(result.stdout));
  assert.deepEqual(rules.map((rule) => rule.id), Object.keys(DIAGNOSTIC_CODES));
  const two = validateCouponSeries(INVALID);
  const three = validateCouponSeries(WARNINGS_ONLY);
  assert.equal(results.length, two.length + three.length);
  const first = results[0] as { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: JsonObject } }[] };
  assert.equal(first.ruleId, 'wrong-type');
  assert.equal(first.level, 'error');
  assert.equal(first.message.text, two[0].message);
  assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, 'tree/a/b/two.coupon.json');
  assert.deepEqual(first.locations[0].physicalLocation.region, {
    startLine: two[0].range.start.line + 1,
    startColumn: two[0].range.start.character + 1,
    endLine: two[0].range.end.line + 1,
    endColumn: two[0].range.end.character + 1,
  });
  assert.equal((results[1] as JsonObject).level, 'warning');
  const clean = await coupon(['validate', '--format', 'sarif', 'valid.coupon.json'], { cwd: folder.dir });
  assert.equal(clean.code, 0);
  assert.deepEqual(assertValidSarif(JSON.parse(clean.stdout)).results, []);
});

test('file discovery: folders recurse (node_modules and .git skipped), globs with *, ** and ?, files as named', async () => {
  const cases: [args: string[], expected: string[]][] = [
    [[], ['tree/a/b/two.coupon.json', 'tree/a/one.coupon.json', 'tree/c/three.coupon.json', 'valid.coupon.json', 'invalid.coupon.json', 'warn.coupon.json']],
    [['tree'], ['tree/a/b/two.coupon.json', 'tree/a/one.coupon.json', 'tree/c/three.coupon.json']],
    [['tree/a/*.coupon.json'], ['tree/a/one.coupon.json']],
    [['tree/**/two.coupon.json'], ['tree/a/b/two.coupon.json']],
    [['**/t*.coupon.json'], ['tree/a/b/two.coupon.json', 'tree/c/three.coupon.json']],
    [['tree/a/**'], ['tree/a/b/two.coupon.json', 'tree/a/one.coupon.json']],
    [['tree/a/?/*.json'], ['tree/a/b/two.coupon.json']],
    [['tree/*/one.coupon.json', 'tree/a/one.coupon.json'], ['tree/a/one.coupon.json']],
    [['tree/node_modules/pkg'], ['tree/node_modules/pkg/x.coupon.json']],
    [['tree/a/notes.json'], ['tree/a/notes.json']],
  ];
  for (const [args, expected] of cases) {
    const result = await coupon(['validate', '--format', 'json', ...args], { cwd: folder.dir });
    const report = JSON.parse(result.stdout) as { files: { path: string }[] };
    assert.deepEqual(report.files.map((file) => file.path).sort(), [...expected].sort(), `validate ${args.join(' ')}`);
  }
  const notes = await coupon(['validate', 'tree/a/notes.json'], { cwd: `${folder.dir}` });
  assert.match(notes.stdout, /^tree\/a\/notes\.json:1:1: error not-a-series /, 'a named file is validated whatever its name');
  const partly = await coupon(['validate', 'valid.coupon.json', 'empty/*.coupon.json'], { cwd: folder.dir });
  assert.equal(partly.code, 0);
  assert.match(partly.stderr, /coupon: warning: no files match empty\/\*\.coupon\.json/);
});

test('colour only on a terminal without NO_COLOR; progress on a terminal stderr for many files', async () => {
  const tty = await coupon(['validate', 'invalid.coupon.json'], { cwd: folder.dir, tty: true });
  // eslint-disable-next-line no-control-regex -- the ANSI colour escape itself
  assert.match(tty.stdout, /\u001b\[31merror\u001b\[0m/);
  const noColor = await coupon(['validate', 'invalid.coupon.json'], { cwd: folder.dir, tty: true, env: { NO_COLOR: '1' } });
  // eslint-disable-next-line no-control-regex -- the ANSI colour escape itself
  assert.doesNotMatch(noColor.stdout, /\u001b\[/);
  const many = await tempFolder(Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`s${index}.coupon.json`, VALID])));
  try {
    const progress = await coupon(['validate', '--format', 'json'], { cwd: many.dir, tty: true });
    assert.equal(progress.code, 0);
    assert.match(progress.stderr, /validated 200\/200 files/);
    assert.match(progress.stderr, /200 files, 0 errors, 0 warnings\n$/);
    assert.equal((JSON.parse(progress.stdout) as { files: unknown[] }).files.length, 200);
    const quiet = await coupon(['validate'], { cwd: many.dir });
    assert.equal(quiet.stderr, '200 files, 0 errors, 0 warnings\n', 'no progress when stderr is not a terminal');
  } finally {
    await many.cleanup();
  }
});

test('help for the tool and for each command', async () => {
  const tool = await coupon(['--help'], { cwd: folder.dir });
  assert.equal(tool.code, 0);
  for (const name of ['validate', 'create', 'update', 'push', 'pull', 'diff', 'sandbox']) {
    assert.match(tool.stdout, new RegExp(`^  ${name} `, 'm'));
    for (const args of [[name, '--help'], ['help', name], [name, '-h']]) {
      const help = await coupon(args, { cwd: folder.dir });
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, new RegExp(`^Usage: coupon ${name}`), args.join(' '));
      assert.match(help.stdout, /--help/);
    }
  }
  const send = await coupon(['push', '--help'], { cwd: folder.dir });
  assert.match(send.stdout, /CAPILLARY_PASSWORD/);
  assert.match(send.stdout, /--auth KIND .*\(basic \| oauth\)/);
  const version = await coupon(['--version'], { cwd: folder.dir });
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});
