import type { Clock } from '../../orchestrator/time/clock.js';

/** A clock that moves only when a test says so: `advance(ms)` fires the timers that fall due, in order. */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return () => this.timers.delete(id);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers (and letting promise callbacks run between them). */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const due = [...this.timers.entries()].filter(([, v]) => v.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = until;
    await new Promise((r) => setImmediate(r));
  }
}
