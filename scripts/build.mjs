// Bundles the extension, the language server and the command-line tool into dist/,
// and the web build (vscode.dev, github.dev) into dist/browser/: the extension as
// CommonJS for the web extension host, the server as a worker script.
// `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const { precompiledModuleSource } = require('./validatorCode.cjs');
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** Swaps core/src/precompiledValidators.ts for the validators compiled from the annotated schema the code loads (scripts/validatorCode.cjs). */
const precompiledValidators = {
  name: 'precompiled-validators',
  setup(build) {
    build.onLoad({ filter: /core[\\/]src[\\/]precompiledValidators\.ts$/ }, () => ({
      contents: precompiledModuleSource(JSON.parse(readFileSync(path.join(root, 'schemas/coupon-series.annotated.json'), 'utf8'))),
      loader: 'js',
      resolveDir: root,
      watchFiles: [path.join(root, 'schemas/coupon-series.annotated.json')],
    }));
  },
};

/**
 * The Node server's language service is a bundle of its own (dist/languageService.js),
 * required after the server answered `initialize` (server/src/node/languageServiceModule.ts).
 */
const separateLanguageService = {
  name: 'separate-language-service',
  setup(build) {
    build.onResolve({ filter: /core[\\/]src[\\/]languageService$/ }, (args) =>
      /languageServiceModule\.ts$/.test(args.importer) ? { path: './languageService.js', external: true } : undefined,
    );
  },
};

/**
 * `coupon mcp`'s server is a bundle of its own (dist/mcp.js), required by the
 * CLI only when that command runs (cli/src/mcp/load.ts): no other command
 * loads the MCP SDK.
 */
const separateMcpServer = {
  name: 'separate-mcp-server',
  setup(build) {
    build.onResolve({ filter: /^\.\/server$/ }, (args) => (/[\\/]mcp[\\/]load\.ts$/.test(args.importer) ? { path: './mcp.js', external: true } : undefined));
  },
};

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // jsonc-parser and the JSON language service ship UMD builds that esbuild cannot
  // follow; their ESM builds bundle cleanly.
  mainFields: ['module', 'main'],
  plugins: [precompiledValidators],
};

// The web build must not pull in Node: platform 'browser' makes any Node built-in a build error.
const browser = { ...common, platform: 'browser', target: 'es2022', mainFields: ['browser', 'module', 'main'] };

// fdir (tinyglobby's crawler) is ESM and calls createRequire(import.meta.url): give a CommonJS bundle the real URL.
const importMetaUrl = {
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': 'importMetaUrl' },
};

/** What esbuild says each bundle holds, for the bundle tests (test/package/bundle.test.ts). */
const META_FOLDER = 'out/bundle-meta';

const builds = [
  // The agent tools find files with tinyglobby, as the CLI does.
  { ...common, ...importMetaUrl, entryPoints: { extension: 'client/src/node/extensionMain.ts' }, outdir: 'dist', external: ['vscode'], metafile: true },
  { ...common, entryPoints: { server: 'server/src/node/serverMain.ts' }, outdir: 'dist', plugins: [...common.plugins, separateLanguageService] },
  { ...common, entryPoints: { languageService: 'core/src/languageService.ts' }, outdir: 'dist' },
  {
    ...common,
    ...importMetaUrl,
    entryPoints: { cli: 'cli/src/cli.ts' },
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${importMetaUrl.banner.js}` },
    plugins: [...common.plugins, separateMcpServer],
    metafile: true,
  },
  { ...common, ...importMetaUrl, entryPoints: { mcp: 'cli/src/mcp/server.ts' }, outdir: 'dist', metafile: true },
  { ...browser, entryPoints: { extension: 'client/src/browser/extensionMain.ts' }, outdir: 'dist/browser', format: 'cjs', external: ['vscode'] },
  { ...browser, entryPoints: { server: 'server/src/browser/serverMain.ts' }, outdir: 'dist/browser', format: 'iife' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  mkdirSync(path.join(root, META_FOLDER), { recursive: true });
  results.forEach((result, index) => {
    const name = Object.keys(builds[index].entryPoints)[0];
    if (result.metafile) writeFileSync(path.join(root, META_FOLDER, `${name}.json`), JSON.stringify(result.metafile));
  });
}
