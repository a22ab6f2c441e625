/**
 * Language features: completion, hover, quick fixes, outline, folding,
 * selection ranges and formatting, each answered by the coupon language
 * service for a served document (nothing for other files).
 */
import type { Connection } from 'vscode-languageserver';
import type { LanguageServiceLoader } from './languageServiceLoader';
import { OpenDocuments, servedDocument } from './openDocuments';

export function registerLanguageFeatures(connection: Connection, documents: OpenDocuments, languageService: LanguageServiceLoader): void {
  const served = (uri: string) => servedDocument(documents, uri);
  const service = () => languageService.service;
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
}
