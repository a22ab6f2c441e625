// The ajv validators the bundles (server, web worker, CLI) use, compiled at
// build time to standalone code: no schema compilation when the server starts
// (~90 ms and ~10 MB less), and no code generated with `new Function` at run
// time (which a browser worker's content security policy may forbid).
// core/src/precompiledValidators.ts is replaced by this module's output in
// scripts/build.mjs; tsc builds (the tests) compile at run time instead, and a
// test checks both give the same errors.
'use strict';
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

/** The options of core/src/compiledValidators.ts (a test checks they agree). */
const AJV_OPTIONS = { allErrors: true, strict: false };

/** A short, stable key for a schema and options (cyrb53: no crypto in a browser worker). */
function validatorKey(schema, verbose) {
  const text = JSON.stringify([verbose, schema]);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Every `x-embeddedJson` schema (a field holding JSON in a string, checked by the rules). */
function embeddedSchemas(node, found = []) {
  if (Array.isArray(node)) for (const item of node) embeddedSchemas(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-embeddedJson' && value && typeof value === 'object') found.push(value);
      embeddedSchemas(value, found);
    }
  }
  return found;
}

/** The validators compiled: the whole schema (verbose: messages quote the values), and each embedded one. */
function validatorEntries(schema) {
  return [[schema, true], ...embeddedSchemas(schema).map((embedded) => [embedded, false])];
}

/** CommonJS source exporting PRECOMPILED(schema, verbose): the standalone validator, or undefined. */
function precompiledModuleSource(schema) {
  const entries = validatorEntries(schema).map(([entry, verbose]) => {
    const ajv = new Ajv({ ...AJV_OPTIONS, verbose, code: { source: true } });
    const code = standaloneCode(ajv, ajv.compile(entry));
    return `[${JSON.stringify(validatorKey(entry, verbose))}, () => { const module = { exports: {} }; ${code}\nreturn module.exports; }]`;
  });
  return [
    '"use strict";',
    `const validatorKey = ${validatorKey.toString()};`,
    `const factories = new Map([\n${entries.join(',\n')}\n]);`,
    'const made = new Map();',
    'exports.PRECOMPILED = (schema, verbose) => {',
    '  const key = validatorKey(schema, verbose);',
    '  if (!made.has(key)) made.set(key, factories.get(key)?.());',
    '  return made.get(key);',
    '};',
  ].join('\n');
}

module.exports = { AJV_OPTIONS, validatorKey, validatorEntries, precompiledModuleSource };
