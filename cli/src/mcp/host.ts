/**
 * The agent tools' host for `coupon mcp`: the workspace folder on disk, its
 * `.vscode/settings.json`, and environments and credentials exactly as the
 * CLI resolves them (core/src/node/targets.ts: CAPILLARY_* variables, sent
 * only to a host the user named or to the vendor's clusters; the sandbox's
 * demo user for the Local sandbox), with the push policy of `--allow-push`.
 */
import type { AgentEnvironment, AgentHost, PushPolicy } from '../../../core/src/agent';
import { AgentRefusal, MAX_FILE_BYTES, pushPermission } from '../../../core/src/agent';
import type { AdviceId } from '../../../core/src/engine';
import { selectionRules } from '../../../core/src/fileSelection';
import { createNodeSeriesFiles } from '../../../core/src/node/seriesFiles';
import { connectTarget, CREDENTIAL_VARIABLES, describeTarget, resolveTarget, summarizeEnvironments, TargetProblem, TargetRequest } from '../../../core/src/node/targets';
import { readWorkspaceSettings } from '../../../core/src/node/workspaceSettings';
import { readBoundedText } from '../../../core/src/node/workspacePaths';

export interface McpHostOptions {
  /** The workspace root, a real path. */
  root: string;
  env: NodeJS.ProcessEnv;
  policy: PushPolicy;
  readOnly: boolean;
  /** What the flags add to every target: timeout, CA files, trusting the workspace's CA files. */
  request: Omit<TargetRequest, 'environmentName' | 'host' | 'auth' | 'orgId'>;
  /** Every secret a target will send, registered for scrubbing before anything is sent. */
  onSecrets(secrets: readonly string[]): void;
  /** A line on stderr. */
  log(line: string): void;
}

const { username, password, clientKey, clientSecret, hosts } = CREDENTIAL_VARIABLES;

/** The advice in the words of someone who runs `coupon mcp`. */
const MCP_ADVICE: Partial<Record<AdviceId, string>> = {
  'set-credentials': `Credentials come from the environment of coupon mcp: ask the user to set ${username} and ${password} (or ${clientKey} and ${clientSecret}) where the MCP client starts it, and restart it.`,
  'reenter-credentials': `The server refused the credentials: ask the user to check ${username} / ${password} (or ${clientKey} / ${clientSecret}) in the environment of coupon mcp.`,
  'set-org-id': 'Ask the user to add "orgId" to the environment in .vscode/settings.json.',
  'start-sandbox': 'Nothing answers on the local sandbox\'s port: ask the user to run coupon sandbox (or start it from the editor).',
  'raise-timeout': 'The request took too long: try again, or ask the user to start coupon mcp with --timeout SECONDS.',
  'trust-ca': 'The server\'s certificate is not trusted: the user can add its CA with --ca FILE or NODE_EXTRA_CA_CERTS.',
};

function refusalOfTarget(problem: TargetProblem): AgentRefusal {
  switch (problem.kind) {
    case 'no-credentials':
      return new AgentRefusal('no-credentials', `${problem.message}.`, ['set-credentials']);
    case 'host-not-named':
      return new AgentRefusal('host-not-named', `${problem.message} Ask the user: only they can allow a host (${hosts}).`);
    default:
      return new AgentRefusal(problem.kind, `${problem.message}.`);
  }
}

export function createMcpHost(options: McpHostOptions): AgentHost {
  const { root, env } = options;
  const context = { cwd: root, env };
  return {
    root,
    readOnly: options.readOnly,
    adviceWords: MCP_ADVICE,
    files: createNodeSeriesFiles(),

    readText: (file) => readBoundedText(file, MAX_FILE_BYTES),

    selectionRules() {
      const settings = readWorkspaceSettings(root);
      return selectionRules((setting) => settings.readSetting(setting)).rules;
    },

    async environments() {
      const { environments, warnings } = summarizeEnvironments(context);
      return {
        environments: environments.map((environment): AgentEnvironment => ({
          name: environment.name,
          host: environment.host,
          ...(environment.orgId !== undefined ? { orgId: environment.orgId } : {}),
          protected: environment.protected,
          credentials: environment.credentials,
        })),
        warnings,
      };
    },

    async connect(environment) {
      let target;
      try {
        target = resolveTarget({ ...options.request, environmentName: environment.name }, context);
      } catch (error) {
        if (error instanceof TargetProblem) throw refusalOfTarget(error);
        throw error;
      }
      // Before the first byte is sent: every form of every secret this target sends is scrubbed from all output.
      options.onSecrets(target.secrets);
      for (const warning of target.warnings) options.log(`warning: ${warning}`);
      options.log(describeTarget(target));
      return connectTarget(target);
    },

    pushPermission: (environment) => pushPermission(options.policy, environment),
  };
}
