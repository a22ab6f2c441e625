/**
 * Hover documentation for coupon fields, composed from the schema: meaning,
 * type, allowed values, unlimited value, default, example, and for dates and
 * epoch-millisecond numbers the instant they stand for.
 */
import { ASTNode, Hover, MarkupKind } from 'vscode-json-languageservice';
import { formatInstant, parseOffsetDateTime } from './dates';
import { CouponDocument, pathOf, rangeOf } from './parse';
import { CouponSchema, DEPLOYMENTS_KEY, parseDeploymentKey, schemaAtPath, typeLabel } from './schema';

function enumLines(schema: CouponSchema, current: unknown): string[] {
  if (!schema.enum) return [];
  const descriptions = schema.markdownEnumDescriptions ?? schema.enumDescriptions ?? [];
  return [
    'Allowed values:',
    ...schema.enum.map((value, i) => {
      const mark = value === current ? ' ← this value' : '';
      return `- \`${JSON.stringify(value)}\`${descriptions[i] ? `: ${descriptions[i]}` : ''}${mark}`;
    }),
  ];
}

function instantLines(schema: CouponSchema, value: unknown): string[] {
  if (schema['x-dateTime'] && typeof value === 'string') {
    const parsed = parseOffsetDateTime(value);
    if (!parsed) return [];
    return [instantLine(parsed.epochMs)];
  }
  if (schema['x-epochMillis'] && typeof value === 'number' && Number.isFinite(value)) {
    return [instantLine(value)];
  }
  return [];
}

/** The instant in UTC, and in this machine's time zone when that is not UTC. */
function instantLine(epochMs: number): string {
  const offset = localOffsetMinutes(epochMs);
  return `Instant: ${formatInstant(epochMs)}${offset === 0 ? '' : ` · your time: ${formatInstant(epochMs, offset)}`}`;
}

/** The offset of this machine's time zone at that instant (DST-aware). */
function localOffsetMinutes(epochMs: number): number {
  return -new Date(epochMs).getTimezoneOffset();
}

export function hoverContent(name: string, schema: CouponSchema, value?: unknown, hasValue = false): string {
  const lines: string[] = [`**${name}**: \`${typeLabel(schema)}\``, ''];
  const description = schema.markdownDescription ?? schema.description;
  if (description) lines.push(description, '');
  const enums = enumLines(schema, value);
  if (enums.length) lines.push(...enums, '');
  if (schema['x-unlimitedValue'] !== undefined) lines.push(`\`${schema['x-unlimitedValue']}\` means unlimited.`, '');
  if (schema.default !== undefined) lines.push(`Default: \`${JSON.stringify(schema.default)}\``, '');
  if (schema.examples?.length && !description?.includes('Example')) lines.push(`Example: \`${JSON.stringify(schema.examples[0])}\``, '');
  if (schema.readOnly) lines.push('_Set by the server: leave it out of requests._', '');
  if (schema['x-returned'] === 'never') lines.push('_The server never returns this field (the create response leaves it out), so a comparison with the server cannot judge it._', '');
  if (schema['x-returned'] === 'partly') lines.push('_The server may return fewer keys than were sent (the create response example echoes one of three), so a comparison with the server judges only the keys it returns._', '');
  if (schema['x-inferred']) lines.push(`_Inferred, not documented: ${schema['x-inferred']}_`, '');
  if (hasValue) {
    const instants = instantLines(schema, value);
    if (instants.length) lines.push(...instants, '');
  }
  return lines.join('\n').trimEnd();
}

function hoveredProperty(node: ASTNode | undefined): { key: ASTNode; value?: ASTNode } | undefined {
  let current = node;
  while (current && current.type !== 'property') {
    // A value inside an array or object is described by its own property, not the parent's.
    if (current.parent?.type === 'array') return undefined;
    current = current.parent;
  }
  return current ? { key: current.keyNode, value: current.valueNode } : undefined;
}

/** A `deployments` key: which environment it names, then what an entry holds. */
function deploymentKeyContent(key: string, schema: CouponSchema): string {
  const parsed = parseDeploymentKey(key);
  const environment = parsed ? `org ${parsed.orgId} on \`${parsed.host}\`` : 'not `<orgId>@<host>`';
  return [`**${key}**: a deployment, ${environment}`, '', schema.markdownDescription ?? schema.description ?? ''].join('\n').trimEnd();
}

export function hoverAt(document: CouponDocument, offset: number): Hover | null {
  const node = document.jsonDocument.getNodeFromOffset(offset, true);
  const property = hoveredProperty(node);
  if (!property?.key || property.key.type !== 'string') return null;
  // pathOf(key) ends with the key's own name, so it works while the value is still missing.
  const path = pathOf(property.key);
  const fieldSchema = schemaAtPath(path);
  if (!fieldSchema) return null;
  if (path.length === 2 && path[0] === DEPLOYMENTS_KEY && node === property.key) {
    return { contents: { kind: MarkupKind.Markdown, value: deploymentKeyContent(property.key.value, fieldSchema) }, range: rangeOf(document.textDocument, property.key) };
  }
  const value = property.value && property.value.type !== 'object' && property.value.type !== 'array' ? property.value.value : undefined;
  const onValue = node !== property.key && property.value !== undefined;
  return {
    contents: { kind: MarkupKind.Markdown, value: hoverContent(property.key.value, fieldSchema, value, property.value !== undefined) },
    range: rangeOf(document.textDocument, onValue && property.value ? property.value : property.key),
  };
}
