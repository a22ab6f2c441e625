/**
 * Which files `coupon validate` checks: picomatch globs (braces, classes), dot
 * folders, the editor's case rule for the suffix, `couponSeries.exclude` from
 * .vscode/settings.json, and this repository's own files at its root.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixture, REPO_ROOT, vendorExample } from '../support/testUtil';
import { coupon, couponProcess, tempFolder } from './support';

const VALID = vendorExample();
const INVALID = fixture('invalid/wrong-type');

let folder: { dir: string; cleanup(): Promise<void> };

before(async () => {
  folder = await tempFolder({
    'eu/a.coupon.json': VALID,
    'apac/b.coupon.json': VALID,
    'us/c.coupon.json': VALID,
    'eu/2024/d.coupon.json': VALID,
    'eu/2025/e.coupon.json': VALID,
    'eu/Upper.Coupon.json': VALID,
    'eu/SHOUT.COUPON.JSON': VALID,
    'eu/not-a-coupon.json': VALID,
    '.github/ci.coupon.json': VALID,
    'eu/.drafts/f.coupon.json': INVALID,
    'eu/.hidden.coupon.json': VALID,
    'node_modules/pkg/x.coupon.json': INVALID,
    'fixtures/bad.coupon.json': INVALID,
    'fixtures/deeper/worse.coupon.json': INVALID,
    'eu/broken.draft.coupon.json': INVALID,
  });
});
after(() => folder.cleanup());

async function selected(args: string[], cwd = folder.dir): Promise<string[]> {
  const result = await coupon(['validate', '--format', 'json', ...args], { cwd });
  assert.ok(result.stdout !== '', `validate ${args.join(' ')}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { files: { path: string }[] }).files.map((file) => file.path).sort();
}

test('globs: braces and classes select files; ** and * pass over dot folders and dot files unless the pattern or --dot asks', async () => {
  const cases: [args: string[], expected: string[]][] = [
    [['{eu,apac}/*.coupon.json'], ['apac/b.coupon.json', 'eu/SHOUT.COUPON.JSON', 'eu/Upper.Coupon.json', 'eu/a.coupon.json', 'eu/broken.draft.coupon.json']],
    [['[au]*/?.coupon.json'], ['apac/b.coupon.json', 'us/c.coupon.json']],
    [['eu/202[4]/*.coupon.json'], ['eu/2024/d.coupon.json']],
    [['eu/{2024,2025}/**'], ['eu/2024/d.coupon.json', 'eu/2025/e.coupon.json']],
    [['eu/**/?.coupon.json'], ['eu/2024/d.coupon.json', 'eu/2025/e.coupon.json', 'eu/a.coupon.json']],
    [['eu/.drafts/*.coupon.json'], ['eu/.drafts/f.coupon.json']],
    [['**/.drafts/*.coupon.json'], ['eu/.drafts/f.coupon.json']],
    [['.github'], ['.github/ci.coupon.json']],
    [['--dot', 'eu/**/?.coupon.json'], ['eu/.drafts/f.coupon.json', 'eu/2024/d.coupon.json', 'eu/2025/e.coupon.json', 'eu/a.coupon.json']],
    [['node_modules/pkg'], ['node_modules/pkg/x.coupon.json']],
  ];
  for (const [args, expected] of cases) assert.deepEqual(await selected(args), expected.sort(), `validate ${args.join(' ')}`);

  const everything = await selected(['--no-exclude']);
  assert.ok(!everything.some((file) => file.startsWith('.github/') || file.includes('/.drafts/') || file.includes('.hidden')), 'a folder walk skips dot names');
  assert.ok(!everything.some((file) => file.startsWith('node_modules/')), 'a folder walk skips node_modules');
  const withDot = await selected(['--no-exclude', '--dot']);
  assert.deepEqual(withDot.filter((file) => !everything.includes(file)), ['.github/ci.coupon.json', 'eu/.drafts/f.coupon.json', 'eu/.hidden.coupon.json']);
});

