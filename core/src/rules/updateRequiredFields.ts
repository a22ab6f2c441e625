/**
 * What an update needs that a create does not: the update page's mandatory
 * fields, and `seriesCode` beside a legacy `id` (the schema's if/then on a
 * bound file, `x-code` mandatory-field-missing and series-code-required).
 */
import { defineRules, ERROR } from './rule';

const MANDATORY_ON_UPDATE_QUOTE = {
  page: 'facts',
  text: "The docs' update examples name these as mandatory on update: `description`, `discountCode`, `discountType`, `discountValue`, `anyUser`, `smsTemplate`, `clientHandlingType`, `seriesCode`, `expiryStrategyType`.",
} as const;

const DEPLOYMENTS = '  "deployments": {\n    "100458@eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458 }\n  }\n';

export const updateRequiredFields = defineRules({
  name: 'updateRequiredFields',
  codes: [
    {
      code: 'mandatory-field-missing',
      title: 'a field an update must carry',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A series already created (the file has a deployment, or an `id`) lacks a field of the update page\'s mandatory list; the API answers 403 "mandatory field missing".',
      quotes: [MANDATORY_ON_UPDATE_QUOTE, { page: 'facts', text: '403 access denied / V2 not enabled / mandatory field missing' }],
      description:
        'A file is **bound** when its `deployments` has an entry or, in a file made before deployments, `CouponSeriesV2` holds an `id`: its next send may be an update, and an update needs the update page\'s mandatory fields ' +
        '(`description`, `discountCode`, `discountType`, `discountValue`, `anyUser`, `smsTemplate`, `clientHandlingType`, `expiryStrategyType`; `seriesCode` is put in at send time from the deployment).\n\n' +
        'When a bound file is sent as a create to another environment, this does not apply (the create page marks nothing mandatory). In a file not created yet, the same fields missing are [`missing-property`](missing-property.md) warnings.',
      checkedBy: ['schema'],
      examples: {
        wrong: {
          text: `{\n  "CouponSeriesV2": {\n    "description": "DIWALI 10% OFF",\n    "discountType": "ABS",\n    "discountValue": 500,\n    "anyUser": false,\n    "smsTemplate": "Hi {{first_name}}, your voucher code is {{voucher}}.",\n    "clientHandlingType": "DISC_CODE",\n    "expiryStrategyType": "SERIES_EXPIRY",\n    "expiryStrategyValue": 1,\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  },\n${DEPLOYMENTS}}\n`,
        },
        right: { text: `{\n  "CouponSeriesV2": {\n    …\n    "discountCode": "XYZ123"\n  },\n${DEPLOYMENTS}}\n` },
      },
    },
    {
      code: 'series-code-required',
      title: 'an old file without `seriesCode`',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A file from before deployments (with `id` in `CouponSeriesV2`) needs `seriesCode` for an update.',
      quotes: [MANDATORY_ON_UPDATE_QUOTE],
      description:
        'Files made before the tool recorded `deployments` keep the series\' `id` inside `CouponSeriesV2`. An update needs the series\' `seriesCode` too (the update page lists it as mandatory), and the tool can only take it from the file. ' +
        'The first command against the environment the series belongs to moves both into `deployments`.',
      checkedBy: ['schema'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "id": 86066,\n    "orgId": 100458\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "id": 86066,\n    "seriesCode": "453163F75E8C4A2EAA2E",\n    "orgId": 100458\n  }\n}\n' },
      },
    },
  ],
  // Sent as a create, the series is new: the update's requirements do not apply.
  asCreate: () => null,
});
