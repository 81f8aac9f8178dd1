/**
 * The seed planner against simulated studies: λ* drawn lognormal around a known power law with
 * known per-N spreads, run through the real `analyze`, so "observed" is the CI the report prints.
 */
import { describe, expect, test } from 'vitest';
import { cellId } from '../../functions/trainer/ids.js';
import type { Rng } from '../../functions/trainer/rng.js';
import { deriveRng } from '../../functions/trainer/rng.js';
import type { Cell } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import type { GroupAnalysis } from '../../orchestrator/analysis/analysis-types.js';
import { analyze } from '../../orchestrator/analysis/analyze.js';
import type { PilotModel, PilotPoint } from '../../orchestrator/analysis/seed-planner.js';
import {
  fCritical05, halfWidthFloor, hasSpread, MIN_SEEDS, lambdaSpread, meanVariance, pilotModel, predictedHalfWidth, residualWeights, seedsForTarget,
} from '../../orchestrator/analysis/seed-planner.js';
import { mean, studentTQuantile } from '../../orchestrator/analysis/stats.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../../orchestrator/store/manifest-io.js';
import type { SweepCell } from '../../orchestrator/sweep/sweep-cells.js';

// Ten N doubling from 20; log₁₀ mean λ* = −0.5 − 0.75·log₁₀N; the spread of log₁₀λ* grows from 0.1 to 0.235.
const NS = Array.from({ length: 10 }, (_, i) => 20 * 2 ** i);
const XS = NS.map(Math.log10);
const SIGMA = NS.map((_, i) => 0.1 + 0.015 * i);
const XBAR = mean(XS);
const NO_LOF = NS.map(() => 0);
/** A curved true law: the power law misses it by 0.25·(log₁₀N − mean)². */
const CURVED = XS.map((x) => 0.25 * (x - XBAR) ** 2);

const cells = new Map<string, { id: string; cell: Cell }>();
function cellOf(n: number, seed: number) {
  const key = `${n}/${seed}`;
  let c = cells.get(key);
  if (!c) {
    const { lambdas: _l, ...cell } = withDefaults({ n, seed, initFactor: 1, reg: 'l2', lambdas: [] });
    cells.set(key, (c = { id: cellId(cell), cell }));
  }
  return c;
}

/**
 * One simulated study with `seeds` seeds per N, analysed as a sweep is. Each cell evaluates one λ,
 * its λ*; log₁₀λ* ~ Normal(line + offset − ln10·σ²/2, σ²), so that the mean λ* (what the lead
 * slope fits) lies on line + offset.
 */
function study(rng: Rng, seeds: number, offsets: readonly number[]): GroupAnalysis {
  const swept: SweepCell[] = [];
  NS.forEach((n, i) => {
    const centre = -0.5 - 0.75 * XS[i] + offsets[i] - (Math.LN10 * SIGMA[i] ** 2) / 2;
    for (let s = 0; s < seeds; s++) {
      const lambda = 10 ** (centre + SIGMA[i] * rng.normal());
      const metrics = { lambda, trainLoss: 0.3, trainObjective: 0.3, valLoss: 0.5, valError: 0.2, weightNorm: 1 };
      swept.push({ ...cellOf(n, s), outcome: 'grid', rounds: 0, points: [metrics] });
    }
  });
  return analyze(buildManifest(canonicalize(specSchema.parse({ n: NS, lambdas: [1e-3], seeds }))), swept).groups[0];
}

const halfWidthOf = (g: GroupAnalysis) => {
  const ci = g.slope?.ci95;
  if (!ci) throw new Error('no CI');
  return (ci[1] - ci[0]) / 2;
};
const pointsOf = (g: GroupAnalysis): PilotPoint[] => g.points.map((p) => ({ n: p.n, lambdaStars: p.lambdaStars }));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/** Pilot models from `count` simulated pilots. */
function pilots(tag: number, seeds: number, offsets: readonly number[], count = 400): PilotModel[] {
  return Array.from({ length: count }, (_, r) => pilotModel(pointsOf(study(deriveRng([tag, seeds, r]), seeds, offsets))));
}

/** The mean half-width the analysis prints over `count` simulated studies with `seeds` seeds. */
function observed(tag: number, seeds: number, offsets: readonly number[], count: number): number {
  return mean(Array.from({ length: count }, (_, r) => halfWidthOf(study(deriveRng([tag, seeds, r]), seeds, offsets))));
}

