/** Packing tasks into Lambda invocations. */
import { expect, test } from 'vitest';
import { LIMITS } from '../../functions/limits.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { packForConcurrency } from '../../orchestrator/plan/pack.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';

const tasks = (count: number): PlannedTask[] =>
  Array.from({ length: count }, (_, seed) => ({ id: String(seed), task: withDefaults({ n: 8, seed, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 1, valSize: 10 }) }));

test('tiny tasks fill a batch up to its time, but never past what one event may hold', () => {
  const batches = packForConcurrency(tasks(2 * LIMITS.tasksPerEvent + 1), () => 1e-6, 60, 1);
  expect(batches.map((b) => b.length)).toEqual([LIMITS.tasksPerEvent, LIMITS.tasksPerEvent, 1]);
});

test('batches close at their time: a task longer than the target goes alone', () => {
  const seconds = [50, 20, 20, 100, 5];
  const planned = tasks(seconds.length);
  const bySeed = (t: PlannedTask['task']) => seconds[t.seed];
  expect(packForConcurrency(planned, bySeed, 60, 1).map((b) => b.map((t) => t.task.seed))).toEqual([[0], [1, 2], [3], [4]]);
});
