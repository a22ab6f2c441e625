/**
 * What `coupon mcp` offers to read besides the tools: the published JSON
 * Schema of a coupon file, and the rules with their documentation (an index,
 * and one page per rule).
 */
import strictSchema from '../../../schemas/coupon-series.schema.json';
import { explainRule, ruleFacts, ruleMarkdown } from './explain';

export interface AgentResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

export const SCHEMA_RESOURCE_URI = 'coupon://schema/coupon-series.schema.json';
export const RULES_RESOURCE_URI = 'coupon://rules';
const RULE_URI_PREFIX = `${RULES_RESOURCE_URI}/`;

export function agentResources(): AgentResource[] {
  return [
    {
      uri: SCHEMA_RESOURCE_URI,
      name: 'coupon-series.schema.json',
      title: 'Coupon series JSON Schema',
      description: 'The published JSON Schema (draft-07) of a coupon series file: every field of CouponSeriesV2, its type and allowed values.',
      mimeType: 'application/schema+json',
    },
    { uri: RULES_RESOURCE_URI, name: 'rules', title: 'Coupon series rules', description: 'Every rule coupon_validate applies: code, severity and what it catches.', mimeType: 'text/markdown' },
    ...ruleFacts().map((facts) => ({
      uri: `${RULE_URI_PREFIX}${facts.code}`,
      name: facts.code,
      title: `Rule ${facts.code}`,
      description: facts.summary,
      mimeType: 'text/markdown',
    })),
  ];
}

/** The text of a resource, or undefined for an unknown URI. */
export function readAgentResource(uri: string): { uri: string; mimeType: string; text: string } | undefined {
  if (uri === SCHEMA_RESOURCE_URI) return { uri, mimeType: 'application/schema+json', text: `${JSON.stringify(strictSchema, null, 2)}\n` };
  if (uri === RULES_RESOURCE_URI) {
    const lines = ruleFacts().map((facts) => `- \`${facts.code}\` (${facts.severity}${facts.source === 'inferred' ? ', inferred' : ''}): ${facts.summary} See ${RULE_URI_PREFIX}${facts.code}.`);
    return { uri, mimeType: 'text/markdown', text: ['# Coupon series rules', '', 'An error means the API would refuse the file (the vendor docs say so); a warning is inferred and never blocks sending.', '', ...lines, ''].join('\n') };
  }
  if (uri.startsWith(RULE_URI_PREFIX)) {
    const code = uri.slice(RULE_URI_PREFIX.length);
    if (!ruleFacts().some((facts) => facts.code === code)) return undefined;
    return { uri, mimeType: 'text/markdown', text: `${ruleMarkdown(explainRule(code))}\n` };
  }
  return undefined;
}
