/**
 * How the API client reaches the network, injected by each platform (as
 * json-language-features injects its runtime): the CLI passes an undici
 * transport (`core/src/node/httpTransport.ts`), the extension one on Node's
 * `http`/`https` modules, which VS Code patches with its proxy and certificate
 * support (`core/src/node/nodeHttpTransport.ts`). The client itself never
 * imports a network library.
 */

/**
 * The most a transport reads of an answer. A series is a few KB and a list of
 * them rarely more than a few hundred: anything past this is not a coupon
 * series answer, and reading it whole would only exhaust memory.
 */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the whole exchange: connect, TLS, proxy, headers and body. The transport rejects as soon as it fires. */
  signal: AbortSignal;
  /** Reading stops (and the connection is closed) past this many body bytes: a `ResponseTooLargeError`. */
  maxResponseBytes: number;
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
 * through `cause` chains by `errorFromFailure`); an abort rejects at once with
 * the signal's reason, whatever the connection is doing.
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** An answer larger than the cap: the transport stopped reading it and closed the connection. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  readonly code = 'ERR_RESPONSE_TOO_LARGE';
  constructor(
    readonly limitBytes: number,
    readonly status: number,
  ) {
    super(`The answer (status ${status}) is larger than ${limitBytes} bytes.`);
  }
}

/** "4 MiB", "512 KiB", "300 bytes": a cap as people read it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Collects an answer's body chunk by chunk, throwing `ResponseTooLargeError`
 * as soon as it passes `maxBytes` (before the next chunk is read: the caller
 * closes the connection). A `content-length` above the cap fails before any
 * byte is read.
 */
export class BoundedBody {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly status: number,
    declaredLength?: string | string[],
  ) {
    const declared = Number(Array.isArray(declaredLength) ? declaredLength[0] : declaredLength);
    if (Number.isFinite(declared) && declared > maxBytes) throw new ResponseTooLargeError(maxBytes, status);
  }

  add(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    if (this.size > this.maxBytes) {
      this.chunks.length = 0;
      throw new ResponseTooLargeError(this.maxBytes, this.status);
    }
    this.chunks.push(chunk);
  }

  text(): string {
    const all = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return new TextDecoder().decode(all);
  }
}

/**
 * `work` raced against `signal`: rejects with the signal's reason the moment it
 * aborts, even while the platform is still connecting (undici only notices an
 * abort once connected). `onAbort` releases what the work holds.
 */
export function abortable<T>(signal: AbortSignal, work: Promise<T>, onAbort?: () => void): Promise<T> {
  // The losing side of the race must not surface as an unhandled rejection.
  work.catch(() => undefined);
  if (signal.aborted) {
    onAbort?.();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const aborted = () => {
      onAbort?.();
      reject(signal.reason);
    };
    signal.addEventListener('abort', aborted, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', aborted);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', aborted);
        reject(error);
      },
    );
  });
}
