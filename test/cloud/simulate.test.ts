import { beforeAll, describe, expect, test } from 'vitest';
import { capacityBound, LAMBDA_SCALING, lowerBound, rampLimit } from '../../scripts/simulate/lower-bound.js';
import type { SimulationOptions, SimulationReport } from '../../scripts/simulate/simulation.js';
import { simulate } from '../../scripts/simulate/simulation.js';
import { SimulationStuckError, VirtualClock } from '../../scripts/simulate/virtual-clock.js';

const scaling = { ...LAMBDA_SCALING, quota: 5000 };

describe('the lower bound, by hand', () => {
  test('below the burst the ramp never binds: cold start + work ÷ concurrency, or the longest task', () => {
    // W = 100 s on 2 slots after a 0.5 s cold start: 50.5 s; the longest task, 40.5 s.
    expect(lowerBound([10, 20, 30, 40], 2, 0.5, scaling)).toEqual({ seconds: 50.5, criticalPathSeconds: 40.5, capacitySeconds: 50.5, rampSeconds: 0 });
    expect(lowerBound([1, 1, 90], 2, 0.5, scaling).seconds).toBe(90.5);
  });

  test('above it, the ramp adds 1000 environments per 10 s', () => {
    // 3000 wanted: 1000 for 10 s (10,000 s of work), 2000 for 10 s (20,000), then 3000 for the 70,000 left.
    expect(capacityBound(100_000, 0, 3000, scaling)).toBeCloseTo(20 + 70_000 / 3000, 9);
    expect(lowerBound([100_000 / 4], 3000, 0, scaling).rampSeconds).toBe(20);
    // The quota caps it: 1000 for 10 s, then 1500.
    expect(capacityBound(100_000, 0, 3000, { ...scaling, quota: 1500 })).toBeCloseTo(10 + 90_000 / 1500, 9);
    expect(rampLimit(25, scaling)).toBe(3000);
  });

  test('no tasks, no bound', () => {
    expect(() => lowerBound([], 10, 0, scaling)).toThrow(RangeError);
  });
});

describe('the virtual clock', () => {
  test('fires timers in time order, ties in the order set, and not once cancelled', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const work = (async () => {
      clock.after(20, () => seen.push(`b@${clock.now()}`));
      clock.after(10, () => seen.push(`a@${clock.now()}`));
      clock.after(20, () => seen.push(`c@${clock.now()}`));
      clock.after(15, () => seen.push('cancelled'))();
      await new Promise<void>((resolve) => clock.after(30, resolve));
    })();
    await clock.run(work);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(30);
  });

  test('says when work waits on something no timer will ever bring', async () => {
    await expect(new VirtualClock().run(new Promise(() => {}))).rejects.toThrow(SimulationStuckError);
  });
});

describe('npm run simulate, small: 3000 tasks, concurrency 100 on a quota of 50, 5 % crashes, 1 % hangs', () => {
  const options: SimulationOptions = { tasks: 3000, concurrency: 100, quota: 50, crashRate: 0.05, hangRate: 0.01, seed: 7 };
  let report: SimulationReport;
  beforeAll(async () => {
    report = await simulate(options);
  });

  test('every task has exactly one result', () => {
    expect(report.tasks).toBe(3000);
    expect(report).toMatchObject({ lost: 0, duplicated: 0, failedForGood: 0 });
  });

  test('the quota throttles, and no 429 costs a task an attempt', () => {
    expect(report.lambda.throttles).toBeGreaterThan(0);
    expect(report.usage.throttles).toBeGreaterThan(0);
    expect(report.lambda.peakBusy).toBeLessThanOrEqual(50);
  });

  test('crashes and hangs happened and were got past: hedged, split or retried', () => {
    expect(report.lambda.crashes).toBeGreaterThan(0);
    expect(report.lambda.hangs).toBeGreaterThan(0);
    expect(report.usage.hedges).toBeGreaterThan(0);
    expect(report.usage.failures.crash).toBeGreaterThan(0);
  });

  test('no faster than the lower bound; billed no less than the fault-free estimate', () => {
    expect(report.wallSeconds).toBeGreaterThanOrEqual(report.lowerBoundSeconds);
    expect(report.billed.dollars).toBeGreaterThan(report.estimate.dollars);
  });

  test('the same seed gives the same report, another seed another', async () => {
    expect(JSON.stringify(await simulate(options))).toBe(JSON.stringify(report));
    expect((await simulate({ ...options, seed: 8 })).wallSeconds).not.toBe(report.wallSeconds);
  });
});
