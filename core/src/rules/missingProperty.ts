/**
 * `missing-property`: a series not created yet lacks a field the update page
 * makes mandatory (this module's check), or a `productInfo` /
 * `redemptionOrgEntityDetails` entry lacks one of its two fields (the schema's
 * `required` on the entries).
 */
import { MANDATORY_ON_UPDATE } from '../schema';
import { fieldSchema, seriesAnchor } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const missingProperty = defineRules({
  name: 'missingProperty',
  codes: [
    {
      code: 'missing-property',
      title: 'a field a series most likely needs',
      severity: WARNING,
      source: 'inferred',
      summary: 'A series not created yet lacks a field of the update page\'s mandatory list, or a `productInfo` / `redemptionOrgEntityDetails` entry lacks one of its two fields.',
      reason: 'The create page marks no field as mandatory; a series without these fields, or an entry without its type or id, is most likely unfinished.',
      description:
        'The create page marks no field as mandatory, so a new series may leave out any field. But every later update needs the update page\'s mandatory list ' +
        '(`description`, `discountCode`, `discountType`, `discountValue`, `anyUser`, `smsTemplate`, `clientHandlingType`, `expiryStrategyType`), and a series without them is most likely unfinished: each missing one is a warning, on `CouponSeriesV2`. ' +
        'Once the series exists (the file has a deployment), the same fields missing are [`mandatory-field-missing`](mandatory-field-missing.md) errors.\n\n' +
        'A `productInfo` entry needs its `productType` and `productIds`, a `redemptionOrgEntityDetails` entry its `redemptionOrgEntityType` and `orgEntityId`: the docs\' table lists both, and an entry without one says nothing usable.',
      checkedBy: ['schema', 'rule'],
      examples: {
        wrong: {
          text: '{\n  "CouponSeriesV2": {\n    "description": "DIWALI 10% OFF",\n    "discountType": "ABS",\n    "discountValue": 500,\n    "anyUser": false,\n    "smsTemplate": "Hi {{first_name}}, your voucher code is {{voucher}}.",\n    "clientHandlingType": "DISC_CODE",\n    "expiryStrategyType": "SERIES_EXPIRY",\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  }\n}\n',
        },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "discountCode": "XYZ123"\n  }\n}\n' },
      },
    },
  ],
  // A series not created yet: the update page's mandatory fields are advised, not required.
  check(context) {
    if (context.bound) return;
    for (const name of MANDATORY_ON_UPDATE) {
      if (context.field(name)) continue;
      const description = fieldSchema(name)?.description?.replace(/\.$/, '');
      const what = description ? ` (${description.charAt(0).toLowerCase()}${description.slice(1)})` : '';
      context.report(
        seriesAnchor(context),
        'missing-property',
        `"${name}" is missing${what}: the create page does not require it, but every update will (the update page lists it as mandatory), and a series without it is most likely unfinished.`,
      );
    }
  },
});
