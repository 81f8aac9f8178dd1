/** The run's one-line summary: a partial run says how many cells are done, so its counts read as "so far". */
import { expect, test } from 'vitest';
import { summaryLine } from '../../orchestrator/cli/run.js';
import type { SweepSummary } from '../../orchestrator/sweep/run-sweep.js';

const base: SweepSummary = {
  sweepId: '0123456789ab', cells: 48, cellsDone: 48, points: 1056, pointsReused: 56, pointsTrained: 1000,
  rounds: 1, tasksRun: 46, failed: [], aborted: false, cellsNotStarted: 0, wallMs: 30_900,
};

test('a complete run gives the sweep\'s cells and points', () => {
  expect(summaryLine(base)).toBe('48 cells · 1056 points: 56 reused, 1000 trained now · 46 tasks in 1 round(s) · 0 failed (30.9 s)');
});

test('a stopped run gives the cells done of the whole and the points so far', () => {
  const stopped = { ...base, cellsDone: 12, points: 264, pointsReused: 0, pointsTrained: 264, tasksRun: 12, aborted: true, wallMs: 8_000 };
  expect(summaryLine(stopped)).toBe('12 of 48 cells done · 264 points so far: 0 reused, 264 trained now · 12 tasks in 1 round(s) · 0 failed (8.0 s)');
});

test('a finished run whose failed tasks left cells undone says so, without "so far"', () => {
  const failed = { ...base, cellsDone: 46, points: 1012, pointsTrained: 956, tasksRun: 44, failed: [{ taskId: 'a', cellId: 'b', lambdas: [1], attempts: 3, message: 'm' }, { taskId: 'c', cellId: 'd', lambdas: [1], attempts: 3, message: 'm' }] };
  expect(summaryLine(failed)).toBe('46 of 48 cells done, the rest held up by failed tasks · 1012 points: 56 reused, 956 trained now · 44 tasks in 1 round(s) · 2 failed (30.9 s)');
});
