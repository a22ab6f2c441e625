/**
 * `coupon mcp`: the agent tools as an MCP server over stdio, on the official
 * SDK's low-level `Server`. The low-level server takes the tools' JSON
 * Schemas as they are, so the one definition (core/src/agent/tools.ts) serves
 * MCP and VS Code's `contributes.languageModelTools` alike (the high-level
 * `McpServer` wants zod shapes and would derive the JSON from them).
 *
 * stdout carries protocol messages only; every message is scrubbed of the
 * secrets of the targets in use before it is written. Logs go to stderr.
 * This module is its own bundle (dist/mcp.js), loaded only by `coupon mcp`.
 */
import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createAgentTools, parsePushPolicy, pushAllowedAnywhere } from '../../../core/src/agent';
import { agentResources, readAgentResource } from '../../../core/src/agent/resources';
import { SecretScrubber } from '../../../core/src/engine';
import { environmentSecrets } from '../../../core/src/node/targets';
import { createMcpHost } from './host';

export interface McpServerOptions {
  /** The workspace root (a real path). */
  root: string;
  env: NodeJS.ProcessEnv;
  /** `--allow-push` values and COUPON_MCP_ALLOW_PUSH (comma-separated names, or `*`). */
  allowPush: readonly (string | undefined)[];
  readOnly: boolean;
  timeoutSeconds?: number;
  caFiles?: readonly string[];
  trustWorkspaceCa?: boolean;
  stdin: Readable;
  stdout: Writable;
  stderr: { write(chunk: string): unknown };
  version: string;
}

const INSTRUCTIONS =
  'Tools for Capillary coupon series files (*.coupon.json, {"CouponSeriesV2": {...}}) in this workspace. ' +
  'Validate after every edit (coupon_validate) and look up rules and fields (coupon_explain). ' +
  'To change a server: coupon_environments, then coupon_plan, show the plan to the user, then coupon_push with its planToken. ' +
  'Pushes go only to environments the user allowed, and are refused when anything changed since the plan.';

/** A JSON-RPC message with every secret removed (its JSON text scrubbed: the scrubber knows the escaped forms too). */
function scrubbedMessage(message: JSONRPCMessage, scrubber: SecretScrubber): JSONRPCMessage {
  const text = JSON.stringify(message);
  const scrubbed = scrubber.scrub(text);
  if (scrubbed === text) return message;
  try {
    return JSON.parse(scrubbed) as JSONRPCMessage;
  } catch {
    // Cannot happen with whole secret forms; never send the unscrubbed text.
    return { jsonrpc: '2.0', id: 'id' in message ? message.id : 0, error: { code: ErrorCode.InternalError, message: 'The answer held a secret and was withheld.' } } as JSONRPCMessage;
  }
}

/** Serves MCP on `stdin`/`stdout` until stdin ends. */
export async function runMcpServer(options: McpServerOptions): Promise<void> {
  const scrubber = new SecretScrubber();
  for (const secret of environmentSecrets(options.env)) scrubber.add(secret);
  const log = (line: string) => options.stderr.write(scrubber.scrub(`coupon mcp: ${line}\n`));
  const policy = parsePushPolicy(options.allowPush);
  const pushOffered = !options.readOnly && pushAllowedAnywhere(policy);
  const host = createMcpHost({
    root: options.root,
    env: options.env,
    policy,
    readOnly: options.readOnly,
    request: {
      ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
      caFiles: options.caFiles ?? [],
      trustWorkspaceCa: options.trustWorkspaceCa ?? false,
    },
    onSecrets: (secrets) => secrets.forEach((secret) => scrubber.add(secret)),
    log,
  });
  const tools = createAgentTools(host, { pushOffered });

  const server = new Server({ name: 'coupon-series', title: 'Coupon Series', version: options.version }, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.offered().map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema as { type: 'object' },
      outputSchema: tool.outputSchema as { type: 'object' },
      annotations: tool.annotations,
    })),
  }));
  // Calls still running when stdin ends are answered before the server closes.
  const running = new Set<Promise<unknown>>();
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = request.params.name;
    log(name);
    const call = tools.call(name, request.params.arguments ?? {});
    running.add(call);
    try {
      const result = await call;
      return { content: [{ type: 'text' as const, text: result.text }], structuredContent: result.structured, isError: result.isError };
    } catch (error) {
      // A bug, not a refusal: said on stderr with its stack, and to the client in one line.
      log(`unexpected failure in ${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { content: [{ type: 'text' as const, text: `Unexpected failure: ${error instanceof Error ? error.message : String(error)}` }], isError: true };
    } finally {
      running.delete(call);
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: agentResources() }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const resource = readAgentResource(request.params.uri);
    if (!resource) throw new McpError(ErrorCode.InvalidParams, `No resource ${request.params.uri}.`);
    return { contents: [resource] };
  });

  const transport = new StdioServerTransport(options.stdin, options.stdout);
  const send = transport.send.bind(transport);
  transport.send = (message) => send(scrubbedMessage(message, scrubber));
  transport.onerror = (error) => log(`transport: ${error.message}`);

  const ended = new Promise<void>((resolve) => {
    options.stdin.once('end', resolve);
    options.stdin.once('close', resolve);
    server.onclose = () => resolve();
  });
  await server.connect(transport);
  log(`serving ${options.root} on stdio (${tools.offered().map((tool) => tool.name).join(', ')}${options.readOnly ? '; read-only' : ''})`);
  await ended;
  while (running.size > 0) await Promise.allSettled([...running]);
  // Let the last answers reach stdout before the transport is closed.
  await new Promise((resolve) => setImmediate(resolve));
  await server.close();
}