describe('predicted against simulated half-widths', () => {
  // A single pilot's prediction is noisy (its spread and residuals come from a few seeds) and
  // skewed: a 5 % false lack-of-fit detection adds a floor. The typical pilot — the median — is compared.
  test.each([
    [3, 20],
    [5, 40],
  ])('no lack of fit: pilots of %i seeds predict the half-width at %i seeds within 15 %', (pilotSeeds, seeds) => {
    const models = pilots(1, pilotSeeds, NO_LOF);
    const predicted = median(models.map((m) => predictedHalfWidth(m, NS, seeds) ?? NaN));
    const seen = observed(2, seeds, NO_LOF, 400);
    expect(Math.abs(predicted / seen - 1)).toBeLessThan(0.15);
    // The lack-of-fit test errs at about its 5 % level.
    expect(models.filter((m) => m.lackOfFit.verdict === 'detected').length / models.length).toBeLessThan(0.1);
  });

  test('lack of fit: the prediction at 10 seeds and the floor are within 15 %; a target below the floor is unreachable', () => {
    const models = pilots(3, 5, CURVED);
    expect(models.filter((m) => m.lackOfFit.verdict === 'detected').length / models.length).toBeGreaterThan(0.9);
    const at10 = observed(4, 10, CURVED, 400);
    expect(Math.abs(median(models.map((m) => predictedHalfWidth(m, NS, 10) ?? NaN)) / at10 - 1)).toBeLessThan(0.15);
    // At 1000 seeds per N the seeds' noise is gone: what is left is the floor.
    const atFloor = observed(5, 1000, CURVED, 10);
    const floors = models.map((m) => halfWidthFloor(m, NS) ?? NaN);
    expect(Math.abs(median(floors) / atFloor - 1)).toBeLessThan(0.15);
    // Without lack of fit the same seeds' noise would give a far smaller half-width: the floor is real.
    expect(observed(6, 1000, NO_LOF, 10)).toBeLessThan(atFloor / 5);

    // One pilot's floor is itself an estimate (from 5 seeds, about ±20 %): a target well below the
    // floor is unreachable for nearly every pilot, and one well above it reachable.
    const share = (k: number, status: string) => models.filter((m) => seedsForTarget(m, NS, k * atFloor, 40).status === status).length / models.length;
    expect(share(0.6, 'unreachable')).toBeGreaterThan(0.95);
    expect(share(0.7, 'unreachable')).toBeGreaterThan(0.9);
    expect(share(1.3, 'reached')).toBeGreaterThan(0.9);
    expect(share(1.5, 'reached')).toBeGreaterThan(0.95);
  });
});

