/** The platform the Node entry injects into the server: Node's timers and file system. */
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultRulePagesUri } from '../../../core/src/node/rulePagesLocation';
import { FileTooLargeError, RuntimeEnvironment } from '../runtime';
import { loadLanguageService } from './languageServiceModule';

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

/**
 * The young generation keeps the size it has. Opening a large file (50,000
 * product ids) builds a tree that survives its first collections, and V8 then
 * doubles the young generation up to 2 × 16 MB, which stays resident for the
 * rest of the session although only a few MB are ever live there. The VS Code
 * extension passes --max-semi-space-size=1 (SERVER_NODE_FLAGS) for the same
 * effect; set here, any client's plain `node server.js --stdio` gets it too.
 * V8 reads this flag each time it would grow the young generation (`npm run
 * bench` shows memory and speed both ways). Set once the client is
 * initialized, before it opens documents: loading node:v8 is not on the way
 * to answering `initialize`.
 */
function keepYoungGenerationSmall(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--semi-space-growth-factor=1');
}

export const nodeRuntime: RuntimeEnvironment = {
  timer: {
    now: () => performance.now(),
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
  defaultRulePagesUri,
  loadLanguageService,
  initialized: keepYoungGenerationSmall,
};
