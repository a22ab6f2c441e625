/** Node entry of the extension: injects the platform (server module, storage, secrets, file access) into the client, commands and view. */
import * as vscode from 'vscode';
import { createEditorAgentHost } from '../agentHost';
import { startClient } from '../client';
import { registerCommands } from '../commands';
import { createEditorSeriesFiles } from '../editorFiles';
import { CouponEnvironments } from '../environments';
import { LanguageModelToolsApi, registerLanguageModelTools } from '../languageModelTools';
import { LocalSandboxHost } from '../localSandbox';
import { SeriesView } from '../seriesView';
import { registerStatusAndLenses } from '../statusAndLenses';

/** What the extension exports: the language model tools' preparation, for its tests. */
export interface CouponSeriesApi {
  languageModelTools: LanguageModelToolsApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<CouponSeriesApi> {
  const log = vscode.window.createOutputChannel('Coupon Series', { log: true });
  const sandbox = new LocalSandboxHost(context.globalStorageUri, log);
  const environments = new CouponEnvironments(context.secrets, context.workspaceState, log, sandbox);
  const files = createEditorSeriesFiles();
  const view = new SeriesView(environments, files, log);
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(log, sandbox, environments, view, changed);
  const fileStatesChanged = () => {
    changed.fire();
    view.refreshSoon();
  };
  registerCommands(context, { environments, files, log, changed: fileStatesChanged });
  registerStatusAndLenses(context, environments, view, changed.event);
  // The same tools `coupon mcp` serves, for Copilot's agent mode.
  const languageModelTools = registerLanguageModelTools(context, createEditorAgentHost(environments, files, fileStatesChanged));
  await startClient(context, context.asAbsolutePath('dist/server.js'));
  return { languageModelTools };
}

export function deactivate(): void {
  // Everything (language client, sandbox, status bar, view) is in context.subscriptions.
}
