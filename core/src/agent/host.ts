/**
 * What a front end gives the agent tools: the workspace, its files and
 * settings, its environments with their credentials, and its policy for
 * pushing. `coupon mcp` implements it on the process (environment variables,
 * `.vscode/settings.json`, `--allow-push`); the extension on VS Code (the
 * editor's unsaved text, SecretStorage, Restricted Mode). The tools decide the
 * rest, the same for both.
 */
import type { Connection, SeriesFiles } from '../engine';
import type { AdviceId } from '../engine/failures';
import type { SelectionRules } from '../fileSelection';

/** Which credentials an environment would get (never the secret itself). */
export type CredentialsAvailability =
  /** The local sandbox's public demo user. */
  | 'demo'
  /** CAPILLARY_* variables are set, and the host may receive them. */
  | 'variables'
  /** Kept in VS Code's secret storage. */
  | 'stored'
  | 'missing'
  /** The host is not one the user named: the user's credentials never go there. */
  | 'refused';

export interface AgentEnvironment {
  name: string;
  /** The host as deployment keys write it (`eu.api.capillarytech.com`, `127.0.0.1:47631`). */
  host: string;
  orgId?: number;
  protected: boolean;
  credentials: CredentialsAvailability;
}

export interface PushPermission {
  allowed: boolean;
  /** Why not (or, when allowed, what will still be asked). */
  reason?: string;
}

export interface AgentConnection {
  connection: Connection;
  close(): Promise<void>;
}

/** Runs `work` on a connection to `environment`, closed afterwards whatever happens. */
export async function withConnection<T>(host: AgentHost, environment: AgentEnvironment, work: (connected: AgentConnection) => Promise<T>): Promise<T> {
  const connected = await host.connect(environment);
  try {
    return await work(connected);
  } finally {
    await connected.close();
  }
}

/** Why a tool did nothing, said before anything was sent: a refusal the agent reads, not a crash. */
export class AgentRefusal extends Error {
  override readonly name = 'AgentRefusal';
  constructor(
    readonly kind: string,
    message: string,
    readonly advice: readonly AdviceId[] = [],
  ) {
    super(message);
  }
}

export interface AgentHost {
  /** The workspace root: absolute, symbolic links resolved. Paths outside it are refused. */
  readonly root: string;
  /** A file's text: the editor's unsaved text where it has some, else the file's (bounded in size). */
  readText(file: string): Promise<string>;
  /** `couponSeries.exclude` and `files.exclude` of the root, for folders and globs. */
  selectionRules(): SelectionRules;
  /** Where the engine reads, locks and writes files. */
  readonly files: SeriesFiles;
  /** The environments the agent may name, with what credentials each would get. */
  environments(): Promise<{ environments: AgentEnvironment[]; warnings: string[] }>;
  /** The engine's connection to `environment`; an `AgentRefusal` when nothing may be sent there (before anything is). */
  connect(environment: AgentEnvironment): Promise<AgentConnection>;
  /** Whether coupon_push may send to `environment`. */
  pushPermission(environment: AgentEnvironment): PushPermission;
  /** No tool that writes (files or servers) is offered. */
  readonly readOnly: boolean;
  /** Why nothing may be sent at all right now (VS Code's Restricted Mode), or undefined. */
  sendingBlocked?(): string | undefined;
  /**
   * Asked before a push to a protected environment is sent (the editor shows a
   * modal question: a tool the user "always allows" still asks for production);
   * absent where the policy already named the environment explicitly (`coupon mcp`).
   */
  confirmProtectedPush?(environment: AgentEnvironment, summary: string): Promise<boolean>;
  /** Words for advice ids where this front end has its own (the editor's commands, the CLI's variables). */
  readonly adviceWords?: Partial<Record<AdviceId, string>>;
}
