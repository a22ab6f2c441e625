/** How messages name JSON values: "an integer", `"a", "b" or "c"`, a short value as written. */

/** Plain `"a", "b" or "c"` for messages. */
export function listValues(values: readonly unknown[]): string {
  const quoted = values.map((value) => JSON.stringify(value));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** "an integer", "a string", "an array"... for messages about a JSON value. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A value for a message: short scalars as written, anything else by its type. */
export function describeShortValue(item: unknown): string {
  if (typeof item === 'number' || typeof item === 'boolean' || item === null) return String(item);
  if (typeof item === 'string') return item.length <= 20 ? JSON.stringify(item) : 'a string';
  return describeJsonType(item);
}
