import { describe, expect, test } from 'vitest';
import { runTask, trainTask } from '../../functions/trainer/run-task.js';
import { finite } from '../helpers/fixtures.js';
import type { Reg } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';

const trainFinite = (task: Parameters<typeof trainTask>[0]) => trainTask(task).map(finite);

describe('training', () => {
  test('N = 3240, λ = 2e-3, L2, default protocol: validation error at the Bayes error 0.193, never clearly below it', () => {
    const errors = [0, 1, 2].map(
      (seed) => finite(runTask(withDefaults({ n: 3240, seed, initFactor: 1, reg: 'l2', lambdas: [2e-3] })).metrics[0]).valError,
    );
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    // The SE of a mean over 3 × 20000 validation patterns is ≈ 0.0016: below 0.1932 − 0.006 (≈ 4 SE)
    // no classifier can go without seeing the validation data; above, a good fit stays within 0.025.
    expect(mean).toBeGreaterThan(0.1932 - 0.006);
    expect(mean).toBeLessThan(0.1932 + 0.025);
  });

  test.each<[Reg]>([['l2'], ['l1']])('weight norm falls as λ grows (%s)', (reg) => {
    const lambdas = [1e-5, 1e-4, 1e-3, 1e-2, 3e-2];
    const metrics = trainFinite(withDefaults({ n: 120, seed: 4, initFactor: 1, reg, lambdas, epochs: 200, valSize: 200 }));
    for (let i = 1; i < metrics.length; i++) expect(metrics[i].weightNorm).toBeLessThan(metrics[i - 1].weightNorm);
  });

  // Each λ trains independently of its batch-mates: the guarantee that makes a point of a cell
  // reusable by every sweep, however its λ were packed into tasks.
  const LAMBDAS = [1e-4, 1e-3, 4e-3, 1e-2, 3e-2];
  const subsets = [[0], [4], [1, 3], [0, 2, 4], [3, 1]];
  test.each([
    ['l2', 1], ['l2', 10], ['l2', 1000], ['l1', 1], ['l1', 10], ['l1', 1000],
  ] as const)('%s, B = %i: every λ trained in a superset has the bits it has alone or in any subset', (reg, batchSize) => {
    const base = { n: 40, seed: 1, initFactor: 1, reg, epochs: 30, valSize: 100, batchSize };
    const superset = trainFinite(withDefaults({ ...base, lambdas: LAMBDAS }));
    for (const subset of subsets) {
      const lambdas = subset.map((i) => LAMBDAS[i]).sort((a, b) => a - b);
      const trained = trainFinite(withDefaults({ ...base, lambdas }));
      for (const m of trained) expect(m).toStrictEqual(superset[LAMBDAS.indexOf(m.lambda)]);
    }
  });

  test('metrics follow their definitions: objective = loss + λΩ ≥ loss, error in [0, 1]', () => {
    const [m] = trainFinite(withDefaults({ n: 50, seed: 2, initFactor: 1, reg: 'l2', lambdas: [1e-2], epochs: 20, valSize: 300 }));
    const omega = (m.trainObjective - m.trainLoss) / m.lambda;
    expect(omega).toBeCloseTo(0.5 * m.weightNorm ** 2, 10);
    expect(m.valError).toBeGreaterThanOrEqual(0);
    expect(m.valError).toBeLessThanOrEqual(1);
    expect(Number.isInteger(m.valError * 300)).toBe(true);
  });

  test('full batch (B ≥ N) and mini-batches train differently but both converge', () => {
    const base = { n: 64, seed: 3, initFactor: 1, reg: 'l2' as const, lambdas: [1e-3], epochs: 100, valSize: 500 };
    const full = trainFinite(withDefaults({ ...base, batchSize: 1000 }))[0];
    const mini = trainFinite(withDefaults({ ...base, batchSize: 8 }))[0];
    expect(full.trainLoss).not.toBe(mini.trainLoss);
    expect(full.trainLoss).toBeLessThan(Math.log(2));
    expect(mini.trainLoss).toBeLessThan(Math.log(2));
  });
});
