/**
 * What a person sees without opening the palette: the active environment in
 * the status bar (click to switch) and code lenses above a coupon file's root.
 */
import * as vscode from 'vscode';
import { seriesId } from '../../core/src/operations';
import { LANGUAGE_ID } from '../../core/src/protocol';
import { COMMANDS } from './commands';
import { CouponEnvironments } from './environments';

export function registerStatusAndLenses(context: vscode.ExtensionContext, environments: CouponEnvironments): void {
  const status = vscode.window.createStatusBarItem('couponSeries.environment', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Coupon Series Environment';
  status.command = COMMANDS.selectEnvironment;

  const refreshStatus = (): void => {
    const environment = environments.active();
    status.text = `$(cloud-upload) ${environment?.name ?? 'No environment'}`;
    status.tooltip = environment ? `Coupon Series: requests go to ${environment.host}. Click to switch.` : 'Coupon Series: select an environment';
    if (vscode.window.activeTextEditor?.document.languageId === LANGUAGE_ID) status.show();
    else status.hide();
  };

  const lensesChanged = new vscode.EventEmitter<void>();
  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses(document) {
      const environment = environments.active()?.name ?? 'server';
      const top = new vscode.Range(0, 0, 0, 0);
      const id = seriesId(document.getText());
      if (id === undefined) return [new vscode.CodeLens(top, { title: `$(cloud-upload) Create on ${environment}`, command: COMMANDS.create, arguments: [document.uri] })];
      return [
        new vscode.CodeLens(top, { title: `$(cloud-upload) Update series ${id} on ${environment}`, command: COMMANDS.update, arguments: [document.uri] }),
        new vscode.CodeLens(top, { title: '$(diff) Compare with Server', command: COMMANDS.compare, arguments: [document.uri] }),
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
    vscode.window.onDidChangeActiveTextEditor(refreshStatus),
  );
}
