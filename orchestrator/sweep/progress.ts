/**
 * Progress of a sweep, round by round, in points: a live bar on a terminal, a plain line every
 * ~10 % elsewhere (CI, pipes). A clock is injected so the rate and ETA can be tested. A backend
 * that paces itself (Lambda) adds its invocations in flight, its current cap and throttles so far.
 */
import cliProgress from 'cli-progress';
import type { Pace } from '../executors/executor.js';
import type { ProgressSink, RoundInfo } from './run-sweep.js';

export type Clock = () => number;

export function progressFor(stream: NodeJS.WriteStream, enabled = true, clock: Clock = Date.now, pace?: () => Pace | undefined): ProgressSink | undefined {
  if (!enabled) return undefined;
  return stream.isTTY ? new BarProgress(stream, clock, pace) : new LineProgress(stream, clock, pace);
}

/** " · 37 in flight (cap 40) · 12 throttled", or nothing for a fixed pool. */
export function paceText(pace?: () => Pace | undefined): string {
  const p = pace?.();
  return p ? ` · ${p.inFlight} in flight (cap ${p.cap}) · ${p.throttles} throttled` : '';
}

/** "round 2 · 96 cells open" (with the chunk when a sweep has several). */
function roundLabel(info: RoundInfo): string {
  const chunk = info.chunks > 1 ? `chunk ${info.chunk}/${info.chunks} · ` : '';
  return `${chunk}round ${info.round} · ${info.cellsOpen} cells open`;
}

class BarProgress implements ProgressSink {
  private bar?: cliProgress.SingleBar;
  private failed = 0;
  private done = 0;
  private started = 0;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly clock: Clock, private readonly pace?: () => Pace | undefined) {}

  round(info: RoundInfo): void {
    this.bar?.stop();
    this.done = 0;
    this.started = this.clock();
    this.bar = new cliProgress.SingleBar(
      { stream: this.stream, format: ` ${roundLabel(info)} {bar} {value}/{total} points | {rate}/s | ETA {eta_formatted} | failed {failed}{pace}`, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(info.points, 0, { failed: this.failed, rate: '0.0', pace: paceText(this.pace) });
  }

  tick(points: number, ok: boolean): void {
    if (!ok) this.failed++;
    this.done += points;
    const rate = (this.done / Math.max(1e-3, (this.clock() - this.started) / 1000)).toFixed(1);
    this.bar?.update(this.done, { failed: this.failed, rate, pace: paceText(this.pace) });
  }

  finish(): void {
    this.bar?.stop();
  }
}

class LineProgress implements ProgressSink {
  private info?: RoundInfo;
  private done = 0;
  private failed = 0;
  private nextReport = 0;
  private started = 0;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly clock: Clock, private readonly pace?: () => Pace | undefined) {}

  round(info: RoundInfo): void {
    this.info = info;
    this.done = 0;
    this.started = this.clock();
    this.nextReport = Math.max(1, Math.ceil(info.points / 10));
    this.stream.write(`${roundLabel(info)}: ${info.points} points in ${info.tasks} tasks\n`);
  }

  tick(points: number, ok: boolean): void {
    const total = this.info?.points ?? 0;
    this.done += points;
    if (!ok) this.failed++;
    if (this.done >= this.nextReport || this.done >= total) {
      const secs = (this.clock() - this.started) / 1000;
      const rate = this.done / Math.max(secs, 1e-3);
      const eta = rate > 0 ? Math.round((total - this.done) / rate) : 0;
      const pct = Math.floor((100 * this.done) / Math.max(1, total));
      this.stream.write(`progress ${this.done}/${total} points (${pct}%) · ${rate.toFixed(1)} points/s · ETA ${eta}s · failed ${this.failed}${paceText(this.pace)}\n`);
      this.nextReport = this.done + Math.max(1, Math.ceil(total / 10));
    }
  }

  finish(): void {}
}

/** One sink that passes every event to each of `sinks` (the terminal's and the live report's); undefined when none is given. */
export function teeProgress(...sinks: (ProgressSink | undefined)[]): ProgressSink | undefined {
  const all = sinks.filter((s): s is ProgressSink => s !== undefined);
  if (all.length <= 1) return all[0];
  return {
    round: (info) => all.forEach((s) => s.round(info)),
    tick: (points, ok) => all.forEach((s) => s.tick(points, ok)),
    finish: () => all.forEach((s) => s.finish()),
  };
}
