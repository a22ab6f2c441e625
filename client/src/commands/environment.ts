/**
 * Select Environment, Set Credentials, Sign Out and Start Local Sandbox: which
 * environment commands go to, and the secrets they use. Credentials entered
 * here are checked on the server before they are kept; a refused one is asked
 * for again, for the same environment.
 */
import * as vscode from 'vscode';
import { checkCredentials, failureOf } from '../../../core/src/engine';
import { Environment, REGIONAL_HOSTS, SETTINGS_SECTION, SETTING_KEYS } from '../../../core/src/environments';
import { SANDBOX_PASSWORD, SANDBOX_USERNAME } from '../../../core/src/sandbox';
import { CommandKit, COMMANDS } from './context';

type Item<T> = vscode.QuickPickItem & { value?: T };

export class EnvironmentCommands {
  constructor(private readonly kit: CommandKit) {
    kit.enterCredentials = (environment) => this.enterCredentials(environment);
    kit.promptSecret = (environment) => this.promptSecret(environment);
  }

  async selectEnvironment(): Promise<void> {
    const { environments } = this.kit;
    const active = environments.active();
    const items: Item<Environment>[] = environments.all().map((environment) => ({
      label: `${environment.protected ? '$(shield) ' : ''}${environment.name}`,
      description: environment.host,
      detail: [
        environment.auth === 'basic' ? `Basic auth as ${environment.username}` : `OAuth client ${environment.clientKey}`,
        environment.orgId ? `org ${environment.orgId}` : undefined,
        environment.protected ? 'protected' : undefined,
        environment.name === active?.name ? 'active' : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
      value: environment,
    }));
    items.push({ label: '$(add) Add an environment…', detail: `Regional hosts: ${REGIONAL_HOSTS.map((regional) => regional.host).join(', ')}` });
    const pick = await vscode.window.showQuickPick(items, { title: 'Select Environment', placeHolder: 'Where Create, Update, Compare and Pull send requests (your choice, not shared)' });
    if (!pick) return;
    if (!pick.value) {
      await vscode.commands.executeCommand('workbench.action.openSettingsJson');
      void vscode.window.showInformationMessage(`Add an entry to "${SETTINGS_SECTION}.${SETTING_KEYS.environments}" (name, host, auth, username or clientKey, orgId), then run Set Credentials.`);
      return;
    }
    await environments.setActive(pick.value);
  }

  /** The environment a credentials command acts on: the one named, else the active one, else picked; never the local sandbox. */
  private async environmentFor(argument: unknown, title: string): Promise<Environment | undefined> {
    const { environments } = this.kit;
    const named = typeof argument === 'string' ? environments.named(argument) : undefined;
    if (named && !environments.isSandbox(named)) return named;
    const candidates = environments.all().filter((environment) => !environments.isSandbox(environment));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(`The local sandbox needs no credentials (it accepts ${SANDBOX_USERNAME} / ${SANDBOX_PASSWORD}), and no other environment is configured: add one with Select Environment.`);
      return undefined;
    }
    const active = environments.active();
    if (active && !environments.isSandbox(active)) return active;
    if (candidates.length === 1) return candidates[0];
    const items: Item<Environment>[] = candidates.map((environment) => ({ label: environment.name, description: environment.host, detail: environment.auth === 'basic' ? `user ${environment.username}` : `client ${environment.clientKey}`, value: environment }));
    return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Whose credentials' }))?.value;
  }

  async setCredentials(argument?: unknown): Promise<void> {
    if (!this.kit.trusted('Set Credentials')) return;
    const environment = await this.environmentFor(argument, 'Set Credentials');
    if (environment) await this.enterCredentials(environment);
  }

  /** The password or client secret, typed masked; undefined when cancelled. */
  async promptSecret(environment: Environment, refused = false): Promise<string | undefined> {
    const basic = environment.auth === 'basic';
    const what = basic ? `Password of ${environment.username} on ${environment.host}` : `Client secret of ${environment.clientKey} on ${environment.host}`;
    return vscode.window.showInputBox({
      title: `Set Credentials: ${environment.name}`,
      prompt: `${refused ? 'Refused by the server: enter it again. ' : ''}${what}. Kept in VS Code's secret storage${basic ? ', as the MD5 hash the API uses' : ''}.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value ? undefined : 'Required.'),
    });
  }

  /**
   * Asks for the secret, keeps it, and checks it with one read: a refused one
   * is removed and asked for again; one that cannot be checked (the server is
   * not reached) is kept, saying so. True when credentials were kept.
   */
  async enterCredentials(environment: Environment): Promise<boolean> {
    const { kit } = this;
    for (let refused = false; ; refused = true) {
      const secret = await this.promptSecret(environment, refused);
      if (!secret) return false;
      await kit.environments.storeSecret(environment, secret);
      const verdict = await this.check(environment);
      if (verdict === 'refused') {
        await kit.environments.signOut(environment);
        kit.host.log.warn(`The credentials entered for ${environment.name} were refused by the server.`);
        continue;
      }
      kit.host.log.info(`Credentials stored for ${environment.name}`);
      void vscode.window.showInformationMessage(
        verdict === 'accepted' ? `Credentials for ${environment.name} accepted by the server and saved in VS Code's secret storage.` : `Credentials for ${environment.name} saved, but not checked: ${verdict}`,
      );
      kit.host.changed();
      return true;
    }
  }

  /** One read with the stored credentials: accepted, refused, or why it could not be told. */
  private async check(environment: Environment): Promise<'accepted' | 'refused' | string> {
    const { kit } = this;
    try {
      const connection = await kit.environments.connect(environment);
      await kit.withProgress(`Checking the credentials on ${environment.name}…`, (signal) => checkCredentials(connection, { signal }));
      return 'accepted';
    } catch (error) {
      const failure = failureOf(error, environment);
      return failure.kind === 'auth' ? 'refused' : failure.message;
    }
  }

  async signOut(argument?: unknown): Promise<void> {
    const environment = await this.environmentFor(argument, 'Sign Out');
    if (!environment) return;
    await this.kit.environments.signOut(environment);
    this.kit.host.log.info(`Signed out of ${environment.name}`);
    void vscode.window.showInformationMessage(`Signed out of ${environment.name}: its password or secret and any token were removed.`);
  }

  async startLocalSandbox(): Promise<void> {
    const { environments } = this.kit;
    try {
      const url = await environments.sandbox.ensureRunning(environments.settings().sandboxPort);
      void vscode.window.showInformationMessage(`Local sandbox running at ${url} (user ${SANDBOX_USERNAME}, password ${SANDBOX_PASSWORD}).`);
      void vscode.commands.executeCommand(COMMANDS.refreshView);
    } catch (error) {
      this.kit.report(error);
    }
  }
}
