/**
 * The agent tools' host inside VS Code: the first workspace folder, the
 * editor's unsaved text, VS Code's settings for which files count, the
 * environments with their credentials in SecretStorage, and the editor's file
 * writes (through an open document when there is one). Nothing is sent in
 * Restricted Mode; a push to a protected environment asks in a modal dialog
 * even when the user always allows the tool.
 */
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { AgentEnvironment, AgentHost } from '../../core/src/agent';
import { AgentRefusal, MAX_FILE_BYTES } from '../../core/src/agent';
import type { AdviceId, SeriesFiles } from '../../core/src/engine';
import { Environment, hostIdentity } from '../../core/src/environments';
import { selectionRules } from '../../core/src/fileSelection';
import { readBoundedText } from '../../core/src/node/workspacePaths';
import type { CouponEnvironments } from './environments';

const EDITOR_ADVICE: Partial<Record<AdviceId, string>> = {
  'set-credentials': 'Ask the user to run "Coupon Series: Set Credentials" for the environment (they are kept in VS Code\'s secret storage).',
  'reenter-credentials': 'The stored credentials were refused: ask the user to run "Coupon Series: Set Credentials" for the environment again.',
  'start-sandbox': 'Nothing answers on the local sandbox\'s port: ask the user to run "Coupon Series: Start Local Sandbox".',
  'set-org-id': 'Ask the user to add "orgId" to the environment in the couponSeries.environments setting.',
  recreate: 'The recorded series is gone from the server: the user can create it anew with "Coupon Series: Push to Environment…" (it asks).',
  'compare-then-overwrite': 'Someone changed the series on the server: the user can compare ("Coupon Series: Compare with Server") and then push with "Push to Environment…" (it asks before overwriting).',
};

export const RESTRICTED_MODE = 'This workspace is in Restricted Mode: Coupon Series sends nothing and reads no credentials until the workspace is trusted.';

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === file);
}

/** The workspace root the tools work in: the first folder on disk, its links resolved. */
function firstFolder(): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file');
}

/** `changed` runs after a tool talked to a server (the view and lenses refresh, as after a command). */
export function createEditorAgentHost(environments: CouponEnvironments, files: SeriesFiles, changed: () => void): AgentHost {
  const known = (name: string): Environment => {
    const environment = environments.named(name);
    if (!environment) throw new AgentRefusal('unknown-environment', `No environment is named "${name}".`);
    return environment;
  };
  return {
    get root() {
      const folder = firstFolder();
      if (!folder) throw new AgentRefusal('no-workspace', 'No folder is open: the tools read and write files only inside a workspace folder.');
      return realpathSync(folder.uri.fsPath);
    },
    readOnly: false,
    adviceWords: EDITOR_ADVICE,
    files,

    async readText(file) {
      return openDocument(file)?.getText() ?? readBoundedText(file, MAX_FILE_BYTES);
    },

    selectionRules() {
      const configuration = vscode.workspace.getConfiguration(undefined, firstFolder()?.uri);
      return selectionRules((setting) => configuration.get(setting)).rules;
    },

    async environments() {
      const listed: AgentEnvironment[] = [];
      for (const environment of environments.all()) {
        const orgId = environments.orgIdOf(environment);
        const stored = environments.isSandbox(environment) ? 'demo' : vscode.workspace.isTrusted && (await environments.storedCredentials(environment)) ? 'stored' : 'missing';
        listed.push({ name: environment.name, host: hostIdentity(environment.host) ?? environment.host, ...(orgId !== undefined ? { orgId } : {}), protected: environment.protected === true, credentials: stored });
      }
      return { environments: listed, warnings: [] };
    },

    async connect(environment) {
      if (!vscode.workspace.isTrusted) throw new AgentRefusal('restricted', RESTRICTED_MODE);
      const connection = await environments.connect(known(environment.name));
      return {
        connection,
        // The org the answers showed is kept for the lenses and the next commands.
        close: async () => {
          environments.remember(connection);
          changed();
        },
      };
    },

    // VS Code asks the user before every push (the tool's confirmation), so every environment may be offered.
    pushPermission: () => ({ allowed: true, reason: 'VS Code asks the user before the push is sent.' }),

    sendingBlocked: () => (vscode.workspace.isTrusted ? undefined : RESTRICTED_MODE),

    async confirmProtectedPush(environment, summary) {
      const answer = await vscode.window.showWarningMessage(`Push to ${environment.name} (protected)?`, { modal: true, detail: `${summary}\n\nA protected environment is asked for every time, even when the tool is always allowed.` }, 'Push');
      return answer === 'Push';
    },
  };
}
