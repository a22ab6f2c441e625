/**
 * A local server speaking the coupon series API (create, update, read, OAuth
 * token) with only the checks the vendor's docs say the server makes
 * (checks.ts, not the project's rules), several orgs, a request log, and fault
 * injection for tests and demos. node:http only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAUTH_TOKEN_PATH } from '../api/auth';
import { SERIES_PATH } from '../api/client';
import { SERIES_KEY } from '../schema';
import { isJsonObject, JsonObject, parseJsonOrUndefined, sleep } from '../util';
import { Principal, SandboxAuth } from './auth';
import { CONTROL_HEADER, CONTROL_PATH, foreignRequestProblem, hasControlHeader, isLoopbackAddress } from './control';
import { CheckFailure, createFailures, DATE_FIELDS, serverInstant, STORED_REQUEST_FIELDS, updateFailures, utcText } from './checks';
import { SANDBOX_DEFAULT_ORG_ID, SANDBOX_ORGS, SandboxAccess } from './credentials';
import { FaultSwitches, parseFaults, SandboxFaults } from './faults';
import { accessDenied, gatewayErrorPage, Reply, SANDBOX_ERROR_CODES as CODES, seriesAnswer, v2Error } from './responses';
import { SeriesStore, StoredSeries } from './store';

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
const SERIES_ID_PATH = new RegExp(`^${SERIES_PATH}/(\\d+)$`);

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

function invalidInput(message: string): Reply {
  return v2Error(400, [{ code: CODES.invalidInput, message }]);
}

/** The refusals as one v2 error answer: a 403 "mandatory field missing" when there is one, else a 400 listing each. */
function refusal(failures: readonly CheckFailure[]): Reply {
  const forbidden = failures.find((failure) => failure.status === 403);
  if (forbidden) return v2Error(403, [{ code: CODES.mandatoryFieldMissing, message: forbidden.message }]);
  return v2Error(400, failures.map((failure) => ({ code: CODES.invalidInput, message: failure.message })));
}

