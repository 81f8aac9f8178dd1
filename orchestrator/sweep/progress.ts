/** Progress of a sweep: a live bar on a terminal, a plain line every ~10 % elsewhere (CI, pipes). */
import cliProgress from 'cli-progress';
import type { ProgressSink } from './run-sweep.js';

export function progressFor(stream: NodeJS.WriteStream, enabled = true): ProgressSink | undefined {
  if (!enabled) return undefined;
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements ProgressSink {
  private bar: cliProgress.SingleBar;
  private failed = 0;
  private done = 0;
  private readonly started = Date.now();
  private newlyDone = 0;

  constructor(stream: NodeJS.WriteStream) {
    this.bar = new cliProgress.SingleBar(
      { stream, format: ' {bar} {value}/{total} tasks | {rate}/s | ETA {eta_formatted} | failed {failed}', hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
  }

  start(total: number, alreadyDone: number): void {
    this.done = alreadyDone;
    this.bar.start(total, alreadyDone, { failed: 0, rate: '0.0' });
  }

  tick(ok: boolean): void {
    if (!ok) this.failed++;
    this.done++;
    this.newlyDone++;
    const rate = (this.newlyDone / Math.max(1e-3, (Date.now() - this.started) / 1000)).toFixed(1);
    this.bar.update(this.done, { failed: this.failed, rate });
  }

  finish(): void {
    this.bar.stop();
  }
}

class LineProgress implements ProgressSink {
  private total = 0;
  private done = 0;
  private failed = 0;
  private nextReport = 0;
  private started = Date.now();
  private fresh = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(total: number, alreadyDone: number): void {
    this.total = total;
    this.done = alreadyDone;
    this.started = Date.now();
    this.nextReport = this.done + Math.max(1, Math.ceil(total / 10));
  }

  tick(ok: boolean): void {
    this.done++;
    this.fresh++;
    if (!ok) this.failed++;
    if (this.done >= this.nextReport || this.done === this.total) {
      const secs = (Date.now() - this.started) / 1000;
      const rate = this.fresh / Math.max(secs, 1e-3);
      const eta = rate > 0 ? Math.round((this.total - this.done) / rate) : 0;
      const pct = Math.floor((100 * this.done) / Math.max(1, this.total));
      this.stream.write(`progress ${this.done}/${this.total} (${pct}%) · ${rate.toFixed(1)} tasks/s · ETA ${eta}s · failed ${this.failed}\n`);
      this.nextReport = this.done + Math.max(1, Math.ceil(this.total / 10));
    }
  }

  finish(): void {}
}
