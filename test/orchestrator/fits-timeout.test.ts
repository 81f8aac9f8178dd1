/** A task predicted to outlast the function's timeout is refused at plan time, with the largest n that fits. */
import { expect, test } from 'vitest';
import { taskCost } from '../../functions/trainer/work.js';
import { TIMEOUT_HEADROOM, timeoutProblem } from '../../orchestrator/plan/fits-timeout.js';
import { planCells } from '../../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';

const spec = canonicalize(specSchema.parse({ n: [100, 5000], lambdas: [1e-3, 1e-2], seeds: 1, epochs: 100, valSize: 1000 }));
const secondsPerUnit = 1e-7;
const predict = (t: Parameters<typeof taskCost>[0]) => taskCost(t) * secondsPerUnit;

test('every task fits: no problem', () => {
  expect(timeoutProblem(spec, predict, 900)).toBeUndefined();
});

test('the largest task does not fit: the message names it and the largest n that does, and that n fits while n + 1 does not', () => {
  const timeout = 10;
  const message = timeoutProblem(spec, predict, timeout);
  expect(message).toMatch(/^a task with n = 5000, epochs = 100 and 2 λ is predicted to take \d+ s, over 80 % of the function's 10 s timeout; the largest n that fits is \d+: lower n or epochs/);
  const largest = Number(/the largest n that fits is (\d+)/.exec(message ?? '')?.[1]);
  const cell = [...planCells(spec)].find((c) => c.cell.n === 5000)?.cell;
  if (!cell) throw new Error('no cell of n = 5000');
  const task = (n: number) => ({ ...cell, n, lambdas: [1e-3, 1e-2] });
  expect(predict(task(largest))).toBeLessThanOrEqual(TIMEOUT_HEADROOM * timeout);
  expect(predict(task(largest + 1))).toBeGreaterThan(TIMEOUT_HEADROOM * timeout);
});
