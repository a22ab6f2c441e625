/** Turning a configured host into the URLs requests go to. */
import { CouponApiError } from './errors';
import { checkBaseUrl } from './hosts';

/** `checkBaseUrl`, throwing `CouponApiError` kind `insecure-url` when the host is refused. */
export function parseBaseUrl(input: string): URL {
  const checked = checkBaseUrl(input);
  if (!checked.ok) throw new CouponApiError('insecure-url', checked.problem);
  return checked.url;
}

/** `base` joined with an API path, keeping any path prefix the base carries. */
export function endpointUrl(base: URL, path: string, query?: URLSearchParams): URL {
  const url = new URL(base.pathname.replace(/\/+$/, '') + path, base);
  if (query) url.search = query.toString();
  return url;
}
