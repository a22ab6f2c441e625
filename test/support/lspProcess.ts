/**
 * A minimal LSP client over stdio for tests and the benchmark: starts
 * `node dist/server.js --stdio` as a real process and speaks JSON-RPC to it.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { SERVER_NODE_FLAGS } from '../../core/src/protocol';
import { sleep } from '../../core/src/util';
import { REPO_ROOT } from './testUtil';

export const SERVER_MODULE = path.join(REPO_ROOT, 'dist', 'server.js');

interface DiagnosticsWaiter {
  version: number;
  resolve(diagnostics: Diagnostic[]): void;
}

export interface LspSession {
  readonly process: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  open(uri: string, text: string, languageId?: string): void;
  /** Sends a change (full text, or incremental events) and returns the new version. */
  change(uri: string, changes: string | TextDocumentContentChangeEvent[]): number;
  close(uri: string): void;
  /** Resolves when every notification sent so far has been written to the server's input. */
  written(): Promise<void>;
  diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<Diagnostic[]>;
  /** How many publishDiagnostics the server has sent for this URI so far. */
  publishCount(uri: string): number;
  /** Calls `listener` with every publishDiagnostics from now on. */
  onPublish(listener: (params: PublishDiagnosticsParams) => void): void;
  request<R>(method: string, params: unknown): Promise<R>;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  initializationOptions?: unknown;
  /** Workspace folder URIs (initialize's workspaceFolders). */
  workspaceFolders?: string[];
  /** Answers to workspace/configuration, by section (and scope URI); the client then declares configuration support. */
  configuration?: (section: string, scopeUri?: string) => unknown;
  /** Node flags; by default the ones the extension starts the server with. */
  nodeFlags?: readonly string[];
  /** Another server's module (the benchmark runs VS Code's JSON server too); default dist/server.js. */
  serverModule?: string;
  /** Client capabilities merged over the defaults. */
  capabilities?: Record<string, unknown>;
}

export async function startLanguageServer(options: ServerProcessOptions = {}): Promise<LspSession> {
  const { initializationOptions, nodeFlags = SERVER_NODE_FLAGS, workspaceFolders, configuration, serverModule = SERVER_MODULE } = options;
  const child = spawn(process.execPath, [...nodeFlags, serverModule, '--stdio'], { stdio: 'pipe' });
  // Drained, so a chatty server never blocks on a full pipe.
  child.stderr.resume();
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const versions = new Map<string, number>();
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters = new Map<string, DiagnosticsWaiter[]>();
  const publishCounts = new Map<string, number>();
  let lastWrite: Promise<void> = Promise.resolve();
  const publishListeners: ((params: PublishDiagnosticsParams) => void)[] = [];

  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    latest.set(params.uri, params);
    publishCounts.set(params.uri, (publishCounts.get(params.uri) ?? 0) + 1);
    for (const listener of publishListeners) listener(params);
    const remaining: DiagnosticsWaiter[] = [];
    for (const waiter of waiters.get(params.uri) ?? []) {
      if ((params.version ?? 0) >= waiter.version) waiter.resolve(params.diagnostics);
      else remaining.push(waiter);
    }
    waiters.set(params.uri, remaining);
  });
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) =>
    params.items.map((item) => (configuration && item.section ? (configuration(item.section, item.scopeUri) ?? null) : null)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();

  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: workspaceFolders?.map((uri) => ({ uri, name: path.basename(uri) })) ?? null,
    capabilities: {
      workspace: { configuration: configuration !== undefined, workspaceFolders: workspaceFolders !== undefined, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { versionSupport: true },
      },
      ...options.capabilities,
    },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});

  return {
    process: child,
    connection,
    open(uri, text, languageId = 'coupon-json') {
      versions.set(uri, 1);
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    },
    change(uri, changes) {
      const version = (versions.get(uri) ?? 0) + 1;
      versions.set(uri, version);
      const contentChanges = typeof changes === 'string' ? [{ text: changes }] : changes;
      lastWrite = connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
      return version;
    },
    close(uri) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    written: () => lastWrite,
    diagnostics(uri, version = versions.get(uri) ?? 1, timeoutMs = 20_000) {
      const current = latest.get(uri);
      if (current && (current.version ?? 0) >= version) return Promise.resolve(current.diagnostics);
      return new Promise<Diagnostic[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} version ${version} within ${timeoutMs} ms`)), timeoutMs);
        const list = waiters.get(uri) ?? [];
        list.push({ version, resolve: (diagnostics) => (clearTimeout(timer), resolve(diagnostics)) });
        waiters.set(uri, list);
      });
    },
    publishCount: (uri) => publishCounts.get(uri) ?? 0,
    onPublish: (listener) => void publishListeners.push(listener),
    request<R>(method: string, params: unknown) {
      return connection.sendRequest(method, params) as Promise<R>;
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), sleep(2000)]);
        void connection.sendNotification('exit');
      } catch {
        // The process may already be gone; killing it below is enough.
      }
      connection.dispose();
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 2000);
          child.once('exit', () => (clearTimeout(timer), resolve()));
        });
      }
    },
  };
}
