/**
 * The report kept current while a sweep runs: a progress sink that keeps a {@link LiveStatus}
 * (points of the round, rate, ETA, failures, cost so far) and hands it to `write` at the start of
 * each round and then as results land, at most every `everyMs` and never two writes at once.
 */
import type { ProgressSink, RoundInfo } from '../sweep/run-sweep.js';
import type { Clock } from '../time/clock.js';
import { Throttle } from '../time/throttle.js';
import type { LiveStatus } from './live-status.js';

export interface LiveReportOptions {
  /** Writes the report with this status (the CLI: the whole report, read back from the store). */
  write: (status: LiveStatus) => Promise<void>;
  clock: Clock;
  /** Least time between two writes, in ms. */
  everyMs: number;
  /** The wall time a status is taken at (default: now). */
  date?: () => Date;
  /** Dollars billed so far (Lambda); absent or undefined for a run that costs nothing. */
  dollars?: () => number | undefined;
  /** Hears the first write that failed; later failures are dropped, as the run goes on and the next write may succeed. */
  onError: (err: unknown) => void;
}

export class LiveReport implements ProgressSink {
  private readonly throttle: Throttle;
  private info?: RoundInfo;
  private done = 0;
  private failed = 0;
  private roundStarted = 0;
  private errorSeen = false;

  constructor(private readonly opts: LiveReportOptions) {
    // The status is taken when the write starts, so a coalesced write carries the latest numbers.
    // writeReport reads every result back from the store, which for a huge sweep takes long: the
    // throttle then spaces writes to at least 10× the last one's duration.
    this.throttle = new Throttle(() => opts.write(this.status()), opts.clock, {
      everyMs: opts.everyMs,
      stretch: 10,
      onError: (err) => {
        if (this.errorSeen) return;
        this.errorSeen = true;
        opts.onError(err);
      },
    });
  }

  round(info: RoundInfo): void {
    this.info = info;
    this.done = 0;
    this.roundStarted = this.opts.clock.now();
    this.throttle.request();
  }

  tick(points: number, ok: boolean): void {
    this.done += points;
    if (!ok) this.failed++;
    this.throttle.request();
  }

  /** No write starts after this; {@link close} waits for one in progress. */
  finish(): void {
    void this.throttle.close();
  }

  /** Stops writing and resolves once no write is in progress (the final report must land last). */
  close(): Promise<void> {
    return this.throttle.close();
  }

  private status(): LiveStatus {
    const total = this.info?.points ?? 0;
    const seconds = (this.opts.clock.now() - this.roundStarted) / 1000;
    const rate = this.done > 0 && seconds > 0 ? this.done / seconds : null;
    const dollars = this.opts.dollars?.();
    return {
      running: true,
      updatedAt: (this.opts.date?.() ?? new Date()).toISOString(),
      round: this.info?.round ?? 1,
      pointsDone: this.done,
      pointsTotal: total,
      ratePerSecond: rate,
      etaSeconds: rate === null ? null : Math.max(0, total - this.done) / rate,
      failedTasks: this.failed,
      ...(dollars === undefined ? {} : { dollarsSoFar: dollars }),
    };
  }
}
