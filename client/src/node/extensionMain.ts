/** Node entry of the extension: injects the platform (server module, storage, secrets, file access) into the client, commands and view. */
import * as vscode from 'vscode';
import { startClient } from '../client';
import { registerCommands } from '../commands';
import { createEditorSeriesFiles } from '../editorFiles';
import { CouponEnvironments } from '../environments';
import { LocalSandboxHost } from '../localSandbox';
import { SeriesView } from '../seriesView';
import { registerStatusAndLenses } from '../statusAndLenses';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Coupon Series', { log: true });
  const sandbox = new LocalSandboxHost(context.globalStorageUri, log);
  const environments = new CouponEnvironments(context.secrets, context.workspaceState, log, sandbox);
  const files = createEditorSeriesFiles();
  const view = new SeriesView(environments, files, log);
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(log, sandbox, environments, view, changed);
  registerCommands(context, {
    environments,
    files,
    log,
    changed: () => {
      changed.fire();
      view.refreshSoon();
    },
  });
  registerStatusAndLenses(context, environments, view, changed.event);
  await startClient(context, context.asAbsolutePath('dist/server.js'));
}

export function deactivate(): void {
  // Everything (language client, sandbox, status bar, view) is in context.subscriptions.
}
