/**
 * The agent tools (validate, explain, environments, plan, push, pull) for
 * every front end that offers them to an assistant: `coupon mcp` (MCP over
 * stdio) and the extension's language model tools. A front end gives an
 * `AgentHost` and wires `call` (and, where it can ask the user, `prepare`);
 * the tools decide everything else, the same way for both.
 */
import { describeEnvironment } from './describe';
import { refusalOf } from './advice';
import { explainField, explainIndex, explainRule, fieldMarkdown, ruleMarkdown } from './explain';
import type { AgentHost } from './host';
import { AgentRefusal } from './host';
import { checkInput } from './inputs';
import { createPlanTokens, PlanTokens } from './planToken';
import { previewPull, pullTool, PullInput } from './pull';
import { planTool, previewPush, pushPermissionOf, pushTool, PlanInput, PushInput } from './push';
import { AGENT_TOOLS, AgentToolDefinition, TOOL_NAMES, toolDefinition } from './tools';
import { describeValidation, validateTool } from './validate';

export { AgentRefusal } from './host';
export type { AgentConnection, AgentEnvironment, AgentHost, CredentialsAvailability, PushPermission } from './host';
export { AGENT_TOOLS, languageModelToolsManifest, MAX_FILE_BYTES, TOOL_NAMES } from './tools';
export type { AgentToolDefinition, ToolName } from './tools';
export { ALLOW_EVERY_UNPROTECTED, ALLOW_PUSH_VARIABLE, parsePushPolicy, pushAllowedAnywhere, pushPermission } from './pushPolicy';
export type { PushPolicy } from './pushPolicy';

export interface AgentToolResult {
  /** The short answer, for the model and for people. */
  text: string;
  /** The result as the tool's output schema says (or `{refused}`). */
  structured: Record<string, unknown>;
  /** Nothing (or not everything) was done. */
  isError: boolean;
}

/** What the editor shows before a tool runs: a question for the tools that write, a progress line for the others. */
export interface AgentPreparation {
  invocationMessage: string;
  /** Present when the user must confirm first. */
  confirmation?: { title: string; message: string };
}

export interface AgentTools {
  /** The tools offered: none that writes in read-only mode, and push only where some environment may be pushed to. */
  offered(): AgentToolDefinition[];
  call(name: string, input: unknown): Promise<AgentToolResult>;
  prepare(name: string, input: unknown): Promise<AgentPreparation>;
}

export interface AgentToolsOptions {
  /** Whether coupon_push is offered at all (`coupon mcp` without --allow-push: no). */
  pushOffered: boolean;
  /** The session's plan tokens (a fresh key by default). */
  tokens?: PlanTokens;
}

function refused(error: unknown, host: AgentHost): AgentToolResult {
  const refusal = refusalOf(error, undefined, host.adviceWords);
  return { text: refusal.message, structured: { refused: refusal }, isError: true };
}

export function createAgentTools(host: AgentHost, options: AgentToolsOptions): AgentTools {
  const tokens = options.tokens ?? createPlanTokens();
  const isOffered = (tool: AgentToolDefinition) => (tool.writes === 'nothing' || !host.readOnly) && (tool.name !== TOOL_NAMES.push || options.pushOffered);

  async function run(name: string, raw: unknown): Promise<AgentToolResult> {
    const tool = toolDefinition(name);
    if (!tool || !isOffered(tool)) {
      const why = tool ? (host.readOnly ? ' in read-only mode' : ': no environment may be pushed to (--allow-push)') : '';
      throw new AgentRefusal(tool && host.readOnly ? 'read-only' : 'unknown-tool', `The tool ${name} is not offered${why}. Offered: ${AGENT_TOOLS.filter(isOffered).map((offered) => offered.name).join(', ')}.`);
    }
    const input = checkInput<Record<string, unknown>>(tool.inputSchema, raw);
    switch (tool.name) {
      case TOOL_NAMES.validate: {
        const output = await validateTool(host, input as { path?: string; content?: string });
        return { text: describeValidation(output), structured: { ...output }, isError: false };
      }
      case TOOL_NAMES.explain: {
        const { code, field } = input as { code?: string; field?: string };
        if (code === undefined && field === undefined) {
          const index = explainIndex();
          return { text: `${index.rules.length} rules (codes: ${index.rules.map((rule) => rule.code).join(', ')}); fields of CouponSeriesV2: ${index.fields.join(', ')}.`, structured: index, isError: false };
        }
        const rule = code !== undefined ? explainRule(code) : undefined;
        const explained = field !== undefined ? explainField(field) : undefined;
        const text = [rule ? ruleMarkdown(rule) : '', explained ? fieldMarkdown(explained) : ''].filter(Boolean).join('\n\n');
        return { text, structured: { ...(rule ? { rule } : {}), ...(explained ? { field: explained } : {}) }, isError: false };
      }
      case TOOL_NAMES.environments: {
        const { environments, warnings } = await host.environments();
        const listed = environments.map((environment) => ({ ...environment, push: pushPermissionOf(host, environment) }));
        const text = listed.map((environment) => `- ${describeEnvironment(environment)}; push ${environment.push.allowed ? 'allowed' : `not allowed (${environment.push.reason ?? ''})`}`).join('\n');
        return { text: [`${listed.length} environment${listed.length === 1 ? '' : 's'}:`, text, ...warnings.map((warning) => `Settings: ${warning}`)].join('\n'), structured: { environments: listed, warnings }, isError: false };
      }
      case TOOL_NAMES.plan: {
        const { output, text } = await planTool(host, tokens, input as unknown as PlanInput);
        return { text, structured: { ...output }, isError: output.failure !== undefined };
      }
      case TOOL_NAMES.push: {
        const { output, text, failed } = await pushTool(host, tokens, input as unknown as PushInput);
        return { text, structured: { ...output }, isError: failed };
      }
      case TOOL_NAMES.pull: {
        const { output, text } = await pullTool(host, input as unknown as PullInput);
        return { text, structured: { ...output }, isError: false };
      }
    }
  }

  return {
    offered: () => AGENT_TOOLS.filter(isOffered),

    async call(name, input) {
      try {
        return await run(name, input);
      } catch (error) {
        return refused(error, host);
      }
    },

    async prepare(name, raw) {
      const tool = toolDefinition(name);
      if (!tool) return { invocationMessage: name };
      const running = `${tool.title}…`;
      if (tool.writes === 'nothing') return { invocationMessage: running };
      try {
        const input = checkInput<Record<string, unknown>>(tool.inputSchema, raw);
        const preview = tool.name === TOOL_NAMES.push ? await previewPush(host, tokens, input as unknown as PushInput) : await previewPull(host, input as unknown as PullInput);
        const { environment } = preview;
        const title = `${tool.name === TOOL_NAMES.push ? 'Push to' : 'Pull from'} ${environment.name}${environment.protected ? ' (protected)' : ''}?`;
        const where = `Environment: ${describeEnvironment(environment)}.`;
        return { invocationMessage: running, confirmation: { title, message: [where, '', ...preview.lines].join('\n') } };
      } catch (error) {
        // Still asked: what it will say when it runs is the refusal.
        return { invocationMessage: running, confirmation: { title: `${tool.title}?`, message: `It will be refused: ${refusalOf(error, undefined, host.adviceWords).message}` } };
      }
    },
  };
}
