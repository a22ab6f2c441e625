/**
 * The extension's view of environments: settings read through VS Code, secrets
 * in SecretStorage, the built-in local sandbox, and an API client per request.
 * The rules (what a valid environment is, how keys are built) live in core.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  createCouponApiClient,
  createDispatcher,
  CouponApiClient,
  Credentials,
  md5Hex,
  parseBaseUrl,
  selectProxy,
  StoredToken,
  TokenStore,
} from '../../core/src/api';
import {
  allEnvironments,
  CouponSeriesSettings,
  Environment,
  environmentKey,
  findEnvironment,
  LOCAL_SANDBOX_NAME,
  parseSettings,
  SETTING_KEYS,
  SETTINGS_SECTION,
} from '../../core/src/environments';
import { SANDBOX_PASSWORD } from '../../core/src/sandbox';
import { LocalSandboxHost } from './localSandbox';

/** SecretStorage-backed OAuth token cache: tokens survive reloads and never touch settings. */
class SecretTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await this.secrets.get(`${key}/token`);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as StoredToken;
    } catch {
      return undefined;
    }
  }
  async set(key: string, token: StoredToken): Promise<void> {
    await this.secrets.store(`${key}/token`, JSON.stringify(token));
  }
  async delete(key: string): Promise<void> {
    await this.secrets.delete(`${key}/token`);
  }
}

export class CouponEnvironments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the environments or the active one change. */
  readonly onDidChange = this.changed.event;
  private readonly tokens: SecretTokenStore;
  private readonly subscription: vscode.Disposable;
  private reportedProblems = '';

  constructor(
    private readonly secrets: vscode.SecretStorage,
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

  active(): Environment | undefined {
    return findEnvironment(this.all(), this.settings().activeEnvironment);
  }

  isSandbox(environment: Environment): boolean {
    return environment.name === LOCAL_SANDBOX_NAME;
  }

  async setActive(environment: Environment): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(SETTING_KEYS.activeEnvironment, environment.name, target);
  }

  /** Stores a basic password (as the MD5 hash the API wants: the password itself is never kept) or an OAuth secret. */
  async storeSecret(environment: Environment, secret: string): Promise<void> {
    const key = environmentKey(environment);
    await this.secrets.store(key, environment.auth === 'basic' ? md5Hex(secret) : secret);
    await this.tokens.delete(key);
  }

  async hasSecret(environment: Environment): Promise<boolean> {
    return this.isSandbox(environment) || (await this.secrets.get(environmentKey(environment))) !== undefined;
  }

  async signOut(environment: Environment): Promise<void> {
    const key = environmentKey(environment);
    await this.secrets.delete(key);
    await this.tokens.delete(key);
  }

  private async credentials(environment: Environment): Promise<Credentials | undefined> {
    if (this.isSandbox(environment)) return { kind: 'basic', username: environment.username ?? '', passwordMd5: md5Hex(SANDBOX_PASSWORD) };
    const secret = await this.secrets.get(environmentKey(environment));
    if (secret === undefined) return undefined;
    return environment.auth === 'basic'
      ? { kind: 'basic', username: environment.username ?? '', passwordMd5: secret }
      : { kind: 'oauth', clientKey: environment.clientKey ?? '', clientSecret: secret };
  }

  /**
   * An API client for the environment, or undefined when it has no credentials
   * yet (the caller offers "Set Credentials"). Proxy and CAs follow VS Code's
   * `http.proxy`, `http.proxyStrictSSL`, `http.noProxy`, the standard variables
   * and `couponSeries.extraCaCertificates`.
   */
  async client(environment: Environment): Promise<CouponApiClient | undefined> {
    const credentials = await this.credentials(environment);
    if (!credentials) return undefined;
    if (this.isSandbox(environment)) await this.sandbox.ensureRunning(this.settings().sandboxPort);
    const settings = this.settings();
    const http = vscode.workspace.getConfiguration('http');
    const configuredProxy = http.get<string>('proxy') || undefined;
    const noProxy = http.get<string[]>('noProxy') ?? [];
    const extraCaCertificates = await Promise.all(
      settings.extraCaCertificates.map(async (path) => {
        try {
          return await readFile(path, 'utf8');
        } catch (error) {
          throw new Error(`Cannot read the CA certificate file ${path} (couponSeries.extraCaCertificates): ${(error as Error).message}`);
        }
      }),
    );
    const dispatcher = createDispatcher({
      proxyUrl: selectProxy(parseBaseUrl(environment.host), { configuredProxy, noProxy, env: process.env }),
      strictSSL: http.get<boolean>('proxyStrictSSL') ?? true,
      extraCaCertificates,
    });
    return createCouponApiClient({
      baseUrl: environment.host,
      credentials,
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      dispatcher,
      tokenStore: this.tokens,
      tokenKey: environmentKey(environment),
      environmentName: environment.name,
      attribution: environment.attribution,
      log: (line) => this.log.info(line),
    });
  }
}
