/**
 * The "Coupon Series" commands: VS Code's side only (which file, prompts,
 * progress, the diff editor, notifications) around the engine, which decides
 * everything that talks to the API and writes the file.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  compareFile,
  Connection,
  EngineProblem,
  pullIntoFile,
  pullSeriesToNewFile,
  PushMode,
  pushFile,
  PushOutcome,
  SendQuestion,
  SeriesFiles,
} from '../../core/src/engine';
import { recordedOn } from '../../core/src/deployments';
import { Environment, REGIONAL_HOSTS, SETTINGS_SECTION, SETTING_KEYS } from '../../core/src/environments';
import { isCouponDocument, isCouponFileName } from '../../core/src/protocol';
import { SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../../core/src/sandbox';
import { comparisonTexts } from '../../core/src/series';
import { checkBaseUrl } from '../../core/src/api';
import { AdviceAction, adviceFor } from './advice';
import { CouponEnvironments } from './environments';

export const COMMANDS = {
  create: 'couponSeries.createOnServer',
  update: 'couponSeries.updateOnServer',
  push: 'couponSeries.pushToEnvironment',
  compare: 'couponSeries.compareWithServer',
  pull: 'couponSeries.pullFromServer',
  selectEnvironment: 'couponSeries.selectEnvironment',
  setCredentials: 'couponSeries.setCredentials',
  signOut: 'couponSeries.signOut',
  startSandbox: 'couponSeries.startLocalSandbox',
  showLog: 'couponSeries.showLog',
  refreshView: 'couponSeries.refreshSeriesView',
} as const;

const COMPARE_SCHEME = 'coupon-series-compare';

/** Read-only documents for the two sides of "Compare with Server". */
class ComparisonDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${name}`, query: String(Date.now()) });
    this.contents.set(uri.toString(), text);
    return uri;
  }
}

/** Something a command can be invoked on: a Uri (explorer, editor title, code lens), a view item, or nothing (the active editor). */
export interface FileArgument {
  resourceUri?: vscode.Uri;
}

export interface CommandHost {
  environments: CouponEnvironments;
  files: SeriesFiles;
  log: vscode.LogOutputChannel;
  /** Called after anything that may change a file's state (the view and lenses refresh). */
  changed(): void;
}

function uriOf(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const item = argument as FileArgument | undefined;
  return item?.resourceUri instanceof vscode.Uri ? item.resourceUri : undefined;
}

export function registerCommands(context: vscode.ExtensionContext, host: CommandHost): void {
  const { environments, files, log } = host;
  const comparisons = new ComparisonDocuments();

  /** Shows a failure with the button that helps, without waiting for it to be dismissed. */
  function report(error: unknown, environment?: Environment): void {
    if (error instanceof EngineProblem && error.kind === 'cancelled') {
      log.info(error.message);
      return;
    }
    const checked = environment && checkBaseUrl(environment.host);
    const advice = adviceFor(error, checked?.ok ? checked.url.hostname : undefined);
    log.error(advice.message);
    void vscode.window.showErrorMessage(advice.message, ...advice.actions).then((pick?: AdviceAction) => {
      if (pick === 'Set Credentials') void vscode.commands.executeCommand(COMMANDS.setCredentials);
      else if (pick === 'Start Local Sandbox') void vscode.commands.executeCommand(COMMANDS.startSandbox);
      else if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', advice.setting ?? SETTINGS_SECTION);
      else if (pick === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      else if (pick === 'Show Log') log.show(true);
    });
  }

  /**
   * The coupon file a command acts on, saved: the one passed (explorer, view,
   * editor title, code lens) or the active editor's. Files only: the engine
   * locks and writes them on disk.
   */
  async function couponFile(argument: unknown): Promise<vscode.Uri | undefined> {
    const uri = uriOf(argument) ?? vscode.window.activeTextEditor?.document.uri;
    const document = uri && vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (!uri || !isCouponDocument(uri.toString(), document?.languageId ?? '')) {
      void vscode.window.showErrorMessage('Open a coupon series file (*.coupon.json) first.');
      return undefined;
    }
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(`${path.basename(uri.path)} is not a file on disk: save it as a *.coupon.json file first (the series is recorded in the file).`);
      return undefined;
    }
    if (document?.isDirty && !(await document.save())) {
      void vscode.window.showErrorMessage(`${path.basename(uri.fsPath)} could not be saved: nothing was sent.`);
      return undefined;
    }
    return uri;
  }

  /**
   * Restricted Mode: the language features work, but nothing is sent, no
   * credential is asked for and no CA file is read until the workspace is trusted.
   */
  function trusted(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(`${what} needs a trusted workspace: this one is in Restricted Mode, so Coupon Series sends nothing and asks for no credentials here (validation, completion and hover still work).`, 'Manage Workspace Trust')
      .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  /** The engine's connection to `environment`, asking for credentials once when none are stored. */
  async function connect(environment: Environment): Promise<Connection | undefined> {
    try {
      return await environments.connect(environment);
    } catch (error) {
      if (error instanceof EngineProblem && error.kind === 'no-credentials') {
        if (!(await askForSecret(environment))) return undefined;
        try {
          return await environments.connect(environment);
        } catch (again) {
          report(again, environment);
          return undefined;
        }
      }
      // An unreadable CA file, an http:// host that is not loopback, a sandbox port in use...
      report(error, environment);
      return undefined;
    }
  }

  function activeEnvironment(): Environment | undefined {
    const environment = environments.active();
    if (!environment) {
      void vscode.window.showErrorMessage(`No environment is named "${environments.activeName()}" any more.`, 'Select Environment').then((pick) => {
        if (pick) void vscode.commands.executeCommand(COMMANDS.selectEnvironment);
      });
    }
    return environment;
  }

  /** Runs `work` under a cancellable progress notification. */
  function withProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return work(controller.signal, progress);
    });
  }

  /**
   * The question before a send. Protected environments, overwriting a server's
   * changes and replacing a vanished series always ask; otherwise
   * `couponSeries.confirmBeforeSending` (a user setting) decides, and the local sandbox never asks.
   */
  async function confirmSend(question: SendQuestion, uri: vscode.Uri): Promise<boolean> {
    const { environment } = question;
    const name = path.basename(question.file);
    const mustAsk = environment.protected === true || question.drifted || question.replacesMissing;
    const confirmSetting = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(SETTING_KEYS.confirmBeforeSending) ?? true;
    if (!mustAsk && (environments.isSandbox(environment) || !confirmSetting)) {
      for (const warning of question.warnings) {
        log.warn(`${name}: ${warning}`);
        void vscode.window.showWarningMessage(`${name}: ${warning}`);
      }
      return true;
    }
    const changes = question.changes.length ? ` (${question.changes.slice(0, 6).join(', ')}${question.changes.length > 6 ? ', …' : ''})` : '';
    let message: string;
    let button: string;
    if (question.replacesMissing) {
      message = `The series recorded for ${name} on ${environment.name} is no longer on the server. Create ${name} there as a new series?`;
      button = 'Create as New Series';
    } else if (question.drifted) {
      message = `Series ${question.id} on ${environment.name} was changed on the server since ${name} was last pushed${changes}. Overwrite the server's changes?`;
      button = 'Overwrite';
    } else {
      message = `${question.action === 'create' ? 'Create' : `Update series ${question.id} from`} ${name} on ${environment.name}${environment.protected ? ' (protected)' : ''}?`;
      button = question.action === 'create' ? 'Create' : 'Update';
    }
    const detail = [
      `${environment.host}${environment.orgId ? `, org ${environment.orgId}` : ''}`,
      ...question.warnings,
      environment.protected
        ? 'This environment is marked protected: every send to it asks first.'
        : `Turn this question off with the user setting ${SETTINGS_SECTION}.${SETTING_KEYS.confirmBeforeSending}.`,
    ].join('\n\n');
    const buttons = question.drifted ? [button, 'Compare with Server'] : [button];
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
    if (answer === 'Compare with Server') void compare(uri);
    return answer === button;
  }

  function outcomeMessage(outcome: PushOutcome, name: string, environment: Environment): string {
    const moved = outcome.migrated ? ' Its ids moved from CouponSeriesV2 into "deployments".' : '';
    if (outcome.action === 'create') {
      const code = typeof outcome.server?.seriesCode === 'string' ? ` (${outcome.server.seriesCode})` : '';
      return `Created series ${outcome.id}${code} on ${environment.name} from ${name}; recorded in the file.`;
    }
    if (outcome.action === 'update') return `Updated series ${outcome.id} on ${environment.name} from ${name}.${moved}`;
    return `${name} is up to date on ${environment.name} (series ${outcome.id}): nothing was sent.${moved}`;
  }

  /** Create, update or push one file on `environment` (the active one when not given). */
  async function send(argument: unknown, mode: PushMode, chosen?: Environment): Promise<void> {
    if (!trusted(mode === 'create' ? 'Create on Server' : mode === 'update' ? 'Update on Server' : 'Push to Environment')) return;
    const uri = await couponFile(argument);
    const environment = chosen ?? activeEnvironment();
    if (!uri || !environment) return;
    const connection = await connect(environment);
    if (!connection) return;
    const name = path.basename(uri.fsPath);
    const verb = mode === 'create' ? 'Creating' : mode === 'update' ? 'Updating' : 'Pushing';
    try {
      const outcome = await withProgress(`${verb} ${name} on ${environment.name}…`, (signal, progress) =>
        pushFile(connection, files, uri.fsPath, {
          mode,
          signal,
          confirm: (question) => confirmSend(question, uri),
          onWait: (holder) => progress.report({ message: `waiting: the file is being pushed by ${holder}` }),
        }),
      );
      for (const warning of outcome.warnings) void vscode.window.showWarningMessage(warning);
      const message = outcomeMessage(outcome, name, environment);
      log.info(message);
      void vscode.window.showInformationMessage(message);
    } catch (error) {
      if (mode === 'create' && error instanceof EngineProblem && error.kind === 'already-created') {
        const pick = await vscode.window.showInformationMessage(error.message, 'Update on Server');
        if (pick) await send(uri, 'update', environment);
        return;
      }
      if (mode === 'update' && error instanceof EngineProblem && error.kind === 'not-created') {
        const pick = await vscode.window.showInformationMessage(error.message, 'Create on Server');
        if (pick) await send(uri, 'create', environment);
        return;
      }
      report(error, environment);
    } finally {
      host.changed();
    }
  }

  async function pickEnvironment(title: string): Promise<Environment | undefined> {
    type Item = vscode.QuickPickItem & { environment: Environment };
    const active = environments.active();
    const items: Item[] = environments.all().map((environment) => ({
      label: `${environment.protected ? '$(shield) ' : ''}${environment.name}`,
      description: `${environment.host}${environment.orgId ? ` · org ${environment.orgId}` : ''}`,
      detail: environment.name === active?.name ? 'active' : undefined,
      environment,
    }));
    return (await vscode.window.showQuickPick(items, { title, placeHolder: 'The environment to create or update the series on' }))?.environment;
  }

  async function pushToEnvironment(argument: unknown, selection?: unknown[]): Promise<void> {
    if (!trusted('Push to Environment')) return;
    const targets = Array.isArray(selection) && selection.length > 1 ? selection : [argument];
    const environment = await pickEnvironment('Push to Environment');
    if (!environment) return;
    for (const target of targets) await send(target, 'push', environment);
  }

  async function compare(argument: unknown): Promise<void> {
    if (!trusted('Compare with Server')) return;
    const uri = await couponFile(argument);
    const environment = activeEnvironment();
    if (!uri || !environment) return;
    const connection = await connect(environment);
    if (!connection) return;
    try {
      const comparison = await withProgress(`Fetching the series from ${environment.name}…`, async (signal) => compareFile(connection, await files.read(uri.fsPath), { signal }));
      const texts = comparisonTexts(comparison);
      const name = path.basename(uri.fsPath);
      const left = comparisons.put(`${comparison.id} on ${environment.name}.coupon.json`, texts.server);
      const right = comparisons.put(name, texts.file);
      await vscode.commands.executeCommand('vscode.diff', left, right, `Series ${comparison.id} on ${environment.name} ↔ ${name}`);
      const summary = comparison.differences.length === 0 ? 'The file and the server agree on every field the server returns.' : `${comparison.differences.length} field(s) differ.`;
      const drift = comparison.status.drifted ? ' The series was changed on the server since the file was last pushed.' : '';
      const notCompared = comparison.notReturned.length ? ` Not compared (the server does not return them): ${comparison.notReturned.join(', ')}.` : '';
      void vscode.window.showInformationMessage(summary + drift + notCompared);
    } catch (error) {
      report(error, environment);
    }
  }

  /**
   * The file for series `id` in `folder`: `<id>.coupon.json` when it already
   * records that series on this environment (opened, not copied), else a new
   * file at the first free name of `<id>.coupon.json`, `<id>-2.coupon.json`...
   * (ids overlap between orgs, so an existing `<id>.coupon.json` may be another series).
   */
  async function pullNewFile(connection: Connection, id: number, folder: vscode.Uri): Promise<{ uri: vscode.Uri; existing: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const target = vscode.Uri.joinPath(folder, `${id}${attempt > 1 ? `-${attempt}` : ''}.coupon.json`);
      const existing = await files.read(target.fsPath).catch(() => undefined);
      // Only an exact record proves it is this series: without orgId, the same id on the host may be another org's.
      const recorded = existing !== undefined && connection.key !== undefined ? recordedOn(connection.environment, existing) : undefined;
      if (recorded && recorded[0] === connection.key && recorded[1].id === id) return { uri: target, existing: true };
      try {
        if (existing === undefined) {
          const pulled = await pullSeriesToNewFile(connection, files, id, target.fsPath);
          for (const field of pulled.toFillIn) void vscode.window.showWarningMessage(`${path.basename(target.fsPath)}: fill in ${field}`);
          return { uri: target, existing: false };
        }
      } catch (error) {
        // Never replaces a file (one may appear meanwhile).
        if (!(error instanceof EngineProblem && error.kind === 'exists')) throw error;
      }
      if (attempt >= 20) throw new EngineProblem('exists', `${id}.coupon.json to ${id}-${attempt}.coupon.json all exist: nothing was written.`);
    }
  }

  async function pullById(environment: Environment): Promise<void> {
    const input = await vscode.window.showInputBox({
      title: `Pull from ${environment.name}`,
      prompt: 'The id of the coupon series to fetch into a new file',
      validateInput: (value) => (/^[1-9]\d*$/.test(value.trim()) ? undefined : 'A series id is a positive whole number.'),
    });
    if (!input) return;
    const id = Number(input.trim());
    const connection = await connect(environment);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!connection) return;
    if (!folder || folder.scheme !== 'file') {
      void vscode.window.showErrorMessage('Open a folder first: a pulled series is written as a new file in it.');
      return;
    }
    try {
      const target = await withProgress(`Fetching series ${id} from ${environment.name}…`, () => pullNewFile(connection, id, folder));
      await vscode.window.showTextDocument(target.uri);
      if (target.existing) {
        const name = path.basename(target.uri.fsPath);
        const pick = await vscode.window.showInformationMessage(`${name} already holds series ${id} of ${environment.name}: opened it. Pull again to bring it up to date.`, 'Pull into It');
        if (pick) await pull(target.uri);
      }
    } catch (error) {
      report(error, environment);
    } finally {
      host.changed();
    }
  }

  /** Pull: into the targeted file when it has a series on the active environment, else a series by id into a new file. */
  async function pull(argument: unknown): Promise<void> {
    if (!trusted('Pull from Server')) return;
    const environment = activeEnvironment();
    if (!environment) return;
    const targeted = uriOf(argument) ?? vscode.window.activeTextEditor?.document.uri;
    const isCoupon = targeted && targeted.scheme === 'file' && isCouponFileName(targeted.path);
    if (!isCoupon) return pullById(environment);
    const uri = await couponFile(targeted);
    if (!uri) return;
    const connection = await connect(environment);
    if (!connection) return;
    const name = path.basename(uri.fsPath);
    try {
      const outcome = await withProgress(`Pulling ${name} from ${environment.name}…`, (signal) =>
        pullIntoFile(connection, files, uri.fsPath, {
          signal,
          confirmOverwrite: async (changes) =>
            (await vscode.window.showWarningMessage(
              `${name} has changes not pushed to ${environment.name}${changes.length ? ` (${changes.join(', ')})` : ''}. Pulling replaces them with the server's values.`,
              { modal: true },
              'Pull Anyway',
            )) === 'Pull Anyway',
        }),
      );
      const kept = outcome.kept.length ? ` Kept the file's ${outcome.kept.join(', ')} (the server does not return them).` : '';
      void vscode.window.showInformationMessage(`${name}: ${outcome.changed.length ? `took ${outcome.changed.join(', ')} from` : 'already the same as'} series ${outcome.server.id} on ${environment.name}.${kept}`);
      for (const field of outcome.toFillIn) void vscode.window.showWarningMessage(`${name}: fill in ${field}`);
    } catch (error) {
      if (error instanceof EngineProblem && error.kind === 'not-created') {
        const pick = await vscode.window.showInformationMessage(`${name} has no series on ${environment.name}.`, 'Pull a Series by Id…');
        if (pick) await pullById(environment);
        return;
      }
      report(error, environment);
    } finally {
      host.changed();
    }
  }

  async function selectEnvironment(): Promise<void> {
    const active = environments.active();
    type Item = vscode.QuickPickItem & { environment?: Environment };
    const items: Item[] = environments.all().map((environment) => ({
      label: `${environment.protected ? '$(shield) ' : ''}${environment.name}`,
      description: environment.host,
      detail: [
        environment.auth === 'basic' ? `Basic auth as ${environment.username}` : `OAuth client ${environment.clientKey}`,
        environment.orgId ? `org ${environment.orgId}` : undefined,
        environment.protected ? 'protected' : undefined,
        environment.name === active?.name ? 'active' : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
      environment,
    }));
    items.push({ label: '$(add) Add an environment…', detail: `Regional hosts: ${REGIONAL_HOSTS.map((h) => h.host).join(', ')}` });
    const pick = await vscode.window.showQuickPick(items, { title: 'Select Environment', placeHolder: 'Where Create, Update, Compare and Pull send requests (your choice, not shared)' });
    if (!pick) return;
    if (!pick.environment) {
      await vscode.commands.executeCommand('workbench.action.openSettingsJson');
      void vscode.window.showInformationMessage(`Add an entry to "${SETTINGS_SECTION}.${SETTING_KEYS.environments}" (name, host, auth, username or clientKey, orgId), then run Set Credentials.`);
      return;
    }
    await environments.setActive(pick.environment);
  }

  /** Asks for the environment's password or client secret and keeps it in SecretStorage. */
  async function askForSecret(environment: Environment): Promise<boolean> {
    if (environments.isSandbox(environment)) {
      void vscode.window.showInformationMessage(`The local sandbox needs no credentials: it accepts ${SANDBOX_USERNAME} / ${SANDBOX_PASSWORD}.`);
      return true;
    }
    const basic = environment.auth === 'basic';
    const secret = await vscode.window.showInputBox({
      title: `Set Credentials: ${environment.name}`,
      prompt: basic
        ? `Password of ${environment.username} on ${environment.host}. Kept in VS Code's secret storage, as the MD5 hash the API uses.`
        : `Client secret of ${environment.clientKey} on ${environment.host}. Kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value ? undefined : 'Required.'),
    });
    if (!secret) return false;
    await environments.storeSecret(environment, secret);
    log.info(`Credentials stored for ${environment.name}`);
    void vscode.window.showInformationMessage(`Credentials for ${environment.name} saved in VS Code's secret storage.`);
    return true;
  }

  async function setCredentials(): Promise<void> {
    if (!trusted('Set Credentials')) return;
    const environment = environments.active();
    if (environment) await askForSecret(environment);
  }

  async function signOut(): Promise<void> {
    const environment = environments.active();
    if (!environment || environments.isSandbox(environment)) return;
    await environments.signOut(environment);
    log.info(`Signed out of ${environment.name}`);
    void vscode.window.showInformationMessage(`Signed out of ${environment.name}: its password or secret and any token were removed.`);
  }

  async function startLocalSandbox(): Promise<void> {
    try {
      const url = await environments.sandbox.ensureRunning(environments.settings().sandboxPort);
      void vscode.window.showInformationMessage(`Local sandbox running at ${url} (user ${SANDBOX_USERNAME}, password ${SANDBOX_PASSWORD}).`);
      void vscode.commands.executeCommand(COMMANDS.refreshView);
    } catch (error) {
      report(error);
    }
  }

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, comparisons),
    vscode.commands.registerCommand(COMMANDS.create, (argument: unknown) => send(argument, 'create')),
    vscode.commands.registerCommand(COMMANDS.update, (argument: unknown) => send(argument, 'update')),
    vscode.commands.registerCommand(COMMANDS.push, pushToEnvironment),
    vscode.commands.registerCommand(COMMANDS.compare, compare),
    vscode.commands.registerCommand(COMMANDS.pull, pull),
    vscode.commands.registerCommand(COMMANDS.selectEnvironment, selectEnvironment),
    vscode.commands.registerCommand(COMMANDS.setCredentials, setCredentials),
    vscode.commands.registerCommand(COMMANDS.signOut, signOut),
    vscode.commands.registerCommand(COMMANDS.startSandbox, startLocalSandbox),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
  );
}
