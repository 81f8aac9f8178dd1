/** The live report: writes throttled and coalesced on an injected clock, never two at once; its status (rate, ETA, failures, cost). */
import { describe, expect, test, vi } from 'vitest';
import type { LiveStatus } from '../../orchestrator/report/live-status.js';
import { LiveReport } from '../../orchestrator/report/live-report.js';
import { teeProgress } from '../../orchestrator/sweep/progress.js';
import type { ProgressSink, RoundInfo } from '../../orchestrator/sweep/run-sweep.js';
import { realClock } from '../../orchestrator/time/clock.js';
import { Throttle } from '../../orchestrator/time/throttle.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** A job whose runs end only when the test says so; records when each started and how many overlap. */
function gatedJob(clock: ManualClock) {
  const starts: number[] = [];
  const gates: (() => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const job = async () => {
    starts.push(clock.now());
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((r) => gates.push(r));
    running--;
  };
  /** Ends the oldest run still going, then lets its callbacks run. */
  const end = async () => {
    gates.shift()?.();
    await clock.advance(0);
  };
  return { job, starts, end, maxRunning: () => maxRunning };
}

const noError = (err: unknown) => {
  throw err;
};

describe('Throttle', () => {
  test('the first request runs at once; those made during the interval coalesce into one run at its end', async () => {
    const clock = new ManualClock();
    const j = gatedJob(clock);
    const t = new Throttle(j.job, clock, { everyMs: 1000, stretch: 10, onError: noError });
    t.request();
    expect(j.starts).toEqual([0]);
    await j.end();
    await clock.advance(100);
    t.request();
    t.request();
    await clock.advance(500);
    t.request();
    expect(j.starts).toEqual([0]);
    await clock.advance(400);
    expect(j.starts).toEqual([0, 1000]);
    await j.end();
    await clock.advance(5000);
    expect(j.starts).toEqual([0, 1000]);
  });

  test('never two runs at once: a request during a run gives one more run after it ends', async () => {
    const clock = new ManualClock();
    const j = gatedJob(clock);
    const t = new Throttle(j.job, clock, { everyMs: 1000, stretch: 1, onError: noError });
    t.request();
    await clock.advance(3000);
    t.request();
    t.request();
    await clock.advance(3000);
    expect(j.starts).toEqual([0]);
    await j.end();
    expect(j.starts).toEqual([0, 6000]);
    await j.end();
    expect(j.maxRunning()).toBe(1);
  });

  test('the interval stretches to `stretch` times the last run\'s duration, and back when runs are quick again', async () => {
    const clock = new ManualClock();
    const j = gatedJob(clock);
    const t = new Throttle(j.job, clock, { everyMs: 1000, stretch: 10, onError: noError });
    t.request();
    await clock.advance(300);
    await j.end();
    t.request();
    await clock.advance(2699);
    expect(j.starts).toEqual([0]);
    await clock.advance(1);
    expect(j.starts).toEqual([0, 3000]);
    await j.end();
    t.request();
    await clock.advance(1000);
    expect(j.starts).toEqual([0, 3000, 4000]);
    await j.end();
  });

  test('a failed run is reported and the next request runs again', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    let runs = 0;
    const t = new Throttle(async () => {
      runs++;
      if (runs === 1) throw new Error('disk full');
    }, clock, { everyMs: 1000, stretch: 10, onError: (e) => errors.push(e) });
    t.request();
    await clock.advance(1000);
    t.request();
    await clock.advance(0);
    expect(runs).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk full']);
  });

  test('close cancels a waiting run and resolves only when the run in progress has ended', async () => {
    const clock = new ManualClock();
    const j = gatedJob(clock);
    const t = new Throttle(j.job, clock, { everyMs: 1000, stretch: 10, onError: noError });
    t.request();
    t.request();
    let closed = false;
    const closing = t.close().then(() => (closed = true));
    await clock.advance(0);
    expect(closed).toBe(false);
    await j.end();
    await closing;
    t.request();
    await clock.advance(10_000);
    expect(j.starts).toEqual([0]);
    expect(clock.pending).toBe(0);
  });

  test.each([0, -1, Number.NaN])('everyMs %s is a TypeError naming the option', (everyMs) => {
    expect(() => new Throttle(async () => {}, new ManualClock(), { everyMs, stretch: 10, onError: noError })).toThrow(/everyMs/);
  });
});

const round = (points: number, n = 1): RoundInfo => ({ round: n, tasks: 4, points, cellsOpen: 4, chunk: 1, chunks: 1 });

/** A live report whose writes land at once and are kept. */
function recorded(opts: { dollars?: () => number | undefined } = {}) {
  const clock = new ManualClock();
  const writes: LiveStatus[] = [];
  const live = new LiveReport({
    clock,
    everyMs: 5000,
    date: () => new Date(Date.UTC(2026, 0, 1) + clock.now()),
    write: async (s) => void writes.push(s),
    onError: noError,
    ...opts,
  });
  return { clock, writes, live };
}

