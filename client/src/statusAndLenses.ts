/**
 * What a person sees without opening the palette: the active environment in
 * the status bar (click to switch; a protected one in the warning colour) and
 * code lenses above a coupon file's root, from what the file records (no
 * request: the commands ask the server before sending).
 */
import * as vscode from 'vscode';
import { recordedOn } from '../../core/src/deployments';
import { LANGUAGE_ID } from '../../core/src/protocol';
import { COMMANDS } from './commands';
import { CouponEnvironments } from './environments';

/** Context key for menus and the keybinding: the active editor's file records a series on the active environment. */
const BOUND_CONTEXT = 'couponSeries.activeFileBound';

export function registerStatusAndLenses(context: vscode.ExtensionContext, environments: CouponEnvironments, changed: vscode.Event<void>): void {
  const status = vscode.window.createStatusBarItem('couponSeries.environment', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Coupon Series Environment';
  status.command = COMMANDS.selectEnvironment;

  const refreshStatus = (): void => {
    const environment = environments.active();
    status.text = `${environment?.protected ? '$(shield)' : '$(cloud-upload)'} ${environment?.name ?? 'No environment'}`;
    status.tooltip = environment
      ? `Coupon Series: requests go to ${environment.host}${environment.orgId ? `, org ${environment.orgId}` : ''}${environment.protected ? ' (protected: every send asks first)' : ''}. Click to switch.`
      : `Coupon Series: no environment "${environments.activeName()}": click to select one`;
    status.backgroundColor = environment?.protected ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId === LANGUAGE_ID) status.show();
    else status.hide();
    const bound = document?.languageId === LANGUAGE_ID && environment !== undefined && recordedOn(environment, document.getText()) !== undefined;
    void vscode.commands.executeCommand('setContext', BOUND_CONTEXT, bound);
  };

  const lensesChanged = new vscode.EventEmitter<void>();
  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses(document) {
      const active = environments.active();
      const name = active?.name ?? 'server';
      const top = new vscode.Range(0, 0, 0, 0);
      const recorded = active && recordedOn(active, document.getText());
      const push = new vscode.CodeLens(top, { title: '$(cloud) Push to Environment…', command: COMMANDS.push, arguments: [document.uri] });
      if (!recorded) return [new vscode.CodeLens(top, { title: `$(cloud-upload) Create on ${name}`, command: COMMANDS.create, arguments: [document.uri] }), push];
      return [
        new vscode.CodeLens(top, { title: `$(sync) Update series ${recorded[1].id} on ${name}`, command: COMMANDS.update, arguments: [document.uri] }),
        new vscode.CodeLens(top, { title: '$(diff) Compare with Server', command: COMMANDS.compare, arguments: [document.uri] }),
        push,
      ];
    },
  };

  refreshStatus();
  context.subscriptions.push(
    status,
    lensesChanged,
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, lenses),
    environments.onDidChange(() => {
      refreshStatus();
      lensesChanged.fire();
    }),
    changed(() => {
      refreshStatus();
      lensesChanged.fire();
    }),
    vscode.window.onDidChangeActiveTextEditor(refreshStatus),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document === vscode.window.activeTextEditor?.document) refreshStatus();
    }),
  );
}
