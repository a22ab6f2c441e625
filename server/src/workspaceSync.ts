/**
 * Workspace files and configuration: the folders, the coupon files the client
 * lists and watches, and the exclusions read from each folder's settings
 * (`couponSeries.exclude`, `files.exclude`). The workspace is checked once the
 * exclusions are known, so an excluded file never flashes up.
 */
import { Connection, DidChangeConfigurationNotification, FileChangeType, InitializeParams } from 'vscode-languageserver';
import { FILES_EXCLUDE_SETTING, selectionRules } from '../../core/src/fileSelection';
import { EXCLUDE_SETTING, WORKSPACE_FILES_NOTIFICATION, WorkspaceFilesParams } from '../../core/src/protocol';
import { DiagnosticsPublisher, errorText } from './diagnosticsPublisher';
import { WorkspaceFiles } from './workspaceFiles';

export class WorkspaceSync {
  private canPullConfiguration = false;
  private canRegisterConfiguration = false;
  private hearsFolderChanges = false;
  private excludesKnown!: () => void;
  private readonly excludesReady = new Promise<void>((resolve) => (this.excludesKnown = resolve));

  constructor(
    private readonly connection: Connection,
    private readonly workspace: WorkspaceFiles,
    private readonly diagnostics: DiagnosticsPublisher,
  ) {
    connection.onDidChangeConfiguration(async () => {
      await this.pullExcludes();
      diagnostics.reconcileWorkspace();
    });
    connection.onNotification(WORKSPACE_FILES_NOTIFICATION, async (params: WorkspaceFilesParams) => {
      workspace.replace(Array.isArray(params?.uris) ? params.uris.filter((uri) => typeof uri === 'string') : []);
      await this.excludesReady;
      diagnostics.reconcileWorkspace();
    });
    connection.onDidChangeWatchedFiles(async ({ changes }) => {
      await this.excludesReady;
      const changed: string[] = [];
      for (const { uri, type } of changes) {
        if (type === FileChangeType.Deleted) {
          workspace.remove(uri);
          diagnostics.forgetUnopened(uri);
        } else if (workspace.add(uri)) {
          changed.push(uri);
        }
      }
      diagnostics.unopenedChanged(changed);
    });
  }

  /** What the client can do, and its folders (`initialize`). */
  initialize(params: InitializeParams): void {
    const clientWorkspace = params.capabilities.workspace;
    this.canPullConfiguration = clientWorkspace?.configuration === true;
    this.canRegisterConfiguration = clientWorkspace?.didChangeConfiguration?.dynamicRegistration === true;
    this.hearsFolderChanges = clientWorkspace?.workspaceFolders === true;
    this.workspace.setFolders(params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []));
  }

  /** After `initialized`: listen for settings and folder changes, read the exclusions, check the workspace. */
  async initialized(): Promise<void> {
    if (this.canRegisterConfiguration) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: ['couponSeries', 'files'] });
    if (this.hearsFolderChanges) {
      this.connection.workspace.onDidChangeWorkspaceFolders(async ({ added, removed }) => {
        const removedUris = new Set(removed.map((folder) => folder.uri.replace(/\/+$/, '')));
        this.workspace.setFolders([...this.workspace.workspaceFolders.filter((uri) => !removedUris.has(uri)), ...added.map((folder) => folder.uri)]);
        await this.pullExcludes();
        this.diagnostics.reconcileWorkspace();
      });
    }
    await this.pullExcludes();
    this.excludesKnown();
    this.diagnostics.reconcileWorkspace();
  }

  private async pullExcludes(): Promise<void> {
    const folders = this.workspace.workspaceFolders;
    if (!this.canPullConfiguration || folders.length === 0) return;
    try {
      const sections = [EXCLUDE_SETTING, FILES_EXCLUDE_SETTING] as const;
      const values: unknown[] = await this.connection.workspace.getConfiguration(folders.flatMap((scopeUri) => sections.map((section) => ({ scopeUri, section }))));
      folders.forEach((folder, i) => this.workspace.setRules(folder, selectionRules((setting) => values[i * sections.length + sections.indexOf(setting)]).rules));
    } catch (error) {
      this.connection.console.warn(`Could not read ${EXCLUDE_SETTING} and ${FILES_EXCLUDE_SETTING}: ${errorText(error)}`);
    }
  }
}
