/**
 * The client half of the workspace-wide check: it lists the workspace's coupon
 * files for the server (findFiles works on every file system VS Code has,
 * github.dev's included) and reads a file's content when the server cannot
 * (in the browser it has no file system). Changes on disk reach the server
 * through the language client's file watcher.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { isSelected, MAX_WORKSPACE_FILES, SelectionRules, selectionRules } from '../../core/src/fileSelection';
import { COUPON_FILES_GLOB, READ_FILE_REQUEST, ReadFileParams, WORKSPACE_FILES_NOTIFICATION, WorkspaceFilesParams } from '../../core/src/protocol';

/**
 * The workspace's coupon files that count, by the one rule of
 * `core/src/fileSelection.ts` (the CLI's and the language server's): VS Code
 * lists them, the rule judges each against its folder's settings.
 */
export async function selectedCouponFiles(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(COUPON_FILES_GLOB, undefined, MAX_WORKSPACE_FILES, token);
  const rulesByFolder = new Map<string, SelectionRules>();
  return found.filter((uri) => {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return true;
    const key = folder.uri.toString();
    let rules = rulesByFolder.get(key);
    if (!rules) {
      const configuration = vscode.workspace.getConfiguration(undefined, folder.uri);
      rules = selectionRules((setting) => configuration.get(setting)).rules;
      rulesByFolder.set(key, rules);
    }
    return isSelected(vscode.workspace.asRelativePath(uri, false), rules);
  });
}

export class WorkspaceCouponFiles implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private listing: vscode.CancellationTokenSource | undefined;

  constructor(private readonly client: BaseLanguageClient) {
    this.disposables.push(client.onRequest(READ_FILE_REQUEST, (params: ReadFileParams) => this.read(params)));
  }

  start(): void {
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.list()));
    void this.list();
  }

  /** Sends the whole list (again): at start and when workspace folders change. */
  private async list(): Promise<void> {
    this.listing?.cancel();
    const listing = (this.listing = new vscode.CancellationTokenSource());
    try {
      // `undefined` excludes: VS Code's files.exclude applies; couponSeries.exclude is the server's.
      const found = await vscode.workspace.findFiles(COUPON_FILES_GLOB, undefined, MAX_WORKSPACE_FILES, listing.token);
      if (listing.token.isCancellationRequested) return;
      const params: WorkspaceFilesParams = { uris: found.map((uri) => uri.toString()) };
      await this.client.sendNotification(WORKSPACE_FILES_NOTIFICATION, params);
    } catch (error) {
      this.client.warn(`Could not list the workspace's coupon files: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      listing.dispose();
    }
  }

  private async read({ uri, maxBytes }: ReadFileParams): Promise<string | null> {
    const target = vscode.Uri.parse(uri);
    try {
      const { size } = await vscode.workspace.fs.stat(target);
      if (size > maxBytes) throw new Error(`${uri} is ${(size / 1024 / 1024).toFixed(1)} MB: open it to check it`);
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return null;
      throw error;
    }
  }

  dispose(): void {
    this.listing?.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
