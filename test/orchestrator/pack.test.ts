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

test('inline answers stay under Lambda\'s 6 MB: 5000 tasks of 10 λ are packed into several invocations', async () => {
  const { LambdaExecutor } = await import('../../orchestrator/executors/lambda-executor.js');
  const { runTask } = await import('../../functions/trainer/run-task.js');
  const lambdas = Array.from({ length: 10 }, (_, i) => 1e-4 * 2 ** i);
  const planned = Array.from({ length: LIMITS.tasksPerEvent }, (_, seed) => ({ id: String(seed).padStart(16, '0'), task: withDefaults({ n: 8, seed, initFactor: 1, reg: 'l2', lambdas, epochs: 1, valSize: 10 }) }));
  // What one task's answer really weighs: its stored result (full-precision metrics), key and id.
  const real = runTask(planned[0].task);
  const answerBytes = JSON.stringify({ id: real.taskId, result: real, key: `lambdastar/cells/${'0'.repeat(16)}/${real.taskId}.json`, stored: 'written' }).length;
  const executor = new LambdaExecutor({ client: { send: async () => ({}), destroy: () => {} } as never, functionName: 'f', concurrency: 1, predictSeconds: () => 1e-6 });
  const batches = executor.batches(planned);
  expect(batches.length).toBeGreaterThan(1);
  for (const b of batches) {
    expect(JSON.stringify({ tasks: b, inline: true }).length).toBeLessThan(6 * 2 ** 20);
    expect(b.length * answerBytes).toBeLessThan(6 * 2 ** 20);
  }
});
