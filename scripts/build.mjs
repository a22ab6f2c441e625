// Bundles the extension, the language server and the command-line tool into dist/.
// `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';

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
};

const builds = [
  { ...common, entryPoints: { extension: 'client/src/node/extensionMain.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...common, entryPoints: { server: 'server/src/node/serverMain.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { cli: 'cli/src/cli.ts' },
    outdir: 'dist',
    // fdir (tinyglobby's crawler) is ESM and calls createRequire(import.meta.url):
    // give the CommonJS bundle the real URL.
    banner: { js: '#!/usr/bin/env node\nconst importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': 'importMetaUrl' },
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
