/**
 * Starts the coupon language client. Platform pieces (where the server module
 * is) are injected by the node entry, as in VS Code's json-language-features.
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { CouponServerInitializationOptions, FILE_SUFFIX, LANGUAGE_ID, SERVER_NODE_FLAGS } from '../../core/src/protocol';

export async function startClient(context: vscode.ExtensionContext, serverModule: string): Promise<LanguageClient> {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: CouponServerInitializationOptions = { snippetsContributedByClient: true, readmeUri: vscode.Uri.joinPath(context.extensionUri, 'README.md').toString() };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LANGUAGE_ID },
      { scheme: 'file', pattern: `**/*${FILE_SUFFIX}` },
      { scheme: 'untitled', pattern: `**/*${FILE_SUFFIX}` },
    ],
    initializationOptions,
  };
  const client = new LanguageClient('couponSeries', 'Coupon Series Language Server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
  return client;
}