function nowUtc(): string {
  return utcText(Date.now());
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const store = await SeriesStore.open(options.dataFile);
  const updateMode = options.updateMode ?? 'replace';
  const customPropertyKeys = options.customPropertyKeys ?? DEFAULT_CUSTOM_PROPERTY_KEYS;
  const orgs = SANDBOX_ORGS.map((org) => (org.orgId === SANDBOX_DEFAULT_ORG_ID && options.orgId !== undefined ? { ...org, orgId: options.orgId } : org));
  const auth = new SandboxAuth(options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, orgs);
  const faults = new FaultSwitches(options.faults);
  let requestCount = 0;
  const requestLog: SandboxRequest[] = [];

  const state = (): SandboxState => ({ seriesCount: store.count, requestCount, faults: faults.current() });

  /** Parses a create/update body: the series object, or the error reply. */
  function seriesFromBody(bodyText: string): { series: JsonObject } | { reply: Reply } {
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch (error) {
      return { reply: invalidInput(`The request body is not valid JSON: ${(error as Error).message}`) };
    }
    const series = isJsonObject(body) ? body[SERIES_KEY] : undefined;
    return isJsonObject(series) ? { series } : { reply: invalidInput(`The body must be {"${SERIES_KEY}": {...}}.`) };
  }

  /** The request fields the server keeps: known request fields only, dates in UTC `Z`, custom properties the org knows. */
  function storedFields(series: JsonObject): JsonObject {
    const fields: JsonObject = {};
    for (const [name, value] of Object.entries(series)) {
      if (!STORED_REQUEST_FIELDS.has(name)) continue;
      if (DATE_FIELDS.includes(name) && typeof value === 'string') {
        const instant = serverInstant(value);
        fields[name] = instant === undefined ? value : utcText(instant);
      } else if (name === 'customPropertyMap' && isJsonObject(value) && customPropertyKeys !== 'all') {
        fields[name] = Object.fromEntries(Object.entries(value).filter(([key]) => customPropertyKeys.includes(key)));
      } else {
        fields[name] = value;
      }
    }
    return fields;
  }

  function unknownSeries(ids: readonly (number | string)[]): Reply {
    return v2Error(404, [{ code: CODES.seriesIdInvalid, message: `Coupon series id is invalid: no series ${ids.join(', ')}.` }]);
  }

  async function create(caller: Principal, bodyText: string): Promise<Reply> {
    const parsed = seriesFromBody(bodyText);
    if ('reply' in parsed) return parsed.reply;
    const failures = createFailures(parsed.series);
    if (failures.length > 0) return refusal(failures);
    const now = nowUtc();
    const stored = await store.add({
      seriesCode: randomBytes(10).toString('hex').toUpperCase(),
      orgId: caller.orgId,
      fields: storedFields(parsed.series),
      createdOn: now,
      lastModifiedOn: now,
      numIssued: 0,
      numRedeemed: 0,
    });
    return { status: 200, body: seriesAnswer(stored) };
  }

  async function update(caller: Principal, id: number, bodyText: string): Promise<Reply> {
    const stored = store.get(caller.orgId, id);
    if (!stored) return unknownSeries([id]);
    const parsed = seriesFromBody(bodyText);
    if ('reply' in parsed) return parsed.reply;
    const { series } = parsed;
    const failures = updateFailures(series);
    if (failures.length > 0) return refusal(failures);
    // FACTS.md: "maxCreate on update must be greater than the number already issued".
    const maxCreate = series.maxCreate;
    if (typeof maxCreate === 'number' && maxCreate !== -1 && maxCreate <= stored.numIssued) {
      return invalidInput(`"maxCreate" (${maxCreate}) must be greater than the number of coupons already issued (${stored.numIssued}).`);
    }
    const sent = storedFields(series);
    const fields = updateMode === 'merge' ? { ...stored.fields, ...sent } : sent;
    const updated: StoredSeries = { ...stored, fields, lastModifiedOn: nowUtc() };
    await store.replace(updated);
    return { status: 200, body: seriesAnswer(updated) };
  }

  function read(caller: Principal, url: URL): Reply {
    const raw = url.searchParams.getAll('ids').flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
    if (raw.length === 0) return invalidInput('Give the series to read as ?ids=<id> (several allowed).');
    const bad = raw.find((value) => !/^\d+$/.test(value));
    if (bad !== undefined) return invalidInput(`"${bad}" is not a series id.`);
    const found = raw.map((id) => store.get(caller.orgId, Number(id))).filter((series): series is StoredSeries => series !== undefined);
    if (found.length === 0) return unknownSeries(raw);
    if (found.length < raw.length && faults.take('wholeBatchNotFound', 'GET', url.pathname)) {
      return unknownSeries(raw.filter((id) => !found.some((series) => series.id === Number(id))));
    }
    return { status: 200, body: { entity: found.map(seriesAnswer), warnings: [] } };
  }

  function token(bodyText: string): Reply {
    const body = parseJsonOrUndefined(bodyText);
    const issued = isJsonObject(body) ? auth.issueToken(body.key, body.secret) : undefined;
    if (!issued) return { status: 401, body: { data: null, errors: [{ code: CODES.invalidClient, message: 'Invalid client key and secret' }] } };
    return { status: 200, body: { data: issued, errors: null } };
  }

  /** The caller when it may do `needed`, else the 401 or access-group 403 reply. */
  function requireAccess(caller: Principal | undefined, needed: SandboxAccess): { caller: Principal } | { reply: Reply } {
    if (!caller) return { reply: v2Error(401, [{ code: CODES.authenticationFailed, message: 'Authentication failed: unknown user, wrong password hash, or an invalid or expired token.' }]) };
    if (needed === 'write' && caller.access !== 'write') return { reply: accessDenied() };
    return { caller };
  }

  function requireJson(request: IncomingMessage): Reply | undefined {
    if (/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return undefined;
    return v2Error(415, [{ code: CODES.unsupportedMediaType, message: `Content-Type must be application/json, not "${request.headers['content-type'] ?? 'none'}".` }]);
  }

  async function route(request: IncomingMessage, url: URL, principal: Principal | undefined, bodyText: string): Promise<Reply> {
    const method = request.method ?? 'GET';
    const methodNotAllowed = () => v2Error(405, [{ code: CODES.noSuchEndpoint, message: `${method} is not supported on ${url.pathname}.` }]);
    if (url.pathname === OAUTH_TOKEN_PATH) {
      if (method !== 'POST') return methodNotAllowed();
      return requireJson(request) ?? token(bodyText);
    }
    const idMatch = SERIES_ID_PATH.exec(url.pathname);
    if (url.pathname !== SERIES_PATH && !idMatch) return v2Error(404, [{ code: CODES.noSuchEndpoint, message: `No endpoint ${method} ${url.pathname}.` }]);
    if (url.pathname === SERIES_PATH ? method !== 'GET' && method !== 'POST' : method !== 'PUT') return methodNotAllowed();
    const access = requireAccess(principal, method === 'GET' ? 'read' : 'write');
    if ('reply' in access) return access.reply;
    if (method === 'GET') return read(access.caller, url);
    const notJson = requireJson(request);
    if (notJson) return notJson;
    return idMatch ? update(access.caller, Number(idMatch[1]), bodyText) : create(access.caller, bodyText);
  }

  async function control(request: IncomingMessage, url: URL): Promise<Reply> {
    if (!isLoopbackAddress(request.socket.remoteAddress)) {
      return v2Error(403, [{ code: CODES.accessDenied, message: 'The sandbox control endpoints answer clients on this machine only.' }]);
    }
    if (!hasControlHeader(request.headers)) {
      return v2Error(403, [{ code: CODES.accessDenied, message: `The sandbox control endpoints need the header ${CONTROL_HEADER} (see controlHeaders() in core/src/sandbox).` }]);
    }
    if (url.pathname === `${CONTROL_PATH}/state` && request.method === 'GET') return { status: 200, body: state() };
    if (url.pathname === `${CONTROL_PATH}/requests` && request.method === 'GET') return { status: 200, body: requestLog };
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

  /** Counts and logs an API request (answered later when `status` is null). */
  function log(request: IncomingMessage, url: URL, principal: Principal | undefined, status: number | null): SandboxRequest {
    requestCount++;
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
    requestLog.push(entry);
    if (requestLog.length > MAX_LOGGED_REQUESTS) requestLog.splice(0, requestLog.length - MAX_LOGGED_REQUESTS);
    return entry;
  }

  /** An API request's answer, or null when a fault drops the connection instead. */
  async function answer(request: IncomingMessage, url: URL, principal: Principal | undefined): Promise<Reply | null> {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const delay = faults.take('delayMs', method, path);
    if (delay) await sleep(delay.ms);
    const drop = faults.take('dropConnection', method, path);
    if (drop && !drop.afterProcessing) return null;
    const failure = faults.take('status5xx', method, path);
    if (failure) {
      const status = failure.status ?? 503;
      return v2Error(status, [{ code: status === 503 ? CODES.retryLater : CODES.serverError, message: status === 503 ? 'Service unavailable, retry later.' : 'Internal server error.' }]);
    }
    const limit = faults.take('rateLimit', method, path);
    if (limit) {
      const reply = v2Error(429, [{ code: CODES.retryLater, message: 'Too many requests, retry later.' }]);
      if (limit.retryAfterSeconds !== undefined) reply.headers = { 'Retry-After': String(limit.retryAfterSeconds) };
      return reply;
    }
    if (faults.take('htmlBody', method, path)) return gatewayErrorPage();
    const reply = await route(request, url, principal, await readBody(request));
    return drop?.afterProcessing ? null : reply;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const isControl = url.pathname.startsWith(`${CONTROL_PATH}/`);
    // Neither a page on a rebound DNS name nor a page of another origin; and no CORS preflight is ever granted.
    const foreign = foreignRequestProblem(request.headers);
    if (foreign || request.method === 'OPTIONS') {
      const reply = foreign ? v2Error(403, [{ code: CODES.accessDenied, message: foreign }]) : v2Error(405, [{ code: CODES.noSuchEndpoint, message: 'OPTIONS is not supported: the sandbox allows no cross-origin requests.' }]);
      if (!isControl) log(request, url, undefined, reply.status);
      send(response, reply);
      return;
    }
    if (isControl) {
      send(response, await control(request, url));
      return;
    }
    const principal = auth.check(request.headers);
    const entry = log(request, url, principal, null);
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
    requests: () => structuredClone(requestLog),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.flushed();
    },
  };
}
