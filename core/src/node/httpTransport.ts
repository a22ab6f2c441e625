/**
 * The CLI's network (and the tests'): undici, direct or via a proxy, with the
 * system CAs plus any extra ones (corporate TLS interception), strict or not.
 */
import { rootCertificates } from 'node:tls';
import { Agent, Dispatcher, ProxyAgent, request } from 'undici';
import { isLoopbackHost } from '../api/hosts';
import type { HttpTransport } from '../api/transport';

/** An `HttpTransport` on undici; through `dispatcher` (proxy, CAs) when given, else undici's global one. */
export function createUndiciTransport(dispatcher?: Dispatcher): HttpTransport {
  return async ({ method, url, headers, body, signal }) => {
    const response = await request(url, { method, headers, body, signal, ...(dispatcher ? { dispatcher } : {}) });
    const bodyText = await response.body.text();
    return { status: response.statusCode, headers: response.headers, bodyText };
  };
}

export interface DispatcherOptions {
  /** `http://[user:pass@]proxy:port` (or https://); undefined for a direct connection. */
  proxyUrl?: string;
  /** Reject certificates that do not verify (VS Code's `http.proxyStrictSSL`); false only for debugging. */
  strictSSL: boolean;
  /** PEM contents trusted in addition to Node's built-in CAs. */
  extraCaCertificates?: readonly string[];
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  // Passing `ca` replaces Node's default roots, so keep them and add the extra ones.
  const extra = options.extraCaCertificates ?? [];
  const tls = {
    rejectUnauthorized: options.strictSSL,
    ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
  };
  if (!options.proxyUrl) return new Agent({ connect: tls });
  return new ProxyAgent({ uri: options.proxyUrl, requestTls: tls, proxyTls: tls });
}

/** Reads an environment variable in lower case first, as curl and undici do; empty means unset. */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** True when `NO_PROXY`-style entries (`*`, `host`, `.domain`, `*.domain`, `host:port`) exclude the target. */
function bypassesProxy(target: URL, noProxyEntries: readonly string[]): boolean {
  const hostname = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return noProxyEntries.some((rawEntry) => {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') return false;
    if (entry === '*') return true;
    const portMatch = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, '')) ?? [];
    const entryHost = (portMatch[1] ?? '').replace(/^\*?\./, '');
    const entryPort = portMatch[2];
    if (entryPort && entryPort !== port) return false;
    return hostname === entryHost || hostname.endsWith(`.${entryHost}`);
  });
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
}

/**
 * The proxy for `targetUrl` from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either
 * case; an https target falls back to HTTP_PROXY). Loopback is never proxied.
 */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv, targetUrl: string | URL): string | undefined {
  const target = new URL(targetUrl.toString());
  if (isLoopbackHost(target.hostname)) return undefined;
  if (bypassesProxy(target, splitList(variable(env, 'no_proxy')))) return undefined;
  return target.protocol === 'https:' ? variable(env, 'https_proxy') ?? variable(env, 'http_proxy') : variable(env, 'http_proxy');
}

export interface ProxySelection {
  /** An explicitly configured proxy (VS Code's `http.proxy`); wins over the environment variables. */
  configuredProxy?: string;
  /** Hosts that bypass the configured proxy (VS Code's `http.noProxy`). */
  noProxy?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** The configured proxy unless the target is loopback or excluded, else the environment's. */
export function selectProxy(targetUrl: string | URL, selection: ProxySelection = {}): string | undefined {
  const target = new URL(targetUrl.toString());
  if (isLoopbackHost(target.hostname)) return undefined;
  const configured = selection.configuredProxy?.trim();
  if (configured) return bypassesProxy(target, selection.noProxy ?? []) ? undefined : configured;
  return proxyFromEnvironment(selection.env ?? process.env, target);
}
