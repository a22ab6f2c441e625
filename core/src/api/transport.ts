/**
 * How the API client reaches the network, injected by each platform (as
 * json-language-features injects its runtime): the CLI passes an undici
 * transport (`core/src/node/httpTransport.ts`), the extension the networking
 * VS Code gives extensions. The client itself never imports a network library.
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the whole exchange: connect, TLS, headers and body. */
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

/**
 * Sends one request and reads the whole answer. A failure without an answer
 * rejects with the platform's error (its `code`, e.g. `ECONNREFUSED`, is read
 * through `cause` chains by `errorFromFailure`).
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;
