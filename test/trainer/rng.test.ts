import { describe, expect, test } from 'vitest';
import { deriveRng, streamFor } from '../../functions/trainer/rng.js';

describe('seeded randomness', () => {
  test('the same stream name gives the same sequence, a different one another', () => {
    const a = streamFor(3, 'trainingData');
    const b = streamFor(3, 'trainingData');
    const c = streamFor(4, 'trainingData');
    const d = streamFor(3, 'validationData');
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
    expect(Array.from({ length: 8 }, () => d.nextUint32())).not.toEqual(seqA);
  });

  test('floats in a stream name are told apart by their bits', () => {
    const x = deriveRng([1, 3, 108, 0.1]).uniform();
    const y = deriveRng([1, 3, 108, 0.1 + 1e-16]).uniform();
    expect(x).not.toBe(y);
  });

  test('uniforms lie in [0, 1) with mean ½ and variance 1/12', () => {
    const rng = streamFor(7, 'shuffle');
    let sum = 0;
    let sq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sq += u * u;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 3);
  });

  test('normal deviates have mean 0, variance 1 and a normal tail', () => {
    const rng = streamFor(11, 'initialWeights');
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sq += z * z;
      if (Math.abs(z) > 2) beyond2++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.015);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2);
  });

  test('below(n) is unbiased over a small range', () => {
    const rng = streamFor(5, 'shuffle');
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.below(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  test('below(n) is unbiased where a plain `% n` is not: n = 3·2^30', () => {
    // uint32 % n would hit [0, 2^30) twice as often as the rest: 1/2 of draws instead of 1/3.
    const rng = streamFor(6, 'shuffle');
    const n = 3 * 2 ** 30;
    let low = 0;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) {
      const x = rng.below(n);
      expect(x >= 0 && x < n && Number.isInteger(x)).toBe(true);
      if (x < 2 ** 30) low++;
    }
    // Binomial(30000, 1/3): SD ≈ 0.0027; 0.015 is over 5 SD from 1/3 and from 1/2.
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.015);
  });
});
