/**
 * Node entry of the language server: creates the connection (stdio, IPC or
 * socket, as the client asks with --stdio / --node-ipc / --socket) and starts
 * the server with Node's timers and file system.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { nodeRuntime } from './nodeRuntime';

const connection = createConnection(ProposedFeatures.all);
// Keep the protocol stream clean: stray console output goes to the client's log.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
startServer(connection, nodeRuntime);
