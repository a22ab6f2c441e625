/** `invalid-date`: a date of the right shape that is not on the calendar (2029-02-30), which a pattern cannot see. */
import { explainInvalidDateTime } from '../dates';
import { DATE_TIME_FIELDS, matchesFieldPattern, stringField } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const invalidDate = defineRules({
  name: 'invalidDate',
  codes: [
    {
      code: 'invalid-date',
      title: 'a date not on the calendar',
      severity: WARNING,
      source: 'inferred',
      summary: 'A date has the right shape but is not on the calendar (e.g. 2029-02-30).',
      reason: 'The docs do not say whether the server refuses such a date or rolls it over to the next month.',
      description:
        'A date can have the documented shape and still not exist: February 30th, April 31st, February 29th of a year that is not a leap year, an offset beyond ±18:00. ' +
        'The message says what is wrong. A lenient server may refuse it or roll it over (2029-02-30 becoming March 2nd); the docs do not say which.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-02-30T23:59:59+05:30"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-02-28T23:59:59+05:30"\n  }\n}\n' },
      },
    },
  ],
  check(context) {
    for (const name of DATE_TIME_FIELDS) {
      const date = stringField(context, name);
      if (!date) continue;
      // A string of the wrong shape is the schema's invalid-format diagnostic.
      if (matchesFieldPattern(name, date.value) === false) continue;
      const reason = explainInvalidDateTime(date.value);
      if (reason) {
        context.report(date.node, 'invalid-date', `"${date.value}" is not a real date and time (${reason}): the server may refuse it or roll it over; correct ${name}.`);
      }
    }
  },
});
