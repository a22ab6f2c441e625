/**
 * The README the installed extension's Details page shows (scripts/package.mjs):
 * every image of README.md embedded as data: (VS Code's README webview loads
 * only https: and data: images, with no base for relative paths), no relative
 * link left, code untouched. The .vsix itself is checked by `npm run package`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/testUtil';

interface PackageScript {
  packagedReadme(markdown: string, readmeDir: string): { text: string; images: number; links: number };
  relativeLeft(markdown: string): string[];
}

const load = (): Promise<PackageScript> => import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'package.mjs')).href) as Promise<PackageScript>;

test('the packaged README embeds every image of README.md as a PNG and leaves no relative link', async () => {
  const { packagedReadme, relativeLeft } = await load();
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)];
  const packaged = packagedReadme(readme, REPO_ROOT);
  assert.equal(packaged.images, images.length);
  assert.deepEqual(relativeLeft(packaged.text), []);
  for (const [, alt, target] of images) {
    const data = readFileSync(path.join(REPO_ROOT, target)).toString('base64');
    assert.ok(packaged.text.includes(`![${alt}](data:image/png;base64,${data})`), `${target} is embedded`);
  }
  const fences = (text: string) => text.split('\n').filter((line) => line.startsWith('```')).length;
  assert.equal(fences(packaged.text), fences(readme), 'code blocks kept');
  assert.ok(packaged.text.includes('npm install && npm start'), 'the npm start line is on the page');
});

test('packagedReadme: relative links become their text, external links and code stay', async () => {
  const { packagedReadme, relativeLeft } = await load();
  const input = [
    'See [`examples/`](examples) and [the guide](CONTRIBUTING.md#tests), [a site](https://example.org/x) and [below](#usage).',
    'Code: `[not](a-link)` stays.',
    '```md',
    '[inside](a-fence)',
    '```',
  ].join('\n');
  const { text, links } = packagedReadme(input, REPO_ROOT);
  assert.equal(links, 2);
  assert.equal(
    text,
    ['See `examples/` and the guide, [a site](https://example.org/x) and [below](#usage).', 'Code: `[not](a-link)` stays.', '```md', '[inside](a-fence)', '```'].join('\n'),
  );
  assert.deepEqual(relativeLeft(input), ['examples', 'CONTRIBUTING.md#tests']);
});

test('packagedReadme refuses an image from the network or one it cannot embed', async () => {
  const { packagedReadme } = await load();
  assert.throws(() => packagedReadme('![logo](https://example.org/logo.png)', REPO_ROOT), /every image must be inside the \.vsix/);
  assert.throws(() => packagedReadme('![icon](images/icon.svg)', REPO_ROOT), /only PNG, JPEG or GIF can be embedded/);
  assert.throws(() => packagedReadme('![gone](docs/images/none.png)', REPO_ROOT), /does not exist/);
});
