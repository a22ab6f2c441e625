/**
 * Browser (web worker) entry of the language server, for vscode.dev and
 * github.dev: LSP over the worker's message channel, browser timers, and no
 * file system (the client reads workspace files for the server).
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import * as languageService from '../../../core/src/languageService';
import { RuntimeEnvironment } from '../runtime';
import { startServer } from '../server';

// The worker's global scope (the project compiles without the DOM and WebWorker libs).
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];
declare function setTimeout(callback: () => void, ms: number): number;
declare function clearTimeout(handle: number): void;
declare const performance: { now(): number };
declare class MessageChannel {
  readonly port1: { onmessage: (() => void) | null };
  readonly port2: { postMessage(message: unknown): void };
}

const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));

/**
 * setImmediate for a worker: a message to itself runs after the messages
 * already queued, like Node's, without the 4 ms clamp that nested
 * `setTimeout(0)` gets (the background check yields once per file).
 */
const channel = new MessageChannel();
const immediates: (() => void)[] = [];
channel.port1.onmessage = () => immediates.shift()?.();

const runtime: RuntimeEnvironment = {
  timer: {
    now: () => performance.now(),
    setImmediate(callback) {
      let cancelled = false;
      immediates.push(() => cancelled || callback());
      channel.port2.postMessage(undefined);
      return { dispose: () => (cancelled = true) };
    },
    setTimeout(callback, ms) {
      const handle = setTimeout(callback, ms);
      return { dispose: () => clearTimeout(handle) };
    },
  },
  // One worker script: the service is in it.
  loadLanguageService: () => languageService,
};

startServer(connection, runtime);
