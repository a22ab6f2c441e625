/**
 * The coupon language server: wires an LSP connection to the coupon language
 * service. The platform (timers; in Node the file system) is injected by the
 * entry files, so the same server runs in Node and in a browser worker.
 *
 * Diagnostics cover every coupon file of the workspace: open documents are
 * validated first (once per burst of changes, newest version only, see
 * validationScheduler.ts); the other files the client lists are validated at
 * low priority from their saved content. An open document's diagnostics win;
 * when it closes, its saved content's diagnostics come back.
 */
import {
  Connection,
  Diagnostic,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import type { CouponLanguageService, CouponLanguageServiceOptions } from '../../core/src/languageService';
import { WindowedTextDocument } from '../../core/src/windowedDocument';
import { FILES_EXCLUDE_SETTING, selectionRules } from '../../core/src/fileSelection';
import {
  CouponServerInitializationOptions,
  EXCLUDE_SETTING,
  isCouponDocument,
  READ_FILE_REQUEST,
  ReadFileParams,
  WORKSPACE_FILES_NOTIFICATION,
  WorkspaceFilesParams,
} from '../../core/src/protocol';
import { FileTooLargeError, MAX_UNOPENED_FILE_BYTES, RuntimeEnvironment } from './runtime';
import { ValidationScheduler } from './validationScheduler';
import { WorkspaceFiles } from './workspaceFiles';

export type { RuntimeEnvironment } from './runtime';

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export function startServer(connection: Connection, runtime: RuntimeEnvironment): void {
  // Open documents keep their text as a base plus an edited window: typing never rebuilds a large file's text.
  const documents = new TextDocuments<WindowedTextDocument>({
    create: (uri, languageId, version, content) => new WindowedTextDocument(uri, languageId, version, content),
    update: (document, changes, version) => (document.update(changes, version), document),
  });
  let serviceOptions: CouponLanguageServiceOptions = {};
  let loadedService: CouponLanguageService | undefined;
  /** The language service, loaded on first use (the server answers `initialize` before loading it). */
  const service = (): CouponLanguageService => (loadedService ??= runtime.loadLanguageService().createCouponLanguageService(serviceOptions));
  const workspace = new WorkspaceFiles();
  /** Unopened files whose saved content's diagnostics are shown (cleared when they leave the workspace check). */
  const shownUnopened = new Set<string>();
  let canPullConfiguration = false;
  let canRegisterConfiguration = false;
  let hearsFolderChanges = false;
  /** The workspace is checked once the exclusions are known, so an excluded file never flashes up. */
  let excludesKnown!: () => void;
  const excludesReady = new Promise<void>((resolve) => (excludesKnown = resolve));

  const served = (uri: string): WindowedTextDocument | undefined => {
    const document = documents.get(uri);
    return document && isCouponDocument(document.uri, document.languageId) ? document : undefined;
  };

  const publish = (uri: string, diagnostics: Diagnostic[], version?: number) => {
    void connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  };

  async function readUnopened(uri: string): Promise<string | undefined> {
    const local = runtime.readFile?.(uri, MAX_UNOPENED_FILE_BYTES);
    if (local) return local;
    const params: ReadFileParams = { uri, maxBytes: MAX_UNOPENED_FILE_BYTES };
    return (await connection.sendRequest<string | null>(READ_FILE_REQUEST, params)) ?? undefined;
  }

  const scheduler = new ValidationScheduler(runtime.timer, {
    validateOpen(uri) {
      const document = served(uri);
      if (!document) return;
      publish(uri, service().validate(document), document.version);
    },
    async validateUnopened(uri) {
      if (!workspace.isIncluded(uri) || documents.get(uri)) return;
      let text: string | undefined;
      try {
        text = await readUnopened(uri);
      } catch (error) {
        if (error instanceof FileTooLargeError) connection.console.info(`Not checked until opened: ${error.message}`);
        else connection.console.warn(`Could not read ${uri}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      // The file may have been opened, excluded or deleted while it was read.
      if (!workspace.isIncluded(uri) || documents.get(uri)) return;
      if (text === undefined) {
        forgetUnopened(uri);
        return;
      }
      publish(uri, service().validateText(uri, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
      shownUnopened.add(uri);
    },
    failed(uri, error) {
      connection.console.error(`Validation of ${uri} failed: ${errorText(error)}`);
    },
  });

  /** A file left the workspace check (deleted, excluded): its diagnostics go, unless it is open. */
  function forgetUnopened(uri: string): void {
    scheduler.dequeueUnopened(uri);
    if (shownUnopened.delete(uri) && !documents.get(uri)) publish(uri, []);
  }

  /** After the list or the exclusions changed: queue what is now included, clear what is not. */
  function reconcileWorkspace(): void {
    for (const uri of [...shownUnopened]) if (!workspace.isIncluded(uri)) forgetUnopened(uri);
    scheduler.enqueueUnopened(workspace.included().filter((uri) => !documents.get(uri) && !shownUnopened.has(uri)));
  }

  async function pullExcludes(): Promise<void> {
    const folders = workspace.workspaceFolders;
    if (!canPullConfiguration || folders.length === 0) return;
    try {
      const sections = [EXCLUDE_SETTING, FILES_EXCLUDE_SETTING] as const;
      const values: unknown[] = await connection.workspace.getConfiguration(folders.flatMap((scopeUri) => sections.map((section) => ({ scopeUri, section }))));
      folders.forEach((folder, i) => workspace.setRules(folder, selectionRules((setting) => values[i * sections.length + sections.indexOf(setting)]).rules));
    } catch (error) {
      connection.console.warn(`Could not read ${EXCLUDE_SETTING} and ${FILES_EXCLUDE_SETTING}: ${errorText(error)}`);
    }
  }

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as CouponServerInitializationOptions;
    const rulePagesUri = options.rulePagesUri ?? runtime.defaultRulePagesUri?.();
    serviceOptions = { serverSideSnippets: !options.snippetsContributedByClient, ...(rulePagesUri ? { validation: { rulePagesUri } } : {}) };
    const clientWorkspace = params.capabilities.workspace;
    canPullConfiguration = clientWorkspace?.configuration === true;
    canRegisterConfiguration = clientWorkspace?.didChangeConfiguration?.dynamicRegistration === true;
    hearsFolderChanges = clientWorkspace?.workspaceFolders === true;
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders);
    return {
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
    };
  });

  connection.onInitialized(async () => {
    // Load the language service while the client is still busy opening its documents.
    runtime.timer.setImmediate(() => void service());
    if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: ['couponSeries', 'files'] });
    if (hearsFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders(async ({ added, removed }) => {
        const removedUris = new Set(removed.map((folder) => folder.uri.replace(/\/+$/, '')));
        workspace.setFolders([...workspace.workspaceFolders.filter((uri) => !removedUris.has(uri)), ...added.map((folder) => folder.uri)]);
        await pullExcludes();
        reconcileWorkspace();
      });
    }
    await pullExcludes();
    excludesKnown();
    reconcileWorkspace();
  });

  connection.onDidChangeConfiguration(async () => {
    await pullExcludes();
    reconcileWorkspace();
  });

  connection.onNotification(WORKSPACE_FILES_NOTIFICATION, async (params: WorkspaceFilesParams) => {
    workspace.replace(Array.isArray(params?.uris) ? params.uris.filter((uri) => typeof uri === 'string') : []);
    await excludesReady;
    reconcileWorkspace();
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    await excludesReady;
    const changed: string[] = [];
    for (const { uri, type } of changes) {
      if (type === FileChangeType.Deleted) {
        workspace.remove(uri);
        forgetUnopened(uri);
      } else if (workspace.add(uri) && workspace.isIncluded(uri) && !documents.get(uri)) {
        changed.push(uri);
      }
    }
    scheduler.enqueueUnopened(changed);
  });

  documents.onDidChangeContent(({ document }) => {
    if (isCouponDocument(document.uri, document.languageId)) scheduler.documentChanged(document.uri);
  });
  documents.onDidClose(({ document }) => {
    scheduler.documentClosed(document.uri);
    service().forget(document.uri);
    if (workspace.isIncluded(document.uri)) {
      // The open version's diagnostics stay until the saved content's replace them.
      scheduler.enqueueUnopened([document.uri], true);
    } else {
      shownUnopened.delete(document.uri);
      publish(document.uri, []);
    }
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const document = served(textDocument.uri);
    return document ? service().complete(document, position) : null;
  });
  connection.onHover(({ textDocument, position }) => {
    const document = served(textDocument.uri);
    return document ? service().hover(document, position) : null;
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const document = served(textDocument.uri);
    return document ? service().codeActions(document, context.diagnostics) : [];
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const document = served(textDocument.uri);
    return document ? service().documentSymbols(document) : [];
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const document = served(textDocument.uri);
    return document ? service().foldingRanges(document) : [];
  });
  connection.onSelectionRanges(({ textDocument, positions }) => {
    const document = served(textDocument.uri);
    return document ? service().selectionRanges(document, positions) : [];
  });
  connection.onDocumentFormatting(({ textDocument, options }) => {
    const document = served(textDocument.uri);
    return document ? service().format(document, undefined, options) : [];
  });
  connection.onDocumentRangeFormatting(({ textDocument, range, options }) => {
    const document = served(textDocument.uri);
    return document ? service().format(document, range, options) : [];
  });
  connection.onShutdown(() => scheduler.dispose());

  documents.listen(connection);
  connection.listen();
}
