/**
 * When validation runs. Two kinds of work share the single thread:
 *
 * - Open documents: validated as soon as every message already received has
 *   been handled (so a change that is already queued supersedes the version
 *   before it, which is then never validated). When a change does supersede a
 *   version still waiting, the document is in a burst (an edit storm, a macro,
 *   a fast typist on a large file): it is validated once the burst pauses for
 *   `quietMs`, and at least every `maxWaitMs` while it lasts.
 * - Unopened workspace files: validated one at a time at low priority, only
 *   while no open document waits, yielding between files so an edit is always
 *   served first.
 *
 * Its clock and timers are the runtime's (`RuntimeEnvironment['timer']`), so
 * tests drive it on a fake clock.
 */
import type { Disposable } from 'vscode-languageserver';
import type { RuntimeEnvironment } from './runtime';

export interface ValidationWork {
  /** Validates the open document's current version and publishes the result. */
  validateOpen(uri: string): void;
  /** Reads, validates and publishes a file that is not open. */
  validateUnopened(uri: string): Promise<void>;
  /** Reports an unexpected failure (validation itself never throws on bad input). */
  failed(uri: string, error: unknown): void;
}

export interface SchedulerOptions {
  /** Pause that ends a burst of changes. */
  quietMs?: number;
  /** Longest a burst keeps a document's diagnostics stale. */
  maxWaitMs?: number;
}

export const BURST_QUIET_MS = 50;
export const BURST_MAX_WAIT_MS = 1000;

interface PendingDocument {
  /** When the oldest version not yet validated arrived. */
  readonly since: number;
  /** When the newest change arrived. */
  latest: number;
  /** In a burst: validation waits for a pause rather than for the queued messages. */
  burst: boolean;
  wait: Disposable;
}

export class ValidationScheduler implements Disposable {
  private readonly pending = new Map<string, PendingDocument>();
  /** Unopened files waiting, in order (a Set keeps insertion order and drops repeats). */
  private readonly unopened = new Set<string>();
  private backgroundRunning = false;
  private backgroundWait: Disposable | undefined;
  private disposed = false;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly timer: RuntimeEnvironment['timer'],
    private readonly work: ValidationWork,
    options: SchedulerOptions = {},
  ) {
    this.quietMs = options.quietMs ?? BURST_QUIET_MS;
    this.maxWaitMs = options.maxWaitMs ?? BURST_MAX_WAIT_MS;
  }

  /** An open document was opened or changed. */
  documentChanged(uri: string): void {
    const now = this.timer.now();
    const waiting = this.pending.get(uri);
    if (!waiting) {
      this.pending.set(uri, { since: now, latest: now, burst: false, wait: this.afterQueuedMessages(() => this.runOpen(uri)) });
      return;
    }
    waiting.latest = now;
    if (waiting.burst) return; // Its timer re-arms itself until the pause.
    // The version that was waiting is superseded: wait for the burst to pause.
    waiting.burst = true;
    waiting.wait.dispose();
    this.waitForPause(uri, waiting);
  }

  /** One timer per burst (not one per change): when it fires early, it waits the rest of the pause. */
  private waitForPause(uri: string, waiting: PendingDocument): void {
    const now = this.timer.now();
    const delay = Math.min(waiting.latest + this.quietMs, waiting.since + this.maxWaitMs) - now;
    if (delay <= 0) {
      this.runOpen(uri);
      return;
    }
    waiting.wait = this.timer.setTimeout(() => this.waitForPause(uri, waiting), delay);
  }

  /** An open document was closed: its pending validation is dropped. */
  documentClosed(uri: string): void {
    this.pending.get(uri)?.wait.dispose();
    this.pending.delete(uri);
    this.startBackground();
  }

  /** Queues unopened files (at the front with `first`, e.g. a file just closed). */
  enqueueUnopened(uris: Iterable<string>, first = false): void {
    if (first) {
      const rest = [...this.unopened];
      this.unopened.clear();
      for (const uri of uris) this.unopened.add(uri);
      for (const uri of rest) this.unopened.add(uri);
    } else {
      for (const uri of uris) this.unopened.add(uri);
    }
    this.startBackground();
  }

  dequeueUnopened(uri: string): void {
    this.unopened.delete(uri);
  }

  /** Nothing waits: every open document's newest version and every queued file is validated. */
  get idle(): boolean {
    return this.pending.size === 0 && this.unopened.size === 0 && !this.backgroundRunning;
  }

  dispose(): void {
    this.disposed = true;
    for (const waiting of this.pending.values()) waiting.wait.dispose();
    this.pending.clear();
    this.unopened.clear();
    this.backgroundWait?.dispose();
  }

  /**
   * Two turns of the event loop: the message reader queues what it has read and
   * handles one message per turn, so by the second turn every change already
   * received has been applied (and has rescheduled its document).
   */
  private afterQueuedMessages(callback: () => void): Disposable {
    let inner: Disposable | undefined;
    const outer = this.timer.setImmediate(() => {
      inner = this.timer.setImmediate(callback);
    });
    return { dispose: () => (outer.dispose(), inner?.dispose()) };
  }

  private runOpen(uri: string): void {
    if (this.disposed || !this.pending.has(uri)) return;
    this.pending.delete(uri);
    try {
      this.work.validateOpen(uri);
    } catch (error) {
      this.work.failed(uri, error);
    }
    this.startBackground();
  }

  private startBackground(): void {
    if (this.disposed || this.backgroundRunning || this.unopened.size === 0 || this.pending.size > 0) return;
    this.backgroundRunning = true;
    void this.runBackground();
  }

  private async runBackground(): Promise<void> {
    try {
      for (;;) {
        await new Promise<void>((resolve) => (this.backgroundWait = this.afterQueuedMessages(resolve)));
        // An open document that waits goes first; it restarts this loop when done.
        if (this.disposed || this.pending.size > 0) return;
        const next = this.unopened.values().next();
        if (next.done) return;
        this.unopened.delete(next.value);
        try {
          await this.work.validateUnopened(next.value);
        } catch (error) {
          this.work.failed(next.value, error);
        }
      }
    } finally {
      this.backgroundRunning = false;
      this.backgroundWait = undefined;
    }
  }
}
