import { describe, expect, test } from 'vitest';
import { applyStandardizer, fitStandardizer, generate } from '../../functions/trainer/data.js';
import { streamFor } from '../../functions/trainer/rng.js';
import { prepareTask } from '../../functions/trainer/run-task.js';
import { DEFAULT_OPTIONS, withDefaults } from '../../functions/trainer/task.js';

const shape = DEFAULT_OPTIONS;

describe('two-Gaussian data (PROTOCOL §1)', () => {
  const data = generate(streamFor(1, 'trainingData'), 40_000, shape);

  test('class means sit at ±s/2 on the first axis and 0 elsewhere', () => {
    const mean = [new Float64Array(shape.inputDim), new Float64Array(shape.inputDim)];
    for (let i = 0; i < data.n; i++) for (let k = 0; k < data.dim; k++) mean[data.d[i]][k] += data.x[i * data.dim + k] / (data.n / 2);
    // Standard error of a class mean: σ/√20000 ≈ 0.057.
    expect(mean[1][0]).toBeCloseTo(shape.separation / 2, 0);
    expect(Math.abs(mean[1][0] - 6.93)).toBeLessThan(0.25);
    expect(Math.abs(mean[0][0] + 6.93)).toBeLessThan(0.25);
    for (let k = 1; k < shape.inputDim; k++) {
      expect(Math.abs(mean[0][k])).toBeLessThan(0.25);
      expect(Math.abs(mean[1][k])).toBeLessThan(0.25);
    }
  });

  test('within-class spread is σ', () => {
    let sq = 0;
    for (let i = 0; i < data.n; i++) for (let k = 1; k < data.dim; k++) sq += data.x[i * data.dim + k] ** 2;
    const sd = Math.sqrt(sq / (data.n * (data.dim - 1)));
    expect(Math.abs(sd - shape.sigma)).toBeLessThan(0.05);
  });

  test('classes alternate, so every even prefix is balanced', () => {
    for (const n of [2, 8, 108, 3240]) {
      let ones = 0;
      for (let i = 0; i < n; i++) ones += data.d[i];
      expect(ones).toBe(n / 2);
    }
  });

  test('training sets are nested prefixes of the seed stream; validation is the same for every N', () => {
    const small = prepareTask(withDefaults({ n: 8, seed: 2, initFactor: 1, reg: 'l2', lambdas: [1e-3], standardize: false, valSize: 50 }));
    const large = prepareTask(withDefaults({ n: 20, seed: 2, initFactor: 1, reg: 'l2', lambdas: [1e-3], standardize: false, valSize: 50 }));
    expect(Array.from(large.train.x.subarray(0, 8 * 10))).toEqual(Array.from(small.train.x));
    expect(Array.from(large.validation.x)).toEqual(Array.from(small.validation.x));
    const otherSeed = prepareTask(withDefaults({ n: 8, seed: 3, initFactor: 1, reg: 'l2', lambdas: [1e-3], standardize: false, valSize: 50 }));
    expect(Array.from(otherSeed.train.x)).not.toEqual(Array.from(small.train.x));
  });

  test('standardization gives the training set mean 0 and std 1 per dimension', () => {
    const train = generate(streamFor(9, 'trainingData'), 100, shape);
    const std = applyStandardizer(train, fitStandardizer(train));
    for (let k = 0; k < std.dim; k++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < std.n; i++) m += std.x[i * std.dim + k] / std.n;
      for (let i = 0; i < std.n; i++) v += (std.x[i * std.dim + k] - m) ** 2 / std.n;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(v).toBeCloseTo(1, 12);
    }
  });
});
