/**
 * A local server speaking the coupon series API (create, update, read, OAuth
 * token) with only the checks the vendor's docs say the server makes, several
 * orgs, a request log, and fault injection for tests and demos. This module
 * is its HTTP layer (node:http only): reading requests, the control
 * endpoints, the faults, the log and writing replies; what the API decides is
 * in endpoints.ts.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '../util';
import { Principal, SandboxAuth } from './auth';
import { CONTROL_HEADER, CONTROL_PATH, foreignRequestProblem, hasControlHeader, isLoopbackAddress } from './control';
import { SANDBOX_DEFAULT_ORG_ID, SANDBOX_ORGS } from './credentials';
import { invalidInput, SandboxEndpoints } from './endpoints';
import { FaultSwitches, parseFaults, SandboxFaults } from './faults';
import { gatewayErrorPage, Reply, SANDBOX_ERROR_CODES as CODES, v2Error } from './responses';
import { SeriesStore } from './store';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Persist series here (JSON, atomic writes); in memory only when absent. */
  dataFile?: string;
  /** Lifetime of issued OAuth tokens; 300 s by default, like the real API's example. */
  tokenTtlSeconds?: number;
  /** The id of the default org (the one `sandbox.user` belongs to); 100458 by default. */
  orgId?: number;
  faults?: SandboxFaults;
  /**
   * What an update does with a request field it does not carry (the docs do
   * not say): `replace` (the default) resets it, like a full replace; `merge`
   * keeps the stored value.
   */
  updateMode?: 'replace' | 'merge';
  /**
   * The custom property keys the org has set up: others are dropped from
   * `customPropertyMap`, so answers carry fewer keys than were sent, as the
   * docs' example does. Default `["standard_terms_and_conditions"]`; `all` keeps every key.
   */
  customPropertyKeys?: readonly string[] | 'all';
}

/** One API request as the sandbox saw it (control requests are not logged). */
export interface SandboxRequest {
  method: string;
  /** The URL path, e.g. `/v2/coupon/series/1001`. */
  path: string;
  /** The query string without its `?` (`ids=1001`), empty when there is none. */
  query: string;
  /** The caller's org when its credentials are valid. */
  orgId?: number;
  /** The status answered; null when the connection was dropped without an answer. */
  status: number | null;
  /** Epoch ms when the request arrived and when it was answered (or dropped). */
  receivedAt: number;
  answeredAt: number;
}

