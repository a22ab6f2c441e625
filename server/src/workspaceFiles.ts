/**
 * The coupon files of the workspace, as the client lists them (its findFiles
 * and file watcher: the server needs no file system of its own), minus those
 * the one selection rule of `core/src/fileSelection.ts` leaves out for their
 * workspace folder (folders never searched, "." names, `couponSeries.exclude`,
 * `files.exclude`): the rule the CLI and the Coupon Series view apply too.
 */
import { isSelected, NO_SELECTION_RULES, SelectionRules } from '../../core/src/fileSelection';
import { isCouponDocument } from '../../core/src/protocol';

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

export class WorkspaceFiles {
  /** Every coupon file the client listed, excluded or not (exclusions can change). */
  private readonly listed = new Set<string>();
  private folders: string[] = [];
  private readonly rules = new Map<string, SelectionRules>();

  setFolders(uris: readonly string[]): void {
    // Longest first, so a nested folder's own exclusions apply to its files.
    this.folders = uris.map(withoutTrailingSlash).sort((a, b) => b.length - a.length);
    for (const folder of [...this.rules.keys()]) if (!this.folders.includes(folder)) this.rules.delete(folder);
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  setRules(folder: string, rules: SelectionRules): void {
    this.rules.set(withoutTrailingSlash(folder), rules);
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
      return !isSelected(relative, this.rules.get(folder) ?? NO_SELECTION_RULES);
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
