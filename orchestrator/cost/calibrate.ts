/** A short local run of the trainer that measures its speed, for the cost estimate. */
import { trainTask } from '../../functions/trainer/run-task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { taskCost } from '../../functions/trainer/work.js';
import type { Calibration } from './cost-model.js';

/** Trains a small representative task (≈ 0.3 s) twice and keeps the faster, JIT-warm timing. */
export function calibrate(): Calibration {
  const task = withDefaults({ n: 400, seed: 0, initFactor: 1, reg: 'l2', lambdas: [1e-4, 1e-3, 1e-2, 1e-1], epochs: 60, valSize: 4000 });
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    trainTask(task);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { secondsPerCostUnit: best / taskCost(task) };
}
