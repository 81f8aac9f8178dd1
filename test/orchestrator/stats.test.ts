import { describe, expect, test } from 'vitest';
import { linearRegression, mean, sampleVariance, sem, studentTCdf, studentTQuantile } from '../../orchestrator/analysis/stats.js';

describe('statistics', () => {
  test('mean, sample variance and SEM on a hand-computed case', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 15);
    expect(sem([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3 / 4), 15);
  });

  test('equal values have exactly zero variance (no rounding noise)', () => {
    expect(sampleVariance(new Array(10).fill(0.02))).toBe(0);
    expect(sem([0.1, 0.1, 0.1])).toBe(0);
  });

  test('edge cases: empty mean and one-point variance throw; one-point SEM is null', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => sampleVariance([1])).toThrow(RangeError);
    expect(sem([7])).toBeNull();
  });

  test('Student t quantiles match tables', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 3);
    expect(studentTQuantile(0.975, 8)).toBeCloseTo(2.3060, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
  });

  test('OLS on y = 1 + 2x + e with hand-computed SE, CI and R²', () => {
    // x = 0..4, residuals (+1, −1, 0, −1, +1) are orthogonal to x, so the slope stays 2.
    const xs = [0, 1, 2, 3, 4];
    const ys = [2, 2, 5, 6, 10];
    const fit = linearRegression(xs, ys);
    expect(fit.value).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    // SSE = 4, Sxx = 10 → SE = √(4/3/10).
    expect(fit.se).toBeCloseTo(Math.sqrt(4 / 3 / 10), 12);
    const t = studentTQuantile(0.975, 3);
    expect(fit.ci95?.[0]).toBeCloseTo(2 - t * Math.sqrt(4 / 30), 10);
    expect(fit.ci95?.[1]).toBeCloseTo(2 + t * Math.sqrt(4 / 30), 10);
    // SST = 44 → R² = 1 − 4/44.
    expect(fit.r2).toBeCloseTo(1 - 4 / 44, 12);
  });

  test('two points: a slope but no SE or CI; constant x and one point throw', () => {
    const fit = linearRegression([1, 2], [3, 1]);
    expect(fit.value).toBe(-2);
    expect(fit.se).toBeNull();
    expect(fit.ci95).toBeNull();
    expect(() => linearRegression([1, 1, 1], [1, 2, 3])).toThrow(/constant/);
    expect(() => linearRegression([1], [1])).toThrow(RangeError);
  });
});
