/**
 * `coupon mcp`: the agent tools for an AI assistant, as an MCP server on
 * stdin/stdout. The flags say which folder is the workspace and what an
 * assistant may change; the server itself is its own bundle, loaded here.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ALLOW_EVERY_UNPROTECTED, ALLOW_PUSH_VARIABLE } from '../../../core/src/agent/pushPolicy';
import { workspaceRoot } from '../../../core/src/node/workspacePaths';
import { flag, listOption, numberOption, stringOption, UsageError } from '../args';
import { CommandSpec, EXIT_OK, toolVersion } from '../command';
import { CONNECTION_HELP } from '../connection';
import { loadMcpServer } from '../mcp/load';

export const mcpCommand: CommandSpec = {
  name: 'mcp',
  usage: 'coupon mcp [--root DIR] [--allow-push NAME[,NAME]] [--read-only] [options]',
  details: [
    'Speaks the Model Context Protocol on stdin and stdout (stdout carries protocol messages only; logs go to',
    'stderr), for an MCP client to start: VS Code (.vscode/mcp.json), or any assistant that runs stdio servers.',
    'Tools: coupon_validate, coupon_explain, coupon_environments, coupon_plan, coupon_pull (writes a file),',
    'and coupon_push (changes a server) only for the environments the user allows:',
    `  --allow-push "EU staging,Local sandbox"   or   ${ALLOW_PUSH_VARIABLE}="EU staging"`,
    `"${ALLOW_EVERY_UNPROTECTED}" allows every environment not marked protected; a protected one only when named itself.`,
    'A push must carry the token of a coupon_plan and is refused when a file or a series on the server changed since.',
    'Files are read and written only inside the workspace (the current folder, or --root).',
    '--read-only offers no tool that writes anything.',
    '',
    'Environments and credentials come from the same places as for coupon plan --env:',
    ...CONNECTION_HELP,
  ],
  options: [
    { name: 'root', type: 'string', value: 'DIR', description: 'The workspace folder (default: the current one); its .vscode/settings.json names the environments.' },
    { name: 'allow-push', type: 'list', value: 'NAME[,NAME]', description: `Environments coupon_push may send to ("${ALLOW_EVERY_UNPROTECTED}": every one not protected). Also ${ALLOW_PUSH_VARIABLE}.` },
    { name: 'read-only', type: 'boolean', description: 'Offer only the tools that write nothing (no push, no pull).' },
    { name: 'timeout', type: 'string', value: 'SECONDS', description: 'Per-request timeout (default: the setting, else 30).' },
    { name: 'ca', type: 'list', value: 'FILE', description: 'Extra CA certificate (PEM) to trust, e.g. a corporate proxy\'s.' },
    { name: 'trust-workspace-ca', type: 'boolean', description: 'Also trust the CA files named by the workspace\'s settings (only if you know them).' },
  ],

  async run(args, { io, output }) {
    if (args.positionals.length > 0) throw new UsageError(`coupon mcp takes no arguments, not "${args.positionals[0]}" (the workspace is --root DIR)`);
    const readOnly = flag(args, 'read-only');
    const allowFlags = listOption(args, 'allow-push');
    if (readOnly && allowFlags.length > 0) throw new UsageError('--read-only and --allow-push contradict each other');
    const allowVariable = io.env[ALLOW_PUSH_VARIABLE];
    if (readOnly && allowVariable) output.warn(`--read-only: ${ALLOW_PUSH_VARIABLE} is ignored`);
    const rootOption = stringOption(args, 'root');
    const folder = path.resolve(io.cwd, rootOption ?? '.');
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--root: ${folder} is not a folder`);
    const timeoutSeconds = numberOption(args, 'timeout', { min: 1, max: 600 });
    if (!io.stdin) throw new UsageError('coupon mcp needs stdin: an MCP client starts it with pipes');
    const { runMcpServer } = loadMcpServer();
    await runMcpServer({
      root: await workspaceRoot(folder),
      env: io.env,
      allowPush: readOnly ? [] : [...allowFlags, allowVariable],
      readOnly,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      caFiles: listOption(args, 'ca').map((file) => path.resolve(io.cwd, file)),
      trustWorkspaceCa: flag(args, 'trust-workspace-ca'),
      stdin: io.stdin as Readable,
      stdout: io.stdout as Writable,
      stderr: io.stderr,
      version: toolVersion(),
    });
    return EXIT_OK;
  },
};
