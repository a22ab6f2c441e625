/**
 * The README the installed extension's Details page shows (scripts/package.mjs):
 * each image of README.md by its path inside the .vsix (no data: URI), or on
 * an HTTPS host with --images-base-url; no relative link left; code
 * untouched. The .vsix itself is checked by `npm run package`, the page by
 * test/e2e/details.e2e.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/testUtil';

interface PackageScript {
  packagedReadme(markdown: string, readmeDir: string, options?: { imagesBaseUrl?: string }): { text: string; images: string[]; links: number };
  relativeLinksLeft(markdown: string): string[];
}

const load = (): Promise<PackageScript> => import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'package.mjs')).href) as Promise<PackageScript>;

test('the packaged README names every image of README.md by its path in the .vsix, with no data: URI and no relative link', async () => {
  const { packagedReadme, relativeLinksLeft } = await load();
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)];
  const packaged = packagedReadme(readme, REPO_ROOT);
  assert.deepEqual(packaged.images, images.map(([, , target]) => target));
  assert.deepEqual(relativeLinksLeft(packaged.text), []);
  for (const [, alt, target] of images) assert.ok(packaged.text.includes(`![${alt}](${target})`), `${target} is named by its path`);
  assert.ok(!packaged.text.includes('data:'), 'no data: URI');
  const fences = (text: string) => text.split('\n').filter((line) => line.startsWith('```')).length;
  assert.equal(fences(packaged.text), fences(readme), 'code blocks kept');
  assert.ok(packaged.text.includes('npm install && npm start'), 'the npm start line is on the page');
});

test('with an HTTPS base, each image is that URL plus its path; anything but https: is refused', async () => {
  const { packagedReadme } = await load();
  const { text, images } = packagedReadme('![Hover](docs/images/04-hover-discount-type.png) and <img alt="q" src="./docs/images/05-quick-fix-menu.png">', REPO_ROOT, { imagesBaseUrl: 'https://images.example/coupon-series/0.1.0/' });
  assert.equal(text, '![Hover](https://images.example/coupon-series/0.1.0/docs/images/04-hover-discount-type.png) and <img alt="q" src="https://images.example/coupon-series/0.1.0/docs/images/05-quick-fix-menu.png">');
  assert.deepEqual(images, ['docs/images/04-hover-discount-type.png', 'docs/images/05-quick-fix-menu.png']);
  assert.throws(() => packagedReadme('![a](docs/images/04-hover-discount-type.png)', REPO_ROOT, { imagesBaseUrl: 'http://images.example/' }), /an https: URL/);
  assert.throws(() => packagedReadme('![a](docs/images/04-hover-discount-type.png)', REPO_ROOT, { imagesBaseUrl: 'https://images.example/x' }), /ending in "\/"/);
});

test('packagedReadme: relative links become their text, external links and code stay', async () => {
  const { packagedReadme, relativeLinksLeft } = await load();
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
  assert.deepEqual(relativeLinksLeft(input), ['examples', 'CONTRIBUTING.md#tests']);
});

test('packagedReadme refuses an image from the network, outside the repository, of another type, or missing', async () => {
  const { packagedReadme } = await load();
  assert.throws(() => packagedReadme('![logo](https://example.org/logo.png)', REPO_ROOT), /every image must be a file of the \.vsix/);
  assert.throws(() => packagedReadme('![logo](data:image/png;base64,AAAA)', REPO_ROOT), /every image must be a file of the \.vsix/);
  assert.throws(() => packagedReadme('![up](../elsewhere.png)', REPO_ROOT), /outside the repository/);
  assert.throws(() => packagedReadme('![icon](images/icon.svg)', REPO_ROOT), /only PNG, JPEG or GIF/);
  assert.throws(() => packagedReadme('![gone](docs/images/none.png)', REPO_ROOT), /does not exist/);
});
