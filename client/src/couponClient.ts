/**
 * The coupon language client, the same in VS Code desktop and on the web: what
 * it serves, what it tells the server, and the workspace-wide check. The node
 * and browser entries inject how the server runs (a Node process or a web
 * worker), as VS Code's json-language-features does.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import { COUPON_FILES_GLOB, CouponServerInitializationOptions, FILE_SUFFIX, LANGUAGE_CLIENT_ID, LANGUAGE_ID } from '../../core/src/protocol';
import { RULE_PAGES_PATH } from '../../core/src/rules/rulePages';
import { WorkspaceCouponFiles } from './workspaceFiles';

export const CLIENT_NAME = 'Coupon Series Language Server';

export type LanguageClientConstructor = (id: string, name: string, options: LanguageClientOptions) => BaseLanguageClient;

export async function startCouponClient(context: vscode.ExtensionContext, newLanguageClient: LanguageClientConstructor): Promise<BaseLanguageClient> {
  const initializationOptions: CouponServerInitializationOptions = {
    snippetsContributedByClient: true,
    // Each diagnostic links to its rule's page, shipped with the extension.
    rulePagesUri: `${vscode.Uri.joinPath(context.extensionUri, ...RULE_PAGES_PATH.split('/')).toString()}/`,
  };
  const watcher = vscode.workspace.createFileSystemWatcher(COUPON_FILES_GLOB);
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LANGUAGE_ID },
      { scheme: 'file', pattern: `**/*${FILE_SUFFIX}` },
      { scheme: 'untitled', pattern: `**/*${FILE_SUFFIX}` },
    ],
    initializationOptions,
    // Files changed, created or deleted on disk reach the server as workspace/didChangeWatchedFiles.
    synchronize: { fileEvents: watcher },
  };
  const client = newLanguageClient(LANGUAGE_CLIENT_ID, CLIENT_NAME, clientOptions);
  const workspaceFiles = new WorkspaceCouponFiles(client);
  context.subscriptions.push(client, workspaceFiles);
  await client.start();
  workspaceFiles.start();
  return client;
}
