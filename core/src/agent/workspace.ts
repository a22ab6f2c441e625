/**
 * The workspace as the tools see it: a path named by the agent, resolved
 * inside the root (or refused), and the coupon files that paths, folders and
 * globs select by the one selection rule (core/src/fileSelection.ts).
 */
import picomatch from 'picomatch';
import { findCouponFiles } from '../node/couponFiles';
import { resolveInsideRoot } from '../node/workspacePaths';
import { FILE_SUFFIX, isCouponFileName } from '../protocol';
import type { AgentEnvironment, AgentHost } from './host';
import { MAX_FILES } from './tools';
import { AgentRefusal } from './host';

export interface WorkspaceFile {
  /** Absolute, links resolved. */
  path: string;
  /** Relative to the root, `/`-separated: what the tools show. */
  file: string;
}

/** `input` inside the root, or an `outside-root` refusal (nothing is read or written). */
export async function insideRoot(host: AgentHost, input: string): Promise<WorkspaceFile> {
  const resolved = await resolveInsideRoot(host.root, input);
  if (!resolved.inside) throw new AgentRefusal('outside-root', `Refused: ${resolved.reason}. The tools read and write only inside the workspace (${host.root}).`);
  return { path: resolved.path, file: resolved.relative };
}

/** A coupon file the agent named: inside the root, with the coupon suffix. */
export async function namedCouponFile(host: AgentHost, input: string): Promise<WorkspaceFile> {
  const named = await insideRoot(host, input);
  if (!isCouponFileName(named.path)) throw new AgentRefusal('not-a-coupon-file', `${named.file} is not a coupon file: their names end in ${FILE_SUFFIX}.`);
  return named;
}

/**
 * The coupon files `inputs` select: a file as named, a folder searched, a glob
 * matched; folders and globs leave out what `couponSeries.exclude` and
 * `files.exclude` exclude. Every input and every file found must be inside the root.
 */
export async function selectFiles(host: AgentHost, inputs: readonly string[]): Promise<WorkspaceFile[]> {
  const checked: string[] = [];
  for (const input of inputs) {
    const scanned = picomatch.scan(input);
    // A glob is judged by the folder it starts from; the files it matches are judged again below.
    await insideRoot(host, scanned.isGlob ? scanned.base || '.' : input);
    checked.push(input);
  }
  const found = await findCouponFiles(checked, { cwd: host.root, rules: host.selectionRules() });
  if (found.missing.length > 0) throw new AgentRefusal('not-found', `No such file or folder in the workspace: ${found.missing.join(', ')}.`);
  if (found.files.length > MAX_FILES) {
    throw new AgentRefusal('too-many-files', `${inputs.join(', ')} select ${found.files.length} coupon files; one plan or push takes at most ${MAX_FILES}: name fewer folders or narrower globs.`);
  }
  const files: WorkspaceFile[] = [];
  const seen = new Set<string>();
  for (const file of found.files) {
    const resolved = await insideRoot(host, file);
    if (!isCouponFileName(resolved.path)) throw new AgentRefusal('not-a-coupon-file', `${resolved.file} is not a coupon file: their names end in ${FILE_SUFFIX}.`);
    if (!seen.has(resolved.path)) files.push(resolved);
    seen.add(resolved.path);
  }
  if (files.length === 0) {
    const excluded = found.excluded > 0 ? ` (${found.excluded} left out by couponSeries.exclude or files.exclude)` : '';
    throw new AgentRefusal('not-found', `No *${FILE_SUFFIX} files in ${inputs.join(', ')}${excluded}.`);
  }
  return files;
}

/** The environment the agent named, or an `unknown-environment` refusal listing the known ones. */
export async function namedEnvironment(host: AgentHost, name: string): Promise<AgentEnvironment> {
  const { environments } = await host.environments();
  const wanted = name.trim().toLowerCase();
  const found = environments.find((environment) => environment.name.toLowerCase() === wanted);
  if (!found) throw new AgentRefusal('unknown-environment', `No environment is named "${name}". Known: ${environments.map((environment) => `"${environment.name}"`).join(', ')} (coupon_environments lists them).`);
  return found;
}

/** A workspace file's text, or a refusal the agent reads (missing, unreadable, too large) instead of an unexpected failure. */
export async function readWorkspaceFile(host: AgentHost, file: WorkspaceFile): Promise<string> {
  try {
    return await host.readText(file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AgentRefusal(code === 'ENOENT' ? 'not-found' : 'unreadable', code === 'ENOENT' ? `${file.file} does not exist.` : `${file.file} cannot be read: ${code ?? (error as Error).message}.`);
  }
}
