/**
 * Node entry of the language server: creates the connection (stdio, IPC or
 * socket, as the client asks with --stdio / --node-ipc / --socket) and starts
 * the server with Node's timers and file system.
 */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../server';
import { FileTooLargeError, RuntimeEnvironment } from '../runtime';

const connection = createConnection(ProposedFeatures.all);
// Keep the protocol stream clean: stray console output goes to the client's log.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

async function readLocalFile(uri: string, maxBytes: number): Promise<string | undefined> {
  const path = fileURLToPath(uri);
  try {
    const { size } = await fs.stat(path);
    if (size > maxBytes) throw new FileTooLargeError(uri, size);
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const runtime: RuntimeEnvironment = {
  timer: {
    setImmediate(callback) {
      const handle = setImmediate(callback);
      return { dispose: () => clearImmediate(handle) };
    },
    setTimeout(callback, ms) {
      const handle = setTimeout(callback, ms);
      return { dispose: () => clearTimeout(handle) };
    },
  },
  // Files on disk are read here; any other scheme is read by the client.
  readFile: (uri, maxBytes) => (uri.startsWith('file:') ? readLocalFile(uri, maxBytes) : null),
};

startServer(connection, runtime);
