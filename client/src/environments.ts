/**
 * The extension's side of environments: settings read through VS Code, the
 * active environment as a personal choice (workspace state, never a settings
 * file), credentials in SecretStorage (asked for when a command first needs
 * them), the built-in local sandbox, the org each environment was seen to
 * reach, and the engine's connection for an environment. The rules (what a
 * valid environment is, identities, keys, the sandbox's credentials) live in core.
 */
import * as vscode from 'vscode';
import { Connection, Credentials, EngineProblem, md5Hex, openConnection, StoredToken, TokenStore } from '../../core/src/engine';
import {
  allEnvironments,
  CouponSeriesSettings,
  Environment,
  environmentKey,
  findEnvironment,
  hostIdentity,
  isLocalSandbox,
  localSandboxCredentials,
  LOCAL_SANDBOX_NAME,
  parseSettings,
  SETTING_KEYS,
  SETTINGS_SECTION,
} from '../../core/src/environments';
import { readUserCaCertificates } from '../../core/src/node/caCertificates';
import { createNodeHttpTransport } from '../../core/src/node/nodeHttpTransport';
import { parseJsonOrUndefined } from '../../core/src/util';
import { LocalSandboxHost } from './localSandbox';

/** Where the personal choice of environment is kept (per workspace, per user): never in `.vscode/settings.json`. */
const ACTIVE_ENVIRONMENT_STATE = 'couponSeries.activeEnvironment';

/** SecretStorage-backed OAuth token cache: tokens survive reloads and never touch settings. */
class SecretTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await this.secrets.get(`${key}/token`);
    if (!raw) return undefined;
    return parseJsonOrUndefined(raw) as StoredToken | undefined;
  }
  async set(key: string, token: StoredToken): Promise<void> {
    await this.secrets.store(`${key}/token`, JSON.stringify(token));
  }
  async delete(key: string): Promise<void> {
    await this.secrets.delete(`${key}/token`);
  }
}

/** Asks the user for an environment's password or client secret; undefined when they cancel. */
export type SecretPrompt = (environment: Environment) => Promise<string | undefined>;

export interface ConnectOptions {
  /** Ask for missing credentials when the first request needs them (commands); without it, a `no-credentials` problem (the view). */
  prompt?: SecretPrompt;
}

