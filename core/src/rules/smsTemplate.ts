/**
 * SMS placeholders: each must be exactly `{{tag}}` (reported on the characters
 * at fault), and the tag one the docs show (unknown tags: a warning on the tag,
 * with a "did you mean").
 */
import { TextEdit } from 'vscode-json-languageservice';
import { closestMatch } from '../closestMatch';
import { seriesSchema } from '../schema';
import { spanInString, stringValueOffsets } from '../stringValueOffsets';
import { codeAction, diagnosticData } from './quickFix';
import { stringField } from './seriesFields';
import { defineRules, WARNING } from './rule';

/** The series fields whose schema lists known template tags (`x-knownTags`). */
const TEMPLATE_FIELDS: readonly [string, string[]][] = Object.entries(seriesSchema.properties ?? {})
  .filter(([, schema]) => Array.isArray(schema['x-knownTags']))
  .map(([name, schema]) => [name, schema['x-knownTags'] as string[]]);

/** A run of braces with what they enclose: `{{tag}}`, `{tag}`, `{{tag}`, or a lone `{{` / `}}`. */
const BRACE_TOKEN = /\{+[^{}]*\}+|\{+|\}+/g;

export const smsTemplate = defineRules({
  name: 'smsTemplate',
  codes: [
    {
      code: 'sms-placeholder-unbalanced',
      title: 'an unbalanced SMS placeholder',
      severity: WARNING,
      source: 'inferred',
      summary: 'An SMS template placeholder is not a balanced `{{tag}}`.',
      reason: 'The docs show tags in double braces; what the server does with a stray brace is not documented.',
      description:
        'Tags in `smsTemplate` are written in double braces, `{{first_name}}`. A single brace (`{first_name}`), an unclosed or unopened pair (`{{first_name`, `first_name}}`), or an empty `{{}}` would most likely reach customers as written. ' +
        'The warning is on the characters at fault, inside the string.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "smsTemplate": "Hi {first_name}, your voucher code is {{voucher}}."\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "smsTemplate": "Hi {{first_name}}, your voucher code is {{voucher}}."\n  }\n}\n' },
      },
    },
    {
      code: 'sms-unknown-tag',
      title: 'an SMS tag the docs never show',
      severity: WARNING,
      source: 'inferred',
      summary: "An SMS template tag that the vendor's docs never show.",
      quotes: [
        {
          page: 'facts',
          text: 'SMS template tags seen in the docs: `{{first_name}}`, `{{last_name}}`, `{{fullname}}`, `{{voucher}}`, `{{valid_days_from_create}}`, `{{offer_name}}`, `{{cust_name}}`, `{{voucher_code}}`. No authoritative full list exists: an unknown tag is a warning at most.',
        },
      ],
      reason: 'No authoritative list of tags exists, so an unknown tag may still be valid.',
      description:
        'The tags the docs show: `{{first_name}}`, `{{last_name}}`, `{{fullname}}`, `{{voucher}}`, `{{valid_days_from_create}}`, `{{offer_name}}`, `{{cust_name}}`, `{{voucher_code}}`. ' +
        'Another tag may be a typo of one of them (the message suggests the closest), or a tag the docs do not show.',
      checkedBy: ['rule'],
      examples: {
        wrong: { text: '{\n  "CouponSeriesV2": {\n    …\n    "smsTemplate": "Hi {{frist_name}}, your voucher code is {{voucher}}."\n  }\n}\n' },
        right: { text: '{\n  "CouponSeriesV2": {\n    …\n    "smsTemplate": "Hi {{first_name}}, your voucher code is {{voucher}}."\n  }\n}\n' },
      },
      fix: {
        description: 'When a known tag is close to the one written, **Change tag to {{…}}** writes it.',
        build: (document, diagnostic) => {
          const suggestion = diagnosticData(diagnostic).suggestion;
          return suggestion ? codeAction(document, `Change tag to {{${suggestion}}}`, diagnostic, [TextEdit.replace(diagnostic.range, suggestion)]) : undefined;
        },
      },
    },
  ],
  check(context) {
    for (const [name, knownTags] of TEMPLATE_FIELDS) {
      const template = stringField(context, name);
      if (!template || (!template.value.includes('{') && !template.value.includes('}'))) continue;
      const offsets = stringValueOffsets(context.document, template.node);
      const text = template.value;
      for (const match of text.matchAll(BRACE_TOKEN)) {
        const token = match[0];
        const start = match.index ?? 0;
        const opens = /^\{*/.exec(token)?.[0].length ?? 0;
        const closes = /\}*$/.exec(token)?.[0].length ?? 0;
        const inner = token.slice(opens, token.length - closes);
        if (opens === 2 && closes === 2 && inner.length > 0) {
          if (!knownTags.includes(inner)) {
            const suggestion = closestMatch(inner.trim(), knownTags);
            const hint = suggestion ? ` Did you mean "{{${suggestion}}}"?` : ` Known tags: ${knownTags.map((tag) => `{{${tag}}}`).join(', ')}.`;
            context.report(
              spanInString(offsets, template.node, start + 2, start + 2 + inner.length),
              'sms-unknown-tag',
              `"{{${inner}}}" is not a tag the vendor's docs show, so the SMS may go out with it unreplaced.${hint}`,
              suggestion ? { suggestion } : undefined,
            );
          }
          continue;
        }
        // Extend a lone `{{` over the tag that follows it, and a lone `}}` over the tag before it.
        let from = start;
        let to = start + token.length;
        if (closes === 0) to += /^\w*/.exec(text.slice(to))?.[0].length ?? 0;
        if (opens === 0) from -= /\w*$/.exec(text.slice(0, from))?.[0].length ?? 0;
        const shown = text.slice(from, to);
        const tag = (inner || shown.replace(/[{}]/g, '')).trim();
        const fix = tag ? `write it as "{{${tag}}}"` : 'remove the stray braces';
        let message: string;
        if (opens === 0) message = `"${shown}" closes a placeholder that was never opened: ${fix}.`;
        else if (closes === 0) message = `"${shown}" opens a placeholder that is never closed: ${fix}.`;
        else if (inner.length === 0) message = `"${shown}" is an empty placeholder: put a tag inside, e.g. "{{${knownTags[0] ?? 'first_name'}}}", or remove it.`;
        else message = `"${shown}" is not a placeholder: tags take two braces on each side, so ${fix}.`;
        context.report(spanInString(offsets, template.node, from, to), 'sms-placeholder-unbalanced', message);
      }
    }
  },
});
