/**
 * coupon_pull: a series into the workspace, where the engine decides the
 * file: by id into a folder (the file that already records it, else the
 * first free `<id>.coupon.json`; never replacing one), or by path into the
 * file that records it (never over changes not pushed yet).
 */
import { Connection, describePullInto, fileStatus, pullIntoFile, pullSeriesToFolder } from '../engine';
import { refusalFor } from './advice';
import { isFolder, relativeToRoot } from '../node/workspacePaths';
import type { AgentEnvironment, AgentHost } from './host';
import { AgentRefusal, withConnection } from './host';
import { insideRoot, namedCouponFile, namedEnvironment, readWorkspaceFile, WorkspaceFile } from './workspace';

export interface PullInput {
  id?: number;
  path?: string;
  folder?: string;
  environment: string;
}

export interface PullOutput {
  environment: string;
  file: string;
  id: number;
  key?: string;
  existing?: boolean;
  written: boolean;
  changed?: string[];
  kept?: string[];
  toFillIn: string[];
}

type Target = { kind: 'id'; id: number; folder: WorkspaceFile } | { kind: 'file'; file: WorkspaceFile };

async function pullTarget(host: AgentHost, input: PullInput): Promise<{ environment: AgentEnvironment; target: Target }> {
  if ((input.id === undefined) === (input.path === undefined)) throw new AgentRefusal('invalid-input', 'Give either "id" (a series to fetch into a new file) or "path" (a coupon file to bring up to date), not both or neither.');
  if (input.path !== undefined && input.folder !== undefined) throw new AgentRefusal('invalid-input', '"folder" goes with "id": with "path" the file itself is brought up to date.');
  const environment = await namedEnvironment(host, input.environment);
  if (input.path !== undefined) return { environment, target: { kind: 'file', file: await namedCouponFile(host, input.path) } };
  const folder = await insideRoot(host, input.folder ?? '.');
  if (!(await isFolder(folder.path))) throw new AgentRefusal('not-found', `${folder.file} is not a folder in the workspace.`);
  return { environment, target: { kind: 'id', id: input.id as number, folder } };
}

function refuseWhenBlocked(host: AgentHost): void {
  if (host.readOnly) throw new AgentRefusal('read-only', 'The tools are read-only (coupon mcp --read-only): nothing was written.');
  const blocked = host.sendingBlocked?.();
  if (blocked) throw new AgentRefusal('restricted', `${blocked} Nothing was read or written.`);
}

export async function pullTool(host: AgentHost, input: PullInput): Promise<{ output: PullOutput; text: string }> {
  refuseWhenBlocked(host);
  const { environment, target } = await pullTarget(host, input);
  return withConnection(host, environment, async ({ connection }) => {
    try {
      return await pullWith(host, connection, environment, target);
    } catch (error) {
      throw refusalFor(error, connection.environment);
    }
  });
}

async function pullWith(host: AgentHost, connection: Connection, environment: AgentEnvironment, target: Target): Promise<{ output: PullOutput; text: string }> {
  if (target.kind === 'id') {
    const pulled = await pullSeriesToFolder(connection, host.files, target.id, target.folder.path);
    const file = relativeToRoot(host.root, pulled.file);
    const output: PullOutput = { environment: environment.name, file, id: target.id, key: pulled.key, existing: pulled.existing, written: !pulled.existing, toFillIn: pulled.toFillIn };
    const said = pulled.existing ? `${file} already holds series ${target.id} of ${environment.name}: nothing was written (coupon_pull with its path brings it up to date).` : `${file}: pulled series ${target.id} from ${environment.name}.`;
    return { output, text: [said, ...pulled.toFillIn.map((field) => `Fill in ${field}`)].join('\n') };
  }
  const outcome = await pullIntoFile(connection, host.files, target.file.path);
  const output: PullOutput = {
    environment: environment.name,
    file: target.file.file,
    id: outcome.server.id,
    ...(outcome.status.key ? { key: outcome.status.key } : {}),
    written: outcome.written,
    changed: outcome.changed,
    kept: outcome.kept,
    toFillIn: outcome.toFillIn,
  };
  return { output, text: [describePullInto(outcome, target.file.file, environment.name), ...outcome.toFillIn.map((field) => `Fill in ${field}`)].join('\n') };
}

/** For the editor's confirmation: where the series goes, and (for a file) which fields would change. */
export async function previewPull(host: AgentHost, input: PullInput): Promise<{ environment: AgentEnvironment; lines: string[] }> {
  const { environment, target } = await pullTarget(host, input);
  const where = `${environment.name} (${environment.host}${environment.orgId !== undefined ? `, org ${environment.orgId}` : ''}${environment.protected ? ', protected' : ''})`;
  if (target.kind === 'id') {
    return {
      environment,
      lines: [`Fetch series ${target.id} from ${where} into ${target.folder.file === '.' ? 'the workspace root' : target.folder.file}/${target.id}.coupon.json (or the next free name; the file that already records it is named instead). No file is replaced.`],
    };
  }
  const blocked = host.sendingBlocked?.();
  if (blocked) return { environment, lines: [`Bring ${target.file.file} up to date from ${where}.`, `It will be refused: ${blocked}`] };
  const text = await readWorkspaceFile(host, target.file);
  const status = await withConnection(host, environment, ({ connection }) => fileStatus(connection, text)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (status instanceof Error) return { environment, lines: [`Bring ${target.file.file} up to date from ${where}.`, `It will be refused: ${status.message}`] };
  const series = status.deployment ? `series ${status.deployment.id}` : 'its series';
  const fields = status.changes.length ? `fields that differ: ${status.changes.join(', ')}` : 'no field differs';
  const refused = status.locallyChanged ? ` It will be refused: the file has changes not pushed to ${environment.name}.` : status.problem ? ` ${status.problem}` : '';
  return { environment, lines: [`Bring ${target.file.file} up to date with ${series} on ${where}: ${fields}.${refused}`] };
}
