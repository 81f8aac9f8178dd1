/**
 * The C yardstick the benchmarks compare against (bench/c-reference) must train exactly the
 * project's networks, or its figures say nothing: same data, orders, update rule and evaluation,
 * so its parameters and losses agree with the JS reference engine to rounding (libm's exp and
 * log1p are not the project's, and C may fuse and reassociate).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { buildReference, referenceGroup, runReference } from '../../bench/c-reference.js';
import { jsEngine } from '../../functions/trainer/js-engine.js';
import { prepareTask, trainingRun } from '../../functions/trainer/run-task.js';
import { type Task, withDefaults } from '../../functions/trainer/task.js';

// CI installs a compiler (.ci/run); without one this is skipped, saying so.
const hasCompiler = (() => {
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('test/bench/c-reference.test.ts: skipped, no C compiler (cc)');
    return false;
  }
})();

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-6, Math.abs(b));

describe.skipIf(!hasCompiler)('C reference trainer (bench yardstick)', () => {
  const cases: Partial<Task>[] = [
    { batchSize: 1, reg: 'l2' },
    { batchSize: 7, reg: 'l2', regularizeBiases: true },
    { batchSize: 1000, reg: 'l1' },
    { batchSize: 1, reg: 'l1', regularizeBiases: true, inputDim: 3, hidden: 4 },
    // Fewer patterns than the C runs at a time, and a short last batch: the padded lanes must not count.
    { n: 6, batchSize: 4, valSize: 3, reg: 'l1', regularizeBiases: true },
  ];
  test.each(cases)('agrees with the JS engine to rounding: %o', async (options) => {
    const task = withDefaults({ n: 60, seed: 3, initFactor: 1, reg: 'l2', lambdas: [1e-4, 3e-3, 0.05], epochs: 4, valSize: 50, ...options });
    const built = buildReference(task.inputDim, task.hidden, referenceGroup(task.batchSize));
    if ('missing' in built) throw new Error(built.missing);
    const c = await runReference(built.binary, trainingRun(task));
    const js = jsEngine.run(trainingRun(task));
    const size = prepareTask(task).lay.size;
    expect(c.lambdas.map((l) => l.params.length)).toEqual(task.lambdas.map(() => size));
    task.lambdas.forEach((_, l) => {
      const mine = c.lambdas[l];
      for (let p = 0; p < size; p++) expect(relative(mine.params[p], js.params[l * size + p])).toBeLessThan(1e-9);
      expect(relative(mine.trainLoss, js.evaluations[l]!.train.loss)).toBeLessThan(1e-9);
      expect(relative(mine.valLoss, js.evaluations[l]!.validation.loss)).toBeLessThan(1e-9);
    });
    // Not vacuous: training moved the weights, and the λ ended apart.
    expect(c.lambdas[0].params).not.toEqual(prepareTask(task).init);
    expect(c.lambdas[0].params).not.toEqual(c.lambdas[2].params);
    expect(c.seconds).toBeGreaterThan(0);
  });
});
