/**
 * The coupon files of the workspace, as the client lists them (its findFiles
 * and file watcher: the server needs no file system of its own), minus those
 * the `couponSeries.exclude` globs of their workspace folder leave out.
 */
import { createExclusion, parseExcludeSetting } from '../../core/src/fileSelection';
import { isCouponDocument } from '../../core/src/protocol';

type Matcher = (relativePath: string) => boolean;

const withoutTrailingSlash = (uri: string) => uri.replace(/\/+$/, '');

/** A URI's path below `folder` (decoded, `/`-separated), or undefined when it is not inside. */
export function relativePath(folder: string, uri: string): string | undefined {
  const prefix = `${withoutTrailingSlash(folder)}/`;
  if (!uri.startsWith(prefix)) return undefined;
  const rest = uri.slice(prefix.length);
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/** The `couponSeries.exclude` globs as one matcher: the CLI's very rule (`core/src/fileSelection.ts`). */
export function excludeMatcher(globs: unknown): Matcher | undefined {
  const { patterns } = parseExcludeSetting(globs);
  if (patterns.length === 0) return undefined;
  const exclusion = createExclusion(patterns);
  return (relativePath) => exclusion.excludes(relativePath);
}

export class WorkspaceFiles {
  /** Every coupon file the client listed, excluded or not (exclusions can change). */
  private readonly listed = new Set<string>();
  private folders: string[] = [];
  private readonly excludes = new Map<string, Matcher>();

  setFolders(uris: readonly string[]): void {
    // Longest first, so a nested folder's own exclusions apply to its files.
    this.folders = uris.map(withoutTrailingSlash).sort((a, b) => b.length - a.length);
    for (const folder of [...this.excludes.keys()]) if (!this.folders.includes(folder)) this.excludes.delete(folder);
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  setExcludes(folder: string, globs: unknown): void {
    const matcher = excludeMatcher(globs);
    if (matcher) this.excludes.set(withoutTrailingSlash(folder), matcher);
    else this.excludes.delete(withoutTrailingSlash(folder));
  }

  /** Replaces the whole list (the client's scan of the workspace). */
  replace(uris: readonly string[]): void {
    this.listed.clear();
    for (const uri of uris) this.add(uri);
  }

  add(uri: string): boolean {
    if (!isCouponDocument(uri, '')) return false;
    this.listed.add(uri);
    return true;
  }

  remove(uri: string): boolean {
    return this.listed.delete(uri);
  }

  isListed(uri: string): boolean {
    return this.listed.has(uri);
  }

  isExcluded(uri: string): boolean {
    for (const folder of this.folders) {
      const relative = relativePath(folder, uri);
      if (relative === undefined) continue;
      return this.excludes.get(folder)?.(relative) ?? false;
    }
    return false;
  }

  /** Listed and not excluded: its diagnostics belong in the Problems panel. */
  isIncluded(uri: string): boolean {
    return this.listed.has(uri) && !this.isExcluded(uri);
  }

  included(): string[] {
    return [...this.listed].filter((uri) => !this.isExcluded(uri));
  }

  all(): string[] {
    return [...this.listed];
  }
}
