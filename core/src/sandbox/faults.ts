/**
 * Fault injection switches for the sandbox: each fault fires on matching
 * requests (optionally only a method and/or a path prefix) until its count runs out.
 */
import { isJsonObject } from '../util';

export interface FaultScope {
  /** Fire on this many matching requests, then switch off; forever when absent. */
  count?: number;
  /** Only requests with this method (GET, POST, PUT). */
  method?: string;
  /** Only requests whose path starts with this (e.g. `/v2/coupon/series`). */
  path?: string;
}

export interface SandboxFaults {
  /** Answer 500 or 503 (default 503) with a v2 error body, without processing the request. */
  status5xx?: FaultScope & { status?: 500 | 503 };
  /** Answer 429, with `Retry-After: <retryAfterSeconds>` when given. */
  rateLimit?: FaultScope & { retryAfterSeconds?: number };
  /** Wait `ms` before handling the request. */
  delayMs?: FaultScope & { ms: number };
  /** Destroy the socket without an answer: before processing, or after it when `afterProcessing` (the change is made, the client never hears). */
  dropConnection?: FaultScope & { afterProcessing?: boolean };
  /** Answer 502 with an HTML page, as a failing gateway would. */
  htmlBody?: FaultScope;
  /** Answer a read of several ids with 404 when any of them is unknown (the docs do not say how the real server answers that). */
  wholeBatchNotFound?: FaultScope;
}

export type FaultName = keyof SandboxFaults;

const FAULT_OPTIONS: Record<FaultName, string[]> = {
  status5xx: ['status'],
  rateLimit: ['retryAfterSeconds'],
  delayMs: ['ms'],
  dropConnection: ['afterProcessing'],
  htmlBody: [],
  wholeBatchNotFound: [],
};

const MAX_DELAY_MS = 120_000;

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks a faults object (from the control endpoint's JSON); throws an Error whose message says what is wrong. */
export function parseFaults(raw: unknown): SandboxFaults {
  if (!isJsonObject(raw)) throw new Error('Faults must be a JSON object such as {"status5xx": {"count": 1}}.');
  const faults: Record<string, Record<string, unknown>> = {};
  for (const [name, config] of Object.entries(raw)) {
    if (!(name in FAULT_OPTIONS)) throw new Error(`Unknown fault "${name}" (known: ${Object.keys(FAULT_OPTIONS).join(', ')}).`);
    if (config === null || config === false) continue;
    if (!isJsonObject(config)) throw new Error(`Fault "${name}" must be an object (or null to switch it off).`);
    const allowed = ['count', 'method', 'path', ...FAULT_OPTIONS[name as FaultName]];
    for (const key of Object.keys(config)) {
      if (!allowed.includes(key)) throw new Error(`Fault "${name}" has an unknown option "${key}" (allowed: ${allowed.join(', ')}).`);
    }
    if (config.count !== undefined && (!isNonNegativeInteger(config.count) || config.count === 0)) throw new Error(`"${name}.count" must be a positive integer.`);
    if (config.method !== undefined && typeof config.method !== 'string') throw new Error(`"${name}.method" must be a string such as "POST".`);
    if (config.path !== undefined && (typeof config.path !== 'string' || !config.path.startsWith('/'))) throw new Error(`"${name}.path" must start with "/".`);
    if (name === 'status5xx' && config.status !== undefined && config.status !== 500 && config.status !== 503) throw new Error('"status5xx.status" must be 500 or 503.');
    if (name === 'rateLimit' && config.retryAfterSeconds !== undefined && !isNonNegativeInteger(config.retryAfterSeconds)) {
      throw new Error('"rateLimit.retryAfterSeconds" must be a whole number of seconds.');
    }
    if (name === 'delayMs' && (!isNonNegativeInteger(config.ms) || config.ms > MAX_DELAY_MS)) throw new Error(`"delayMs.ms" must be a whole number of milliseconds up to ${MAX_DELAY_MS}.`);
    if (name === 'dropConnection' && config.afterProcessing !== undefined && typeof config.afterProcessing !== 'boolean') {
      throw new Error('"dropConnection.afterProcessing" must be true or false.');
    }
    faults[name] = { ...config, ...(typeof config.method === 'string' ? { method: config.method.toUpperCase() } : {}) };
  }
  return faults as SandboxFaults;
}

/** The switches currently on, consumed as they fire. */
export class FaultSwitches {
  private faults: SandboxFaults;

  constructor(initial: SandboxFaults = {}) {
    this.faults = parseFaults(initial);
  }

  /** Replaces every switch (`{}` turns all off). */
  set(faults: SandboxFaults): void {
    this.faults = parseFaults(faults);
  }

  current(): SandboxFaults {
    return structuredClone(this.faults);
  }

  /** The fault's settings when it fires for this request (counting it down), else undefined. */
  take<Name extends FaultName>(name: Name, method: string, path: string): SandboxFaults[Name] | undefined {
    const fault = this.faults[name];
    if (!fault) return undefined;
    if (fault.method && fault.method !== method.toUpperCase()) return undefined;
    if (fault.path && !path.startsWith(fault.path)) return undefined;
    const fired = { ...fault };
    if (fault.count !== undefined) {
      if (fault.count <= 1) delete this.faults[name];
      else fault.count -= 1;
    }
    return fired;
  }
}
