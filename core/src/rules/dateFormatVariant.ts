/** `date-format-variant`: a date the lenient pattern accepts but not in the documented form (fractional seconds, `+0530`). */
import { TextEdit } from 'vscode-json-languageservice';
import { codeAction, diagnosticData } from './quickFix';
import { DATE_TIME_FIELDS, matchesFieldPattern, stringField } from './seriesFields';
import { defineRules, WARNING } from './rule';

export const dateFormatVariant = defineRules({
  name: 'dateFormatVariant',
  codes: [
    {
      code: 'date-format-variant',
      title: 'a date not in the documented form',
      severity: WARNING,
      source: 'inferred',
      summary: 'A date with fractional seconds or an offset without a colon (`+0530`): a date, but not in the documented form.',
      reason: 'The docs write YYYY-MM-DDTHH:MM:SS±hh:mm and the server answers …Z; whether it reads fractions or +0530 is not documented.',
      description:
        'The docs write dates as `YYYY-MM-DDTHH:MM:SS±hh:mm`, and the server answers them as `…Z`. Fractional seconds (`00:00:00.250`) and an offset without its colon (`+0530`) are still dates ' +
        '(ISO 8601 allows both), so they are not [`invalid-format`](invalid-format.md) errors; but whether the server reads them is not documented. The message gives the documented form of the same date and time.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10T23:59:59.000+0530"\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "validTillDate": "2029-05-10T23:59:59+05:30"\n  }\n}\n' },
      },
      fix: {
        description: '**Write the date as …** writes the same date, time and offset in the documented form (whole seconds, `±hh:mm`).',
        build: (document, diagnostic) => {
          const suggestion = diagnosticData(diagnostic).suggestion;
          return suggestion ? codeAction(document, `Write the date as ${suggestion}`, diagnostic, [TextEdit.replace(diagnostic.range, JSON.stringify(suggestion))]) : undefined;
        },
      },
    },
  ],
  check(context) {
    for (const name of DATE_TIME_FIELDS) {
      const date = stringField(context, name);
      // Of the schema's shape, but not the documented one.
      if (!date || matchesFieldPattern(name, date.value) !== true || matchesFieldPattern(name, date.value, true) !== false) continue;
      const fraction = /:\d\d(\.\d+)/.exec(date.value)?.[1];
      const offset = /([+-]\d\d)(\d\d)$/.exec(date.value);
      const problems: string[] = [];
      if (fraction) problems.push(`fractional seconds (${fraction})`);
      if (offset) problems.push(`an offset without a colon (${offset[0]}, documented as ${offset[1]}:${offset[2]})`);
      // The documented form of the same wall time and offset (the fraction dropped: the docs count whole seconds).
      const documentedForm = date.value.replace(/(:\d\d)\.\d+/, '$1').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
      context.report(
        date.node,
        'date-format-variant',
        `${name} has ${problems.join(' and ')}: a date the server may well read, but the documented form is YYYY-MM-DDTHH:MM:SS±hh:mm: "${documentedForm}".`,
        matchesFieldPattern(name, documentedForm, true) ? { suggestion: documentedForm } : undefined,
      );
    }
  },
});
