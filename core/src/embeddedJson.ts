/**
 * Fields that hold JSON in a string (`redemptionRange`, `mutualExclusiveSeriesIds`):
 * parsing the string, and the Ajv validator of the schema it must follow (the
 * field's `x-embeddedJson`), compiled once on first use.
 */
import type { ValidateFunction } from 'ajv';
import { compileValidator } from './compiledValidators';
import { CouponSchema, seriesSchema } from './schema';

/** The `x-embeddedJson` schema of a series field. */
export function embeddedSchema(field: string): CouponSchema | undefined {
  return seriesSchema.properties?.[field]?.['x-embeddedJson'];
}

const validators = new Map<string, ValidateFunction | undefined>();

/** The field's `x-embeddedJson` schema compiled with ajv, once, on first use. */
export function embeddedValidator(field: string): ValidateFunction | undefined {
  if (!validators.has(field)) {
    const embedded = embeddedSchema(field);
    let validate: ValidateFunction | undefined;
    try {
      validate = embedded ? compileValidator(embedded) : undefined;
    } catch {
      validate = undefined;
    }
    validators.set(field, validate);
  }
  return validators.get(field);
}

/** ajv's verdict as a plain boolean (its type guard would narrow the value to `never` on failure). */
export function passes(validate: ValidateFunction, value: unknown): boolean {
  return validate(value) === true;
}

/** A string field's JSON, parsed: the JSON.parse result, or the parse error's message. */
export function parseEmbedded(value: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The field's first schema example as it would be written in the file (with its escapes), for messages. */
export function exampleLiteral(field: string): string {
  const example = seriesSchema.properties?.[field]?.examples?.find((candidate) => typeof candidate === 'string');
  return example === undefined ? '' : `, for example ${JSON.stringify(example)}`;
}
