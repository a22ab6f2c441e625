/**
 * `node dist/cli.js mcp` driven through the MCP SDK's `Client`, over a stdio
 * transport that also keeps every byte the server wrote: stdout (which must
 * hold protocol messages only) and stderr.
 */
import assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { assertBundleBuilt, CLI_BUNDLE } from './support';

/** A stdio client transport over `node dist/cli.js mcp ...args` that records the raw output. */
class RecordingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  stdout = '';
  stderr = '';
  exitCode: number | null = null;
  private child?: ChildProcessWithoutNullStreams;
  private readonly buffer = new ReadBuffer();
  readonly exited: Promise<number | null>;
  private markExited!: (code: number | null) => void;

  constructor(
    private readonly args: readonly string[],
    private readonly options: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
  }

  async start(): Promise<void> {
    assertBundleBuilt();
    const child = spawn(process.execPath, [CLI_BUNDLE, 'mcp', ...this.args], { cwd: this.options.cwd, env: { PATH: process.env.PATH ?? '', ...this.options.env }, stdio: 'pipe' });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString('utf8');
      this.buffer.append(chunk);
      for (let message = this.buffer.readMessage(); message !== null; message = this.buffer.readMessage()) this.onmessage?.(message);
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.on('error', (error) => this.onerror?.(error));
    child.on('close', (code) => {
      this.exitCode = code;
      this.markExited(code);
      this.onclose?.();
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child?.stdin.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.child?.stdin.end();
    await this.exited;
  }
}

export interface McpSession {
  client: Client;
  transport: RecordingTransport;
  /** Calls a tool; the SDK checks structuredContent against the tool's outputSchema. */
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent: Record<string, unknown> }>;
  close(): Promise<{ stdout: string; stderr: string; code: number | null }>;
}

export async function startMcp(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<McpSession> {
  const transport = new RecordingTransport(args, options);
  const client = new Client({ name: 'coupon-tests', version: '1.0.0' });
  await client.connect(transport);
  // The output validators are made from the listed tools' outputSchemas.
  await client.listTools();
  return {
    client,
    transport,
    async call(name, toolArgs) {
      const result = (await client.callTool({ name, arguments: toolArgs })) as CallToolResult & { structuredContent: Record<string, unknown> };
      assert.ok(Array.isArray(result.content) && result.content[0]?.type === 'text' && result.content[0].text.length > 0, `${name} answers in words`);
      return result;
    },
    async close() {
      await client.close();
      await transport.exited;
      return { stdout: transport.stdout, stderr: transport.stderr, code: transport.exitCode };
    },
  };
}

/** Every line of `stdout` is a JSON-RPC 2.0 message (nothing else may be written there). */
export function assertOnlyProtocolMessages(stdout: string, what: string): number {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', `${what}: stdout ends with a newline`);
  for (const line of lines) {
    let message: { jsonrpc?: unknown; id?: unknown; method?: unknown; result?: unknown; error?: unknown };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      assert.fail(`${what}: stdout holds a line that is not JSON: ${line.slice(0, 120)}`);
    }
    assert.equal(message.jsonrpc, '2.0', `${what}: not a JSON-RPC message: ${line.slice(0, 120)}`);
    assert.ok(message.method !== undefined || message.result !== undefined || message.error !== undefined, `${what}: not a request, notification or response: ${line.slice(0, 120)}`);
  }
  return lines.length;
}
