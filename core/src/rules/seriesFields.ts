/**
 * Reading series fields in a check: a field's value of the type the rule
 * needs (a value of another type is the schema's `wrong-type`, so a check
 * silently skips it), its schema, and the fields the schema marks.
 */
import type { ASTNode, StringASTNode } from 'vscode-json-languageservice';
import { parseOffsetDateTime } from '../dates';
import { CouponSchema, seriesSchema } from '../schema';
import type { RuleContext } from './rule';

/** The schema of a series field. */
export function fieldSchema(name: string): CouponSchema | undefined {
  return seriesSchema.properties?.[name];
}

/** The field's value when it is a finite number, else undefined. */
const compiledPatterns = new Map<string, RegExp | null>();

/**
 * Whether `value` matches the schema's `pattern` (or, with `documented`, its
 * `x-documentedPattern`) for field `name`; undefined when the schema gives none.
 * Each pattern is compiled once, not on every validation.
 */
export function matchesFieldPattern(name: string, value: string, documented = false): boolean | undefined {
  const source = documented ? fieldSchema(name)?.['x-documentedPattern'] : fieldSchema(name)?.pattern;
  if (typeof source !== 'string') return undefined;
  let pattern = compiledPatterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = new RegExp(source, 'u');
    } catch {
      pattern = null;
    }
    compiledPatterns.set(source, pattern);
  }
  return pattern ? pattern.test(value) : undefined;
}

export function numberField(context: RuleContext<string>, name: string): { node: ASTNode; value: number } | undefined {
  const node = context.field(name);
  return node?.type === 'number' && Number.isFinite(node.value) ? { node, value: node.value } : undefined;
}

/** The field's value when it is a string, else undefined. */
export function stringField(context: RuleContext<string>, name: string): { node: StringASTNode; value: string } | undefined {
  const node = context.field(name);
  return node?.type === 'string' ? { node, value: node.value } : undefined;
}

/** A date-time field as an instant, or undefined (absent, another type, or not a real date). */
export function dateField(context: RuleContext<string>, name: string): { node: ASTNode; epochMs: number; offsetMinutes: number } | undefined {
  const date = stringField(context, name);
  const parsed = date && parseOffsetDateTime(date.value);
  return date && parsed ? { node: date.node, ...parsed } : undefined;
}

/** The series fields the schema marks as date-times (`x-dateTime`). */
export const DATE_TIME_FIELDS: readonly string[] = Object.entries(seriesSchema.properties ?? {})
  .filter(([, schema]) => schema['x-dateTime'])
  .map(([name]) => name);

/** The series key (`"CouponSeriesV2"`), where a missing field is reported. */
export function seriesAnchor(context: RuleContext<string>): ASTNode {
  const parent = context.series.parent;
  return parent?.type === 'property' ? parent.keyNode : context.series;
}
