/** Helpers for the suite: the workspace's files, the extension, diagnostics by code. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from './runner';

export const EXTENSION_ID = 'coupon-series.coupon-series';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite needs the generated workspace folder open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

export async function activateExtension(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded (is --extensionDevelopmentPath the repository?)`);
  await extension.activate();
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceFile(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The project's diagnostics of a file (source "coupon-series"). */
export function couponDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'coupon-series');
}

export function waitForDiagnostics(uri: vscode.Uri, pred: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const diagnostics = couponDiagnostics(uri);
    return pred(diagnostics) ? diagnostics : undefined;
  }, `${what}; diagnostics of ${path.basename(uri.fsPath)}: ${JSON.stringify(couponDiagnostics(uri).map((d) => codeOf(d)))}`);
}

/** Position (0-based) just after the first occurrence of `needle` in the document. */
export function positionAfter(document: vscode.TextDocument, needle: string): vscode.Position {
  const index = document.getText().indexOf(needle);
  if (index < 0) throw new Error(`${path.basename(document.uri.fsPath)} lacks ${JSON.stringify(needle)}`);
  return document.positionAt(index + needle.length);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}
