/**
 * Network fixtures for the transport, CLI and editor tests, all on 127.0.0.1:
 * a forward proxy that requires `Proxy-Authorization` (CONNECT tunnels for
 * HTTPS, plain forwarding for http), a self-signed certificate, an HTTPS front
 * for a local http server, and hostile peers (silent, endless answers).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** Closes a server and every connection it still holds. */
function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

// ---------------------------------------------------------------- certificates

export interface TestCertificate {
  key: string;
  cert: string;
}

/**
 * A self-signed certificate for 127.0.0.1, localhost and `names`, made with
 * the machine's openssl; undefined when there is none.
 */
export function makeSelfSignedCertificate(names: readonly string[] = []): TestCertificate | undefined {
  const directory = mkdtempSync(join(tmpdir(), 'coupon-tls-'));
  try {
    const altNames = ['IP:127.0.0.1', 'DNS:localhost', ...names.map((name) => `DNS:${name}`)].join(',');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${names[0] ?? '127.0.0.1'}`, '-addext', `subjectAltName=${altNames}`,
      '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(directory, 'key.pem'), 'utf8'), cert: readFileSync(join(directory, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Passes a request on to an http server on `host:port` and its answer back (502 when it cannot be reached). */
function forward(request: http.IncomingMessage, response: http.ServerResponse, to: { host: string; port: number; path: string; headers: http.OutgoingHttpHeaders }): void {
  const upstream = http.request({ host: to.host, port: to.port, method: request.method, path: to.path, headers: to.headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', () => {
    response.writeHead(502);
    response.end();
  });
  request.pipe(upstream);
}

// ---------------------------------------------------------------- the proxy

export interface ProxiedRequest {
  /** CONNECT for a tunnel, else the forwarded method. */
  method: string;
  /** `host:port` of a CONNECT, the absolute URL of a forwarded request. */
  target: string;
  /** The `Proxy-Authorization` header as received (undefined when absent). */
  proxyAuthorization: string | undefined;
  /** Whether the proxy let it through. */
  allowed: boolean;
}

export interface AuthProxy extends Listening {
  url: string;
  /** `http://user:password@127.0.0.1:PORT`. */
  urlWithCredentials: string;
  /** The header a correct client sends. */
  readonly expectedAuthorization: string;
  requests: ProxiedRequest[];
  /** Changes the credentials the proxy accepts (a password changed, for the 407 path). */
  setCredentials(user: string, password: string): void;
}

export interface AuthProxyOptions {
  user: string;
  password: string;
  /**
   * Where a tunnel or forwarded request really goes, from the host and port
   * asked for: lets tests use a host name that exists nowhere (no DNS).
   */
  route?: (host: string, port: number) => { host: string; port: number };
}

/**
 * A forward proxy requiring Basic `Proxy-Authorization`: 407 with
 * `Proxy-Authenticate` without it, a CONNECT tunnel (HTTPS) or a forwarded
 * request (http) with it. Records every request.
 */
export async function startAuthProxy(options: AuthProxyOptions): Promise<AuthProxy> {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let expectedAuthorization = basic(options.user, options.password);
  const route = options.route ?? ((host: string, port: number) => ({ host, port }));
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const refuse = (write: (text: string) => void) =>
    write('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="coupon-test-proxy"\r\nContent-Type: text/plain\r\nContent-Length: 30\r\nConnection: close\r\n\r\nProxy authentication required.');

  const server = http.createServer((request, response) => {
    // Plain forwarding: the request line holds the absolute URL.
    const proxyAuthorization = request.headers['proxy-authorization'];
    const allowed = proxyAuthorization === expectedAuthorization;
    requests.push({ method: request.method ?? '', target: request.url ?? '', proxyAuthorization, allowed });
    if (!allowed) {
      response.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="coupon-test-proxy"', 'Content-Type': 'text/plain', Connection: 'close' });
      response.end('Proxy authentication required.');
      return;
    }
    const target = new URL(request.url ?? '');
    const to = route(target.hostname, Number(target.port || 80));
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    forward(request, response, { ...to, path: `${target.pathname}${target.search}`, headers });
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const proxyAuthorization = request.headers['proxy-authorization'];
    const allowed = proxyAuthorization === expectedAuthorization;
    requests.push({ method: 'CONNECT', target: request.url ?? '', proxyAuthorization, allowed });
    client.on('error', () => client.destroy());
    if (!allowed) {
      refuse((text) => client.end(text));
      return;
    }
    const [host, port] = (request.url ?? '').split(/:(?=\d+$)/);
    const to = route(host.replace(/^\[|\]$/g, ''), Number(port));
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      upstream.destroy();
    });
  });
  const close = closer(server, sockets);
  const port = await listen(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    urlWithCredentials: `http://${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}@127.0.0.1:${port}`,
    get expectedAuthorization() {
      return expectedAuthorization;
    },
    requests,
    setCredentials(user, password) {
      expectedAuthorization = basic(user, password);
    },
    close,
  };
}

// ---------------------------------------------------------------- servers

/**
 * An HTTPS server that passes every request on to a local http server
 * (`targetPort`), with `Host` rewritten to the target's: the sandbox behind
 * TLS, under a certificate the test makes.
 */
export async function startHttpsFront(certificate: TestCertificate, targetPort: number): Promise<Listening & { url: string; requests: string[] }> {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const server = https.createServer(certificate, (request, response) => {
    requests.push(`${request.method} ${request.url}`);
    forward(request, response, { host: '127.0.0.1', port: targetPort, path: request.url ?? '/', headers: { ...request.headers, host: `127.0.0.1:${targetPort}` } });
  });
  const close = closer(server, sockets);
  const port = await listen(server);
  return { port, url: `https://127.0.0.1:${port}`, requests, close };
}

/** A peer that accepts TCP connections and never says a word (no HTTP answer, no TLS handshake). */
export async function startSilentPeer(): Promise<Listening & { connections: () => number }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('error', () => socket.destroy());
  });
  const close = closer(server, sockets);
  const port = await listen(server);
  return { port, close, connections: () => connections };
}

export interface EndlessServer extends Listening {
  url: string;
  /** Requests received, as `METHOD path`. */
  requests: string[];
  /** Bytes written before the client went away, per request. */
  bytesSent: number[];
}

/**
 * An http server answering every request `status` with a body of `totalBytes`
 * generated as it is sent (never held in memory), optionally without
 * announcing its length (chunked).
 */
export async function startEndlessServer(options: { totalBytes: number; status?: number; announceLength?: boolean; secure?: TestCertificate }): Promise<EndlessServer> {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const bytesSent: number[] = [];
  const chunk = Buffer.alloc(64 * 1024, '{"entity":[');
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    requests.push(`${request.method} ${request.url}`);
    const index = bytesSent.push(0) - 1;
    request.resume();
    response.writeHead(options.status ?? 200, {
      'Content-Type': 'application/json',
      ...(options.announceLength === false ? {} : { 'Content-Length': String(options.totalBytes) }),
    });
    const pump = () => {
      while (bytesSent[index] < options.totalBytes) {
        const size = Math.min(chunk.length, options.totalBytes - bytesSent[index]);
        bytesSent[index] += size;
        if (!response.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    response.on('close', () => response.removeAllListeners('drain'));
    pump();
  };
  const server = options.secure ? https.createServer(options.secure, handler) : http.createServer(handler);
  const close = closer(server, sockets);
  const port = await listen(server);
  return { port, url: `${options.secure ? 'https' : 'http'}://127.0.0.1:${port}`, requests, bytesSent, close };
}
