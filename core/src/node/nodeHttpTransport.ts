/**
 * The extension's network: Node's `http`/`https` modules, which VS Code patches
 * in the extension host with its proxy support (PAC, `http.proxy`,
 * `http.noProxy`, proxy authentication) and the system's certificates. Plain
 * Node (tests, any other host) gets a direct connection.
 *
 * The modules are imported as `http`/`https`, the names VS Code's module
 * loader hands out patched; no `agent` is passed (VS Code's proxy agent goes in
 * its place), and `ca` only when the user names extra certificates (VS Code
 * keeps an explicit `ca` and adds the system's only when there is none).
 */
import * as http from 'http';
import * as https from 'https';
import { rootCertificates } from 'tls';
import { BoundedBody, HttpTransport } from '../api/transport';

export interface NodeTransportOptions {
  /** PEM contents to trust besides Node's built-in roots; none leaves the trust store to the platform. */
  extraCaCertificates?: readonly string[];
}

/** An `HttpTransport` on `http.request`/`https.request`. */
export function createNodeHttpTransport(options: NodeTransportOptions = {}): HttpTransport {
  const extra = options.extraCaCertificates ?? [];
  // Passing `ca` replaces the default roots, so keep them and add the extra ones.
  const ca = extra.length > 0 ? [...rootCertificates, ...extra] : undefined;

  return ({ method, url, headers, body, signal, maxResponseBytes }) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const secure = url.protocol === 'https:';
      const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
      const requestOptions: https.RequestOptions = {
        method,
        headers: payload === undefined ? headers : { ...headers, 'Content-Length': String(payload.byteLength) },
        ...(secure && ca ? { ca } : {}),
      };
      const outgoing = (secure ? https : http).request(url, requestOptions);
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (error: unknown) =>
        finish(() => {
          // Closes the socket whatever stage it is at: connecting, TLS, proxy, headers or body.
          outgoing.destroy();
          reject(error);
        });
      // Rejects at once: a request whose socket is still being made (by a proxy agent) reports its own error only later.
      const onAbort = () => fail(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', fail);
      outgoing.on('response', (incoming) => {
        const status = incoming.statusCode ?? 0;
        let bounded: BoundedBody;
        try {
          bounded = new BoundedBody(maxResponseBytes, status, incoming.headers['content-length']);
        } catch (error) {
          incoming.destroy();
          fail(error);
          return;
        }
        incoming.on('data', (chunk: Buffer) => {
          try {
            bounded.add(chunk);
          } catch (error) {
            incoming.destroy();
            fail(error);
          }
        });
        incoming.on('error', fail);
        incoming.on('end', () => finish(() => resolve({ status, headers: incoming.headers, bodyText: bounded.text() })));
        incoming.on('close', () => {
          if (!incoming.complete) fail(Object.assign(new Error('The connection closed before the whole answer arrived.'), { code: 'ECONNRESET' }));
        });
      });
      outgoing.end(payload);
    });
}
