/**
 * The agent tools as VS Code language model tools (Copilot's agent mode uses
 * them with no set-up): declared in package.json's
 * `contributes.languageModelTools` (generated from core/src/agent/tools.ts)
 * and registered here on the same tool code `coupon mcp` runs. Tools that
 * write ask first through `prepareInvocation`, showing the environment, its
 * org and what happens to each file; the read-only ones just run.
 */
import * as vscode from 'vscode';
import { AGENT_TOOLS, AgentHost, AgentTools, createAgentTools } from '../../core/src/agent';

/** What the extension exports for its tests: the registered tools' own `prepareInvocation`. */
export interface LanguageModelToolsApi {
  prepareToolInvocation(name: string, input: object): Promise<vscode.PreparedToolInvocation | null | undefined>;
}

/** Plain text as Markdown that shows it as it is (file names and server text may hold Markdown's characters), one line per line. */
function plainMarkdown(text: string): vscode.MarkdownString {
  return new vscode.MarkdownString(text.split('\n').map((line) => line.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&')).join('  \n'));
}

class CouponTool implements vscode.LanguageModelTool<object> {
  constructor(
    private readonly name: string,
    private readonly tools: AgentTools,
  ) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<object>): Promise<vscode.PreparedToolInvocation> {
    const prepared = await this.tools.prepare(this.name, options.input);
    return {
      invocationMessage: prepared.invocationMessage,
      ...(prepared.confirmation
        ? { confirmationMessages: { title: prepared.confirmation.title, message: plainMarkdown(prepared.confirmation.message) } }
        : {}),
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<object>): Promise<vscode.LanguageModelToolResult> {
    const result = await this.tools.call(this.name, options.input);
    // The answer in words, then the structured result (the MCP tool's structuredContent) as JSON.
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.text), new vscode.LanguageModelTextPart(JSON.stringify(result.structured))]);
  }
}

export function registerLanguageModelTools(context: vscode.ExtensionContext, host: AgentHost): LanguageModelToolsApi {
  const tools = createAgentTools(host, { pushOffered: true });
  const registered = new Map<string, CouponTool>();
  for (const definition of AGENT_TOOLS) {
    const tool = new CouponTool(definition.name, tools);
    registered.set(definition.name, tool);
    context.subscriptions.push(vscode.lm.registerTool(definition.name, tool));
  }
  return {
    async prepareToolInvocation(name, input) {
      const tool = registered.get(name);
      if (!tool) throw new Error(`No tool ${name}`);
      return tool.prepareInvocation({ input });
    },
  };
}
