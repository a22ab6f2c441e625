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
  if (languageId === LANGUAGE_ID) return true;
  let path = uri;
  try {
    path = decodeURIComponent(uri);
  } catch {
    // A malformed escape: judge the name as it is written.
  }
  return path.toLowerCase().endsWith(FILE_SUFFIX);
}

/**
 * Node flags the extension starts the server with. A 1 MB young generation
 * keeps the server's memory low on large files (it otherwise grows to tens of
 * MB under the garbage of re-validation) at no measurable cost in speed; see
 * `npm run bench`. Any LSP client may pass them too; the server runs without.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** The files the workspace-wide check lists (any case, as the editor serves them). */
export const COUPON_FILES_GLOB = '**/*.[cC][oO][uU][pP][oO][nN].[jJ][sS][oO][nN]';

/** Setting: globs, relative to the workspace folder, of coupon files the workspace-wide check leaves out. */
export const EXCLUDE_SETTING = 'couponSeries.exclude';

/**
 * The settings (under `couponSeries.`) the language client and server read:
 * the exclusions, and the LSP trace, which vscode-languageclient reads by the
 * client's id (`couponSeries`).
 */
export const LANGUAGE_SETTING_KEYS: readonly string[] = ['exclude', 'trace.server'];

/** The language client's id: vscode-languageclient reads `<id>.trace.server`, so it must be the settings prefix. */
export const LANGUAGE_CLIENT_ID = 'couponSeries';

/**
 * Client → server: every coupon file of the workspace (the client's findFiles),
 * replacing any earlier list. Later changes on disk come as the standard
 * `workspace/didChangeWatchedFiles`.
 */
export const WORKSPACE_FILES_NOTIFICATION = 'couponSeries/workspaceFiles';
export interface WorkspaceFilesParams {
  uris: string[];
}

/**
 * Server → client: the text of a workspace file the server cannot read itself
 * (in the browser it has no file system); null when the file does not exist, an
 * error when it is larger than `maxBytes`.
 */
export const READ_FILE_REQUEST = 'couponSeries/readFile';
export interface ReadFileParams {
  uri: string;
  maxBytes: number;
}
