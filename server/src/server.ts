/**
 * The coupon language server: wires the connection to the coupon language
 * service. Validation runs as soon as the event loop is free after a change,
 * once per burst of changes, and only for the newest version of a document.
 */
import { Connection, Diagnostic, TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createCouponLanguageService } from '../../core/src/languageService';
import { CouponServerInitializationOptions, isCouponDocument } from '../../core/src/protocol';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let service = createCouponLanguageService();
  const pending = new Map<string, NodeJS.Immediate>();

  const served = (uri: string): TextDocument | undefined => {
    const document = documents.get(uri);
    return document && isCouponDocument(document.uri, document.languageId) ? document : undefined;
  };

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as CouponServerInitializationOptions;
    service = createCouponLanguageService({ serverSideSnippets: !options.snippetsContributedByClient });
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
      },
      serverInfo: { name: 'coupon-series-language-server' },
    };
  });

  function scheduleValidation(document: TextDocument): void {
    const uri = document.uri;
    const previous = pending.get(uri);
    if (previous) clearImmediate(previous);
    pending.set(
      uri,
      setImmediate(() => {
        pending.delete(uri);
        const current = served(uri);
        if (!current) return;
        let diagnostics: Diagnostic[];
        try {
          diagnostics = service.validate(current);
        } catch (error) {
          connection.console.error(`Validation of ${uri} failed: ${error instanceof Error ? error.stack : String(error)}`);
          diagnostics = [];
        }
        void connection.sendDiagnostics({ uri, version: current.version, diagnostics });
      }),
    );
  }

  documents.onDidChangeContent(({ document }) => {
    if (isCouponDocument(document.uri, document.languageId)) scheduleValidation(document);
  });
  documents.onDidClose(({ document }) => {
    const timer = pending.get(document.uri);
    if (timer) clearImmediate(timer);
    pending.delete(document.uri);
    service.forget(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const document = served(textDocument.uri);
    return document ? service.complete(document, position) : null;
  });
  connection.onHover(({ textDocument, position }) => {
    const document = served(textDocument.uri);
    return document ? service.hover(document, position) : null;
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const document = served(textDocument.uri);
    return document ? service.codeActions(document, context.diagnostics) : [];
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const document = served(textDocument.uri);
    return document ? service.documentSymbols(document) : [];
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const document = served(textDocument.uri);
    return document ? service.foldingRanges(document) : [];
  });
  connection.onSelectionRanges(({ textDocument, positions }) => {
    const document = served(textDocument.uri);
    return document ? service.selectionRanges(document, positions) : [];
  });
  connection.onDocumentFormatting(({ textDocument, options }) => {
    const document = served(textDocument.uri);
    return document ? service.format(document, undefined, options) : [];
  });
  connection.onDocumentRangeFormatting(({ textDocument, range, options }) => {
    const document = served(textDocument.uri);
    return document ? service.format(document, range, options) : [];
  });

  documents.listen(connection);
  connection.listen();
}
