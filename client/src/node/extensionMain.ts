/** Node entry of the extension: injects the platform (server module, storage, secrets) into the client and commands. */
import * as vscode from 'vscode';
import { startClient } from '../client';
import { registerCommands } from '../commands';
import { CouponEnvironments } from '../environments';
import { LocalSandboxHost } from '../localSandbox';
import { registerStatusAndLenses } from '../statusAndLenses';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Coupon Series', { log: true });
  const sandbox = new LocalSandboxHost(context.globalStorageUri, log);
  const environments = new CouponEnvironments(context.secrets, log, sandbox);
  context.subscriptions.push(log, sandbox, environments);
  registerCommands(context, environments, log);
  registerStatusAndLenses(context, environments);
  await startClient(context, context.asAbsolutePath('dist/server.js'));
}

export function deactivate(): void {
  // Everything (language client, sandbox, status bar) is in context.subscriptions.
}
