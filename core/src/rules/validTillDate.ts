/**
 * `validTillDate` on create and update: required to create a series (the
 * schema's root if/else), optional on update, and needed again to create a
 * bound file's series on another environment (this module's check).
 */
import { REQUIRED_ON_CREATE } from '../schema';
import { seriesAnchor } from './seriesFields';
import { defineRules, ERROR, WARNING } from './rule';

const DEPLOYMENTS = '  "deployments": {\n    "100458@eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458 }\n  }\n';
const SERIES_WITHOUT_VALID_TILL =
  '  "CouponSeriesV2": {\n    "description": "DIWALI 10% OFF",\n    "discountCode": "XYZ123",\n    "discountType": "ABS",\n    "discountValue": 500,\n    "anyUser": false,\n    "smsTemplate": "Hi {{first_name}}, your voucher code is {{voucher}}.",\n    "clientHandlingType": "DISC_CODE",\n    "expiryStrategyType": "SERIES_EXPIRY"\n  }';

const CREATE_QUOTE = { page: 'facts', text: '`validTillDate` is required on create, optional on update.' } as const;

export const validTillDate = defineRules({
  name: 'validTillDate',
  codes: [
    {
      code: 'valid-till-required',
      title: 'a new series without `validTillDate`',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'A series not created yet (no deployment, no `id`: its next send is a create) needs `validTillDate`.',
      quotes: [CREATE_QUOTE],
      description:
        'A file with no deployment (and no legacy `id`) is created by its next send, and a create needs `validTillDate`, the date and time until which the series is valid. ' +
        'A bound file sent as a create to another environment needs it too: there this is reported in place of [`valid-till-missing`](valid-till-missing.md).',
      checkedBy: ['schema', 'rule'],
      examples: {
        wrong: { text: `{\n${SERIES_WITHOUT_VALID_TILL}\n}\n` },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  }\n}\n' },
      },
    },
    {
      code: 'valid-till-missing',
      title: 'no `validTillDate` (needed on another environment)',
      severity: WARNING,
      source: 'inferred',
      summary: 'A series already created somewhere has no `validTillDate`: an update may omit it, but creating it on another environment needs it.',
      quotes: [CREATE_QUOTE],
      reason: 'Optional on update; only a create (on an environment where the file has no deployment yet) needs it.',
      description:
        'An update may leave `validTillDate` out, so a bound file without it can be updated where it exists. But pushing it to an environment where it has no deployment yet creates it there, and a create needs it: ' +
        'that push is refused with [`valid-till-required`](valid-till-required.md).',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: `{\n${SERIES_WITHOUT_VALID_TILL},\n${DEPLOYMENTS}}\n` },
        right: { text: `{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  },\n${DEPLOYMENTS}}\n` },
      },
    },
  ],
  check(context) {
    if (!context.bound) return;
    for (const name of REQUIRED_ON_CREATE) {
      if (context.field(name)) continue;
      context.report(seriesAnchor(context), 'valid-till-missing', `"${name}" is missing: an update may leave it out, but creating this series on another environment (where the file has no deployment yet) needs it.`);
    }
  },
  // Sent as a create, the missing date is the create page's error.
  asCreate: (diagnostic) =>
    diagnostic.code === 'valid-till-missing' ? { code: 'valid-till-required', message: '"validTillDate" is required to create a series (the create page): add it.' } : undefined,
});
