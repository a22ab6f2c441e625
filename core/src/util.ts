/**
 * The small idioms every part of the tree needs: telling a JSON object from
 * the other JSON values, parsing text that may not be JSON, and waiting.
 * Platform-neutral (no Node API): core/ also runs in a browser worker.
 */

/** A JSON object: what `{...}` parses to (not an array, not null). */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `JSON.parse`'s value, or undefined when the text is not JSON (JSON itself has no undefined). */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Resolves after `ms`. Rejects as soon as `signal` aborts (at once when it
 * already has), with `abortError()`, or the signal's reason without it.
 */
export function sleep(ms: number, signal?: AbortSignal, abortError?: () => unknown): Promise<void> {
  const reason = (): unknown => (abortError ? abortError() : signal?.reason);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(reason());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(reason());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
