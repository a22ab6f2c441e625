/**
 * Compare with Server and Pull from Server: what the engine read, shown in the
 * diff editor or written into a file the engine chose.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compareFile, describeDifferenceCount, describePullInto, pullIntoFile, pullSeriesToFolder } from '../../../core/src/engine';
import { Environment } from '../../../core/src/environments';
import { isCouponFileName } from '../../../core/src/protocol';
import { comparisonTexts } from '../../../core/src/series';
import { CommandKit, isProblem, uriOf } from './context';

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

export class ReadBackCommands {
  private readonly comparisons = new ComparisonDocuments();

  constructor(private readonly kit: CommandKit) {}

  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, this.comparisons);
  }

  async compare(argument: unknown): Promise<void> {
    const { kit } = this;
    if (!kit.trusted('Compare with Server')) return;
    const uri = await kit.couponFile(argument);
    const environment = kit.activeEnvironment();
    if (!uri || !environment) return;
    const connection = await kit.connect(environment);
    if (!connection) return;
    try {
      const comparison = await kit.withProgress(`Fetching the series from ${environment.name}…`, async (signal) => compareFile(connection, await kit.host.files.read(uri.fsPath), { signal }));
      kit.environments.remember(connection);
      const texts = comparisonTexts(comparison);
      const name = path.basename(uri.fsPath);
      const left = this.comparisons.put(`${comparison.id} on ${environment.name}.coupon.json`, texts.server);
      const right = this.comparisons.put(name, texts.file);
      await vscode.commands.executeCommand('vscode.diff', left, right, `Series ${comparison.id} on ${environment.name} ↔ ${name}`);
      const drift = comparison.status.drifted ? ' The series was changed on the server since the file was last pushed.' : '';
      const notCompared = comparison.notReturned.length ? ` Not compared (the server does not return them): ${comparison.notReturned.join(', ')}.` : '';
      void vscode.window.showInformationMessage(describeDifferenceCount(comparison.differences.length) + drift + notCompared);
    } catch (error) {
      kit.report(error, environment, { retry: () => this.compare(uri) });
    }
  }

  /** Pull: into the targeted file when it has a series on the active environment, else a series by id into a file the engine picks. */
  async pull(argument: unknown): Promise<void> {
    const { kit } = this;
    if (!kit.trusted('Pull from Server')) return;
    const environment = kit.activeEnvironment();
    if (!environment) return;
    const targeted = uriOf(argument) ?? vscode.window.activeTextEditor?.document.uri;
    const isCoupon = targeted && targeted.scheme === 'file' && isCouponFileName(targeted.path);
    if (!isCoupon) return this.pullById(environment);
    const uri = await kit.couponFile(targeted);
    if (uri) await this.pullInto(uri, environment);
  }

  private async pullInto(uri: vscode.Uri, environment: Environment): Promise<void> {
    const { kit } = this;
    const connection = await kit.connect(environment);
    if (!connection) return;
    const name = path.basename(uri.fsPath);
    try {
      const outcome = await kit.withProgress(`Pulling ${name} from ${environment.name}…`, (signal) =>
        pullIntoFile(connection, kit.host.files, uri.fsPath, {
          signal,
          confirmOverwrite: async (changes) =>
            (await vscode.window.showWarningMessage(
              `${name} has changes not pushed to ${environment.name}${changes.length ? ` (${changes.join(', ')})` : ''}. Pulling replaces them with the server's values.`,
              { modal: true },
              'Pull Anyway',
            )) === 'Pull Anyway',
        }),
      );
      kit.environments.remember(connection);
      void vscode.window.showInformationMessage(describePullInto(outcome, name, environment.name));
      for (const field of outcome.toFillIn) void vscode.window.showWarningMessage(`${name}: fill in ${field}`);
    } catch (error) {
      if (isProblem(error, 'not-created')) {
        if (await vscode.window.showInformationMessage(`${name} has no series on ${environment.name}.`, 'Pull a Series by Id…')) await this.pullById(environment);
        return;
      }
      kit.report(error, environment, { retry: () => this.pullInto(uri, environment) });
    } finally {
      kit.host.changed();
    }
  }

  private async pullById(environment: Environment): Promise<void> {
    const { kit } = this;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder || folder.scheme !== 'file') {
      void vscode.window.showErrorMessage('Open a folder first: a pulled series is written as a new file in it.');
      return;
    }
    const input = await vscode.window.showInputBox({
      title: `Pull from ${environment.name}`,
      prompt: 'The id of the coupon series to fetch into a new file',
      validateInput: (value) => (/^[1-9]\d*$/.test(value.trim()) ? undefined : 'A series id is a positive whole number.'),
    });
    if (!input) return;
    const id = Number(input.trim());
    const connection = await kit.connect(environment);
    if (!connection) return;
    try {
      const pulled = await kit.withProgress(`Fetching series ${id} from ${environment.name}…`, (signal) => pullSeriesToFolder(connection, kit.host.files, id, folder.fsPath, { signal }));
      kit.environments.remember(connection);
      const target = vscode.Uri.file(pulled.file);
      await vscode.window.showTextDocument(target);
      const name = path.basename(pulled.file);
      if (pulled.existing) {
        if (await vscode.window.showInformationMessage(`${name} already holds series ${id} of ${environment.name}: opened it. Pull again to bring it up to date.`, 'Pull into It')) await this.pullInto(target, environment);
        return;
      }
      for (const field of pulled.toFillIn) void vscode.window.showWarningMessage(`${name}: fill in ${field}`);
    } catch (error) {
      kit.report(error, environment);
    } finally {
      kit.host.changed();
    }
  }
}
