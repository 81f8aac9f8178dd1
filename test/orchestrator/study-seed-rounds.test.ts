/**
 * The study's seed rounds on synthetic configurations: λ* per seed at each N, chosen so that each
 * outcome (reached, a next seed count, cap, floor, rounds, no CI, the measured-CI fallback) is
 * forced by the data; the preconditions that force it are asserted first.
 */
import { describe, expect, test } from 'vitest';
import type { GroupAnalysis, PointSummary } from '../../orchestrator/analysis/analysis-types.js';
import { halfWidthFloor, pilotModel, predictedHalfWidth, seedsForTarget } from '../../orchestrator/analysis/seed-planner.js';
import { linearRegression, mean, sem } from '../../orchestrator/analysis/stats.js';
import { nextSeeds } from '../../orchestrator/study/seed-rounds.js';

const NS = [10, 20, 40, 80, 160];

/** A PointSummary whose fields agree with `lambdaStars`: no edges, no bounds. */
function point(n: number, lambdaStars: number[]): PointSummary {
  const logs = lambdaStars.map(Math.log10);
  return {
    n, seeds: lambdaStars.length, lambdaStars,
    meanLambdaStar: mean(lambdaStars), semLambdaStar: sem(lambdaStars),
    meanLog10LambdaStar: mean(logs), semLog10LambdaStar: sem(logs),
    subgridLambdaStars: lambdaStars, meanSubgridLambdaStar: mean(lambdaStars),
    edgeCount: 0, lowEdgeCount: 0, highEdgeCount: 0, boundCount: 0, lowBoundCount: 0, highBoundCount: 0, roundCapCount: 0,
    resolution: null, evaluatedPoints: lambdaStars.length, divergedPoints: 0,
  };
}

/** A group as the analysis builds it: the lead slope is OLS of log₁₀(mean λ*) on log₁₀N. */
function group(perN: { n: number; lambdaStars: number[] }[]): GroupAnalysis {
  const points = perN.map((p) => point(p.n, p.lambdaStars));
  const slope = points.length >= 2 ? linearRegression(points.map((p) => Math.log10(p.n)), points.map((p) => Math.log10(p.meanLambdaStar))) : null;
  return { reg: 'l2', initFactor: 1, options: {}, label: 'f = 1', points, slope, slopeAllPoints: slope, slopeWithoutEdges: slope, edgeDominatedN: [], curves: [], warnings: [] };
}

/** λ* = 10^(offset_N + d)/N for each seed's d: `offsets` move the mean off the 1/N line, `seedLogs` spread the seeds. */
const curve = (offsets: readonly number[], seedLogs: readonly number[], ns = NS) =>
  group(ns.map((n, i) => ({ n, lambdaStars: seedLogs.map((d) => 10 ** (offsets[i] + d) / n) })));

const measured = (g: GroupAnalysis) => {
  const ci = g.slope?.ci95;
  if (!ci) throw new Error('no CI');
  return (ci[1] - ci[0]) / 2;
};
const modelOf = (g: GroupAnalysis) => pilotModel(g.points.map((p) => ({ n: p.n, lambdaStars: p.lambdaStars })));

/** Four seeds at ×10^±0.1; the means scatter about as much as the seeds explain (F ≈ 1.3): no lack of fit. */
const SEEDS4 = [-0.1, 0, 0.1, 0];
const FITS = curve([0.04, -0.05, 0.02, 0.03, -0.04], SEEDS4);
/** The same seeds, the means scattered more (F ≈ 2.3, below its critical 3.3): the measured CI is wider than the model's. */
const WIDER = curve([0.05, -0.06, 0, 0.06, -0.05], SEEDS4);
/** Seeds agree to ×10^±0.01 while the N zig-zag ±0.1 around the line: lack of fit, a floor. */
const ZIGZAG = curve([0.1, -0.1, 0.1, -0.1, 0.1], [-0.01, 0, 0.01]);

