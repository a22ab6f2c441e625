/**
 * Create on Server, Update on Server and Push to Environment…: the engine
 * decides and sends (one file, or many with one plan and batched reads); this
 * module asks before sending, shows progress and words the results.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  Connection,
  describePushCounts,
  describePushResult,
  FilePushResult,
  Plan,
  planChangesServer,
  PushMode,
  pushFiles,
  pushOneFile,
  SendQuestion,
} from '../../../core/src/engine';
import { Environment, SETTINGS_SECTION, SETTING_KEYS } from '../../../core/src/environments';
import { batchQuestion, detailOf, questionText } from '../sendQuestions';
import { CommandKit, COMMANDS } from './context';

const TITLES: Record<PushMode, string> = { create: 'Create on Server', update: 'Update on Server', push: 'Push to Environment' };
const VERBS: Record<PushMode, string> = { create: 'Creating', update: 'Updating', push: 'Pushing' };

/** Whether the user's setting asks before every send (a workspace cannot turn it off). */
function confirmSetting(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(SETTING_KEYS.confirmBeforeSending) ?? true;
}

export class SendCommands {
  constructor(private readonly kit: CommandKit) {}

  /**
   * The question before a send. Protected environments, overwriting a server's
   * changes and replacing a vanished series always ask; otherwise
   * `couponSeries.confirmBeforeSending` decides, and the local sandbox never asks.
   * `askedForBatch`: a batch was confirmed as a whole (only drift and vanished series ask again).
   */
  private async confirmSend(question: SendQuestion, uri: vscode.Uri, askedForBatch = false): Promise<boolean> {
    const { environment } = question;
    const mustAsk = question.drifted || question.replacesMissing || (environment.protected === true && !askedForBatch);
    if (!mustAsk && (askedForBatch || this.kit.environments.isSandbox(environment) || !confirmSetting())) {
      for (const warning of question.warnings) {
        this.kit.host.log.warn(`${path.basename(question.file)}: ${warning}`);
        void vscode.window.showWarningMessage(`${path.basename(question.file)}: ${warning}`);
      }
      return true;
    }
    const { message, button } = questionText(question);
    const buttons = question.drifted ? [button, 'Compare with Server'] : [button];
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: detailOf(environment, question.warnings) }, ...buttons);
    if (answer === 'Compare with Server') void vscode.commands.executeCommand(COMMANDS.compare, uri);
    return answer === button;
  }

  /** Create, update or push one file on `environment` (the active one when not given). */
  async send(argument: unknown, mode: PushMode, chosen?: Environment): Promise<void> {
    const { kit } = this;
    if (!kit.trusted(TITLES[mode])) return;
    const uri = await kit.couponFile(argument);
    const environment = chosen ?? kit.activeEnvironment();
    if (!uri || !environment) return;
    const connection = await kit.connect(environment);
    if (!connection) return;
    const name = path.basename(uri.fsPath);
    try {
      const result = await kit.withProgress(`${VERBS[mode]} ${name} on ${environment.name}…`, (signal, progress) =>
        pushOneFile(connection, kit.host.files, { file: name, path: uri.fsPath }, {
          mode,
          signal,
          confirm: (question) => this.confirmSend(question, uri),
          onWait: (holder) => progress.report({ message: `waiting: the file is being pushed by ${holder}` }),
        }),
      );
      kit.environments.remember(connection);
      await this.show(result, environment, uri, mode);
    } finally {
      kit.host.changed();
    }
  }

  /** The result of one send: its sentence, or its failure with what helps (the other command where that is the answer). */
  private async show(result: FilePushResult, environment: Environment, uri: vscode.Uri, mode: PushMode): Promise<void> {
    const { kit } = this;
    for (const warning of result.warnings) void vscode.window.showWarningMessage(warning);
    if (result.outcome !== 'failed' || !result.failure) {
      const message = describePushResult(result, environment.name);
      kit.host.log.info(message);
      void vscode.window.showInformationMessage(message);
      return;
    }
    const { failure } = result;
    const other: PushMode | undefined = mode === 'create' && failure.kind === 'already-created' ? 'update' : mode === 'update' && failure.kind === 'not-created' ? 'create' : undefined;
    if (other) {
      if (await vscode.window.showInformationMessage(failure.message, TITLES[other])) await this.send(uri, other, environment);
      return;
    }
    kit.reportFailure(failure, {
      retry: () => this.send(uri, mode, environment),
      compare: async () => void (await vscode.commands.executeCommand(COMMANDS.compare, uri)),
    });
  }

  /** Push to Environment…: the files selected (or the one targeted) to an environment picked from a list. */
  async pushToEnvironment(argument: unknown, selection?: unknown[]): Promise<void> {
    const { kit } = this;
    if (!kit.trusted(TITLES.push)) return;
    const targets = Array.isArray(selection) && selection.length > 1 ? selection : [argument];
    const environment = await this.pickEnvironment();
    if (!environment) return;
    if (targets.length === 1) return this.send(targets[0], 'push', environment);
    const uris: vscode.Uri[] = [];
    for (const target of targets) {
      const uri = await kit.couponFile(target);
      if (uri) uris.push(uri);
    }
    if (uris.length > 0) await this.pushMany(uris, environment);
  }

  private async pickEnvironment(): Promise<Environment | undefined> {
    type Item = vscode.QuickPickItem & { environment: Environment };
    const { environments } = this.kit;
    const active = environments.active();
    const items: Item[] = environments.all().map((environment) => ({
      label: `${environment.protected ? '$(shield) ' : ''}${environment.name}`,
      description: `${environment.host}${environment.orgId ? ` · org ${environment.orgId}` : ''}`,
      detail: environment.name === active?.name ? 'active' : undefined,
      environment,
    }));
    return (await vscode.window.showQuickPick(items, { title: TITLES.push, placeHolder: 'The environment to create or update the series on' }))?.environment;
  }

  /** Several files: one plan with batched reads, one question for the batch, then each file; one summary. */
  private async pushMany(uris: readonly vscode.Uri[], environment: Environment): Promise<void> {
    const { kit } = this;
    const connection = await kit.connect(environment);
    if (!connection) return;
    const byPath = new Map(uris.map((uri) => [uri.fsPath, uri]));
    try {
      const inputs = await Promise.all(uris.map(async (uri) => ({ file: vscode.workspace.asRelativePath(uri), path: uri.fsPath, text: await kit.host.files.read(uri.fsPath) })));
      const report = await kit.withProgress(`Pushing ${uris.length} files to ${environment.name}…`, (signal, progress) =>
        pushFiles(connection, kit.host.files, inputs, {
          signal,
          beforeSending: (plan) => this.confirmBatch(plan, environment),
          confirm: (question) => this.confirmSend(question, byPath.get(question.file) ?? vscode.Uri.file(question.file), true),
          onResult: (result) => progress.report({ message: describePushResult(result, environment.name) }),
        }),
      );
      kit.environments.remember(connection);
      this.showBatch(report.results, describePushCounts(report.counts, environment.name), report.plan, connection);
    } catch (error) {
      kit.report(error, environment);
    } finally {
      kit.host.changed();
    }
  }

  /** One question for a batch, with what the plan would do: protected environments and the user's setting ask. */
  private async confirmBatch(plan: Plan, environment: Environment): Promise<boolean> {
    if (!planChangesServer(plan)) return true;
    if (!environment.protected && (this.kit.environments.isSandbox(environment) || !confirmSetting())) return true;
    const message = batchQuestion(plan, environment);
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: detailOf(environment, []) }, 'Push');
    return answer === 'Push';
  }

  private showBatch(results: readonly FilePushResult[], summary: string, plan: Plan, connection: Connection): void {
    const { kit } = this;
    for (const result of results) kit.host.log.info(describePushResult(result, connection.environment.name));
    const failed = results.filter((result) => result.outcome === 'failed' && result.failure && !result.failure.cancelled);
    if (plan.failure) return kit.reportFailure(plan.failure);
    if (failed.length === 0) {
      void vscode.window.showInformationMessage(`${summary}.`);
      return;
    }
    void vscode.window.showErrorMessage(`${summary}. ${describePushResult(failed[0], connection.environment.name)}${failed.length > 1 ? ` (and ${failed.length - 1} more: see the log)` : ''}`, 'Show Log').then((pick) => {
      if (pick) kit.host.log.show(true);
    });
  }
}
