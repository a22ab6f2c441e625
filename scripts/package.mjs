// `npm run package` (after `scripts/build.mjs --production`): the .vsix a person
// installs. Writes the README that the installed extension's Details page shows,
// runs vsce, then checks that the .vsix holds exactly what the extension loads
// and stays under 2 MiB. Fails (exit 1) with the reason otherwise.
//
// Why the README is rewritten: VS Code renders an extension's README in a
// webview with no base URL and the policy `img-src https: data:`, so an image
// given by a relative path never shows, whether or not the file is in the
// .vsix. vsce would turn relative paths into URLs of a public repository,
// which this project does not have. So the packaged README embeds each image
// as a data: PNG (VS Code 1.100 shows them; see CONTRIBUTING.md for later
// versions) and turns links to repository files into plain text.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const VSIX = 'dist/coupon-series.vsix';
const PACKAGED_README = 'dist/README.md';
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
/** What the code loads that package.json does not name: the clients start the server from these (a Node process; a web worker). */
const LOADED_BY_CODE = ['dist/server.js', 'dist/languageService.js', 'dist/browser/server.js'];
/** What vsce itself writes, and the documents VS Code shows (README, CHANGELOG, licence). */
const PACKAGE_FILES = ['[Content_Types].xml', 'extension.vsixmanifest', 'extension/package.json', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt'];
const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

class PackageError extends Error {}

function fail(message) {
  throw new PackageError(message);
}

function log(message) {
  console.log(`[package] ${message}`);
}

const isExternal = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#');

/** A repository-relative image as a data: URI (SVG is refused by VS Code's sanitizer and by vsce). */
function embed(target, readmeDir) {
  const file = path.resolve(readmeDir, decodeURI(target.split('#')[0]));
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
  if (!type) fail(`README image ${target}: only PNG, JPEG or GIF can be embedded`);
  if (!existsSync(file)) fail(`README image ${target} does not exist`);
  return `data:${type};base64,${readFileSync(file).toString('base64')}`;
}

/**
 * The README as the Details page needs it: images embedded, relative links as
 * their text. Fenced code blocks and code spans are left as they are.
 */
export function packagedReadme(markdown, readmeDir) {
  const counts = { images: 0, links: 0 };
  const transform = (line) => {
    // Code spans are set aside, so a link label may hold one but nothing inside one is touched.
    const spans = [];
    const text = line.replace(/`[^`\n]*`/g, (span) => `\u0000${spans.push(span) - 1}\u0000`);
    return text
      .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (all, alt, target) => {
        if (isExternal(target)) fail(`README image ${target}: every image must be inside the .vsix (a relative path), not fetched from the network`);
        counts.images++;
        return `![${alt}](${embed(target, readmeDir)})`;
      })
      .replace(/<img([^>]*?)\ssrc=["']([^"']+)["']/g, (all, before, target) => {
        if (target.startsWith('data:')) return all;
        if (isExternal(target)) fail(`README image ${target}: every image must be inside the .vsix (a relative path), not fetched from the network`);
        counts.images++;
        return `<img${before} src="${embed(target, readmeDir)}"`;
      })
      .replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (all, label, target) => {
        if (isExternal(target)) return all;
        counts.links++;
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
  return { text: lines.join('\n'), ...counts };
}

/** Relative links or images left outside code (what the Details page could not follow). */
export function relativeLeft(markdown) {
  const left = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const outsideCode = line.replace(/`[^`\n]*`/g, 'code');
    for (const match of outsideCode.matchAll(/\]\(([^)\s]+)\)|\s(?:src|href)=["']([^"']+)["']/g)) {
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

/** The files the extension loads, from package.json (main, browser, icon, contributions) and LOADED_BY_CODE. */
function expectedEntries(manifest) {
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
  ].filter(Boolean);
  const files = paths.map((file) => `extension/${path.posix.normalize(file).replace(/^\.\//, '')}`);
  // `main` may be given without its extension.
  return new Set([...PACKAGE_FILES, ...files.map((file) => (path.posix.extname(file) ? file : `${file}.js`))]);
}

function main() {
  process.chdir(ROOT);
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

  const readme = packagedReadme(readFileSync('README.md', 'utf8'), ROOT);
  const left = relativeLeft(readme.text);
  if (left.length > 0) fail(`the packaged README still has relative links: ${left.join(', ')}`);
  writeFileSync(PACKAGED_README, readme.text);
  log(`${PACKAGED_README}: README.md with ${readme.images} images embedded (data: URIs) and ${readme.links} links to repository files as plain text`);
  log('vsce rewrites no links (--no-rewrite-relative-links): none is left, and its rule that images come over HTTPS is the Marketplace\'s; this script checked the images instead');

  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  const args = ['package', '--no-dependencies', '--readme-path', PACKAGED_README, '--no-rewrite-relative-links', '-o', VSIX];
  // No flag silences vsce's warning about the missing "repository" (this project has no public one):
  // it is printed, and its question answered "y" here, so the package is made and the warning stays in the log.
  if (!manifest.repository) log('no "repository" in package.json (this project has no public repository): vsce warns about it below; answering its question with "y"');
  const run = spawnSync(process.execPath, [vsce, ...args], { stdio: ['pipe', 'inherit', 'inherit'], input: manifest.repository ? '' : 'y\n' });
  if (run.status !== 0) fail(`vsce ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);

  const entries = zipEntries(VSIX);
  const names = new Set(entries.map((entry) => entry.name));
  const expected = expectedEntries(manifest);
  const unexpected = [...names].filter((name) => !expected.has(name));
  const missing = [...expected].filter((name) => !names.has(name));
  const bytes = statSync(VSIX).size;
  console.log('');
  for (const entry of entries) console.log(`  ${String(entry.size).padStart(9)}  ${String(entry.compressed).padStart(9)}  ${entry.name}`);
  console.log(`  ${VSIX}: ${entries.length} entries, ${(bytes / 1024).toFixed(1)} KiB (limit ${MAX_VSIX_BYTES / 1024} KiB)`);
  console.log('');
  if (unexpected.length > 0) fail(`the .vsix holds what the extension does not load: ${unexpected.join(', ')} (.vscodeignore)`);
  if (missing.length > 0) fail(`the .vsix lacks what the extension loads: ${missing.join(', ')}`);
  if (bytes > MAX_VSIX_BYTES) fail(`${VSIX} is ${bytes} bytes, over ${MAX_VSIX_BYTES}`);
  const packaged = entries.find((entry) => entry.name === 'extension/readme.md').read().toString('utf8');
  if (packaged !== readme.text) fail('vsce changed the README on its way into the .vsix');
  log(`checked: exactly what the extension loads, ${(bytes / 1024).toFixed(1)} KiB`);
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
