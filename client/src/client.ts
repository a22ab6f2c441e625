/**
 * Starts the coupon language client with the server as a Node process (VS Code
 * desktop). The platform-neutral part is couponClient.ts, shared with the
 * browser entry.
 */
import * as vscode from 'vscode';
import { LanguageClient, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from '../../core/src/protocol';
import { startCouponClient } from './couponClient';

export async function startClient(context: vscode.ExtensionContext, serverModule: string): Promise<LanguageClient> {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  return (await startCouponClient(context, (id, name, options) => new LanguageClient(id, name, serverOptions, options))) as LanguageClient;
}
