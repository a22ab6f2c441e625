// `npm run package` (after `scripts/build.mjs --production`): the .vsix a person
// installs. Writes the README that the installed extension's Details page shows,
// runs vsce, then checks that the .vsix holds exactly what the extension loads
// (and the README's images) and stays under 2 MiB. Fails (exit 1) with the
// reason otherwise.
//
// The README's images are files of the .vsix (docs/images/*.png), named by
// their relative paths, as vsce and the Marketplace expect. What the extension
// editor does with them (seen with test/e2e/details.e2e.ts and the workbench
// sources; see CONTRIBUTING.md, "The package"): it renders the README in a
// webview with no base URL and the policy `img-src https: data:`. VS Code 1.100
// keeps a relative src, which then points into the webview's own folder and is
// blocked; VS Code 1.139's sanitizer removes relative and data: sources alike
// (it keeps http: and https:). So only an image served over HTTPS shows on
// both: `--images-base-url https://host/path/` writes each image as that URL
// plus its relative path (what vsce's --baseImagesUrl does), for a host that
// serves the repository's files. Without it, the page shows each image's alt
// text, written to stand on its own. Links to repository files become their
// text (the page has nowhere to open them).
//
// Options: --images-base-url URL (https:), --out PATH (default dist/coupon-series.vsix;
// the README goes beside it, README.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inflateRawSync } from 'node:zlib';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DEFAULT_VSIX = 'dist/coupon-series.vsix';
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
/** What the code loads that package.json does not name: the clients start the server from these (a Node process; a web worker). */
const LOADED_BY_CODE = ['dist/server.js', 'dist/languageService.js', 'dist/browser/server.js'];
/** What vsce itself writes, and the documents VS Code shows (README, CHANGELOG, licence). */
const PACKAGE_FILES = ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt'];
/** The image types VS Code shows on the Details page and vsce accepts (SVG is refused by both). */
const IMAGE_TYPES = ['.png', '.jpg', '.jpeg', '.gif'];

class PackageError extends Error {}

function fail(message) {
  throw new PackageError(message);
}

function log(message) {
  console.log(`[package] ${message}`);
}

const isExternal = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#');

/** A README image: a file of the repository, by its path from the repository root (posix), which the .vsix ships. */
function imageFile(target, readmeDir) {
  const relative = decodeURI(target.split('#')[0]);
  const file = path.resolve(readmeDir, relative);
  const fromRoot = path.relative(ROOT, file).split(path.sep).join('/');
  if (fromRoot.startsWith('../') || path.isAbsolute(fromRoot)) fail(`README image ${target} is outside the repository`);
  if (!IMAGE_TYPES.includes(path.extname(file).toLowerCase())) fail(`README image ${target}: only PNG, JPEG or GIF can be shown (${IMAGE_TYPES.join(', ')})`);
  if (!existsSync(file)) fail(`README image ${target} does not exist`);
  return fromRoot;
}

/**
 * The README as the Details page gets it: each image by its path inside the
 * .vsix (or, with imagesBaseUrl, that path on an HTTPS host), relative links
 * as their text. Fenced code blocks and code spans are left as they are.
 * Returns the text, the image paths (from the repository root) and the number of links made text.
 */
export function packagedReadme(markdown, readmeDir, { imagesBaseUrl } = {}) {
  if (imagesBaseUrl !== undefined && !/^https:\/\/[^/]+\/(.*\/)?$/.test(imagesBaseUrl)) {
    fail(`--images-base-url ${imagesBaseUrl}: an https: URL ending in "/" (the Details page loads images over HTTPS only)`);
  }
  const images = [];
  let links = 0;
  const image = (target) => {
    if (isExternal(target)) fail(`README image ${target}: every image must be a file of the .vsix (a relative path), not fetched from the network`);
    const file = imageFile(target, readmeDir);
    images.push(file);
    return imagesBaseUrl === undefined ? file : new URL(file.split('/').map(encodeURIComponent).join('/'), imagesBaseUrl).href;
  };
  const transform = (line) => {
    // Code spans are set aside, so a link label may hold one but nothing inside one is touched.
    const spans = [];
    const text = line.replace(/`[^`\n]*`/g, (span) => `\u0000${spans.push(span) - 1}\u0000`);
    return text
      .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (all, alt, target) => `![${alt}](${image(target)})`)
      .replace(/<img([^>]*?)\ssrc=["']([^"']+)["']/g, (all, before, target) => `<img${before} src="${image(target)}"`)
      .replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (all, label, target) => {
        if (isExternal(target)) return all;
        links++;
        return label;
      })
      .replace(/\u0000(\d+)\u0000/g, (all, index) => spans[Number(index)]);
  };
  let fenced = false;
  const lines = markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return line;
    }
    return fenced ? line : transform(line);
  });
  return { text: lines.join('\n'), images, links };
}

/** Relative link targets left outside code (what the Details page could not follow); images are not links. */
export function relativeLinksLeft(markdown) {
  const left = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const outsideCode = line.replace(/`[^`\n]*`/g, 'code');
    for (const match of outsideCode.matchAll(/(?<!!\[[^\]]*)\]\(([^)\s]+)\)|\shref=["']([^"']+)["']/g)) {
      const target = match[1] ?? match[2];
      if (!isExternal(target)) left.push(target);
    }
  }
  return left;
}

