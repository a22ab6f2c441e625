/**
 * Validation and publishing. Diagnostics cover every coupon file of the
 * workspace: open documents are validated first (once per burst of changes,
 * newest version only, see validationScheduler.ts); the other files the
 * client lists are validated at low priority from their saved content. An
 * open document's diagnostics win; when it closes, its saved content's
 * diagnostics come back.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { isCouponDocument, READ_FILE_REQUEST, ReadFileParams } from '../../core/src/protocol';
import type { LanguageServiceLoader } from './languageServiceLoader';
import { OpenDocuments, servedDocument } from './openDocuments';
import { FileTooLargeError, MAX_UNOPENED_FILE_BYTES, RuntimeEnvironment } from './runtime';
import { ValidationScheduler } from './validationScheduler';
import type { WorkspaceFiles } from './workspaceFiles';

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export class DiagnosticsPublisher {
  /** Unopened files whose saved content's diagnostics are shown (cleared when they leave the workspace check). */
  private readonly shownUnopened = new Set<string>();
  private readonly scheduler: ValidationScheduler;

  constructor(
    private readonly connection: Connection,
    private readonly runtime: RuntimeEnvironment,
    private readonly documents: OpenDocuments,
    private readonly workspace: WorkspaceFiles,
    private readonly languageService: LanguageServiceLoader,
  ) {
    this.scheduler = new ValidationScheduler(runtime.timer, {
      validateOpen: (uri) => this.validateOpen(uri),
      validateUnopened: (uri) => this.validateUnopened(uri),
      failed: (uri, error) => connection.console.error(`Validation of ${uri} failed: ${errorText(error)}`),
    });
    documents.onDidChangeContent(({ document }) => {
      if (isCouponDocument(document.uri, document.languageId)) this.scheduler.documentChanged(document.uri);
    });
    documents.onDidClose(({ document }) => this.documentClosed(document.uri));
  }

  /** After the list or the exclusions changed: queue what is now included, clear what is not. */
  reconcileWorkspace(): void {
    for (const uri of [...this.shownUnopened]) if (!this.workspace.isIncluded(uri)) this.forgetUnopened(uri);
    this.scheduler.enqueueUnopened(this.workspace.included().filter((uri) => !this.documents.get(uri) && !this.shownUnopened.has(uri)));
  }

  /** Files changed on disk: checked again unless open. */
  unopenedChanged(uris: readonly string[]): void {
    this.scheduler.enqueueUnopened(uris.filter((uri) => this.workspace.isIncluded(uri) && !this.documents.get(uri)));
  }

  /** A file left the workspace check (deleted, excluded): its diagnostics go, unless it is open. */
  forgetUnopened(uri: string): void {
    this.scheduler.dequeueUnopened(uri);
    if (this.shownUnopened.delete(uri) && !this.documents.get(uri)) this.publish(uri, []);
  }

  dispose(): void {
    this.scheduler.dispose();
  }

  private documentClosed(uri: string): void {
    this.scheduler.documentClosed(uri);
    this.languageService.service.forget(uri);
    if (this.workspace.isIncluded(uri)) {
      // The open version's diagnostics stay until the saved content's replace them.
      this.scheduler.enqueueUnopened([uri], true);
    } else {
      this.shownUnopened.delete(uri);
      this.publish(uri, []);
    }
  }

  private publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  private validateOpen(uri: string): void {
    const document = servedDocument(this.documents, uri);
    if (!document) return;
    this.publish(uri, this.languageService.service.validate(document), document.version);
  }

  private async validateUnopened(uri: string): Promise<void> {
    if (!this.workspace.isIncluded(uri) || this.documents.get(uri)) return;
    let text: string | undefined;
    try {
      text = await this.readUnopened(uri);
    } catch (error) {
      if (error instanceof FileTooLargeError) this.connection.console.info(`Not checked until opened: ${error.message}`);
      else this.connection.console.warn(`Could not read ${uri}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // The file may have been opened, excluded or deleted while it was read.
    if (!this.workspace.isIncluded(uri) || this.documents.get(uri)) return;
    if (text === undefined) {
      this.forgetUnopened(uri);
      return;
    }
    this.publish(uri, this.languageService.service.validateText(uri, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text));
    this.shownUnopened.add(uri);
  }

  private async readUnopened(uri: string): Promise<string | undefined> {
    const local = this.runtime.readFile?.(uri, MAX_UNOPENED_FILE_BYTES);
    if (local) return local;
    const params: ReadFileParams = { uri, maxBytes: MAX_UNOPENED_FILE_BYTES };
    return (await this.connection.sendRequest<string | null>(READ_FILE_REQUEST, params)) ?? undefined;
  }
}