export interface SandboxState {
  seriesCount: number;
  /** API requests received (control requests not counted), including those a fault answered. */
  requestCount: number;
  faults: SandboxFaults;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`: usable as a client's `baseUrl`. */
  url: string;
  port: number;
  close(): Promise<void>;
  state(): SandboxState;
  /** Replaces all fault switches (`{}` turns them off). */
  setFaults(faults: SandboxFaults): void;
  /** Every API request received so far, oldest first (the last {@link MAX_LOGGED_REQUESTS}). */
  requests(): SandboxRequest[];
}

const DEFAULT_TOKEN_TTL_SECONDS = 300;
const MAX_BODY_BYTES = 1_000_000;
/** The request log keeps this many entries, so a long-running sandbox does not grow without bound. */
export const MAX_LOGGED_REQUESTS = 10_000;

/** The custom property key the docs' response example keeps of the three it was sent. */
export const DEFAULT_CUSTOM_PROPERTY_KEYS: readonly string[] = ['standard_terms_and_conditions'];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`The request body is larger than ${MAX_BODY_BYTES} bytes.`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  const html = typeof reply.body === 'string';
  const text = html ? (reply.body as string) : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'Content-Type': html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...reply.headers,
  });
  response.end(text);
}

/** The API requests received: a count, and the last {@link MAX_LOGGED_REQUESTS}. */
class RequestLog {
  count = 0;
  readonly entries: SandboxRequest[] = [];

  /** Counts and logs a request (answered later when `status` is null). */
  add(request: IncomingMessage, url: URL, principal: Principal | undefined, status: number | null): SandboxRequest {
    this.count++;
    const now = Date.now();
    const entry: SandboxRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      ...(principal ? { orgId: principal.orgId } : {}),
      status,
      receivedAt: now,
      answeredAt: status === null ? 0 : now,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_LOGGED_REQUESTS) this.entries.splice(0, this.entries.length - MAX_LOGGED_REQUESTS);
    return entry;
  }
}

/** The control endpoints (state, request log, faults): loopback clients sending the control header only. */
async function controlReply(request: IncomingMessage, url: URL, state: () => SandboxState, log: RequestLog, faults: FaultSwitches): Promise<Reply> {
  if (!isLoopbackAddress(request.socket.remoteAddress)) {
    return v2Error(403, [{ code: CODES.accessDenied, message: 'The sandbox control endpoints answer clients on this machine only.' }]);
  }
  if (!hasControlHeader(request.headers)) {
    return v2Error(403, [{ code: CODES.accessDenied, message: `The sandbox control endpoints need the header ${CONTROL_HEADER} (see controlHeaders() in core/src/sandbox).` }]);
  }
  if (url.pathname === `${CONTROL_PATH}/state` && request.method === 'GET') return { status: 200, body: state() };
  if (url.pathname === `${CONTROL_PATH}/requests` && request.method === 'GET') return { status: 200, body: log.entries };
  if (url.pathname === `${CONTROL_PATH}/faults` && request.method === 'POST') {
    try {
      faults.set(parseFaults(JSON.parse(await readBody(request))));
    } catch (error) {
      return invalidInput((error as Error).message);
    }
    return { status: 200, body: state() };
  }
  return v2Error(404, [
    { code: CODES.noSuchEndpoint, message: `No control endpoint ${request.method} ${url.pathname} (there are GET ${CONTROL_PATH}/state, GET ${CONTROL_PATH}/requests and POST ${CONTROL_PATH}/faults).` },
  ]);
}

/**
 * What the fault switches make of a request before the API sees it: after
 * any delay, a dropped connection (`answer` null), an error reply, or nothing
 * (`answer` undefined), and whether to drop the connection after processing.
 */
async function injectedFaults(faults: FaultSwitches, method: string, path: string): Promise<{ answer?: Reply | null; dropAfterProcessing: boolean }> {
  const delay = faults.take('delayMs', method, path);
  if (delay) await sleep(delay.ms);
  const drop = faults.take('dropConnection', method, path);
  if (drop && !drop.afterProcessing) return { answer: null, dropAfterProcessing: false };
  const dropAfterProcessing = drop?.afterProcessing ?? false;
  const failure = faults.take('status5xx', method, path);
  if (failure) {
    const status = failure.status ?? 503;
    const entry = status === 503 ? { code: CODES.retryLater, message: 'Service unavailable, retry later.' } : { code: CODES.serverError, message: 'Internal server error.' };
    return { answer: v2Error(status, [entry]), dropAfterProcessing };
  }
  const limit = faults.take('rateLimit', method, path);
  if (limit) {
    const reply = v2Error(429, [{ code: CODES.retryLater, message: 'Too many requests, retry later.' }]);
    if (limit.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(limit.retryAfterSeconds) };
    return { answer: reply, dropAfterProcessing };
  }
  if (faults.take('htmlBody', method, path)) return { answer: gatewayErrorPage(), dropAfterProcessing };
  return { dropAfterProcessing };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const store = await SeriesStore.open(options.dataFile);
  const orgs = SANDBOX_ORGS.map((org) => (org.orgId === SANDBOX_DEFAULT_ORG_ID && options.orgId !== undefined ? { ...org, orgId: options.orgId } : org));
  const auth = new SandboxAuth(options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, orgs);
  const faults = new FaultSwitches(options.faults);
  const endpoints = new SandboxEndpoints(store, auth, faults, {
    updateMode: options.updateMode ?? 'replace',
    customPropertyKeys: options.customPropertyKeys ?? DEFAULT_CUSTOM_PROPERTY_KEYS,
  });
  const log = new RequestLog();
  const state = (): SandboxState => ({ seriesCount: store.count, requestCount: log.count, faults: faults.current() });

  /** An API request's answer, or null when a fault drops the connection instead. */
  async function answer(request: IncomingMessage, url: URL, caller: Principal | undefined): Promise<Reply | null> {
    const method = request.method ?? 'GET';
    const fault = await injectedFaults(faults, method, url.pathname);
    if (fault.answer !== undefined) return fault.answer;
    const bodyText = await readBody(request);
    const reply = await endpoints.answer({ method, url, contentType: request.headers['content-type'], caller, bodyText });
    return fault.dropAfterProcessing ? null : reply;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const isControl = url.pathname.startsWith(`${CONTROL_PATH}/`);
    // Neither a page on a rebound DNS name nor a page of another origin; and no CORS preflight is ever granted.
    const foreign = foreignRequestProblem(request.headers);
    if (foreign || request.method === 'OPTIONS') {
      const reply = foreign ? v2Error(403, [{ code: CODES.accessDenied, message: foreign }]) : v2Error(405, [{ code: CODES.noSuchEndpoint, message: 'OPTIONS is not supported: the sandbox allows no cross-origin requests.' }]);
      if (!isControl) log.add(request, url, undefined, reply.status);
      send(response, reply);
      return;
    }
    if (isControl) {
      send(response, await controlReply(request, url, state, log, faults));
      return;
    }
    const principal = auth.check(request.headers);
    const entry = log.add(request, url, principal, null);
    let reply: Reply | null;
    try {
      reply = await answer(request, url, principal);
    } catch (error) {
      reply = v2Error(500, [{ code: CODES.serverError, message: `Sandbox failure: ${(error as Error).message}` }]);
    }
    entry.answeredAt = Date.now();
    if (reply === null) {
      request.socket.destroy();
      return;
    }
    entry.status = reply.status;
    send(response, reply);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      send(response, v2Error(500, [{ code: CODES.serverError, message: `Sandbox failure: ${(error as Error).message}` }]));
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state,
    setFaults: (next) => faults.set(next),
    requests: () => structuredClone(log.entries),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.flushed();
    },
  };
}
