/**
 * `max-create-below-issued`: on update, maxCreate must be greater than the
 * number of coupons already issued. Only the server knows that number, so the
 * check runs when the engine has the server's series (before an update is
 * sent: Update, Push, `coupon plan` and `coupon push`), not while typing.
 */
import { fieldSchema, numberField } from './seriesFields';
import { defineRules, ERROR } from './rule';

export const maxCreateIssued = defineRules({
  name: 'maxCreateIssued',
  codes: [
    {
      code: 'max-create-below-issued',
      title: '`maxCreate` not above what was issued (update)',
      severity: ERROR,
      source: 'vendor docs',
      summary: 'On update, `maxCreate` is not greater than the number of coupons the series has already issued (the server\'s `numIssued`).',
      quotes: [{ page: 'facts', text: '`maxCreate` on update must be greater than the number already issued.' }],
      description:
        '`maxCreate` caps how many coupons the series can create. An update cannot bring it to or below the number already issued. ' +
        'That number is the server\'s (`numIssued` in its answer), so this is checked before an update is sent, when the tool has just read the series from the server: ' +
        'Update on Server, Push to Environment, `coupon plan` and `coupon push` report it and send nothing. The editor cannot know it while you type.\n\n' +
        '`-1` means no limit (inferred from the vendor\'s examples) and is never reported.',
      checkedBy: ['server'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "maxCreate": 500\n  },\n  "deployments": {\n    "100458@eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458 }\n  }\n}\n', server: { id: 86066, numIssued: 1200 } },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "maxCreate": 5000\n  },\n  "deployments": {\n    "100458@eu.api.capillarytech.com": { "id": 86066, "seriesCode": "453163F75E8C4A2EAA2E", "orgId": 100458 }\n  }\n}\n', server: { id: 86066, numIssued: 1200 } },
      },
    },
  ],
  check(context) {
    const issued = context.server?.numIssued;
    if (context.sendAs !== 'update' || typeof issued !== 'number') return;
    const maxCreate = numberField(context, 'maxCreate');
    const unlimited = fieldSchema('maxCreate')?.['x-unlimitedValue'] ?? -1;
    if (!maxCreate || maxCreate.value === unlimited || maxCreate.value > issued) return;
    context.report(
      maxCreate.node,
      'max-create-below-issued',
      `maxCreate (${maxCreate.value}) must be greater than the ${issued} coupon${issued === 1 ? '' : 's'} this series has already issued on the server: raise it above ${issued}, or write ${unlimited} for no limit.`,
    );
  },
});
