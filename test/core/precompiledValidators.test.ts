/**
 * The bundles validate with ajv code generated at build time
 * (scripts/validatorCode.cjs); the tests' tsc build compiles at run time. Both
 * must give the same errors on every fixture.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ValidateFunction } from 'ajv';
import { AJV_OPTIONS, compileValidator } from '../../core/src/compiledValidators';
import { couponSeriesSchema } from '../../core/src/schema';
import { fixture, fixtureNames, REPO_ROOT } from '../support/testUtil';

const requireFromRoot = createRequire(path.join(REPO_ROOT, 'package.json'));
const generator = requireFromRoot('./scripts/validatorCode.cjs') as {
  AJV_OPTIONS: object;
  validatorEntries(schema: object): [object, boolean][];
  precompiledModuleSource(schema: object): string;
};

function loadPrecompiled(): (schema: object, verbose: boolean) => ValidateFunction | undefined {
  const module = { exports: {} as { PRECOMPILED: (schema: object, verbose: boolean) => ValidateFunction | undefined } };
  new Function('module', 'exports', 'require', generator.precompiledModuleSource(couponSeriesSchema))(module, module.exports, requireFromRoot);
  return module.exports.PRECOMPILED;
}

const precompiled = loadPrecompiled();

function errorsOf(validate: ValidateFunction, value: unknown): unknown {
  return validate(value) ? [] : validate.errors;
}

test('the generator compiles with the options the code uses', () => {
  assert.deepEqual(generator.AJV_OPTIONS, AJV_OPTIONS);
});

test('every validator the code asks for is precompiled (the whole schema and each embedded one)', () => {
  const entries = generator.validatorEntries(couponSeriesSchema);
  assert.ok(entries.length >= 3, `${entries.length} validators`);
  for (const [schema, verbose] of entries) assert.ok(precompiled(schema, verbose), JSON.stringify(schema).slice(0, 80));
  assert.equal(precompiled({ type: 'string' }, false), undefined, 'an unknown schema is compiled at run time');
});

test('precompiled and run-time validators give the same errors on every fixture', () => {
  const runtime = compileValidator(couponSeriesSchema, true);
  const built = precompiled(couponSeriesSchema, true)!;
  let compared = 0;
  for (const folder of ['valid', 'invalid'] as const) {
    for (const name of fixtureNames(folder)) {
      let value: unknown;
      try {
        value = JSON.parse(fixture(`${folder}/${name}`));
      } catch {
        continue;
      }
      assert.deepEqual(errorsOf(built, value), errorsOf(runtime, value), `${folder}/${name}`);
      compared++;
    }
  }
  assert.ok(compared > 20);
});

test('embedded validators agree too', () => {
  const samples = [[], {}, '[1, 2]', { dom: [1], dow: [8], hours: [-1] }, { dom: [-1], dow: [1, 2], hours: [25] }, [10, 'x'], [1.5], null, 42];
  for (const [schema, verbose] of generator.validatorEntries(couponSeriesSchema).slice(1)) {
    const runtime = compileValidator(schema, verbose);
    const built = precompiled(schema, verbose)!;
    for (const sample of samples) assert.deepEqual(errorsOf(built, sample), errorsOf(runtime, sample), JSON.stringify(sample));
  }
});
