/**
 * Who may drive the sandbox: only its owner, never a web page the user visits.
 *
 * - Every request must be addressed to a loopback name (`Host`: `localhost`,
 *   127.0.0.0/8 or `[::1]`, with any port), so a page on a rebound DNS name
 *   (evil.example → 127.0.0.1) gets nothing.
 * - A request a browser marks as coming from a page of another origin
 *   (`Origin` that is not a loopback name) is refused.
 * - The control endpoints (`/__sandbox/*`) also need a custom header: a page
 *   cannot send one to another origin without a CORS preflight, and the sandbox
 *   grants none (it never answers with `Access-Control-Allow-*`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIPv4 } from 'node:net';

export const CONTROL_PATH = '/__sandbox';
/** The header every control request carries, with {@link CONTROL_HEADER_VALUE}. */
export const CONTROL_HEADER = 'x-coupon-sandbox-control';
export const CONTROL_HEADER_VALUE = '1';

/** The headers a control request needs (for `fetch`, undici or node:http). */
export function controlHeaders(): Record<string, string> {
  return { [CONTROL_HEADER]: CONTROL_HEADER_VALUE };
}

/** The host name of a `Host` header or an origin's host (`[::1]:8080` → `::1`), lower-cased; undefined when malformed. */
function hostName(host: string): string | undefined {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(host);
  if (bracketed) return bracketed[1].toLowerCase();
  const plain = /^([^:[\]]+)(?::\d{1,5})?$/.exec(host);
  return plain ? plain[1].toLowerCase() : undefined;
}

/** `localhost`, an address in 127.0.0.0/8 or `::1`: the names only this machine answers to. */
export function isLoopbackName(host: string | undefined): boolean {
  if (!host) return false;
  const name = hostName(host.trim());
  if (!name) return false;
  if (name === 'localhost' || name === '::1') return true;
  return isIPv4(name) && name.startsWith('127.');
}

/** A socket's remote address on this machine (`127.0.0.1`, `::1`, `::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const unmapped = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return unmapped === '::1' || (isIPv4(unmapped) && unmapped.startsWith('127.'));
}

/** Why a request must be refused before anything else, or undefined when it may proceed. */
export function foreignRequestProblem(headers: IncomingHttpHeaders): string | undefined {
  if (!isLoopbackName(headers.host)) return `The sandbox answers only requests addressed to localhost, 127.0.0.1 or [::1], not to "${headers.host ?? ''}".`;
  const origin = headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (!isLoopbackName(originHost)) return `The sandbox does not answer web pages of other origins (${origin}).`;
  }
  return undefined;
}

/** Whether a control request carries the control header. */
export function hasControlHeader(headers: IncomingHttpHeaders): boolean {
  return headers[CONTROL_HEADER] === CONTROL_HEADER_VALUE;
}

/** Whether a sandbox answers on 127.0.0.1:`port` (its state endpoint, with the control header), within `timeoutMs`. */
export async function sandboxAnswers(port: number, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${CONTROL_PATH}/state`, { headers: controlHeaders(), signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await response.json().catch(() => undefined);
    return response.status === 200 && typeof body === 'object' && body !== null && 'seriesCount' in body;
  } catch {
    return false;
  }
}
