/**
 * Which files of a workspace count: coupon files by the editor's rule
 * (`isCouponFileName`: the suffix in any case), minus the folders never
 * searched (`node_modules`, `.git`), names starting with "." (unless asked),
 * the workspace's `couponSeries.exclude` globs and VS Code's `files.exclude`.
 * One rule for the CLI (folders and globs), the language server's
 * workspace-wide problems, the Coupon Series view and the agent tools; no Node
 * and no `vscode` import, so it bundles for a browser too (picomatch's POSIX
 * build reads no platform).
 */
import picomatch from 'picomatch/posix';
import { EXCLUDE_SETTING, FILE_SUFFIX } from './protocol';

export { couponSuffixAnyCase, EXCLUDE_SETTING_KEY, isCouponFileName } from './protocol';

/** Every coupon file below a folder, as the CLI's globs write it (`couponSuffixAnyCase` makes the suffix match in any case). */
export const COUPON_FILE_PATTERN = `**/*${FILE_SUFFIX}`;
/** Folders never searched, whatever the patterns say (a path naming one explicitly still works). */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules', '.git'];

/** The most coupon files a workspace-wide check lists (the editor's problems and view): the first ones found are checked. */
export const MAX_WORKSPACE_FILES = 20_000;

/** VS Code's setting of files hidden from the workspace; the CLI reads it from `.vscode/settings.json` too. */
export const FILES_EXCLUDE_SETTING = 'files.exclude';

/** A workspace-relative path as the patterns see it: `/` separators, no leading `./`. */
function normalize(relativePath: string): string {
  return relativePath.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
}

function outsideFolder(relativePath: string): boolean {
  return relativePath === '..' || relativePath.startsWith('../') || relativePath.startsWith('/') || /^[a-zA-Z]:/.test(relativePath);
}

export interface ExcludeSetting {
  patterns: string[];
  /** What was wrong with the setting (the usable patterns are kept). */
  problems: string[];
}

/** `couponSeries.exclude` as read from settings: a list of workspace-relative globs (default none). */
export function parseExcludeSetting(raw: unknown, settingName = EXCLUDE_SETTING): ExcludeSetting {
  if (raw === undefined || raw === null) return { patterns: [], problems: [] };
  if (!Array.isArray(raw)) return { patterns: [], problems: [`${settingName} must be a list of globs relative to the workspace folder, e.g. ["test/fixtures/**"].`] };
  const patterns: string[] = [];
  const problems: string[] = [];
  raw.forEach((entry, index) => {
    const pattern = typeof entry === 'string' ? normalize(entry.trim()) : '';
    if (pattern === '') problems.push(`${settingName}[${index}] must be a non-empty glob.`);
    else if (outsideFolder(pattern)) problems.push(`${settingName}[${index}] "${entry as string}" must be relative to the workspace folder.`);
    else patterns.push(pattern);
  });
  return { patterns, problems };
}

export interface Exclusion {
  readonly patterns: readonly string[];
  /**
   * Whether a workspace-relative path (a file or a folder) is excluded: it,
   * or a folder it is in, matches a pattern (so `fixtures`, `fixtures/**` and
   * `**\/fixtures` all exclude what a `fixtures` folder holds). Paths outside
   * the folder are never excluded.
   */
  excludes(relativePath: string): boolean;
}

/** The matcher for `couponSeries.exclude` (dot names match like any other: `.github/**` works). */
export function createExclusion(patterns: readonly string[]): Exclusion {
  if (patterns.length === 0) return { patterns, excludes: () => false };
  const matches = picomatch(patterns.map(normalize), { dot: true });
  return {
    patterns,
    excludes(relativePath) {
      const path = normalize(relativePath);
      if (path === '' || outsideFolder(path)) return false;
      for (let end = path.indexOf('/'); end !== -1; end = path.indexOf('/', end + 1)) {
        if (matches(path.slice(0, end))) return true;
      }
      return matches(path);
    },
  };
}

/**
 * `files.exclude` as VS Code writes it (`{"**\/.git": true, "**\/*.js": {"when": "$(basename).ts"}}`):
 * the globs set to `true` (a `when` clause is a condition on sibling files, not applied here).
 */
export function parseFilesExclude(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  return Object.entries(raw as Record<string, unknown>)
    .filter(([pattern, value]) => value === true && pattern.trim() !== '')
    .map(([pattern]) => normalize(pattern.trim()))
    .filter((pattern) => !outsideFolder(pattern));
}

export interface SelectionRules {
  /** `couponSeries.exclude`. */
  exclude: Exclusion;
  /** `files.exclude`. */
  filesExclude: Exclusion;
}

export interface ParsedSelectionRules {
  rules: SelectionRules;
  /** What was wrong with `couponSeries.exclude` (its usable patterns are kept). */
  problems: string[];
}

/** The rules from a folder's settings; `read` gives the raw value of `couponSeries.exclude` or `files.exclude`. */
export function selectionRules(read: (setting: typeof EXCLUDE_SETTING | typeof FILES_EXCLUDE_SETTING) => unknown): ParsedSelectionRules {
  const exclude = parseExcludeSetting(read(EXCLUDE_SETTING));
  return { rules: { exclude: createExclusion(exclude.patterns), filesExclude: createExclusion(parseFilesExclude(read(FILES_EXCLUDE_SETTING))) }, problems: exclude.problems };
}

export const NO_SELECTION_RULES: SelectionRules = { exclude: createExclusion([]), filesExclude: createExclusion([]) };

/** Whether a path has a folder that is never searched, or (unless `dot`) a name starting with ".". */
export function isPassedOver(relativePath: string, dot: boolean): boolean {
  const segments = normalize(relativePath).split('/');
  return segments.some((segment, index) => (index < segments.length - 1 && SKIPPED_FOLDERS.includes(segment)) || (!dot && segment.startsWith('.') && segment !== '.' && segment !== '..'));
}

/**
 * Whether a file found by searching the workspace (a path relative to its
 * folder) counts: not in a folder never searched, no name starting with
 * "." unless `dot`, and excluded by neither `couponSeries.exclude` nor
 * `files.exclude`. A file the user names (opens, passes on the command line) is not judged by this.
 */
export function isSelected(relativePath: string, rules: SelectionRules, dot = false): boolean {
  return !isPassedOver(relativePath, dot) && !isExcluded(relativePath, rules);
}

/** Whether `couponSeries.exclude` or `files.exclude` leaves the path out (the part of `isSelected` a search that skips folders itself still needs). */
export function isExcluded(relativePath: string, rules: SelectionRules): boolean {
  return rules.exclude.excludes(relativePath) || rules.filesExclude.excludes(relativePath);
}
