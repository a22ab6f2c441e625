/**
 * Document sync: the documents the client has open, kept as windowed
 * documents (a base plus an edited window: typing never rebuilds a large
 * file's text, see core/src/windowedDocument.ts).
 */
import { TextDocuments } from 'vscode-languageserver';
import { isCouponDocument } from '../../core/src/protocol';
import { WindowedTextDocument } from '../../core/src/windowedDocument';

export type OpenDocuments = TextDocuments<WindowedTextDocument>;

export function createOpenDocuments(): OpenDocuments {
  return new TextDocuments<WindowedTextDocument>({
    create: (uri, languageId, version, content) => new WindowedTextDocument(uri, languageId, version, content),
    update: (document, changes, version) => (document.update(changes, version), document),
  });
}

/** The open document at `uri` when it is a coupon file the server serves. */
export function servedDocument(documents: OpenDocuments, uri: string): WindowedTextDocument | undefined {
  const document = documents.get(uri);
  return document && isCouponDocument(document.uri, document.languageId) ? document : undefined;
}
