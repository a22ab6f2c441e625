/**
 * What every command family shares: the command ids, the file a command acts
 * on, workspace trust, progress, connections that ask for credentials when
 * first needed, and how a failure is shown (the engine's advice, as buttons
 * that act on the environment the failure is about).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Connection, EngineProblem, Failure, failureOf, SeriesFiles } from '../../../core/src/engine';
import { Environment, SETTINGS_SECTION } from '../../../core/src/environments';
import { isCouponDocument } from '../../../core/src/protocol';
import { AdviceButton, editorAdviceFor } from '../advice';
import { COMMAND_IDS as COMMANDS } from '../commandIds';
import { CouponEnvironments } from '../environments';

export { COMMANDS };

export interface CommandHost {
  environments: CouponEnvironments;
  files: SeriesFiles;
  log: vscode.LogOutputChannel;
  /** Called after anything that may change a file's state (the view and lenses refresh). */
  changed(): void;
}

/** Something a command can be invoked on: a Uri (explorer, editor title, code lens), a view item, or nothing (the active editor). */
export interface FileArgument {
  resourceUri?: vscode.Uri;
}

export function uriOf(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  const item = argument as FileArgument | undefined;
  return item?.resourceUri instanceof vscode.Uri ? item.resourceUri : undefined;
}

/** What a failure's buttons need from the command that failed. */
export interface FailureHandlers {
  /** Runs the command again (after credentials were entered again, or "Try Again"). */
  retry?: () => Promise<void>;
  /** "Compare with Server" on the file the command was about. */
  compare?: () => Promise<void>;
}

export class CommandKit {
  /** Enters (and checks) credentials for an environment; set by the environment commands. */
  enterCredentials: (environment: Environment) => Promise<boolean> = async () => false;
  /** Asks for a missing secret in the middle of a command (checked by the request that needs it). */
  promptSecret: (environment: Environment) => Promise<string | undefined> = async () => undefined;

  constructor(readonly host: CommandHost) {}

  get environments(): CouponEnvironments {
    return this.host.environments;
  }

  /** Shows a failure with the buttons that help, without waiting for it to be dismissed. */
  report(error: unknown, environment?: Environment, handlers: FailureHandlers = {}): void {
    this.reportFailure(failureOf(error, environment), handlers);
  }

  reportFailure(failure: Failure, handlers: FailureHandlers = {}): void {
    const { log } = this.host;
    if (failure.cancelled) {
      log.info(failure.message);
      return;
    }
    const advice = editorAdviceFor(failure);
    log.error(advice.message);
    const buttons = advice.buttons.filter((button) => (button.action.kind === 'compare' ? handlers.compare : button.action.kind === 'retry' ? handlers.retry : true));
    void vscode.window.showErrorMessage(advice.message, ...buttons.map((button) => button.label), 'Show Log').then((label) => {
      if (label === 'Show Log') log.show(true);
      const button = buttons.find((candidate) => candidate.label === label);
      if (button) void this.act(button, failure, handlers);
    });
  }

  private async act(button: AdviceButton, failure: Failure, handlers: FailureHandlers): Promise<void> {
    const { action } = button;
    switch (action.kind) {
      case 'set-credentials':
        if (failure.environment && (await this.enterCredentials(failure.environment))) await handlers.retry?.();
        return;
      case 'start-sandbox':
        await vscode.commands.executeCommand(COMMANDS.startSandbox);
        return;
      case 'open-settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', action.setting ?? SETTINGS_SECTION);
        return;
      case 'show-problems':
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        return;
      case 'compare':
        await handlers.compare?.();
        return;
      case 'retry':
        await handlers.retry?.();
        return;
    }
  }

  /**
   * The coupon file a command acts on, saved: the one passed (explorer, view,
   * editor title, code lens) or the active editor's. Files only: the engine
   * locks and writes them on disk.
   */
  async couponFile(argument: unknown): Promise<vscode.Uri | undefined> {
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
  trusted(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(`${what} needs a trusted workspace: this one is in Restricted Mode, so Coupon Series sends nothing and asks for no credentials here (validation, completion and hover still work).`, 'Manage Workspace Trust')
      .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  activeEnvironment(): Environment | undefined {
    const { environments } = this;
    const environment = environments.active();
    if (!environment) {
      void vscode.window.showErrorMessage(`No environment is named "${environments.activeName()}" any more.`, 'Select Environment').then((pick) => {
        if (pick) void vscode.commands.executeCommand(COMMANDS.selectEnvironment);
      });
    }
    return environment;
  }

  /** The engine's connection to `environment`; missing credentials are asked for when the first request needs them. */
  async connect(environment: Environment): Promise<Connection | undefined> {
    try {
      return await this.environments.connect(environment, { prompt: (target) => this.promptSecret(target) });
    } catch (error) {
      // An unreadable CA file, an http:// host that is not loopback, a sandbox port in use...
      this.report(error, environment);
      return undefined;
    }
  }

  /** Runs `work` under a cancellable progress notification. */
  withProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return work(controller.signal, progress);
    });
  }
}

/** An `EngineProblem` of `kind`? */
export function isProblem(error: unknown, kind: EngineProblem['kind']): boolean {
  return error instanceof EngineProblem && error.kind === kind;
}
