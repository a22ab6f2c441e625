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
};
