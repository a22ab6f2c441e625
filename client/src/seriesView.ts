/**
 * The "Coupon Series" view: the workspace's coupon files (the files the CLI
 * and the Problems panel count, by the one selection rule) with their state
 * on the active environment (from one engine plan, with batched reads), and
 * the other environments each file is recorded on as children. Refreshed on
 * save, on file changes, when the environment changes and on demand; only
 * while the view is visible (the reads go to the server).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileDeployments, mayBelongTo, readDeployments } from '../../core/src/deployments';
import { EngineProblem, FilePlan, planFiles, SeriesFiles, SeriesState, STATE_LABELS } from '../../core/src/engine';
import { Environment } from '../../core/src/environments';
import { COUPON_FILES_GLOB, isCouponFileName } from '../../core/src/protocol';
import { parseJsonOrUndefined } from '../../core/src/util';
import { COMMANDS } from './commands';
import { CouponEnvironments } from './environments';
import { selectedCouponFiles } from './workspaceFiles';

/** Files read at once when listing the workspace. */
const READ_CONCURRENCY = 16;

/** How each state looks (its words are the engine's `STATE_LABELS`). */
const STATE_LOOK: Record<SeriesState, { icon: string; color?: string }> = {
  'not-created': { icon: 'cloud-upload', color: 'descriptionForeground' },
  'in-sync': { icon: 'pass', color: 'testing.iconPassed' },
  changed: { icon: 'circle-filled', color: 'gitDecoration.modifiedResourceForeground' },
  drifted: { icon: 'warning', color: 'list.warningForeground' },
  missing: { icon: 'question', color: 'list.warningForeground' },
  mismatch: { icon: 'error', color: 'list.errorForeground' },
  ambiguous: { icon: 'error', color: 'list.errorForeground' },
  invalid: { icon: 'error', color: 'list.errorForeground' },
  unreachable: { icon: 'debug-disconnect', color: 'list.warningForeground' },
};

interface FileNode {
  kind: 'file';
  uri: vscode.Uri;
  deployments: FileDeployments;
  plan?: FilePlan;
}

interface DeploymentNode {
  kind: 'deployment';
  file: FileNode;
  key: string;
  id: number;
  pushedAt?: string;
  environment?: Environment;
}

interface MessageNode {
  kind: 'message';
  text: string;
  command?: vscode.Command;
}

type SeriesNode = FileNode | DeploymentNode | MessageNode;

