/**
 * The built-in "Local sandbox" environment's server: reused when one already
 * answers on the port (a `coupon sandbox` in a terminal, a test), started inside
 * the extension host otherwise, with its data kept in the extension's storage.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Sandbox, sandboxAnswers, startSandbox } from '../../core/src/sandbox';

export class LocalSandboxHost implements vscode.Disposable {
  private running: Sandbox | undefined;
  private starting: Promise<string> | undefined;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Whether a sandbox (this one, or one started elsewhere) answers on the port: checks without starting one. */
  async answers(port: number): Promise<boolean> {
    return (this.running !== undefined && this.running.port === port) || sandboxAnswers(port);
  }

  /** The sandbox's URL, starting it if nothing answers on the port. */
  ensureRunning(port: number): Promise<string> {
    if (this.running && this.running.port === port) return Promise.resolve(this.running.url);
    this.starting ??= (async () => {
      try {
        const url = `http://127.0.0.1:${port}`;
        if (await sandboxAnswers(port)) {
          this.log.info(`Local sandbox: using the one already running at ${url}`);
          return url;
        }
        await vscode.workspace.fs.createDirectory(this.storage);
        this.running = await startSandbox({ port, host: '127.0.0.1', dataFile: path.join(this.storage.fsPath, 'sandbox-series.json') });
        this.log.info(`Local sandbox: started at ${this.running.url}`);
        return this.running.url;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  dispose(): void {
    void this.running?.close();
    this.running = undefined;
  }
}
