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
}

/** Whether the server should serve a document the client synced. */
export function isCouponDocument(uri: string, languageId: string): boolean {
  return languageId === LANGUAGE_ID || decodeURIComponent(uri).toLowerCase().endsWith(FILE_SUFFIX);
}
