/**
 * An async job run at most once per interval and never twice at once: requests made while it runs
 * or too soon after it started are coalesced into one more run, as soon as it is allowed.
 */
import type { Clock } from './clock.js';

export interface ThrottleOptions {
  /** Least time between the starts of two runs, in ms (> 0). */
  everyMs: number;
  /** The gap is also at least this many times the last run's duration: a job that grows slow takes at most ~1/stretch of the time. */
  stretch: number;
  /** Hears a run's error; the throttle goes on. */
  onError: (err: unknown) => void;
}

export class Throttle {
  private gapMs: number;
  private lastStart = -Infinity;
  private pending = false;
  private closed = false;
  private running?: Promise<void>;
  private cancelTimer?: () => void;

  constructor(private readonly job: () => Promise<void>, private readonly clock: Clock, private readonly opts: ThrottleOptions) {
    if (!(opts.everyMs > 0)) throw new TypeError(`everyMs must be a number > 0, not ${opts.everyMs}`);
    this.gapMs = opts.everyMs;
  }

  /** Asks for a run: at once if the last one started long enough ago and has ended, else one run later. */
  request(): void {
    if (this.closed) return;
    this.pending = true;
    if (this.running === undefined && this.cancelTimer === undefined) this.schedule();
  }

  /** Runs nothing more; resolves when a run in progress has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.running;
  }

  private schedule(): void {
    const wait = this.lastStart + this.gapMs - this.clock.now();
    if (wait <= 0) {
      this.start();
      return;
    }
    this.cancelTimer = this.clock.after(wait, () => {
      this.cancelTimer = undefined;
      this.start();
    });
  }

  private start(): void {
    this.pending = false;
    const started = this.clock.now();
    this.lastStart = started;
    this.running = this.job()
      .catch(this.opts.onError)
      .finally(() => {
        this.gapMs = Math.max(this.opts.everyMs, this.opts.stretch * (this.clock.now() - started));
        this.running = undefined;
        if (this.pending && !this.closed) this.schedule();
      });
  }
}
