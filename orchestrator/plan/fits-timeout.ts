/**
 * Whether every task of a sweep fits in one invocation of the function (pure): a task is never split
 * (its λ train together), so one predicted to outlast the function's timeout can only fail. Said at
 * plan time with the largest N that would fit.
 */
import { predictedCost } from '../../functions/trainer/work.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { PlannedTask } from './planner.js';
import { planCells } from './planner.js';

/** Share of the timeout a task may be predicted to use: the rest absorbs a slower CPU than the calibration's. */
export const TIMEOUT_HEADROOM = 0.8;

/** Why the sweep's largest task cannot run in a function with this timeout, or undefined when every task fits. */
export function timeoutProblem(
  spec: CanonicalSpec,
  predictSeconds: (task: PlannedTask['task']) => number,
  timeoutSeconds: number,
): string | undefined {
  const lambdas = spec.search?.start ?? spec.lambdas ?? [];
  const limit = TIMEOUT_HEADROOM * timeoutSeconds;
  let worst: { task: PlannedTask['task']; seconds: number } | undefined;
  for (const { cell } of planCells(spec)) {
    const task = { ...cell, lambdas };
    const seconds = predictSeconds(task);
    if (seconds > limit && (!worst || seconds > worst.seconds)) worst = { task, seconds };
  }
  if (!worst) return undefined;
  const t = worst.task;
  // Seconds scale with the cost units; solve predictedCost(n) = the units that fit, for n.
  const unitsThatFit = (predictedCost(t, t.lambdas.length) * limit) / worst.seconds;
  const perPattern = t.hidden * (t.inputDim + 2) * t.lambdas.length;
  const largestN = Math.floor((unitsThatFit / perPattern - t.valSize / 3) / (t.epochs + 1 / 3));
  const fits = largestN >= 2 ? `the largest n that fits is ${largestN}` : 'no n fits with these epochs';
  return (
    `a task with n = ${t.n}, epochs = ${t.epochs} and ${t.lambdas.length} λ is predicted to take ${worst.seconds.toFixed(0)} s, ` +
    `over ${Math.round(TIMEOUT_HEADROOM * 100)} % of the function's ${timeoutSeconds} s timeout; ${fits}: lower n or epochs, ` +
    'or train fewer λ per task, or deploy with a longer timeoutSeconds (Lambda allows 900 s)'
  );
}
