/**
 * The "Coupon Series" view: every coupon file of the workspace with its state
 * on the active environment (from one engine plan, with batched reads), and
 * the other environments each file is recorded on as children. Refreshed on
 * save, on file changes, when the environment changes and on demand; only
 * while the view is visible (the reads go to the server).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FileDeployments, mayBelongTo, readDeployments } from '../../core/src/deployments';
import { EngineProblem, FilePlan, planFiles, SeriesFiles, SeriesState } from '../../core/src/engine';
import { Environment } from '../../core/src/environments';
import { COUPON_FILES_GLOB } from '../../core/src/protocol';
import { COMMANDS } from './commands';
import { CouponEnvironments } from './environments';

const MAX_FILES = 5_000;

const STATE_LOOK: Record<SeriesState, { label: string; icon: string; color?: string }> = {
  'not-created': { label: 'not created here', icon: 'cloud-upload', color: 'descriptionForeground' },
  'in-sync': { label: 'in sync', icon: 'pass', color: 'testing.iconPassed' },
  changed: { label: 'changed locally', icon: 'circle-filled', color: 'gitDecoration.modifiedResourceForeground' },
  drifted: { label: 'changed on the server', icon: 'warning', color: 'list.warningForeground' },
  missing: { label: 'missing on the server', icon: 'question', color: 'list.warningForeground' },
  mismatch: { label: 'another series on the server', icon: 'error', color: 'list.errorForeground' },
  ambiguous: { label: 'org unknown: set orgId', icon: 'error', color: 'list.errorForeground' },
  invalid: { label: 'invalid', icon: 'error', color: 'list.errorForeground' },
  unreachable: { label: 'server not reached', icon: 'debug-disconnect', color: 'list.warningForeground' },
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
  private stale = true;
  private running: Promise<void> | undefined;
  private again = false;
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
      watcher.onDidChange(() => this.refreshSoon()),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.uri.path.toLowerCase().endsWith('.coupon.json')) this.refreshSoon();
      }),
      environments.onDidChange(() => this.refreshSoon()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshSoon()),
      this.view.onDidChangeVisibility(({ visible }) => {
        if (visible && this.stale) this.refreshSoon();
      }),
      vscode.commands.registerCommand(COMMANDS.refreshView, () => this.refresh()),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  /** A refresh shortly (bursts of saves and file events make one). */
  refreshSoon(): void {
    this.stale = true;
    if (!this.view.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  /** Lists the files and plans them on the active environment; one at a time, the last request wins. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async load(): Promise<void> {
    this.stale = false;
    const uris = (await vscode.workspace.findFiles(COUPON_FILES_GLOB, '**/node_modules/**', MAX_FILES)).filter((uri) => uri.scheme === 'file');
    uris.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
    const texts = await Promise.all(uris.map((uri) => this.seriesFiles.read(uri.fsPath).catch(() => '')));
    const files: FileNode[] = uris.map((uri, index) => ({ kind: 'file', uri, deployments: readDeployments(parseOrUndefined(texts[index])) }));
    this.message = undefined;
    const environment = this.environments.active();
    if (!vscode.workspace.isTrusted) {
      this.message = { kind: 'message', text: 'Restricted Mode: trust this workspace to see each file\'s state on the server', command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' } };
    } else if (!environment) {
      this.message = { kind: 'message', text: `No environment "${this.environments.activeName()}": select one`, command: { command: COMMANDS.selectEnvironment, title: 'Select Environment' } };
    } else if (files.length > 0) {
      try {
        const connection = await this.environments.connect(environment);
        const plans = await planFiles(connection, files.map((file, index) => ({ file: vscode.workspace.asRelativePath(file.uri), text: texts[index] })));
        plans.forEach((plan, index) => (files[index].plan = plan));
      } catch (error) {
        const noCredentials = error instanceof EngineProblem && error.kind === 'no-credentials';
        this.message = noCredentials
          ? { kind: 'message', text: `Set credentials for ${environment.name} to see each file's state`, command: { command: COMMANDS.setCredentials, title: 'Set Credentials' } }
          : { kind: 'message', text: `${environment.name}: ${error instanceof Error ? error.message : String(error)}` };
        this.log.warn(`Coupon Series view: ${this.message.text}`);
      }
    }
    this.files = files;
    this.view.description = environment ? `on ${environment.name}` : undefined;
    this.changed.fire(undefined);
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
      item.description = `${look.label}${plan.deployment ? ` · ${plan.deployment.id}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
      const lines = [`**${relative}** on ${plan.environment}: ${look.label}`];
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

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
