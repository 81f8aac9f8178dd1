/**
 * Virtual time for the simulation: a `Clock` whose timers wait in a priority queue, and a driver
 * that runs a promise to completion by letting every pending callback run, then jumping to the
 * earliest timer. Hours of simulated time pass in seconds; the order of events is deterministic.
 */
import type { Clock } from '../../orchestrator/time/clock.js';

interface Timer {
  at: number;
  /** Creation order: timers due at the same time fire in the order they were set. */
  seq: number;
  fn: () => void;
  live: boolean;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Nothing is scheduled, yet the work has not settled: it waits on something the clock never fires. */
export class SimulationStuckError extends Error {}

export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly heap: Timer[] = [];
  /** Timers fired so far. */
  fired = 0;

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.push(timer);
    return () => {
      timer.live = false;
    };
  }

  /**
   * Runs until `work` settles: lets pending promise callbacks run, then fires the earliest timer
   * (and every other one due at that time), and again. Throws `SimulationStuckError` when no timer
   * is left, or only ones that never fire (Infinity), while `work` is still pending, and when
   * the next timer lies past `limitMs` (a runaway).
   */
  async run<T>(work: Promise<T>, limitMs = Infinity): Promise<T> {
    let settled = false;
    void work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      // One macrotask turn: every microtask queued before it (and by those) has run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled) return work;
      const next = this.popLive();
      if (next === undefined || !Number.isFinite(next.at)) {
        throw new SimulationStuckError(`the simulation is stuck at ${(this.time / 1000).toFixed(3)} s: work is pending and no timer is set`);
      }
      if (next.at > limitMs) throw new SimulationStuckError(`the simulation ran past its limit of ${(limitMs / 1000).toFixed(0)} s`);
      this.time = next.at;
      // The others due now, but not those they set for now: those wait for the callbacks to run.
      const setBefore = this.seq;
      this.fire(next);
      for (let t = this.peekLive(); t !== undefined && t.at === this.time && t.seq < setBefore; t = this.peekLive()) this.fire(this.pop());
    }
  }

  private fire(timer: Timer): void {
    timer.live = false;
    this.fired++;
    timer.fn();
  }

  private peekLive(): Timer | undefined {
    while (this.heap.length > 0 && !this.heap[0].live) this.pop();
    return this.heap[0];
  }

  private popLive(): Timer | undefined {
    return this.peekLive() === undefined ? undefined : this.pop();
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as Timer;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