export class SeriesView implements vscode.TreeDataProvider<SeriesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SeriesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<SeriesNode>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private files: FileNode[] = [];
  private message: MessageNode | undefined;
  /** What is waiting to be read again: everything, or only these files (saved or changed on disk). */
  private pendingAll = true;
  private readonly pendingFiles = new Map<string, vscode.Uri>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly environments: CouponEnvironments,
    private readonly seriesFiles: SeriesFiles,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView('couponSeries.seriesView', { treeDataProvider: this, showCollapseAll: true });
    const watcher = vscode.workspace.createFileSystemWatcher(COUPON_FILES_GLOB);
    this.subscriptions.push(
      this.view,
      watcher,
      watcher.onDidCreate(() => this.refreshSoon()),
      watcher.onDidDelete(() => this.refreshSoon()),
      watcher.onDidChange((uri) => this.refreshSoon(uri)),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (isCouponFileName(document.uri.path)) this.refreshSoon(document.uri);
      }),
      environments.onDidChange(() => this.refreshSoon()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshSoon()),
      this.view.onDidChangeVisibility(({ visible }) => {
        if (visible && (this.pendingAll || this.pendingFiles.size > 0)) void this.run();
      }),
      vscode.commands.registerCommand(COMMANDS.refreshView, () => this.refresh()),
    );
  }

  /** The file's plan on the active environment from the last read, if any (the code lens names the series from it). */
  planOf(uri: vscode.Uri): FilePlan | undefined {
    return this.files.find((file) => file.uri.toString() === uri.toString())?.plan;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  /** Reads again shortly (a burst of saves and file events makes one read): one file, or everything. */
  refreshSoon(uri?: vscode.Uri): void {
    if (uri) this.pendingFiles.set(uri.toString(), uri);
    else this.pendingAll = true;
    if (!this.view.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), 300);
  }

  /** Lists every file and plans it on the active environment. */
  refresh(): Promise<void> {
    this.pendingAll = true;
    return this.run();
  }

  /** One read at a time; what was asked meanwhile is read right after. */
  private run(): Promise<void> {
    if (this.running) return this.running;
    // Nothing to do: return at once (an async body that never awaits would finish before `running` is set, and stay there).
    if (!this.pendingAll && this.pendingFiles.size === 0) return Promise.resolve();
    this.running = (async () => {
      await Promise.resolve();
      try {
        while (this.pendingAll || this.pendingFiles.size > 0) {
          try {
            if (this.pendingAll) {
              this.pendingAll = false;
              this.pendingFiles.clear();
              await this.loadAll();
            } else {
              const uris = [...this.pendingFiles.values()];
              this.pendingFiles.clear();
              await this.loadFiles(uris);
            }
          } catch (error) {
            this.log.warn(`Coupon Series view: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async loadAll(): Promise<void> {
    const uris = (await selectedCouponFiles()).filter((uri) => uri.scheme === 'file');
    uris.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
    const texts = await this.readAll(uris);
    const files: FileNode[] = uris.map((uri, index) => ({ kind: 'file', uri, deployments: readDeployments(parseJsonOrUndefined(texts[index])) }));
    this.message = undefined;
    const environment = this.environments.active();
    if (!vscode.workspace.isTrusted) {
      this.message = { kind: 'message', text: 'Restricted Mode: trust this workspace to see each file\'s state on the server', command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' } };
    } else if (!environment) {
      this.message = { kind: 'message', text: `No environment "${this.environments.activeName()}": select one`, command: { command: COMMANDS.selectEnvironment, title: 'Select Environment' } };
    } else if (files.length > 0) {
      // A whole listing proves the credentials (a wrong password shows here); a saved file does not ask again.
      await this.plan(environment, files, texts, true);
    }
    this.files = files;
    this.view.description = environment ? `on ${environment.name}` : undefined;
    this.changed.fire(undefined);
  }

  /** Reads and plans only these files (a save, a change on disk); a file not listed yet makes a full read. */
  private async loadFiles(uris: vscode.Uri[]): Promise<void> {
    const nodes = uris.map((uri) => this.files.find((file) => file.uri.toString() === uri.toString()));
    if (nodes.some((node) => node === undefined)) {
      this.pendingAll = true;
      return;
    }
    const files = nodes as FileNode[];
    const texts = await this.readAll(files.map((file) => file.uri));
    files.forEach((file, index) => {
      file.deployments = readDeployments(parseJsonOrUndefined(texts[index]));
      delete file.plan;
    });
    const environment = this.environments.active();
    // Only when the last full read planned (trusted, an environment, reached): otherwise its message stands.
    if (environment && vscode.workspace.isTrusted && this.message === undefined) await this.plan(environment, files, texts, false);
    this.changed.fire(undefined);
  }

  /** Plans `files` on `environment`, or sets the message that says why not. Never starts the local sandbox. */
  private async plan(environment: Environment, files: FileNode[], texts: string[], proveCredentials: boolean): Promise<void> {
    try {
      if (this.environments.isSandbox(environment) && !(await this.environments.sandboxAnswers())) {
        this.message = { kind: 'message', text: 'The local sandbox is not running: start it to see each file\'s state there', command: { command: COMMANDS.startSandbox, title: 'Start Local Sandbox' } };
        return;
      }
      const connection = await this.environments.connect(environment);
      const plan = await planFiles(connection, files.map((file, index) => ({ file: vscode.workspace.asRelativePath(file.uri), text: texts[index] })), { proveCredentials });
      this.environments.remember(connection);
      plan.files.forEach((entry, index) => (files[index].plan = entry));
      if (plan.failure) this.message = { kind: 'message', text: `${environment.name}: ${plan.failure.message}`, ...(plan.failure.advice.includes('reenter-credentials') ? { command: { command: COMMANDS.setCredentials, title: 'Set Credentials', arguments: [environment.name] } } : {}) };
    } catch (error) {
      const noCredentials = error instanceof EngineProblem && error.kind === 'no-credentials';
      this.message = noCredentials
        ? { kind: 'message', text: `Set credentials for ${environment.name} to see each file's state`, command: { command: COMMANDS.setCredentials, title: 'Set Credentials', arguments: [environment.name] } }
        : { kind: 'message', text: `${environment.name}: ${error instanceof Error ? error.message : String(error)}` };
      this.log.warn(`Coupon Series view: ${this.message.text}`);
    }
  }

  /** The files' texts, a few at a time (a workspace may hold thousands); '' for one that cannot be read. */
  private async readAll(uris: readonly vscode.Uri[]): Promise<string[]> {
    const texts: string[] = new Array<string>(uris.length).fill('');
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < uris.length) {
        const index = next++;
        texts[index] = await this.seriesFiles.read(uris[index].fsPath).catch(() => '');
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, uris.length) }, reader));
    return texts;
  }

  getChildren(node?: SeriesNode): SeriesNode[] {
    if (!node) return this.message ? [this.message, ...this.files] : this.files;
    if (node.kind !== 'file') return [];
    const active = this.environments.active();
    const configured = this.environments.all();
    const nodes: DeploymentNode[] = [];
    for (const [key, deployment] of node.deployments.entries) {
      if (key === node.plan?.key || (active && !node.plan?.key && mayBelongTo(active, key))) continue;
      const environment = configured.find((candidate) => mayBelongTo(candidate, key));
      nodes.push({ kind: 'deployment', file: node, key, id: deployment.id, ...(deployment.pushedAt ? { pushedAt: deployment.pushedAt } : {}), ...(environment ? { environment } : {}) });
    }
    return nodes;
  }

  getTreeItem(node: SeriesNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('info');
      if (node.command) item.command = node.command;
      return item;
    }
    if (node.kind === 'deployment') {
      const item = new vscode.TreeItem(node.environment?.name ?? node.key, vscode.TreeItemCollapsibleState.None);
      item.description = `series ${node.id}`;
      item.tooltip = `${node.key}: series ${node.id}${node.pushedAt ? `, last pushed ${node.pushedAt}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(node.environment?.protected ? 'shield' : 'server-environment');
      item.contextValue = 'couponSeriesDeployment';
      return item;
    }
    const hasChildren = this.getChildren(node).length > 0;
    const item = new vscode.TreeItem(node.uri, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.label = path.basename(node.uri.fsPath);
    const relative = vscode.workspace.asRelativePath(node.uri);
    const plan = node.plan;
    if (plan) {
      const look = STATE_LOOK[plan.state];
      const label = STATE_LABELS[plan.state];
      item.description = `${label}${plan.deployment ? ` · ${plan.deployment.id}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
      const lines = [`**${relative}** on ${plan.environment}: ${label}`];
      if (plan.deployment) lines.push(`series ${plan.deployment.id} (${plan.key})`);
      if (plan.changes.length) lines.push(`would change: ${plan.changes.join(', ')}`);
      if (plan.problem) lines.push(plan.problem);
      item.tooltip = new vscode.MarkdownString(lines.join('\n\n'));
      item.contextValue = `couponSeriesFile ${plan.state === 'not-created' ? 'notCreated' : 'created'}`;
    } else {
      item.description = path.dirname(relative) === '.' ? undefined : path.dirname(relative);
      item.contextValue = 'couponSeriesFile';
    }
    item.command = { command: 'vscode.open', title: 'Open', arguments: [node.uri] };
    return item;
  }
}
