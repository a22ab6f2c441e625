/**
 * Validators compiled at build time. This file is a stand-in: scripts/build.mjs
 * replaces it in the bundles with ajv standalone code generated from the schema
 * (scripts/validatorCode.cjs); in tsc builds there is none and validators are
 * compiled at run time (compiledValidators.ts).
 */
import type { ValidateFunction } from 'ajv';

export const PRECOMPILED: ((schema: object, verbose: boolean) => ValidateFunction | undefined) | undefined = undefined;
