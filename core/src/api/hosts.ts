/**
 * What a configured host may be: the one place that decides what counts as
 * loopback, where plain HTTP is allowed and no proxy is used.
 */
import { isIP } from 'node:net';

/**
 * True for `localhost`, 127.0.0.0/8 and ::1 (also IPv4-mapped), given as a URL
 * hostname or a socket address. Nothing else: `*.localhost` names are looked up
 * in DNS by Node, so they may point anywhere.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (host === '::1') return true;
  const ipv4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return isIP(ipv4) === 4 && ipv4.startsWith('127.');
}

export type BaseUrlCheck = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * A bare host (`eu.api.capillarytech.com`, https implied) or a URL, checked:
 * HTTPS, or HTTP to loopback only; no credentials written into it (they would
 * end up in logs). Query and fragment are dropped.
 */
export function checkBaseUrl(input: string): BaseUrlCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, problem: 'No host is configured: set one, e.g. eu.api.capillarytech.com.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: `"${trimmed}" is not a host name or URL: use e.g. eu.api.capillarytech.com or https://eu.api.capillarytech.com.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: `Unsupported scheme "${url.protocol}" in "${trimmed}": use https://.` };
  }
  if (url.username || url.password) {
    return { ok: false, problem: `The host "${url.host}" has a user name or password written into it: remove it and store credentials with "Set Credentials" instead.` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    const path = url.pathname === '/' ? '' : url.pathname;
    return {
      ok: false,
      problem: `Refusing plain HTTP to ${url.host}: credentials would travel unencrypted. Use https://${url.host}${path} (http:// is allowed only for loopback hosts such as 127.0.0.1 or localhost).`,
    };
  }
  url.search = '';
  url.hash = '';
  return { ok: true, url };
}
