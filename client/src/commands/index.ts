/**
 * The "Coupon Series" commands: VS Code's side only (which file, prompts,
 * progress, the diff editor, notifications) around the engine, which decides
 * everything that talks to the API and writes the file. One module per family.
 */
import * as vscode from 'vscode';
import { CommandHost, CommandKit, COMMANDS } from './context';
import { EnvironmentCommands } from './environment';
import { ReadBackCommands } from './readBack';
import { SendCommands } from './send';

export { COMMANDS } from './context';
export type { CommandHost, FileArgument } from './context';

export function registerCommands(context: vscode.ExtensionContext, host: CommandHost): CommandKit {
  const kit = new CommandKit(host);
  const environment = new EnvironmentCommands(kit);
  const send = new SendCommands(kit);
  const readBack = new ReadBackCommands(kit);
  context.subscriptions.push(
    readBack.register(),
    vscode.commands.registerCommand(COMMANDS.create, (argument: unknown) => send.send(argument, 'create')),
    vscode.commands.registerCommand(COMMANDS.update, (argument: unknown) => send.send(argument, 'update')),
    vscode.commands.registerCommand(COMMANDS.push, (argument: unknown, selection?: unknown[]) => send.pushToEnvironment(argument, selection)),
    vscode.commands.registerCommand(COMMANDS.compare, (argument: unknown) => readBack.compare(argument)),
    vscode.commands.registerCommand(COMMANDS.pull, (argument: unknown) => readBack.pull(argument)),
    vscode.commands.registerCommand(COMMANDS.selectEnvironment, () => environment.selectEnvironment()),
    vscode.commands.registerCommand(COMMANDS.setCredentials, (argument?: unknown) => environment.setCredentials(argument)),
    vscode.commands.registerCommand(COMMANDS.signOut, (argument?: unknown) => environment.signOut(argument)),
    vscode.commands.registerCommand(COMMANDS.startSandbox, () => environment.startLocalSandbox()),
    vscode.commands.registerCommand(COMMANDS.showLog, () => host.log.show()),
  );
  return kit;
}
