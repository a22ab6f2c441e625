// ESLint for the TypeScript of core/, server/, client/, cli/, scripts/*.ts and test/
// (`npm run lint`, run by `npm test`). What it enforces, and why:
// - JavaScript's and typescript-eslint's recommended rules (correctness, not
//   style; no unused variables, as tsc's noUnusedLocals also says);
// - short functions (at most 100 lines of code) outside tests: a long function
//   does several jobs, and each job wants a name;
// - no import cycles: core/ is layered (api → engine → front ends), and a cycle
//   is a layer that leaked;
// - no floating or misused promises: a promise nobody awaits loses its error
//   (an unhandled rejection ends the CLI and the server);
// - the conventions the code already follows (eqeqeq, const, braces on
//   multi-line bodies, interfaces for object types...). Nothing else about
//   layout: no formatter rules.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'core/layering/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['core/**/*.ts', 'server/**/*.ts', 'client/**/*.ts', 'cli/**/*.ts', 'test/**/*.ts', 'scripts/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      // One program for the whole tree (the root tsconfig includes every linted file): faster than a program per tsconfig.
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: dirname(fileURLToPath(import.meta.url)) },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Relative imports without extensions, resolved to .ts files the way tsc (module node16) does.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true, IIFEs: true }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],

      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test() and describe() return promises the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      // Forwarding what was caught or an AbortSignal's reason is fine; rejecting with a string is not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],

      // What the code already does.
      eqeqeq: 'error',
      'no-var': 'error',
      // A variable a closure reads before its one assignment cannot be const (the closure would hit the TDZ).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      curly: ['error', 'multi-line'],
      'object-shorthand': 'error',
      'prefer-arrow-callback': 'error',
      'prefer-template': 'error',
      'no-useless-concat': 'error',
      yoda: 'error',
      '@typescript-eslint/array-type': 'error',
      '@typescript-eslint/consistent-type-assertions': 'error',
      '@typescript-eslint/consistent-indexed-object-style': 'error',
      '@typescript-eslint/consistent-type-definitions': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // A test is a list of steps and assertions: its length says nothing about its design.
      'max-lines-per-function': 'off',
      // Tests match the CLI's aligned columns literally (/  create  new\.coupon\.json/).
      'no-regex-spaces': 'off',
    },
  },
  {
    // Callbacks that run in the browser page (Playwright's evaluate): the project compiles without the DOM's types.
    files: ['test/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