describe('nextSeeds', () => {
  test('reached: the measured half-width at or below the target stops, whatever the model, rounds or cap say', () => {
    const hw = measured(FITS);
    expect(nextSeeds(FITS, NS, 4, { target: hw, maxSeeds: 40 }, 3)).toEqual({ done: 'reached', halfWidth: hw, floor: 0 });
    expect(nextSeeds(FITS, NS, 4, { target: hw * 2, maxSeeds: 4 }, 0)).toMatchObject({ done: 'reached', halfWidth: hw });
    // Just above the target: not reached.
    expect(nextSeeds(FITS, NS, 4, { target: hw * 0.999, maxSeeds: 40 }, 3)).toHaveProperty('next');
  });

  test('a wider CI than the target: the planner\'s seed count, above the current and at most the cap', () => {
    const target = 0.08;
    expect(modelOf(FITS).lackOfFit.verdict).toBe('not-detected');
    expect(measured(FITS)).toBeGreaterThan(target);
    const advice = seedsForTarget(modelOf(FITS), NS, target, 40);
    expect(advice.status).toBe('reached');
    const step = nextSeeds(FITS, NS, 4, { target, maxSeeds: 40 }, 1);
    if (!('next' in step)) throw new Error(`stopped: ${step.done}`);
    expect(step.next).toBeGreaterThan(4);
    expect(step.next).toBeLessThanOrEqual(40);
    expect(step.next).toBe(advice.recommended);
    expect(step.predicted).toBe(advice.halfWidth);
    expect(step.predicted).toBeLessThanOrEqual(target);
    // It roughly agrees with the 1/√S scaling of what was measured.
    const byMeasure = 4 * (measured(FITS) / target) ** 2;
    expect(step.next / byMeasure).toBeGreaterThan(0.5);
    expect(step.next / byMeasure).toBeLessThan(2);
    // The cap bounds the step, without stopping while seeds are below it.
    expect(nextSeeds(FITS, NS, 4, { target, maxSeeds: 6 }, 1)).toEqual({ next: 6, predicted: seedsForTarget(modelOf(FITS), NS, target, 6).halfWidth });
  });

  test('cap: already at the cap with the CI still wider than the target', () => {
    const hw = measured(FITS);
    expect(seedsForTarget(modelOf(FITS), NS, 0.08, 4)).toMatchObject({ status: 'cap', recommended: 4 });
    const step = nextSeeds(FITS, NS, 4, { target: 0.08, maxSeeds: 4 }, 3);
    expect(step).toEqual({ done: 'cap', halfWidth: hw, floor: 0 });
  });

  test('floor: the N scatter around the line far beyond what the seeds explain; no seed count reaches the target', () => {
    const m = modelOf(ZIGZAG);
    expect(m.lackOfFit.verdict).toBe('detected');
    expect(m.lackOfFit.f).toBeGreaterThan(100);
    const floor = halfWidthFloor(m, NS) ?? NaN;
    const target = floor / 2;
    expect(predictedHalfWidth(m, NS, 1e6)).toBeGreaterThan(target);
    expect(seedsForTarget(m, NS, target, 40).status).toBe('unreachable');
    // Seeds and rounds left, the cap far away: the floor alone stops it.
    const step = nextSeeds(ZIGZAG, NS, 3, { target, maxSeeds: 40 }, 3);
    expect(step).toEqual({ done: 'floor', halfWidth: measured(ZIGZAG), floor });
    // A pilot of 2 seeds: the seeds that come within 10 % of the floor are the 2 already run, so it stops there too.
    const two = curve([0.1, -0.1, 0.1, -0.1, 0.1], [-0.01, 0.01]);
    expect(seedsForTarget(modelOf(two), NS, target, 40)).toMatchObject({ status: 'unreachable', recommended: 2 });
    expect(nextSeeds(two, NS, 2, { target, maxSeeds: 40 }, 3)).toMatchObject({ done: 'floor' });
    // A target above the floor and the measured half-width is reached, not floored.
    expect(nextSeeds(ZIGZAG, NS, 3, { target: measured(ZIGZAG) * 1.01, maxSeeds: 40 }, 3)).toMatchObject({ done: 'reached' });
  });

  test('rounds: no planning round left while the target needs seeds; one round left plans', () => {
    const hw = measured(FITS);
    expect(nextSeeds(FITS, NS, 4, { target: 0.08, maxSeeds: 40 }, 0)).toEqual({ done: 'rounds', halfWidth: hw, floor: 0 });
    expect(nextSeeds(FITS, NS, 4, { target: 0.08, maxSeeds: 40 }, 1)).toHaveProperty('next');
  });

  test('no-ci: fewer than 3 N; one seed per N (no spread); means exactly on a line', () => {
    const two = curve([0.04, -0.05], SEEDS4, NS.slice(0, 2));
    expect(two.slope?.ci95).toBeNull();
    expect(nextSeeds(two, NS.slice(0, 2), 4, { target: 0.1, maxSeeds: 40 }, 3)).toEqual({ done: 'no-ci', halfWidth: null, floor: null });
    const one = curve([0.04, -0.05, 0.02, 0.03, -0.04], [0]);
    expect(nextSeeds(one, NS, 1, { target: 0.01, maxSeeds: 40 }, 3)).toEqual({ done: 'no-ci', halfWidth: measured(one), floor: null });
    const exact = curve([0, 0, 0, 0, 0], SEEDS4);
    expect(nextSeeds(exact, NS, 4, { target: 0.1, maxSeeds: 40 }, 3)).toEqual({ done: 'no-ci', halfWidth: null, floor: null });
  });

  test('the measured CI sizes the step where the model calls the current seeds enough: ceil(S·(hw/target)²), capped', () => {
    const m = modelOf(WIDER);
    expect(m.lackOfFit.verdict).toBe('not-detected');
    const hw = measured(WIDER);
    const target = 0.17;
    // The model's half-width at 4 seeds is within the target; the measured one is not.
    expect(predictedHalfWidth(m, NS, 4)).toBeLessThan(target);
    expect(hw).toBeGreaterThan(target);
    expect(seedsForTarget(m, NS, target, 40).recommended).toBeLessThanOrEqual(4);
    const byMeasure = Math.ceil(4 * (hw / target) ** 2);
    expect(byMeasure).toBe(6);
    expect(nextSeeds(WIDER, NS, 4, { target, maxSeeds: 40 }, 1)).toMatchObject({ next: 6 });
    expect(nextSeeds(WIDER, NS, 4, { target, maxSeeds: 5 }, 1)).toMatchObject({ next: 5 });
  });
});