describe('LiveReport', () => {
  test('writes at the start of a round, before any result, with no rate or ETA yet', () => {
    const { writes, live } = recorded();
    live.round(round(40));
    expect(writes).toEqual([{
      running: true, updatedAt: '2026-01-01T00:00:00.000Z', round: 1, pointsDone: 0, pointsTotal: 40,
      ratePerSecond: null, etaSeconds: null, failedTasks: 0,
    }]);
  });

  test('results within the interval make one write at its end, with the latest rate, ETA and failures', async () => {
    const { clock, writes, live } = recorded();
    live.round(round(40));
    await clock.advance(1000);
    live.tick(10, true);
    await clock.advance(1000);
    live.tick(10, false);
    expect(writes).toHaveLength(1);
    await clock.advance(3000);
    expect(writes).toHaveLength(2);
    // 20 points in 5 s: 4 points/s, 20 left → 5 s.
    expect(writes[1]).toMatchObject({ updatedAt: '2026-01-01T00:00:05.000Z', pointsDone: 20, pointsTotal: 40, ratePerSecond: 4, etaSeconds: 5, failedTasks: 1 });
  });

  test('a new round restarts the points and the rate; failures count over the run', async () => {
    const { clock, writes, live } = recorded();
    live.round(round(40));
    await clock.advance(1000);
    live.tick(40, false);
    await clock.advance(10_000);
    live.round(round(8, 2));
    await clock.advance(2000);
    live.tick(4, true);
    await clock.advance(5000);
    expect(writes.map((w) => [w.round, w.pointsDone, w.pointsTotal, w.failedTasks])).toEqual([[1, 0, 40, 0], [1, 40, 40, 1], [2, 0, 8, 1], [2, 4, 8, 1]]);
    // 4 points in the 5 s since round 2 began.
    expect(writes[3]).toMatchObject({ ratePerSecond: 0.8, etaSeconds: 5 });
  });

  test('on Lambda each status carries the dollars billed so far; a local run has none', async () => {
    let dollars = 0;
    const { clock, writes, live } = recorded({ dollars: () => dollars });
    live.round(round(40));
    dollars = 0.0123;
    live.tick(10, true);
    await clock.advance(5000);
    expect(writes.map((w) => w.dollarsSoFar)).toEqual([0, 0.0123]);
    const local = recorded();
    local.live.round(round(40));
    expect(local.writes[0]).not.toHaveProperty('dollarsSoFar');
  });

  test('a failed write is reported once and the run goes on writing', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    let fail = true;
    const written: number[] = [];
    const live = new LiveReport({
      clock,
      everyMs: 5000,
      write: async (s) => {
        if (fail) throw new Error('EACCES');
        written.push(s.pointsDone);
      },
      onError: (e) => errors.push(e),
    });
    live.round(round(40));
    live.tick(10, true);
    await clock.advance(5000);
    live.tick(10, true);
    await clock.advance(5000);
    fail = false;
    live.tick(10, true);
    await clock.advance(5000);
    expect(errors).toHaveLength(1);
    expect(written).toEqual([30]);
  });

  test('after finish nothing more is written, and close waits for the write in progress', async () => {
    const clock = new ManualClock();
    let release = () => {};
    const writes: number[] = [];
    const live = new LiveReport({
      clock,
      everyMs: 5000,
      write: async (s) => {
        writes.push(s.pointsDone);
        await new Promise<void>((r) => (release = r));
      },
      onError: noError,
    });
    live.round(round(40));
    live.tick(10, true);
    live.finish();
    let closed = false;
    const closing = live.close().then(() => (closed = true));
    await clock.advance(10_000);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(writes).toEqual([0]);
  });
});

test('teeProgress passes every event to each sink and drops the absent ones', () => {
  const events: string[][] = [[], []];
  const sink = (i: number): ProgressSink => ({
    round: (info) => events[i].push(`round ${info.round}`),
    tick: (points, ok) => events[i].push(`tick ${points} ${ok}`),
    finish: () => events[i].push('finish'),
  });
  const a = sink(0);
  expect(teeProgress(undefined, a)).toBe(a);
  expect(teeProgress(undefined, undefined)).toBeUndefined();
  const both = teeProgress(a, undefined, sink(1));
  both?.round(round(4));
  both?.tick(4, false);
  both?.finish();
  expect(events).toEqual([['round 1', 'tick 4 false', 'finish'], ['round 1', 'tick 4 false', 'finish']]);
});

describe('the real clock', () => {
  test('a timer longer than Node can hold (2³¹ ms, ~24.8 days) fires when due, not at once', () => {
    vi.useFakeTimers();
    try {
      let fired = false;
      const longest = 2 ** 31 - 1;
      realClock.after(longest + 1000, () => (fired = true));
      vi.advanceTimersByTime(longest);
      expect(fired).toBe(false);
      vi.advanceTimersByTime(999);
      expect(fired).toBe(false);
      vi.advanceTimersByTime(1);
      expect(fired).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