export class CouponEnvironments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the environments, the active one, or what is known of their orgs change. */
  readonly onDidChange = this.changed.event;
  private readonly tokens: SecretTokenStore;
  private readonly subscription: vscode.Disposable;
  private reportedProblems = '';
  /** Orgs the server's answers showed, per environment without orgId (its secret-storage key): what Update would be judged with. */
  private readonly learnedOrgs = new Map<string, number>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    readonly sandbox: LocalSandboxHost,
  ) {
    this.tokens = new SecretTokenStore(secrets);
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) this.changed.fire();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  settings(): CouponSeriesSettings {
    const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const { settings, problems } = parseSettings((key) => configuration.get(key));
    const summary = problems.join('\n');
    if (summary && summary !== this.reportedProblems) {
      this.reportedProblems = summary;
      for (const problem of problems) this.log.warn(`Settings: ${problem}`);
      void vscode.window.showWarningMessage(`Coupon Series settings: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more; see the log)` : ''}`);
    }
    return settings;
  }

  all(): Environment[] {
    const settings = this.settings();
    return allEnvironments(settings.environments, settings.sandboxPort);
  }

  /** The name of the chosen environment (it may no longer exist in the settings). */
  activeName(): string {
    return this.state.get<string>(ACTIVE_ENVIRONMENT_STATE) ?? LOCAL_SANDBOX_NAME;
  }

  active(): Environment | undefined {
    return findEnvironment(this.all(), this.activeName());
  }

  /** The environment called `name`, or undefined. */
  named(name: string): Environment | undefined {
    return findEnvironment(this.all(), name);
  }

  /** Whether the local sandbox answers on its configured port (without starting it). */
  sandboxAnswers(): Promise<boolean> {
    return this.sandbox.answers(this.settings().sandboxPort);
  }

  isSandbox(environment: Environment): boolean {
    return isLocalSandbox(environment);
  }

  async setActive(environment: Environment): Promise<void> {
    await this.state.update(ACTIVE_ENVIRONMENT_STATE, environment.name);
    this.changed.fire();
  }

  /** Stores a basic password (as the MD5 hash the API wants: the password itself is never kept) or an OAuth secret. */
  async storeSecret(environment: Environment, secret: string): Promise<void> {
    const key = environmentKey(environment);
    await this.secrets.store(key, environment.auth === 'basic' ? md5Hex(secret) : secret);
    await this.tokens.delete(key);
  }

  async signOut(environment: Environment): Promise<void> {
    const key = environmentKey(environment);
    await this.secrets.delete(key);
    await this.tokens.delete(key);
  }

  /** The stored credentials (the sandbox's public demo ones for the built-in environment), or undefined. */
  async storedCredentials(environment: Environment): Promise<Credentials | undefined> {
    if (this.isSandbox(environment)) return localSandboxCredentials(environment);
    const secret = await this.secrets.get(environmentKey(environment));
    if (secret === undefined) return undefined;
    return environment.auth === 'basic'
      ? { kind: 'basic', username: environment.username ?? '', passwordMd5: secret }
      : { kind: 'oauth', clientKey: environment.clientKey ?? '', clientSecret: secret };
  }

  /** The org `environment` reaches: its `orgId`, or the one the server's answers showed. */
  orgIdOf(environment: Environment): number | undefined {
    return environment.orgId ?? this.learnedOrgs.get(environmentKey(environment));
  }

  /** The host part of the environment's deployment keys. */
  hostOf(environment: Environment): string | undefined {
    return hostIdentity(environment.host);
  }

  /** Keeps the org a connection learned (the lenses and the next commands use it). */
  remember(connection: Connection): void {
    const { environment, orgId } = connection;
    const key = environmentKey(environment);
    if (environment.orgId !== undefined || orgId === undefined || this.learnedOrgs.get(key) === orgId) return;
    this.learnedOrgs.set(key, orgId);
    this.changed.fire();
  }

  /**
   * The engine's connection to the environment, over the networking VS Code
   * gives extensions: its proxy resolution and authentication (`http.proxy`,
   * `http.noProxy`, PAC, system proxies) and the system's certificates, plus any
   * `couponSeries.extraCaCertificates`. Credentials are read (or asked for,
   * with `prompt`) when the first request needs them. Starts the local sandbox when that is the target.
   */
  async connect(environment: Environment, options: ConnectOptions = {}): Promise<Connection> {
    const settings = this.settings();
    if (this.isSandbox(environment)) await this.sandbox.ensureRunning(settings.sandboxPort);
    const extraCaCertificates = await readUserCaCertificates(settings.extraCaCertificates, `${SETTINGS_SECTION}.${SETTING_KEYS.extraCaCertificates}`);
    const learnedOrgId = this.learnedOrgs.get(environmentKey(environment));
    return openConnection(environment, {
      credentials: { credentials: (target) => this.credentialsOrPrompt(target, options.prompt) },
      transport: createNodeHttpTransport({ extraCaCertificates }),
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      tokenStore: this.tokens,
      ...(learnedOrgId !== undefined ? { learnedOrgId } : {}),
      log: (line, level) => (level === 'debug' ? this.log.debug(line) : this.log.info(line)),
    });
  }

  private async credentialsOrPrompt(environment: Environment, prompt: SecretPrompt | undefined): Promise<Credentials | undefined> {
    const stored = await this.storedCredentials(environment);
    if (stored || !prompt) return stored;
    const secret = await prompt(environment);
    if (secret === undefined) throw new EngineProblem('cancelled', `No credentials were entered for ${environment.name}: nothing was sent.`);
    await this.storeSecret(environment, secret);
    return this.storedCredentials(environment);
  }
}
