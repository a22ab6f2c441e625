/**
 * The registry of rule modules: the one list a new rule is added to. Every
 * diagnostic code has exactly one owner here (a test enforces it, for the
 * schema's `x-code`s and the JSON parser's codes too), and everything that
 * lists codes is derived from it: the code table below, SARIF's rules, the
 * rule pages (docs/rules/<code>.md) and the README's rule index
 * (`npm run generate`).
 *
 * The order is the order of the index and of SARIF's rules, and the order in
 * which checks run (diagnostics at the same position keep it).
 */
import { billAmountRange } from './billAmountRange';
import { categoryIdsLimit } from './categoryIdsLimit';
import { dateFormatVariant } from './dateFormatVariant';
import { deployments } from './deployments';
import { duplicateKey } from './duplicateKey';
import { duplicateProductId } from './duplicateProductId';
import { expiryStrategyValue } from './expiryStrategyValue';
import { genericCode } from './genericCode';
import { invalidDate } from './invalidDate';
import { invalidFormat } from './invalidFormat';
import { jsonSyntax } from './jsonSyntax';
import { maxCreateIssued } from './maxCreateIssued';
import { missingProperty } from './missingProperty';
import { mutualExclusiveIds } from './mutualExclusiveIds';
import { notASeries } from './notASeries';
import { outOfRange } from './outOfRange';
import { percentOver100 } from './percentOver100';
import { productIdType } from './productIdType';
import { readOnlyProperty } from './readOnlyProperty';
import { redemptionAfterExpiry } from './redemptionAfterExpiry';
import { redemptionLimit } from './redemptionLimit';
import { redemptionRange } from './redemptionRange';
import type { RuleCode, RuleModule } from './rule';
import { smsTemplate } from './smsTemplate';
import { unknownEnumValue } from './unknownEnumValue';
import { unknownProperty } from './unknownProperty';
import { updateRequiredFields } from './updateRequiredFields';
import { validTillDate } from './validTillDate';
import { validTillPast } from './validTillPast';
import { wrongType } from './wrongType';

export const RULE_MODULES = [
  jsonSyntax,
  duplicateKey,
  notASeries,
  updateRequiredFields,
  missingProperty,
  wrongType,
  unknownEnumValue,
  invalidFormat,
  dateFormatVariant,
  invalidDate,
  outOfRange,
  productIdType,
  unknownProperty,
  readOnlyProperty,
  genericCode,
  validTillDate,
  categoryIdsLimit,
  expiryStrategyValue,
  percentOver100,
  billAmountRange,
  redemptionAfterExpiry,
  validTillPast,
  redemptionRange,
  mutualExclusiveIds,
  redemptionLimit,
  maxCreateIssued,
  smsTemplate,
  duplicateProductId,
  deployments,
] as const;

type CodesOf<M> = M extends RuleModule<infer C> ? C : never;

/** Every diagnostic code the project reports. */
export type DiagnosticCode = CodesOf<(typeof RULE_MODULES)[number]>;

/** A code's metadata, with the module that owns it. */
export interface RegisteredCode extends RuleCode<DiagnosticCode> {
  readonly owner: RuleModule;
}

/** The code table: every code, in registry order, with its metadata and owner. */
export const DIAGNOSTIC_CODES = Object.fromEntries(
  (RULE_MODULES as readonly RuleModule[]).flatMap((owner) => owner.codes.map((code) => [code.code, { ...code, owner }])),
) as Readonly<Record<DiagnosticCode, RegisteredCode>>;

/** Whether a diagnostic's code is one of ours (codes from elsewhere, or none, are not). */
export function isDiagnosticCode(code: unknown): code is DiagnosticCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code);
}

/** Diagnostic `source` shown by editors next to the message. */
export const DIAGNOSTIC_SOURCE = 'coupon-series';
