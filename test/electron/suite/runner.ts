/**
 * A tiny test runner for inside the extension host (no mocha): tests are
 * registered with `test(name, fn)` and run one after another by `runAll`,
 * each with a timeout; results go to the console (which @vscode/test-electron
 * forwards to the launcher's output) and to the caller.
 */
import { sleep } from '../../../core/src/util';

export type TestFn = () => Promise<void> | void;

interface Registered {
  name: string;
  fn: TestFn;
  timeoutMs: number;
}

export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

const registry: Registered[] = [];

export function test(name: string, fn: TestFn, opts: { timeoutMs?: number } = {}): void {
  registry.push({ name, fn, timeoutMs: opts.timeoutMs ?? 30_000 });
}

function withTimeout(promise: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every registered test in order; never throws (see the results). */
export async function runAll(log: (line: string) => void = (line) => console.log(line)): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const { name, fn, timeoutMs } of registry) {
    const started = Date.now();
    try {
      await withTimeout(Promise.resolve().then(fn), timeoutMs, name);
      results.push({ name, ok: true, ms: Date.now() - started });
      log(`  ✔ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      const message = error instanceof Error ? error.stack ?? error.message : String(error);
      results.push({ name, ok: false, ms: Date.now() - started, error: message });
      log(`  ✖ ${name} (${Date.now() - started} ms)\n${message.replace(/^/gm, '      ')}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  log(`  ${results.length - failed} passed, ${failed} failed`);
  return results;
}

/** Polls fn until it returns a truthy value or the time is up (then throws with `message`). */
export async function waitFor<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, message: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${message} (after ${timeoutMs} ms)`);
    await sleep(100);
  }
}
