/**
 * Checks a tool's input against its input schema before anything else: an
 * assistant may send anything, and a wrong input gets a clear refusal. Only
 * the JSON Schema the tool definitions use (object, string, integer, array,
 * required, additionalProperties: false, min/max) is understood.
 */
import { AgentRefusal } from './host';
import type { JsonSchema } from './tools';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function problemOf(schema: JsonSchema, value: unknown, where: string): string | undefined {
  const type = schema.type as string | undefined;
  const actual = typeOf(value);
  if (type && actual !== type && !(type === 'number' && actual === 'integer')) return `${where} must be ${type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}`}, not ${actual}`;
  if (typeof value === 'string') {
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return `${where} is longer than ${schema.maxLength} characters`;
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return `${where} is shorter than ${schema.minLength} characters`;
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) return `${where} must be at least ${schema.minimum}`;
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return `${where} needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return `${where} has more than ${schema.maxItems} items`;
    const items = schema.items as JsonSchema | undefined;
    if (items) {
      for (const [index, item] of value.entries()) {
        const problem = problemOf(items, item, `${where}[${index}]`);
        if (problem) return problem;
      }
    }
  }
  if (actual === 'object' && type === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) if (object[name] === undefined) return `${where === 'input' ? '' : `${where}.`}${name} is required`;
    for (const [name, property] of Object.entries(object)) {
      const propertySchema = properties[name];
      if (!propertySchema) {
        if (schema.additionalProperties === false) return `${where === 'input' ? '' : `${where}.`}${name} is not an input of this tool (it takes ${Object.keys(properties).join(', ') || 'nothing'})`;
        continue;
      }
      if (property === undefined) continue;
      const problem = problemOf(propertySchema, property, name);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** `input` as the tool's input type, or an `invalid-input` refusal saying what is wrong. */
export function checkInput<T>(schema: JsonSchema, input: unknown): T {
  const problem = problemOf(schema, input ?? {}, 'input');
  if (problem) throw new AgentRefusal('invalid-input', `Invalid input: ${problem}.`);
  return (input ?? {}) as T;
}
