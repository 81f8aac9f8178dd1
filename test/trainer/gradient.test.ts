import { describe, expect, test } from 'vitest';
import { generate } from '../../functions/trainer/data.js';
import { kernelsFor } from '../../functions/trainer/kernels.js';
import { initWeights, layout, objectiveAndGradient } from '../../functions/trainer/mlp.js';
import { streamFor } from '../../functions/trainer/rng.js';
import type { Reg } from '../../functions/trainer/task.js';

const lay = layout(3, 4);
const data = generate(streamFor(1, 'trainingData'), 6, { inputDim: 3, separation: 2, sigma: 1 });
const cases: [Reg, boolean][] = [['l2', false], ['l2', true], ['l1', false], ['l1', true]];

function start(): Float64Array {
  const p = initWeights(streamFor(1, 'initialWeights'), lay, 1);
  // Non-zero biases so their gradient (and its regularization) is exercised.
  for (let i = lay.b1; i < lay.v; i++) p[i] = 0.1 * (i - lay.b1 + 1);
  p[lay.b2] = -0.2;
  return p;
}

describe.each(cases)('gradient of Ẽ, %s, regularizeBiases=%s', (reg, regularizeBiases) => {
  const lambda = 0.03;

  test('matches central finite differences to 1e-6 relative', () => {
    const p = start();
    const { grad } = objectiveAndGradient(p, lay, data, lambda, reg, regularizeBiases);
    const h = 1e-6;
    for (let i = 0; i < lay.size; i++) {
      const up = Float64Array.from(p);
      const down = Float64Array.from(p);
      up[i] += h;
      down[i] -= h;
      const fd =
        (objectiveAndGradient(up, lay, data, lambda, reg, regularizeBiases).value -
          objectiveAndGradient(down, lay, data, lambda, reg, regularizeBiases).value) / (2 * h);
      const scale = Math.max(Math.abs(fd), Math.abs(grad[i]), 1e-3);
      expect(Math.abs(fd - grad[i]) / scale, `parameter ${i}`).toBeLessThan(1e-6);
    }
  });

  test('one full-batch step of the fast kernels is w − η∇Ẽ', () => {
    const p = start();
    const eta = 0.1;
    const { grad } = objectiveAndGradient(p, lay, data, lambda, reg, regularizeBiases);
    const k = kernelsFor(lay, reg, regularizeBiases);
    const g = new Float64Array(lay.size);
    const stepped = Float64Array.from(p);
    const order = Int32Array.from({ length: data.n }, (_, i) => i);
    k.batch(stepped, g, data.x, data.d, order, 0, data.n, 1, [lambda], eta);
    expect(g.every((v) => v === 0)).toBe(true);
    for (let i = 0; i < lay.size; i++) expect(stepped[i]).toBeCloseTo(p[i] - eta * grad[i], 13);
  });

  test('one online step of the fast kernels is w − η∇Ẽ on that pattern', () => {
    const p = start();
    const eta = 0.1;
    const one = { x: data.x.slice(3 * 2, 3 * 3), d: data.d.slice(2, 3), n: 1, dim: 3 };
    const { grad } = objectiveAndGradient(p, lay, one, lambda, reg, regularizeBiases);
    const stepped = Float64Array.from(p);
    kernelsFor(lay, reg, regularizeBiases).online(stepped, one.x, one.d, 0, 1, [lambda], eta);
    for (let i = 0; i < lay.size; i++) expect(stepped[i]).toBeCloseTo(p[i] - eta * grad[i], 13);
  });
});
