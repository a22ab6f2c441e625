/** Node entry of the extension: injects the server's location and the platform into the client. */
import * as vscode from 'vscode';
import { startClient } from '../client';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await startClient(context, context.asAbsolutePath('dist/server.js'));
}

export function deactivate(): void {
  // The language client is in context.subscriptions and stops with it.
}
