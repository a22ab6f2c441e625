/**
 * JSON Schema validation with ajv (compiled once from the project's schema), and
 * the mapping of ajv's errors onto precise ranges, stable codes and messages
 * that say what to do.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileValidator } from './compiledValidators';
import { ASTNode, Diagnostic } from 'vscode-json-languageservice';
import { closestMatch } from './closestMatch';
import { createDiagnostic } from './diagnostics';
import { describeJsonType, listValues } from './jsonWording';
import type { DiagnosticCode } from './rules/index';
import type { CouponDiagnosticData } from './rules/rule';
import { CouponDocument, findProperty, nodeAtPath } from './parse';
import { CouponSchema, couponSeriesSchema, DEPLOYMENTS_KEY, schemaAtPath, writableProperties } from './schema';

let compiled: ValidateFunction | undefined;

/** The compiled validator; compiled on first use so start-up stays fast. */
export function couponSeriesValidator(): ValidateFunction {
  // The annotated source, so errors carry their x-code and errorMessage (the strict schema generated from it
  // compiles in strict mode: a test proves it). Precompiled in the bundles.
  compiled ??= compileValidator(couponSeriesSchema, true);
  return compiled;
}

/** `/CouponSeriesV2/productInfo/0` → `['CouponSeriesV2', 'productInfo', 0]`. */
function pathFromPointer(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** The schema object at an ajv schemaPath such as `#/definitions/X/allOf/0/then/required`. */
function schemaAtSchemaPath(schemaPath: string): unknown {
  let current: unknown = couponSeriesSchema;
  for (const segment of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (!segment || current === null || typeof current !== 'object') return current;
    current = (current as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

/**
 * The `x-code` and `errorMessage` that apply to an error: on the schema holding the
 * failing keyword, or on the nearest enclosing schema that names a code (an if/then
 * branch such as the CATEGORY limit).
 */
function annotationsFor(error: ErrorObject): { code?: DiagnosticCode; errorMessage?: string } {
  const own = (error.parentSchema ?? {}) as CouponSchema;
  if (own['x-code']) return { code: own['x-code'] as DiagnosticCode, errorMessage: own.errorMessage };
  const segments = error.schemaPath.split('/');
  for (let end = segments.length - 1; end > 1; end--) {
    const candidate = schemaAtSchemaPath(segments.slice(0, end).join('/')) as CouponSchema | undefined;
    if (candidate && typeof candidate === 'object' && candidate['x-code']) {
      return { code: candidate['x-code'] as DiagnosticCode, errorMessage: own.errorMessage ?? candidate.errorMessage };
    }
  }
  return { errorMessage: own.errorMessage };
}

/**
 * The code a failing keyword is reported with, given the `x-code` that applies
 * to it (see annotationsFor). scripts/strictSchema.ts uses it too: the strict schema
 * leaves out every keyword whose code is a warning, so it never rejects what
 * this tool only warns about.
 */
export function codeOfFailure(keyword: string, xCode: DiagnosticCode | undefined, atRoot: boolean): DiagnosticCode | undefined {
  if (xCode === 'deployment-invalid') return xCode;
  switch (keyword) {
    case 'if':
      // Reported through the failing `then` keyword itself.
      return undefined;
    case 'additionalProperties':
      return 'unknown-property';
    case 'type':
      return atRoot ? 'not-a-series' : 'wrong-type';
    case 'enum':
      return 'unknown-enum-value';
    case 'required':
      return xCode ?? 'missing-property';
    case 'pattern':
    case 'format':
      return xCode ?? 'invalid-format';
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return xCode ?? 'out-of-range';
    default:
      return xCode ?? 'wrong-type';
  }
}

/** An errorMessage with `{property}` (a missing property) and `{value}` (the value at fault) filled in. */
function filled(errorMessage: string | undefined, error: ErrorObject, property?: string): string | undefined {
  return errorMessage?.replace(/\{property\}/g, property ?? '').replace(/\{value\}/g, () => JSON.stringify(error.data) ?? 'nothing');
}

function fieldName(path: readonly (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string') {
      return i === path.length - 1 ? segment : `${segment}[${path.slice(i + 1).join('][')}]`;
    }
  }
  return 'the file';
}

/** Where a problem with the object at `path` is shown: its property key, or its opening brace. */
function objectAnchor(object: ASTNode | undefined): ASTNode | { offset: number; length: number } {
  if (object?.parent?.type === 'property') return object.parent.keyNode;
  return { offset: object?.offset ?? 0, length: object ? 1 : 0 };
}


const ARTICLE: Record<string, string> = { integer: 'an integer', object: 'an object', array: 'an array' };

function errorToDiagnostic(document: CouponDocument, error: ErrorObject): Diagnostic | undefined {
  const path = pathFromPointer(error.instancePath);
  const node = nodeAtPath(document.root, path);
  const field = fieldName(path);
  const annotations = annotationsFor(error);
  const errorMessage = annotations.errorMessage;
  if (path[0] === DEPLOYMENTS_KEY || annotations.code === 'deployment-invalid') return deploymentDiagnostic(document, error, path, node);
  const code = codeOfFailure(error.keyword, annotations.code, path.length === 0);
  if (!code) return undefined;

  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const missingSchema = schemaAtPath([...path, missing]);
      // A conditional requirement (if/then) points at the field that triggered it.
      const condition = schemaAtSchemaPath(error.schemaPath.replace(/\/then\/required$/, '/if')) as CouponSchema | undefined;
      const trigger =
        error.schemaPath.endsWith('/then/required') && node?.type === 'object'
          ? Object.keys(condition?.properties ?? {})
              .map((key) => findProperty(node, key)?.valueNode)
              .find((found): found is ASTNode => found !== undefined)
          : undefined;
      const description = missingSchema?.description?.replace(/\.$/, '');
      const what = description ? ` (${description.charAt(0).toLowerCase()}${description.slice(1)})` : '';
      const message = filled(errorMessage, error, missing) ?? `Add the field "${missing}"${what}.`;
      return createDiagnostic(document, trigger ?? objectAnchor(node), code, message);
    }
    case 'additionalProperties': {
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const property = node?.type === 'object' ? findProperty(node, unknown) : undefined;
      const known = writableProperties(schemaAtPath(path) ?? {});
      const suggestion = closestMatch(unknown, known);
      const where = path.length === 0 ? 'at the top level (put series fields inside "CouponSeriesV2")' : `in ${field}`;
      const message = suggestion
        ? `Unknown property "${unknown}" ${where}: did you mean "${suggestion}"?`
        : `Unknown property "${unknown}" ${where}: the API does not know it and may reject or ignore it.`;
      return createDiagnostic(document, property?.keyNode ?? objectAnchor(node), code, message, suggestion ? { suggestion } : undefined);
    }
    case 'type': {
      const types = String((error.params as { type: string | string[] }).type).split(',');
      const expected = types.map((type) => ARTICLE[type] ?? (type === 'null' ? 'null' : `a ${type}`)).join(' or ');
      const schema = schemaAtPath(path);
      if (path.length === 0) {
        return createDiagnostic(document, node ?? { offset: 0, length: 0 }, code, `A coupon file is a JSON object {"CouponSeriesV2": {...}}, not ${describeJsonType(error.data)}.`);
      }
      const embedded = schema?.['x-embeddedJson'] && (Array.isArray(error.data) || typeof error.data === 'object');
      const message = embedded
        ? `"${field}" must be a string that holds JSON, e.g. ${JSON.stringify(JSON.stringify(error.data))}; the API does not accept ${describeJsonType(error.data)} here.`
        : `"${field}" must be ${expected}, not ${describeJsonType(error.data)}.`;
      return createDiagnostic(document, node ?? objectAnchor(node), code, message);
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      const suggestion = typeof error.data === 'string' ? closestMatch(error.data, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
      return createDiagnostic(document, node ?? objectAnchor(node), code, `${JSON.stringify(error.data)} is not a valid ${field}: use ${listValues(allowed)}.${hint}`, suggestion ? { suggestion } : undefined);
    }
    case 'const': {
      // A value of another type is the `type` keyword's wrong-type: reported once.
      const allowed = (error.params as { allowedValue: unknown }).allowedValue;
      if (typeof error.data !== typeof allowed) return undefined;
      return createDiagnostic(document, node ?? objectAnchor(node), code, filled(errorMessage, error) ?? `"${field}" must be ${JSON.stringify(allowed)}, not ${JSON.stringify(error.data)}.`);
    }
    case 'pattern':
    case 'format':
      return createDiagnostic(document, node ?? objectAnchor(node), code, `"${field}": ${filled(errorMessage, error) ?? error.message ?? 'invalid format'}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const target = node ?? objectAnchor(node);
      const message = filled(errorMessage, error) ?? `"${field}" ${error.message ?? 'is out of range'}.`;
      return createDiagnostic(document, target, code, message);
    }
    default:
      return createDiagnostic(document, node ?? objectAnchor(node), code, filled(errorMessage, error) ?? `"${field}" ${error.message ?? 'does not match the schema'}.`);
  }
}

const DEPLOYMENT_EXAMPLE = '"100458@eu.api.capillarytech.com": {"id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458}';

/**
 * Problems in `deployments`, the tool's own record: always `deployment-invalid`
 * (a warning), worded for a person fixing it by hand. Key formats are the
 * rules' job (they can say what is wrong with a key), so `propertyNames` is skipped here.
 */
function deploymentDiagnostic(document: CouponDocument, error: ErrorObject, path: (string | number)[], node: ASTNode | undefined): Diagnostic | undefined {
  if (error.keyword === 'propertyNames' || (error as ErrorObject & { propertyName?: string }).propertyName !== undefined) return undefined;
  if (error.keyword === 'if') return undefined;
  const entryKey = typeof path[1] === 'string' ? path[1] : undefined;
  const entry = entryKey === undefined ? 'deployments' : `the deployment "${entryKey}"`;
  const field = typeof path[2] === 'string' ? path[2] : undefined;
  const fieldSchema = schemaAtPath(path);
  const at = node ?? objectAnchor(node);
  const report = (message: string, data?: CouponDiagnosticData) => createDiagnostic(document, at, 'deployment-invalid', message, data);
  switch (error.keyword) {
    case 'type':
      if (path.length === 1) return report(`"deployments" must be an object of deployments keyed by "<orgId>@<host>", e.g. {${DEPLOYMENT_EXAMPLE}}, not ${describeJsonType(error.data)}.`);
      if (field === undefined) return report(`${capitalize(entry)} must be an object such as {"id": 86066, "seriesCode": "…", "orgId": 100458}, not ${describeJsonType(error.data)}.`);
      return report(`"${field}" of ${entry} must be ${String((error.params as { type: string }).type) === 'integer' ? 'an integer' : `a ${String((error.params as { type: string }).type)}`}, not ${describeJsonType(error.data)}.`);
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const anchor = node?.parent?.type === 'property' ? node.parent.keyNode : objectAnchor(node);
      return createDiagnostic(document, anchor, 'deployment-invalid', `${capitalize(entry)} lacks "${missing}": the tool needs id, seriesCode and orgId to update the right series there. Add it from the server's answer, or remove the entry and push again.`);
    }
    case 'additionalProperties': {
      const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
      const property = node?.type === 'object' ? findProperty(node, unknown) : undefined;
      const known = writableProperties(schemaAtPath(path) ?? {});
      const suggestion = closestMatch(unknown, known);
      const hint = suggestion ? `did you mean "${suggestion}"?` : `known fields: ${known.join(', ')}.`;
      return createDiagnostic(document, property?.keyNode ?? at, 'deployment-invalid', `${capitalize(entry)} has an unknown field "${unknown}": ${hint}`, suggestion ? { suggestion } : undefined);
    }
    case 'minimum':
      return report(`"${field}" of ${entry} must be a positive integer, not ${JSON.stringify(error.data)}.`);
    case 'minLength':
      return report(`"${field}" of ${entry} is empty: write the code the server gave the series.`);
    case 'pattern': {
      const example = fieldSchema?.examples?.[0];
      const what = fieldSchema?.description?.replace(/\.$/, '') ?? 'a value of another form';
      return report(`"${field}" of ${entry} does not have the right form: ${what.charAt(0).toLowerCase()}${what.slice(1)}${example === undefined ? '' : `, e.g. ${JSON.stringify(example)}`}.`);
    }
    default:
      return report(`${capitalize(entry)}: ${field ? `"${field}" ` : ''}${error.message ?? 'does not have the expected form'}.`);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An error inside a branch of anyOf/oneOf (the keyword's own error follows it). */
const BRANCH = /\/(anyOf|oneOf)\/\d+\//;

/** Schema problems of a parsed coupon document, each on the node at fault. */
export function validateAgainstSchema(document: CouponDocument, value: unknown): Diagnostic[] {
  const validate = couponSeriesValidator();
  if (validate(value)) return [];
  const diagnostics: Diagnostic[] = [];
  // The same fault can fail two schemas (a type checked by the field and by an if/then branch): report it once.
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // A failing anyOf/oneOf is reported once, by its own error (with its x-code and message), not by each branch's.
    if (BRANCH.test(error.schemaPath)) continue;
    const diagnostic = errorToDiagnostic(document, error);
    if (!diagnostic) continue;
    const key = JSON.stringify([diagnostic.range, diagnostic.code, diagnostic.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}
