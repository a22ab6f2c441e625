/**
 * The "Coupon Series" commands: thin glue between VS Code (editors, prompts,
 * progress, the diff editor) and the core operations, which hold the rules.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CouponApiClient, CouponApiError } from '../../core/src/api';
import { changedSpan } from '../../core/src/edits';
import { Environment, REGIONAL_HOSTS, SETTINGS_SECTION } from '../../core/src/environments';
import {
  comparisonTexts,
  compareFileWithServer,
  createSeriesFromFile,
  pullSeriesText,
  seriesId,
  SeriesFileProblem,
  textWithCreatedIds,
  updateSeriesFromFile,
} from '../../core/src/operations';
import { isCouponDocument, LANGUAGE_ID } from '../../core/src/protocol';
import { SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../../core/src/sandbox';
import { CouponEnvironments } from './environments';

export const COMMANDS = {
  create: 'couponSeries.createOnServer',
  update: 'couponSeries.updateOnServer',
  compare: 'couponSeries.compareWithServer',
  pull: 'couponSeries.pullFromServer',
  selectEnvironment: 'couponSeries.selectEnvironment',
  setCredentials: 'couponSeries.setCredentials',
  signOut: 'couponSeries.signOut',
  startSandbox: 'couponSeries.startLocalSandbox',
  showLog: 'couponSeries.showLog',
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

export function registerCommands(context: vscode.ExtensionContext, environments: CouponEnvironments, log: vscode.LogOutputChannel): void {
  const comparisons = new ComparisonDocuments();

  /** The open coupon file a command acts on: the one passed (code lens) or the active editor's. */
  function couponDocument(uri?: vscode.Uri): vscode.TextDocument | undefined {
    const document = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
    if (document && isCouponDocument(document.uri.toString(), document.languageId)) return document;
    void vscode.window.showErrorMessage('Open a coupon series file (*.coupon.json) first.');
    return undefined;
  }

  /** The active environment with a ready client, asking for credentials once if there are none. */
  async function connect(): Promise<{ environment: Environment; client: CouponApiClient } | undefined> {
    const environment = environments.active();
    if (!environment) {
      const pick = await vscode.window.showErrorMessage(`No environment is named "${environments.settings().activeEnvironment}".`, 'Select Environment');
      if (pick) await vscode.commands.executeCommand(COMMANDS.selectEnvironment);
      return undefined;
    }
    try {
      let client = await environments.client(environment);
      if (!client) {
        if (!(await askForSecret(environment))) return undefined;
        client = await environments.client(environment);
      }
      return client ? { environment, client } : undefined;
    } catch (error) {
      // An unreadable CA file, an http:// host that is not loopback, a sandbox port in use...
      reportFailure(error);
      return undefined;
    }
  }

  async function confirm(environment: Environment, action: string, document: vscode.TextDocument): Promise<boolean> {
    if (environments.isSandbox(environment) || !environments.settings().confirmBeforeSending) return true;
    const answer = await vscode.window.showWarningMessage(
      `${action} ${path.basename(document.uri.fsPath)} on ${environment.name} (${environment.host})?`,
      { modal: true, detail: 'Turn this question off with the setting couponSeries.confirmBeforeSending.' },
      action,
    );
    return answer === action;
  }

  /** Runs a request under a cancellable progress notification, turning failures into messages. */
  async function withRequest<T>(title: string, run: (signal: AbortSignal) => Promise<T>, handle?: (error: unknown) => Promise<boolean>): Promise<T | undefined> {
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return run(controller.signal);
      });
    } catch (error) {
      if (!(await handle?.(error))) reportFailure(error);
      return undefined;
    }
  }

  /** Shows the failure without waiting for the notification to be dismissed, so the command itself completes. */
  function reportFailure(error: unknown): void {
    if (error instanceof SeriesFileProblem && error.kind === 'invalid') {
      void vscode.window.showErrorMessage(error.message, 'Show Problems').then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error(message);
    void vscode.window.showErrorMessage(message, 'Show Log').then((pick) => pick && log.show(true));
  }

  /** Writes the new text into the document with one minimal edit, then saves. */
  async function applyText(document: vscode.TextDocument, before: string, after: string): Promise<void> {
    const { start, oldEnd, newEnd } = changedSpan(before, after);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(oldEnd)), after.slice(start, newEnd));
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error('The editor refused the edit; the file was not changed.');
    await document.save();
  }

  /** Documents with a create in flight: a second click must not send a second POST. */
  const creating = new Set<string>();

  /**
   * Sends a create for the document once, then writes the ids into the text as
   * it is now (typing may have gone on) and saves. If that last step fails the
   * series exists anyway: say which id to add, so nobody creates it twice.
   */
  async function sendCreate(document: vscode.TextDocument, asNewSeries: boolean): Promise<void> {
    const key = document.uri.toString();
    if (creating.has(key)) {
      void vscode.window.showInformationMessage('This file is already being created on the server: wait for that request to finish.');
      return;
    }
    creating.add(key);
    try {
      const connection = await connect();
      if (!connection || !(await confirm(connection.environment, 'Create', document))) return;
      const { environment, client } = connection;
      const result = await withRequest(`Creating coupon series on ${environment.name}…`, (signal) => createSeriesFromFile(client, document.getText(), { signal, asNewSeries }));
      if (!result) return;
      const { id, seriesCode } = result.server;
      log.info(`Created series ${id} on ${environment.name} from ${document.uri.fsPath}`);
      try {
        const current = document.getText();
        await applyText(document, current, textWithCreatedIds(current, result.server, asNewSeries));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        reportFailure(new Error(`Series ${id} was created on ${environment.name}, but its id could not be written into the file (${why}). Add "id": ${id}${seriesCode ? ` and "seriesCode": "${seriesCode}"` : ''} by hand before sending it again.`));
        return;
      }
      void vscode.window.showInformationMessage(`Created series ${id}${seriesCode ? ` (${seriesCode})` : ''} on ${environment.name}.`);
    } catch (error) {
      reportFailure(error);
    } finally {
      creating.delete(key);
    }
  }

  async function create(uri?: vscode.Uri): Promise<void> {
    const document = couponDocument(uri);
    if (!document) return;
    const id = seriesId(document.getText());
    if (id !== undefined) {
      const pick = await vscode.window.showInformationMessage(`This file already holds series ${id}; creating it again would make a duplicate.`, 'Update on Server');
      if (pick) await update(document.uri);
      return;
    }
    await sendCreate(document, false);
  }

  async function update(uri?: vscode.Uri): Promise<void> {
    const document = couponDocument(uri);
    if (!document) return;
    if (seriesId(document.getText()) === undefined) {
      const pick = await vscode.window.showInformationMessage('This file has no "id" yet: the series has not been created on a server.', 'Create on Server');
      if (pick) await create(document.uri);
      return;
    }
    const connection = await connect();
    if (!connection || !(await confirm(connection.environment, 'Update', document))) return;
    const { environment, client } = connection;
    const offerCreate = async (error: unknown): Promise<boolean> => {
      if (!(error instanceof CouponApiError && error.kind === 'not-found')) return false;
      log.error(error.message);
      void vscode.window.showErrorMessage(`${error.message} Create it as a new series instead?`, 'Create on Server').then((pick) => pick && sendCreate(document, true));
      return true;
    };
    const result = await withRequest(`Updating coupon series on ${environment.name}…`, (signal) => updateSeriesFromFile(client, document.getText(), { signal }), offerCreate);
    if (!result) return;
    log.info(`Updated series ${result.server.id} on ${environment.name} from ${document.uri.fsPath}`);
    void vscode.window.showInformationMessage(`Updated series ${result.server.id} on ${environment.name}.`);
  }

  async function compare(uri?: vscode.Uri): Promise<void> {
    const document = couponDocument(uri);
    if (!document) return;
    const connection = await connect();
    if (!connection) return;
    const { environment, client } = connection;
    const comparison = await withRequest(`Fetching the series from ${environment.name}…`, (signal) => compareFileWithServer(client, document.getText(), { signal }));
    if (!comparison) return;
    const texts = comparisonTexts(comparison);
    const name = path.basename(document.uri.fsPath);
    const left = comparisons.put(`${comparison.id} on ${environment.name}.coupon.json`, texts.server);
    const right = comparisons.put(name, texts.file);
    await vscode.commands.executeCommand('vscode.diff', left, right, `Series ${comparison.id} on ${environment.name} ↔ ${name}`);
    const summary = comparison.differences.length === 0 ? 'The file and the server agree on every field the server returns.' : `${comparison.differences.length} field(s) differ.`;
    const notCompared = comparison.notReturned.length ? ` Not compared (the server does not return them): ${comparison.notReturned.join(', ')}.` : '';
    void vscode.window.showInformationMessage(summary + notCompared);
  }

  async function pull(): Promise<void> {
    const input = await vscode.window.showInputBox({
      title: 'Pull from Server',
      prompt: 'The id of the coupon series to fetch',
      validateInput: (value) => (/^[1-9]\d*$/.test(value.trim()) ? undefined : 'A series id is a positive whole number.'),
    });
    if (!input) return;
    const id = Number(input.trim());
    const connection = await connect();
    if (!connection) return;
    const { environment, client } = connection;
    const text = await withRequest(`Fetching series ${id} from ${environment.name}…`, (signal) => pullSeriesText(client, id, { signal }));
    if (text === undefined) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    let target = folder && vscode.Uri.joinPath(folder, `${id}.coupon.json`);
    if (target) {
      try {
        await vscode.workspace.fs.stat(target);
        target = target.with({ scheme: 'untitled' }); // Never overwrite an existing file: the user chooses.
      } catch {
        await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      }
    }
    const document = target
      ? await vscode.workspace.openTextDocument(target)
      : await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
    if (document.uri.scheme === 'untitled' && document.getText() === '') {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(0, 0), text);
      await vscode.workspace.applyEdit(edit);
    }
    await vscode.window.showTextDocument(document);
  }

  async function selectEnvironment(): Promise<void> {
    const active = environments.active();
    type Item = vscode.QuickPickItem & { environment?: Environment };
    const items: Item[] = environments.all().map((environment) => ({
      label: environment.name,
      description: environment.host,
      detail: `${environment.auth === 'basic' ? `Basic auth as ${environment.username}` : `OAuth client ${environment.clientKey}`}${environment.name === active?.name ? ' · active' : ''}`,
      environment,
    }));
    items.push({ label: '$(add) Add an environment…', detail: `Regional hosts: ${REGIONAL_HOSTS.map((h) => h.host).join(', ')}` });
    const pick = await vscode.window.showQuickPick(items, { title: 'Select Environment', placeHolder: 'Where Create, Update, Compare and Pull send requests' });
    if (!pick) return;
    if (!pick.environment) {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.environments`);
      return;
    }
    await environments.setActive(pick.environment);
    if (!(await environments.hasSecret(pick.environment))) {
      const set = await vscode.window.showInformationMessage(`${pick.environment.name} has no credentials yet.`, 'Set Credentials');
      if (set) await askForSecret(pick.environment);
    }
  }

  /** Asks for the password (basic) or client secret (OAuth) and keeps it in SecretStorage. */
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
    } catch (error) {
      reportFailure(error);
    }
  }

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, comparisons),
    vscode.commands.registerCommand(COMMANDS.create, create),
    vscode.commands.registerCommand(COMMANDS.update, update),
    vscode.commands.registerCommand(COMMANDS.compare, compare),
    vscode.commands.registerCommand(COMMANDS.pull, pull),
    vscode.commands.registerCommand(COMMANDS.selectEnvironment, selectEnvironment),
    vscode.commands.registerCommand(COMMANDS.setCredentials, setCredentials),
    vscode.commands.registerCommand(COMMANDS.signOut, signOut),
    vscode.commands.registerCommand(COMMANDS.startSandbox, startLocalSandbox),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
  );
}
