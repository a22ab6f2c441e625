/**
 * Browser entry of the extension (vscode.dev, github.dev): the language
 * features run in full, with the server in a web worker. The commands that talk
 * to the vendor's API (create, update, compare, pull, credentials, the local
 * sandbox...) need the network and a Node process, so here they say that they
 * need VS Code desktop, and so do the agent tools. Their ids come from
 * package.json, the one list of commands and tools.
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
  // The agent tools read and write workspace files and talk to the API: here each one answers that it needs the desktop.
  const tools = ((context.extension.packageJSON as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? []) as { name: string }[];
  for (const { name } of tools) {
    const answer = `The Coupon Series tool ${name} needs VS Code desktop: the web version of VS Code gives extensions no workspace files on disk and no network for the coupon API.`;
    context.subscriptions.push(vscode.lm.registerTool(name, { invoke: () => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer)]) }));
  }
  let worker: Worker;
  try {
    worker = await startServerWorker(vscode.Uri.joinPath(context.extensionUri, 'dist/browser/server.js'));
  } catch (error) {
    void vscode.window.showErrorMessage(`The Coupon Series language server could not start in this browser: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  client = (await startCouponClient(context, (id, name, options) => new LanguageClient(id, name, worker as never, options))) as LanguageClient;
}

/**
 * The server's worker. From the extension's own URL where the host allows it
 * (vscode.dev, github.dev); an extension installed on a remote server (e.g.
 * code-server) may not start workers from its URL, so the script is read
 * through VS Code and started from a blob URL instead.
 */
async function startServerWorker(serverMain: vscode.Uri): Promise<Worker> {
  const options = { name: 'Coupon Series Language Server' };
  try {
    return new Worker(serverMain.toString(true), options);
  } catch {
    const script = await vscode.workspace.fs.readFile(serverMain);
    return new Worker(URL.createObjectURL(new Blob([script], { type: 'text/javascript' })), options);
  }
}

export function deactivate(): void {
  // The language client is in context.subscriptions.
}
