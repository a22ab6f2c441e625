/**
 * ajv validators, the same everywhere: precompiled at build time in the bundles
 * (see precompiledValidators.ts), compiled at run time otherwise.
 */
import type { default as Ajv, ValidateFunction } from 'ajv';
import { PRECOMPILED } from './precompiledValidators';

/** strict: false lets the editor annotations (markdownDescription, examples, x-*) pass through. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

/**
 * The validator of `schema` (an object of the project's schema). `verbose`
 * errors carry the failing value and schema, which the diagnostics quote.
 */
export function compileValidator(schema: object, verbose = false): ValidateFunction {
  const precompiled = PRECOMPILED?.(schema, verbose);
  if (precompiled) return precompiled;
  // Loaded only here: a bundle with precompiled validators never runs ajv's compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load the compiler in every bundle
  const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
  return new AjvClass({ ...AJV_OPTIONS, verbose }).compile(schema);
}
