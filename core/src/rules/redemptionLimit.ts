/**
 * `redemptionPerCouponMaxLimit`, from the update page's note: "> 0, or -1 or
 * null" is documented as a constraint (the schema's anyOf), while "only when
 * anyUser is true" and "not for GENERIC" say where the limit applies, not that
 * the API refuses it (this module's check: warnings).
 */
import type { ASTNode } from 'vscode-json-languageservice';
import { fieldSchema, stringField } from './seriesFields';
import { defineRules, ERROR, RuleContext, WARNING } from './rule';

const NO_LIMIT_QUOTE = { page: 'update', text: 'To create a coupon series without a redemption limit, set value as null or -1' } as const;

/** The limit's node when it sets a limit: absent, null and -1 all mean "no limit" (the update page). */
function setRedemptionLimit(context: RuleContext<string>): ASTNode | undefined {
  const limit = context.field('redemptionPerCouponMaxLimit');
  if (!limit || limit.type === 'null') return undefined;
  const unlimited = fieldSchema('redemptionPerCouponMaxLimit')?.['x-unlimitedValue'] ?? -1;
  return limit.type === 'number' && limit.value === unlimited ? undefined : limit;
}

export const redemptionLimit = defineRules({
  name: 'redemptionLimit',
  codes: [
    {
      code: 'redemption-limit-any-user',
      title: 'a per-coupon limit without `anyUser`',
      severity: WARNING,
      source: 'inferred',
      summary: '`redemptionPerCouponMaxLimit` (other than no limit) with `anyUser` not true: the update page says the limit applies only then.',
      quotes: [{ page: 'update', text: 'Applicable only when the anyUser parameter is set to true .' }, NO_LIMIT_QUOTE],
      reason: 'The update page says the limit is "Applicable only when anyUser is set to true": when it applies, not that the API refuses it.',
      description:
        '`redemptionPerCouponMaxLimit` caps how many times one coupon code can be redeemed across all customers, which only means something when any customer can use a code (`anyUser` true). ' +
        'With `anyUser` false or absent, a limit is most likely meant for another setting, or `anyUser` should be true. -1 and null mean "no limit" and are never reported.\n\n' +
        'A warning, not an error: the update page says where the limit is "applicable", and nothing about the API refusing it elsewhere ' +
        '(as with `genericCode` on a series that is not GENERIC, [`generic-code-unused`](generic-code-unused.md)).',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "anyUser": false,\n    "redemptionPerCouponMaxLimit": 5\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "anyUser": true,\n    "redemptionPerCouponMaxLimit": 5\n  }\n}\n' },
      },
    },
    {
      code: 'redemption-limit-generic',
      title: 'a per-coupon limit on GENERIC',
      severity: WARNING,
      source: 'inferred',
      summary: '`redemptionPerCouponMaxLimit` (other than no limit) on a GENERIC series: the update page says it does not apply there.',
      quotes: [{ page: 'update', text: 'Not applicable for GENERIC coupon codes' }, NO_LIMIT_QUOTE],
      reason: 'The update page says the limit is "Not applicable for GENERIC coupon codes": where it applies, not that the API refuses it.',
      description:
        'The per-coupon limit is for generated (DISC_CODE) and uploaded (DISC_CODE_PIN) codes; a GENERIC series has one code that every customer shares. ' +
        'A limit there is most likely a mistake. -1 and null mean "no limit" and are never reported.\n\n' +
        'A warning, not an error: the update page says the limit is "not applicable" to GENERIC, which is not a statement that the API refuses it.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "anyUser": true,\n    "clientHandlingType": "GENERIC",\n    "genericCode": "WELCOME10",\n    "redemptionPerCouponMaxLimit": 5\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "anyUser": true,\n    "clientHandlingType": "GENERIC",\n    "genericCode": "WELCOME10"\n  }\n}\n' },
      },
    },
    {
      code: 'redemption-limit-value',
      title: 'a per-coupon limit of 0 or below',
      severity: ERROR,
      source: 'vendor docs',
      summary: '`redemptionPerCouponMaxLimit` must be greater than 0, or -1 or null for no limit.',
      quotes: [{ page: 'update', text: 'The value must be greater than 0.' }, NO_LIMIT_QUOTE],
      description:
        'The one constraint the update page states: the limit is greater than 0, and -1 or null mean no limit. 0, or a negative number other than -1, is an error. ' +
        'The schema says it as `anyOf` (at least 1, or -1) beside `type` integer or null, which the strict schema keeps.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "anyUser": true,\n    "redemptionPerCouponMaxLimit": 0\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "anyUser": true,\n    "redemptionPerCouponMaxLimit": -1\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    const limit = setRedemptionLimit(context);
    if (!limit) return;
    if (context.field('anyUser')?.value !== true) {
      context.report(limit, 'redemption-limit-any-user', 'redemptionPerCouponMaxLimit applies only when anyUser is true (the update page): set "anyUser": true, or remove the limit.');
    }
    if (stringField(context, 'clientHandlingType')?.value === 'GENERIC') {
      context.report(limit, 'redemption-limit-generic', 'redemptionPerCouponMaxLimit does not apply to GENERIC series, only to DISC_CODE and DISC_CODE_PIN (the update page): remove it.');
    }
  },
});
