/**
 * The CLI's network (and the tests'): undici, with proxies from the standard
 * variables through undici's own `EnvHttpProxyAgent` (loopback never
 * proxied), the system CAs plus any extra ones (corporate TLS interception),
 * and undici's own timeouts set so that they never fire before the client's.
 */
import { rootCertificates } from 'node:tls';
import { Agent, Dispatcher, EnvHttpProxyAgent, Pool, request } from 'undici';
import { isLoopbackHost } from '../api/hosts';
import { abortable, BoundedBody, HttpTransport } from '../api/transport';

/**
 * An `HttpTransport` on undici; through `dispatcher` (proxy, CAs, timeouts)
 * when given, else undici's global one. The request's signal aborts it at
 * once, connecting included; the body is read up to the request's cap.
 */
export function createUndiciTransport(dispatcher?: Dispatcher): HttpTransport {
  return ({ method, url, headers, body, signal, maxResponseBytes }) => {
    let response: Dispatcher.ResponseData | undefined;
    const exchange = (async () => {
      response = await request(url, { method, headers, body, signal, ...(dispatcher ? { dispatcher } : {}) });
      const bounded = new BoundedBody(maxResponseBytes, response.statusCode, response.headers['content-length']);
      for await (const chunk of response.body) bounded.add(chunk as Uint8Array);
      return { status: response.statusCode, headers: response.headers, bodyText: bounded.text() };
    })();
    // Stopping mid-body (too large, aborted) closes the connection: undici cannot reuse it.
    const release = () => response?.body.destroy();
    return abortable(signal, exchange.catch((error: unknown) => {
      release();
      throw error;
    }), release);
  };
}

/** A proxy variable that is not a URL undici can use, named without its value (it may hold a password). */
export class ProxyVariableError extends Error {
  override readonly name = 'ProxyVariableError';
  constructor(readonly variable: string, problem: string) {
    super(`${variable} is not a usable proxy URL (${problem}): set it to http://[user:password@]host:port, or unset it.`);
  }
}

/** Reads a variable as undici does (lower case first); empty means unset. */
function variable(env: NodeJS.ProcessEnv, name: string): { name: string; value: string } | undefined {
  for (const candidate of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[candidate]?.trim();
    if (value) return { name: candidate, value };
  }
  return undefined;
}

/** The proxy URLs and NO_PROXY list the CLI's environment gives, checked. */
export interface ProxyEnvironment {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy: string;
}

/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case) from `env`, each proxy URL
 * checked (http: or https:, with a host) so that a malformed one is a
 * one-line `ProxyVariableError` rather than undici's stack trace.
 */
export function proxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const checked = (name: string): string | undefined => {
    const found = variable(env, name);
    if (!found) return undefined;
    let url: URL;
    try {
      url = new URL(found.value);
    } catch {
      throw new ProxyVariableError(found.name, 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProxyVariableError(found.name, `scheme ${url.protocol} is not supported`);
    if (url.hostname === '') throw new ProxyVariableError(found.name, 'no host');
    return found.value;
  };
  const httpProxy = checked('http_proxy');
  const httpsProxy = checked('https_proxy');
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    noProxy: variable(env, 'no_proxy')?.value ?? '',
  };
}

/** Loopback hosts straight, everything else through `EnvHttpProxyAgent` (which applies NO_PROXY). */
class LoopbackDirectDispatcher extends Dispatcher {
  constructor(
    private readonly direct: Agent,
    private readonly viaEnvironment: EnvHttpProxyAgent,
  ) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const hostname = new URL(String(options.origin)).hostname;
    return (isLoopbackHost(hostname) ? this.direct : this.viaEnvironment).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all([this.direct.close(), this.viaEnvironment.close()]).then(() => undefined);
    if (!callback) return done;
    void done.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    const error = typeof errOrCallback === 'function' ? null : errOrCallback ?? null;
    const done = Promise.all([this.direct.destroy(error), this.viaEnvironment.destroy(error)]).then(() => undefined);
    const then = typeof errOrCallback === 'function' ? errOrCallback : callback;
    if (!then) return done;
    void done.then(then);
  }
}

export interface DispatcherOptions {
  /** Reject certificates that do not verify; false only for debugging. */
  strictSSL: boolean;
  /** PEM contents trusted in addition to Node's built-in CAs. */
  extraCaCertificates?: readonly string[];
  /**
   * The client's per-attempt timeout: undici's own connect timeouts are set a
   * little past it (so the client's fires first and names the right limit)
   * and its headers/body timeouts are off (the client's covers them).
   */
  timeoutMs: number;
  /** Proxies from the environment (`proxyEnvironment`); none when absent. */
  proxies?: ProxyEnvironment;
}

/** Slack after the client's timeout before undici gives up a connection attempt it was told to abandon. */
const CONNECT_SLACK_MS = 1_000;

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  // Passing `ca` replaces Node's default roots, so keep them and add the extra ones.
  const extra = options.extraCaCertificates ?? [];
  const connectTimeout = options.timeoutMs + CONNECT_SLACK_MS;
  const tls = {
    rejectUnauthorized: options.strictSSL,
    ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
  };
  const timeouts = { headersTimeout: 0, bodyTimeout: 0 };
  const direct = new Agent({ ...timeouts, connect: { ...tls, timeout: connectTimeout } });
  const proxies = options.proxies;
  if (!proxies?.httpProxy && !proxies?.httpsProxy) return direct;
  const viaEnvironment = new EnvHttpProxyAgent({
    ...timeouts,
    connect: { ...tls, timeout: connectTimeout },
    // '' rather than undefined: undici would fall back to process.env. No HTTPS_PROXY: https goes via HTTP_PROXY.
    httpProxy: proxies.httpProxy ?? '',
    httpsProxy: proxies.httpsProxy ?? '',
    noProxy: proxies.noProxy,
    // The TLS to the target through the tunnel, and the connection to the proxy itself.
    requestTls: { ...tls, timeout: connectTimeout },
    proxyTls: { timeout: connectTimeout },
    // The proxy's answer to CONNECT is waited for no longer than a connection.
    clientFactory: (origin: URL, clientOptions: object) => new Pool(origin, { ...clientOptions, headersTimeout: connectTimeout }),
  });
  return new LoopbackDirectDispatcher(direct, viaEnvironment);
}