/** The entries of a zip file (name, sizes, and a reader for its content), from its central directory. */
function zipEntries(file) {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) fail(`${file} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) fail(`${file}: damaged central directory`);
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const read = () => {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? data : inflateRawSync(data);
    };
    entries.push({ name, size, compressed, read });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The files the extension loads, from package.json (main, browser, icon, contributions) and LOADED_BY_CODE, and the README's images. */
function expectedEntries(manifest, readmeImages) {
  const contributes = manifest.contributes ?? {};
  const paths = [
    manifest.main,
    manifest.browser,
    manifest.icon,
    ...(contributes.languages ?? []).map((language) => language.configuration),
    ...(contributes.grammars ?? []).map((grammar) => grammar.path),
    ...(contributes.snippets ?? []).map((snippet) => snippet.path),
    ...(contributes.jsonValidation ?? []).map((validation) => validation.url).filter((url) => url && !isExternal(url)),
    ...LOADED_BY_CODE,
    ...readmeImages,
  ].filter(Boolean);
  const files = paths.map((file) => `extension/${path.posix.normalize(file).replace(/^\.\//, '')}`);
  // `main` may be given without its extension.
  return new Set([...PACKAGE_FILES, ...files.map((file) => (path.posix.extname(file) ? file : `${file}.js`))]);
}

function main() {
  process.chdir(ROOT);
  const { values } = parseArgs({ options: { 'images-base-url': { type: 'string' }, out: { type: 'string' } } });
  const vsix = values.out ?? DEFAULT_VSIX;
  const packagedReadmePath = path.join(path.dirname(vsix), 'README.md');
  // vsce takes the README only from inside the extension's folder: another --out packs a copy kept in dist/ meanwhile.
  const vsceReadme = path.resolve(packagedReadmePath) === path.resolve(DEFAULT_VSIX, '..', 'README.md') ? packagedReadmePath : `dist/README.${process.pid}.md`;
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

  const readme = packagedReadme(readFileSync('README.md', 'utf8'), ROOT, { imagesBaseUrl: values['images-base-url'] });
  const left = relativeLinksLeft(readme.text);
  if (left.length > 0) fail(`the packaged README still has relative links: ${left.join(', ')}`);
  mkdirSync(path.dirname(vsix), { recursive: true });
  writeFileSync(packagedReadmePath, readme.text);
  if (vsceReadme !== packagedReadmePath) writeFileSync(vsceReadme, readme.text);
  const where = values['images-base-url'] ? `at ${values['images-base-url']} + their paths` : 'by their paths inside the .vsix';
  log(`${packagedReadmePath}: README.md with its ${readme.images.length} images ${where}, and ${readme.links} links to repository files as plain text`);
  log('vsce rewrites no links (--no-rewrite-relative-links): it would point them at a public repository, which this project does not have; this script checked the images instead');

  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  const args = ['package', '--no-dependencies', '--readme-path', vsceReadme, '--no-rewrite-relative-links', '-o', vsix];
  // No flag silences vsce's warning about the missing "repository" (this project has no public one):
  // it is printed, and its question answered "y" here, so the package is made and the warning stays in the log.
  if (!manifest.repository) log('no "repository" in package.json (this project has no public repository): vsce warns about it below; answering its question with "y"');
  const run = spawnSync(process.execPath, [vsce, ...args], { stdio: ['pipe', 'inherit', 'inherit'], input: manifest.repository ? '' : 'y\n' });
  if (vsceReadme !== packagedReadmePath) rmSync(vsceReadme, { force: true });
  if (run.status !== 0) fail(`vsce ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);

  const entries = zipEntries(vsix);
  const names = new Set(entries.map((entry) => entry.name));
  const expected = expectedEntries(manifest, readme.images);
  const unexpected = [...names].filter((name) => !expected.has(name));
  const missing = [...expected].filter((name) => !names.has(name));
  const bytes = statSync(vsix).size;
  console.log('');
  for (const entry of entries) console.log(`  ${String(entry.size).padStart(9)}  ${String(entry.compressed).padStart(9)}  ${entry.name}`);
  console.log(`  ${vsix}: ${entries.length} entries, ${(bytes / 1024).toFixed(1)} KiB (limit ${MAX_VSIX_BYTES / 1024} KiB)`);
  console.log('');
  if (unexpected.length > 0) fail(`the .vsix holds what neither the extension nor its README loads: ${unexpected.join(', ')} (.vscodeignore; an image the README does not show goes out of docs/images/)`);
  if (missing.length > 0) fail(`the .vsix lacks what the extension or its README loads: ${missing.join(', ')} (.vscodeignore)`);
  if (bytes > MAX_VSIX_BYTES) fail(`${vsix} is ${bytes} bytes, over ${MAX_VSIX_BYTES}`);
  const packaged = entries.find((entry) => entry.name === 'extension/readme.md').read().toString('utf8');
  if (packaged !== readme.text) fail('vsce changed the README on its way into the .vsix');
  if (/\]\(data:|src=["']data:/i.test(packaged)) fail('the packaged README holds a data: image');
  for (const file of readme.images) {
    const shipped = entries.find((entry) => entry.name === `extension/${file}`).read();
    if (!shipped.equals(readFileSync(file))) fail(`${file} in the .vsix differs from the repository's`);
  }
  log(`checked: exactly what the extension loads and the README's ${readme.images.length} images, ${(bytes / 1024).toFixed(1)} KiB`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    console.error(`[package] ERROR: ${error.message}`);
    process.exitCode = 1;
  }
}
