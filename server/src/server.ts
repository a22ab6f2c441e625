/**
 * The coupon language server: wires an LSP connection to the coupon language
 * service. The platform (timers; in Node the file system) is injected by the
 * entry files, so the same server runs in Node and in a browser worker.
 *
 * The handlers are grouped by LSP area: document sync (openDocuments.ts),
 * validation and publishing (diagnosticsPublisher.ts), workspace files and
 * configuration (workspaceSync.ts), language features (languageFeatures.ts).
 */
import { Connection, InitializeParams, InitializeResult, TextDocumentSyncKind } from 'vscode-languageserver';
import { CouponServerInitializationOptions } from '../../core/src/protocol';
import { DiagnosticsPublisher, errorText } from './diagnosticsPublisher';
import { registerLanguageFeatures } from './languageFeatures';
import { LanguageServiceLoader } from './languageServiceLoader';
import { createOpenDocuments } from './openDocuments';
import { RuntimeEnvironment } from './runtime';
import { WorkspaceFiles } from './workspaceFiles';
import { WorkspaceSync } from './workspaceSync';

export type { RuntimeEnvironment } from './runtime';

/** What the server can do (a new object each time: the connection fills in its features' capabilities). */
const initializeResult = (): InitializeResult => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    completionProvider: { triggerCharacters: ['"', ':'] },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: ['quickfix'] },
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    selectionRangeProvider: true,
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  },
  serverInfo: { name: 'coupon-series-language-server' },
});

/** The language service's options from the client's initialization options. */
function serviceOptions(params: InitializeParams, runtime: RuntimeEnvironment) {
  const options = (params.initializationOptions ?? {}) as CouponServerInitializationOptions;
  const rulePagesUri = options.rulePagesUri ?? runtime.defaultRulePagesUri?.();
  return { serverSideSnippets: !options.snippetsContributedByClient, ...(rulePagesUri ? { validation: { rulePagesUri } } : {}) };
}

export function startServer(connection: Connection, runtime: RuntimeEnvironment): void {
  const documents = createOpenDocuments();
  const languageService = new LanguageServiceLoader(runtime);
  const workspace = new WorkspaceFiles();
  const diagnostics = new DiagnosticsPublisher(connection, runtime, documents, workspace, languageService);
  const workspaceSync = new WorkspaceSync(connection, workspace, diagnostics);

  connection.onInitialize((params) => {
    languageService.configure(serviceOptions(params, runtime));
    workspaceSync.initialize(params);
    return initializeResult();
  });
  connection.onInitialized(async () => {
    runtime.initialized?.();
    languageService.prepare((error) => connection.console.warn(`Warming up the language service failed: ${errorText(error)}`));
    await workspaceSync.initialized();
  });
  registerLanguageFeatures(connection, documents, languageService);
  connection.onShutdown(() => diagnostics.dispose());

  documents.listen(connection);
  connection.listen();
}