test('the .coupon.json suffix matches in any case, as in the editor; the rest of a glob as written', async () => {
  const walked = await selected(['--no-exclude', 'eu']);
  assert.ok(walked.includes('eu/Upper.Coupon.json') && walked.includes('eu/SHOUT.COUPON.JSON'), 'folder walk');
  assert.ok(!walked.includes('eu/not-a-coupon.json'));
  assert.deepEqual(await selected(['eu/*.COUPON.json']), ['eu/SHOUT.COUPON.JSON', 'eu/Upper.Coupon.json', 'eu/a.coupon.json', 'eu/broken.draft.coupon.json']);
  const wrongFolderCase = await coupon(['validate', 'EU/*.coupon.json'], { cwd: folder.dir });
  assert.equal(wrongFolderCase.code, 2);
  assert.match(wrongFolderCase.stderr, /no \*\.coupon\.json files found in EU\/\*\.coupon\.json/);
});

test('couponSeries.exclude in .vscode/settings.json leaves files out of folders and globs, never out of files named', async () => {
  const project = await tempFolder({
    '.vscode/settings.json': '{\n  // JSONC, as VS Code writes it\n  "couponSeries.exclude": ["fixtures", "**/*.draft.coupon.json"],\n}\n',
    'series/a.coupon.json': VALID,
    'series/wip.draft.coupon.json': INVALID,
    'fixtures/bad.coupon.json': INVALID,
    'fixtures/deeper/worse.coupon.json': INVALID,
  });
  try {
    const all = await coupon(['validate'], { cwd: project.dir });
    assert.equal(all.code, 0, all.stdout + all.stderr);
    assert.equal(all.stderr, '1 file, 0 errors, 0 warnings (3 more excluded by couponSeries.exclude or files.exclude)\n');
    assert.deepEqual(await selected(['--no-exclude'], project.dir), ['fixtures/bad.coupon.json', 'fixtures/deeper/worse.coupon.json', 'series/a.coupon.json', 'series/wip.draft.coupon.json']);
    assert.deepEqual(await selected(['**/*.coupon.json'], project.dir), ['series/a.coupon.json'], 'globs are filtered');
    assert.deepEqual(await selected(['series'], project.dir), ['series/a.coupon.json'], 'folders are filtered');

    const named = await coupon(['validate', 'fixtures/bad.coupon.json', 'series/wip.draft.coupon.json'], { cwd: project.dir });
    assert.equal(named.code, 1, 'files named on the command line are checked');
    assert.match(named.stderr, /2 files, 2 errors/);

    const onlyExcluded = await coupon(['validate', 'fixtures'], { cwd: project.dir });
    assert.equal(onlyExcluded.code, 2);
    assert.equal(
      onlyExcluded.stderr,
      'coupon: error: no *.coupon.json files found in fixtures (2 excluded by couponSeries.exclude or files.exclude in .vscode/settings.json; --no-exclude includes them)\n',
    );
    const json = JSON.parse((await coupon(['validate', '--json'], { cwd: project.dir })).stdout) as { summary: unknown };
    assert.deepEqual(json.summary, { files: 1, errors: 0, warnings: 0, excluded: 3 });

    const nested = await tempFolder({ '.vscode/settings.json': '{"couponSeries": {"exclude": ["fixtures/**"]}}', 'a.coupon.json': VALID, 'fixtures/b.coupon.json': INVALID });
    try {
      assert.deepEqual(await selected([], nested.dir), ['a.coupon.json'], 'the nested form of the setting');
    } finally {
      await nested.cleanup();
    }
    const bad = await tempFolder({ '.vscode/settings.json': '{"couponSeries.exclude": "fixtures"}', 'a.coupon.json': VALID });
    try {
      const result = await coupon(['validate'], { cwd: bad.dir });
      assert.equal(result.code, 0);
      assert.match(result.stderr, /^coupon: warning: couponSeries\.exclude must be a list of globs relative to the workspace folder/);
    } finally {
      await bad.cleanup();
    }
  } finally {
    await project.cleanup();
  }
});

test('npx coupon validate at this repository root passes without a warning: its test fixtures are excluded by its .vscode/settings.json', async () => {
  const result = await couponProcess(['validate', '--json'], { cwd: REPO_ROOT, timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as { files: { path: string }[]; summary: { files: number; errors: number; warnings: number; excluded: number } };
  const paths = report.files.map((file) => file.path);
  assert.ok(paths.includes('examples/diwali-disc-code.coupon.json'), 'the examples are checked');
  assert.ok(!paths.some((file) => file.startsWith('test/fixtures/')), 'the fixtures are excluded');
  assert.equal(report.summary.errors, 0);
  assert.equal(report.summary.warnings, 0, 'nothing to wade through');
  assert.ok(report.summary.excluded >= 25, `the fixtures are counted as excluded (${report.summary.excluded})`);
});
