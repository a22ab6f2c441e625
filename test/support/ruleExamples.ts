/**
 * The rule modules' examples as whole files: a line holding only `…` stands
 * for the rest of a valid series, the fields of SMALL_VALID_SERIES that the
 * example does not name itself.
 */
import type { RuleExample } from '../../core/src/rules/rule';
import type { ValidationOptions } from '../../core/src/validate';
import { NOW } from './testUtil';

/** A series that creates cleanly: every field the update page makes mandatory, and validTillDate. */
export const SMALL_VALID_SERIES: Readonly<Record<string, unknown>> = {
  description: 'DIWALI 10% OFF',
  discountCode: 'XYZ123',
  discountType: 'ABS',
  discountValue: 500,
  anyUser: false,
  smsTemplate: 'Hi {{first_name}}, your voucher code is {{voucher}}.',
  clientHandlingType: 'DISC_CODE',
  expiryStrategyType: 'SERIES_EXPIRY',
  expiryStrategyValue: 1,
  validTillDate: '2029-05-10T23:59:59+05:30',
};

/** The example's text with its `…` line replaced by the fields it does not name. */
export function expandExample(text: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => line.trim() === '…');
  if (at < 0) return text;
  const named = new Set([...text.matchAll(/"([^"\\]+)"\s*:/g)].map((match) => match[1]));
  const indent = /^\s*/.exec(lines[at])?.[0] ?? '';
  const members = Object.entries(SMALL_VALID_SERIES)
    .filter(([key]) => !named.has(key))
    .map(([key, value]) => `${indent}${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const next = lines.slice(at + 1).find((line) => line.trim() !== '') ?? '';
  const last = next.trim().startsWith('}');
  return [...lines.slice(0, at), members.join(',\n') + (last ? '' : ','), ...lines.slice(at + 1)].join('\n');
}

/** How the tests validate an example: pinned now, and for a rule checked before an update, as that update. */
export function exampleOptions(example: RuleExample): ValidationOptions {
  return { now: NOW, ...(example.server ? { sendAs: 'update', server: example.server } : {}) };
}
