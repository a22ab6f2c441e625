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
   * The URI of the folder of rule pages (docs/rules/<code>.md) each
   * diagnostic's `codeDescription` links to (VS Code: the installed
   * extension's). Without it, the server links to the pages of the package it
   * runs from (`<package>/dist/server.js` → `<package>/docs/rules/`).
   */
  rulePagesUri?: string;
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

/**
 * The pattern with a trailing `.coupon.json` (written in any case) turned into
 * one that matches the suffix in any case, as the editor does: a glob
 * `*.coupon.json` selects `X.Coupon.json` too. Other patterns are returned as they are.
 */
export function couponSuffixAnyCase(pattern: string): string {
  if (!pattern.toLowerCase().endsWith(FILE_SUFFIX)) return pattern;
  const anyCase = [...FILE_SUFFIX].map((char) => (/[a-z]/.test(char) ? `[${char}${char.toUpperCase()}]` : char)).join('');
  return pattern.slice(0, -FILE_SUFFIX.length) + anyCase;
}

/** Every coupon file of a workspace, for VS Code's findFiles and watchers (the suffix in any case, as the editor serves them). */
export const COUPON_FILES_GLOB = couponSuffixAnyCase(`**/*${FILE_SUFFIX}`);

/** The language client's id: vscode-languageclient reads `<id>.trace.server`, so it must be the settings prefix. */
export const LANGUAGE_CLIENT_ID = 'couponSeries';

/** `couponSeries.exclude`: globs, relative to the workspace folder, of coupon files the whole-workspace checks leave out. */
export const EXCLUDE_SETTING_KEY = 'exclude';
export const EXCLUDE_SETTING = `${LANGUAGE_CLIENT_ID}.${EXCLUDE_SETTING_KEY}`;

/**
 * The settings (under `couponSeries.`) the language client and server read:
 * the exclusions, and the LSP trace, which vscode-languageclient reads by the
 * client's id.
 */
export const LANGUAGE_SETTING_KEYS: readonly string[] = [EXCLUDE_SETTING_KEY, 'trace.server'];

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
