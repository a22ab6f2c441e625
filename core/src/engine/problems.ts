/**
 * Why the engine sent nothing (or could not finish): one error class whose
 * message says what happened in this file on this environment. What to do
 * about it is each front end's to word, keyed by `kind` (see `advice.ts`).
 */
import type { Diagnostic } from 'vscode-json-languageservice';

export type EngineProblemKind =
  /** The file has errors for this action (`diagnostics` lists them). */
  | 'invalid'
  /** Update asked, but the series has not been created on this environment. */
  | 'not-created'
  /** Create asked, but the series already exists there. */
  | 'already-created'
  /** The recorded series is not on the server any more. */
  | 'missing'
  /** The recorded id is another series (another org or another seriesCode) on this server. */
  | 'mismatch'
  /** The environment has no orgId, and the file's records on its host cannot tell which org it reaches. */
  | 'ambiguous'
  /** The server's series changed since this file last pushed it. */
  | 'drifted'
  /** Another process holds the file's lock for too long. */
  | 'locked'
  /** The request succeeded but the file could not be updated: `message` gives what to add by hand. */
  | 'write-back'
  /** No password, secret or token for the environment. */
  | 'no-credentials'
  /** A new file was to be written where one exists (or appeared). */
  | 'exists'
  /** The editor holds changes of the file that are not saved (the engine sends only what is on disk). */
  | 'unsaved'
  /** The file could not be read or is not a coupon file at all. */
  | 'unreadable'
  /** The file under its lock is not the text the caller planned (an agent's plan): nothing was sent. */
  | 'stale'
  /** The user said no, or cancelled. */
  | 'cancelled';

export class EngineProblem extends Error {
  override readonly name = 'EngineProblem';

  constructor(
    readonly kind: EngineProblemKind,
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}