describe('the model against the analysis it mirrors', () => {
  test('where lack of fit is detected, the prediction at the pilot\'s own seeds is exactly the half-width its report prints', () => {
    const g = study(deriveRng([7]), 5, CURVED);
    const m = pilotModel(pointsOf(g));
    expect(m.lackOfFit.verdict).toBe('detected');
    expect(predictedHalfWidth(m, NS, 5)).toBeCloseTo(halfWidthOf(g), 10);
  });

  test('lambdaSpread and meanVariance: the lognormal λ*\'s spread, and the variance of log₁₀ of a mean of S, by hand', () => {
    // log₁₀λ* = 0, 1: s² = 0.5; c = e^{(ln10)²·0.5} − 1.
    const c = Math.expm1(Math.LN10 ** 2 / 2);
    expect(lambdaSpread([1, 10])).toBeCloseTo(c, 10);
    expect(lambdaSpread([3, 3, 3])).toBe(0);
    expect(lambdaSpread([3])).toBeNull();
    // One seed: the variance of log₁₀λ* itself; many: the delta method's c/(S·(ln10)²).
    expect(meanVariance(c, 1)).toBeCloseTo(0.5, 12);
    expect(meanVariance(c, 1e9) * 1e9).toBeCloseTo(c / Math.LN10 ** 2, 5);
    // A wide spread (two decades) stays bounded at few seeds: log, not exponential, in s².
    expect(meanVariance(lambdaSpread([1e-4, 1, 1e-2]) ?? NaN, 3)).toBeLessThan(4);
  });

  test('residualWeights: (1 − leverage)/(n − 2), summing to 1', () => {
    // x = 0, 1, 2: leverages 5/6, 1/3, 5/6.
    const w = residualWeights([0, 1, 2]);
    expect(w[0]).toBeCloseTo(1 / 6, 12);
    expect(w[1]).toBeCloseTo(2 / 3, 12);
    expect(w[2]).toBeCloseTo(1 / 6, 12);
    expect(residualWeights(XS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(() => residualWeights([0, 1])).toThrow(RangeError);
  });

  test.each([
    [6, 24, 2.508],
    [3, 10, 3.708],
    [1, 10, 4.965],
    [8, 40, 2.18],
  ])('fCritical05(%i, %i) ≈ %f (tables), within 2.5 %', (d1, d2, table) => {
    expect(Math.abs((fCritical05(d1, d2) ?? 0) / table - 1)).toBeLessThan(0.025);
  });
});

describe('edge cases', () => {
  // Four N, 4 seeds each, λ* spread by ×10^±0.1 around 1/N: no lack of fit.
  const base: PilotPoint[] = [10, 20, 40, 80].map((n) => ({ n, lambdaStars: [-0.1, 0, 0.1, 0].map((d) => 10 ** d / n) }));

  test('one seed per N: no spread, refused', () => {
    const one = base.map((p) => ({ n: p.n, lambdaStars: p.lambdaStars.slice(0, 1) }));
    expect(hasSpread(one)).toBe(false);
    expect(() => pilotModel(one)).toThrow(RangeError);
    expect(hasSpread([...one.slice(1), base[0]])).toBe(true);
  });

  test('fewer than 3 N: no CI to plan for; a pilot of 2 N cannot tell lack of fit', () => {
    const m = pilotModel(base);
    expect(predictedHalfWidth(m, [10, 20], 10)).toBeNull();
    expect(halfWidthFloor(m, [10, 20])).toBeNull();
    expect(seedsForTarget(m, [10, 20], 0.1, 40)).toEqual({ status: 'no-ci', needed: null, recommended: null, halfWidth: null, floor: null });
    const two = pilotModel(base.slice(0, 2));
    expect(two.lackOfFit.verdict).toBe('unknown');
    expect(predictedHalfWidth(two, [10, 20, 40], 10)).toBeGreaterThan(0);
  });

  test('the fewest seeds that reach the target; the cap binds past it and says what the cap reaches', () => {
    const m = pilotModel(base);
    expect(m.lackOfFit.verdict).toBe('not-detected');
    const ns = [10, 20, 40, 80];
    const at = (s: number) => predictedHalfWidth(m, ns, s) ?? NaN;
    const target = at(25) * 1.001;
    const a = seedsForTarget(m, ns, target, 40);
    expect(a).toMatchObject({ status: 'reached', needed: 25, recommended: 25, floor: 0 });
    expect(a.halfWidth).toBeLessThanOrEqual(target);
    expect(at(24)).toBeGreaterThan(target);
    const capped = seedsForTarget(m, ns, target, 20);
    expect(capped).toMatchObject({ status: 'cap', needed: 25, recommended: 20 });
    expect(capped.halfWidth).toBeCloseTo(at(20), 12);
    // A target every pilot reaches: the fewest seeds the planner recommends.
    expect(seedsForTarget(m, ns, 10, 40)).toMatchObject({ status: 'reached', needed: MIN_SEEDS });
  });

  test('the half-width: t with n − 2 degrees of freedom, E[s²] = Σ w_N·u_N(S); nearly 1/√S for a small spread', () => {
    const m = pilotModel(base);
    const ns = [10, 20, 40, 80, 160];
    const ratio = (predictedHalfWidth(m, ns, 4) ?? 0) / (predictedHalfWidth(m, ns, 16) ?? 1);
    expect(ratio).toBeGreaterThan(1.99);
    expect(ratio).toBeLessThan(2);
    // Equal spreads at every N, so Σ w_N = 1 leaves E[s²] = u(S).
    const c = lambdaSpread(base[0].lambdaStars) ?? 0;
    const xs = ns.map(Math.log10);
    const sxx = xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0);
    expect(predictedHalfWidth(m, ns, 4)).toBeCloseTo(studentTQuantile(0.975, 3) * Math.sqrt(meanVariance(c, 4) / sxx), 12);
  });

  test('detected lack of fit: a floor that seeds do not lower; a target below it is unreachable, with the seeds that come within 10 % of it', () => {
    // Every seed agrees, but the N zig-zag around the line: all scatter is lack of fit.
    const zig: PilotPoint[] = [10, 20, 40, 80, 160].map((n, i) => ({ n, lambdaStars: [1, 1, 1].map(() => 10 ** (i % 2 ? 0.1 : -0.1) / n) }));
    const m = pilotModel(zig);
    expect(m.lackOfFit.verdict).toBe('detected');
    const ns = zig.map((p) => p.n);
    const floor = halfWidthFloor(m, ns) ?? NaN;
    expect(floor).toBeGreaterThan(0);
    expect(predictedHalfWidth(m, ns, 1000)).toBeCloseTo(floor, 12);
    expect(seedsForTarget(m, ns, floor * 0.9, 40)).toMatchObject({ status: 'unreachable', floor, recommended: MIN_SEEDS });
    expect(seedsForTarget(m, ns, floor * 1.01, 40)).toMatchObject({ status: 'reached', needed: MIN_SEEDS });
  });
});
