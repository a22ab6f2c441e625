/**
 * What the extension's client and the language server agree on: the language
 * id, the files served, and the initialization options. One typed module, shared
 * by both sides (as vscode-eslint does), so neither can drift.
 */
export const LANGUAGE_ID = 'coupon-json';
export const FILE_SUFFIX = '.coupon.json';

export interface CouponServerInitializationOptions {
  /** The client shows snippets/ itself (VS Code's contributes.snippets): don't offer them twice. */
  snippetsContributedByClient?: boolean;
  /**
   * The URI of the README whose rule table each diagnostic's `codeDescription`
   * links to (VS Code: the installed extension's). Without it, the server links
   * to the README of the package it runs from (`<package>/dist/server.js` →
   * `<package>/README.md`).
   */
  readmeUri?: string;
}

/** Whether the server should serve a document the client synced. */
export function isCouponDocument(uri: string, languageId: string): boolean {
  if (languageId === LANGUAGE_ID) return true;
  let path = uri;
  try {
    path = decodeURIComponent(uri);
  } catch {
    // A malformed escape: judge the name as it is written.
  }
  return isCouponFileName(path);
}

/** The editor's rule for a coupon file: the name ends in `.coupon.json`, in any case (`X.Coupon.json` too). */
export function isCouponFileName(path: string): boolean {
  return path.toLowerCase().endsWith(FILE_SUFFIX);
}

/**
 * Node flags the extension starts the server with. A 1 MB young generation
 * keeps the server's memory low on large files (it otherwise grows to tens of
 * MB under the garbage of re-validation) at no measurable cost in speed; see
 * `npm run bench`. Any LSP client may pass them too; the server runs without.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];
