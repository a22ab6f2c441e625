/**
 * Which files of a workspace are checked: coupon files by the editor's rule
 * (`isCouponFileName`: the suffix in any case), minus the folders never
 * searched and the workspace's `couponSeries.exclude` globs. Shared by the CLI
 * and the editor's workspace-wide diagnostics; no Node and no `vscode` import,
 * so it bundles for a browser too (picomatch's POSIX build reads no platform).
 */
import picomatch from 'picomatch/posix';
import { EXCLUDE_SETTING, FILE_SUFFIX } from './protocol';

export { couponSuffixAnyCase, EXCLUDE_SETTING_KEY, isCouponFileName } from './protocol';

/** Every coupon file below a folder, as the CLI's globs write it (`couponSuffixAnyCase` makes the suffix match in any case). */
export const COUPON_FILE_PATTERN = `**/*${FILE_SUFFIX}`;
/** Folders never searched, whatever the patterns say (a path naming one explicitly still works). */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules', '.git'];

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
