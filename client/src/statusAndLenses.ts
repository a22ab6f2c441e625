/**
 * What a person sees without opening the palette: the active environment in
 * the status bar (click to switch; a protected one in the warning colour) and
 * code lenses above a coupon file's root. Which series a lens names is the
 * engine's answer (`recordedSeries`, the function Update starts from, with the
 * org the server's answers showed) for the file as saved: the commands send
 * what is on disk, and nothing is parsed again while typing.
 */
import * as vscode from 'vscode';
import { AnalyzedFile, analyzeFile, RecordedSeries, recordedSeries } from '../../core/src/engine';
import { Environment } from '../../core/src/environments';
import { LANGUAGE_ID } from '../../core/src/protocol';
import { COMMANDS } from './commands';
import { lensCommands } from './lensCommands';
import { CouponEnvironments } from './environments';
import type { SeriesView } from './seriesView';

/** Context key for menus and the keybinding: the active editor's file records a series on the active environment. */
const BOUND_CONTEXT = 'couponSeries.activeFileBound';

/**
 * Each document's file as last saved (or loaded), parsed once: a dirty
 * document keeps what it had when clean, since the commands save and then
 * send what is on disk.
 */
class SavedRecords {
  private readonly byDocument = new Map<string, { version: number; file: AnalyzedFile }>();

  constructor(private readonly environments: CouponEnvironments) {}

  forget(document: vscode.TextDocument): void {
    this.byDocument.delete(document.uri.toString());
  }

  seriesOf(document: vscode.TextDocument, environment: Environment): RecordedSeries | undefined {
    const host = this.environments.hostOf(environment);
    if (!host) return undefined;
    const key = document.uri.toString();
    let saved = this.byDocument.get(key);
    if (!saved || (!document.isDirty && saved.version !== document.version)) {
      saved = { version: document.version, file: analyzeFile(document.getText()) };
      this.byDocument.set(key, saved);
    }
    return recordedSeries(saved.file, host, this.environments.orgIdOf(environment));
  }
}

export function registerStatusAndLenses(context: vscode.ExtensionContext, environments: CouponEnvironments, view: SeriesView, changed: vscode.Event<void>): void {
  const records = new SavedRecords(environments);
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
    const recorded = document?.languageId === LANGUAGE_ID && environment ? records.seriesOf(document, environment) : undefined;
    void vscode.commands.executeCommand('setContext', BOUND_CONTEXT, recorded !== undefined && recorded.kind !== 'none');
  };

  const lensesChanged = new vscode.EventEmitter<void>();
  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    provideCodeLenses(document) {
      const active = environments.active();
      const top = new vscode.Range(0, 0, 0, 0);
      const recorded = active && records.seriesOf(document, active);
      const plannedId = recorded?.kind === 'candidates' ? view.planOf(document.uri)?.deployment?.id : undefined;
      return lensCommands(recorded, active?.name ?? 'server', plannedId).map((lens) => new vscode.CodeLens(top, { title: lens.title, command: lens.command, arguments: [document.uri] }));
    },
  };

  const refreshAll = (): void => {
    refreshStatus();
    lensesChanged.fire();
  };
  refreshStatus();
  context.subscriptions.push(
    status,
    lensesChanged,
    vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, lenses),
    environments.onDidChange(refreshAll),
    view.onDidChangeTreeData(() => lensesChanged.fire()),
    changed(refreshAll),
    vscode.window.onDidChangeActiveTextEditor(refreshStatus),
    vscode.workspace.onDidSaveTextDocument((document) => {
      records.forget(document);
      if (document.languageId === LANGUAGE_ID) refreshAll();
    }),
    vscode.workspace.onDidCloseTextDocument((document) => records.forget(document)),
  );
}
