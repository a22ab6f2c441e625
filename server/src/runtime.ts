/**
 * What the language server needs from its platform, injected by the thin
 * entry files (`node/serverMain.ts`, `browser/serverMain.ts`) as VS Code's
 * json-language-features does: timers, and in Node the file system.
 */
import type { Disposable } from 'vscode-languageserver';
import type * as LanguageServiceModule from '../../core/src/languageService';

export interface RuntimeEnvironment {
  readonly timer: {
    /** Milliseconds on a monotonic clock (how long a burst of changes has lasted). */
    now(): number;
    /** Runs `callback` once the messages already received have had their turn. */
    setImmediate(callback: () => void): Disposable;
    setTimeout(callback: () => void, ms: number): Disposable;
  };
  /**
   * Reads a file of the workspace that is not open in the editor: its text, or
   * undefined when it does not exist. Absent (the browser) or `null` for a URI
   * it cannot read, the server asks the client for the content instead.
   */
  readonly readFile?: (uri: string, maxBytes: number) => Promise<string | undefined> | null;
  /**
   * The coupon language service (JSON service, schema, validators, rules). Loaded
   * after the server has answered `initialize`: in Node it is a bundle of its own
   * (dist/languageService.js), so starting the server does not wait for it.
   */
  readonly loadLanguageService: () => typeof LanguageServiceModule;
  /** Platform set-up that can wait until the client is initialized (before it opens documents). */
  readonly initialized?: () => void;
  /** The folder of rule pages diagnostics link to when the client names none (Node: the server's own package's docs/rules/). */
  readonly defaultRulePagesUri?: () => string | undefined;
}

/** A file larger than this is not validated unless it is opened (a series is a few KB; the bench's 50,000-id file is 0.9 MB). */
export const MAX_UNOPENED_FILE_BYTES = 4 * 1024 * 1024;

/** Thrown by a `readFile` for a file over the size limit. */
export class FileTooLargeError extends Error {
  constructor(
    readonly uri: string,
    readonly bytes: number,
  ) {
    super(`${uri} is ${(bytes / 1024 / 1024).toFixed(1)} MB: open it to check it`);
  }
}
