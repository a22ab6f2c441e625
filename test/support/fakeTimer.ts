/**
 * A fake clock and timers for the server's `RuntimeEnvironment['timer']`:
 * tests step the event loop themselves, so what they check never depends on
 * how busy the machine is. One `iteration` is one turn of Node's event loop:
 * the clock moves on, the timers due by then fire (in order), then the
 * immediates queued before the turn run (one queued during the turn waits for
 * the next, as in Node). Promise callbacks settle after each callback.
 */
import type { Disposable } from 'vscode-languageserver';
import type { RuntimeEnvironment } from '../../server/src/runtime';

type Timer = RuntimeEnvironment['timer'];

interface Pending {
  callback: () => void;
  cancelled: boolean;
}

interface PendingTimeout extends Pending {
  due: number;
  order: number;
}

/** Lets every promise callback already queued run (a real macrotask: no time is measured). */
const promisesSettled = () => new Promise<void>((resolve) => setImmediate(resolve));

export class FakeTimer implements Timer {
  private time = 0;
  private order = 0;
  private immediates: Pending[] = [];
  private timeouts: PendingTimeout[] = [];

  now(): number {
    return this.time;
  }

  setImmediate(callback: () => void): Disposable {
    const pending: Pending = { callback, cancelled: false };
    this.immediates.push(pending);
    return { dispose: () => (pending.cancelled = true) };
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const pending: PendingTimeout = { callback, cancelled: false, due: this.time + Math.max(0, ms), order: this.order++ };
    this.timeouts.push(pending);
    return { dispose: () => (pending.cancelled = true) };
  }

  /** One turn of the event loop, `ms` after the last. */
  async iteration(ms = 0): Promise<void> {
    this.time += ms;
    for (let next = this.nextTimeout(this.time); next; next = this.nextTimeout(this.time)) {
      this.timeouts.splice(this.timeouts.indexOf(next), 1);
      next.callback();
      await promisesSettled();
    }
    const turn = this.immediates;
    this.immediates = [];
    for (const pending of turn) {
      if (pending.cancelled) continue;
      pending.callback();
      await promisesSettled();
    }
  }

  /** Turns of the event loop until `ms` have passed: as many as there is work for, the clock jumping to each timer. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (let turns = 0; ; turns++) {
      if (turns > 100_000) throw new Error('the fake event loop never settles');
      const next = this.nextTimeout(end);
      if (this.hasImmediates()) await this.iteration(0);
      else if (next) await this.iteration(next.due - this.time);
      else break;
    }
    this.time = end;
  }

  /** Turns of the event loop until `condition` holds, the clock jumping to each timer; throws if nothing is left to run first. */
  async runUntil(condition: () => boolean): Promise<void> {
    for (let turns = 0; !condition(); turns++) {
      const next = this.nextTimeout(Infinity);
      if (turns > 100_000 || (!this.hasImmediates() && !next)) throw new Error('nothing left to run, and the condition does not hold');
      await this.iteration(this.hasImmediates() || !next ? 0 : next.due - this.time);
    }
  }

  /** Turns of the event loop until no timer or immediate is left. */
  async runAll(): Promise<void> {
    await this.runUntil(() => !this.hasImmediates() && !this.nextTimeout(Infinity));
  }

  private hasImmediates(): boolean {
    return this.immediates.some((pending) => !pending.cancelled);
  }

  /** The first live timer due by `time` (earliest, then first set). */
  private nextTimeout(time: number): PendingTimeout | undefined {
    this.timeouts = this.timeouts.filter((pending) => !pending.cancelled);
    let first: PendingTimeout | undefined;
    for (const pending of this.timeouts) {
      if (pending.due <= time && (!first || pending.due < first.due || (pending.due === first.due && pending.order < first.order))) first = pending;
    }
    return first;
  }
}
