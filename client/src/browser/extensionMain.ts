/**
 * Browser entry of the extension (vscode.dev, github.dev): the language
 * features run in full, with the server in a web worker. The commands that talk
 * to the vendor's API (create, update, compare, pull, credentials, the local
 * sandbox...) need the network and a Node process, so here they say that they
 * need VS Code desktop. Their ids come from package.json, the one list of commands.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { startCouponClient } from '../couponClient';

declare class Worker {
  constructor(url: string, options?: { name?: string });
}

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** The contributed commands this entry can run in the browser; every other one needs the desktop. */
function browserCommands(client: () => LanguageClient | undefined): Record<string, () => unknown> {
  return {
    'couponSeries.showLog': () => client()?.outputChannel.show(),
  };
}

export function desktopOnlyMessage(command: ContributedCommand): string {
  const title = command.category ? `${command.category}: ${command.title}` : command.title;
  return `"${title}" needs VS Code desktop: it talks to the coupon API over the network, which the web version of VS Code cannot do for extensions. Validation, completion and hover work here.`;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  let client: LanguageClient | undefined;
  const available = browserCommands(() => client);
  const contributed = ((context.extension.packageJSON as { contributes?: { commands?: ContributedCommand[] } }).contributes?.commands ?? []) as ContributedCommand[];
  for (const command of contributed) {
    const run = available[command.command] ?? (() => vscode.window.showWarningMessage(desktopOnlyMessage(command)));
    context.subscriptions.push(vscode.commands.registerCommand(command.command, run));
  }
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist/browser/server.js');
  const worker = new Worker(serverMain.toString(true), { name: 'Coupon Series Language Server' });
  client = (await startCouponClient(context, (id, name, options) => new LanguageClient(id, name, options, worker as never))) as LanguageClient;
}

export function deactivate(): void {
  // The language client is in context.subscriptions.
}
