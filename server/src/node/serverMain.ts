/**
 * Node entry of the language server: creates the connection (stdio, IPC or
 * socket, as the client asks with --stdio / --node-ipc / --socket) and starts
 * the server with Node's timers and file system.
 */
import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { nodeRuntime } from './nodeRuntime';

/**
 * The young generation keeps the size it starts with. Opening a large file
 * (50,000 product ids) builds a tree that survives its first collections, and
 * V8 then doubles the young generation up to 2 × 16 MB, which stays resident
 * for the rest of the session although only a few MB are ever live there. The
 * VS Code extension passes --max-semi-space-size=1 (SERVER_NODE_FLAGS) for
 * the same effect; set here, any client's plain `node server.js --stdio` gets
 * it too. V8 reads this flag each time it would grow the young generation
 * (`npm run bench` shows memory and speed both ways).
 */
setFlagsFromString('--semi-space-growth-factor=1');

const connection = createConnection(ProposedFeatures.all);
// Keep the protocol stream clean: stray console output goes to the client's log.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
startServer(connection, nodeRuntime);
