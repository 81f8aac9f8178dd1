/** The progress lines of a run: points, rate, ETA, failures, and a self-pacing backend's in-flight, cap and throttles. */
import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import type { Pace } from '../../orchestrator/executors/executor.js';
import { progressFor } from '../../orchestrator/sweep/progress.js';

function lines(pace?: () => Pace | undefined): { out: string[]; sink: ReturnType<typeof progressFor> } {
  const out: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (out.push(String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
  let now = 0;
  const sink = progressFor(stream, true, () => (now += 1000), pace);
  return { out, sink };
}

test('a Lambda run\'s progress line shows the invocations in flight, the current cap and the throttles so far', () => {
  let pace: Pace = { inFlight: 10, cap: 10, throttles: 0 };
  const { out, sink } = lines(() => pace);
  sink?.round({ round: 1, tasks: 4, points: 40, cellsOpen: 4, chunk: 1, chunks: 1 });
  sink?.tick(10, true);
  pace = { inFlight: 7, cap: 9, throttles: 3 };
  sink?.tick(10, false);
  expect(out).toEqual([
    'round 1 · 4 cells open: 40 points in 4 tasks\n',
    'progress 10/40 points (25%) · 10.0 points/s · ETA 3s · failed 0 · 10 in flight (cap 10) · 0 throttled\n',
    'progress 20/40 points (50%) · 10.0 points/s · ETA 2s · failed 1 · 7 in flight (cap 9) · 3 throttled\n',
  ]);
});

test('a local run\'s progress line has no pacing part', () => {
  const { out, sink } = lines();
  sink?.round({ round: 1, tasks: 1, points: 10, cellsOpen: 1, chunk: 1, chunks: 1 });
  sink?.tick(10, true);
  expect(out[1]).toBe('progress 10/10 points (100%) · 10.0 points/s · ETA 0s · failed 0\n');
});
