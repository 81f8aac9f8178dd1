import { describe, expect, test } from 'vitest';
import { cellId } from '../../functions/trainer/ids.js';
import type { FiniteMetrics, LambdaMetrics } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { analyze } from '../../orchestrator/analysis/analyze.js';
import { ADAPTIVE_TIE, argminIndex, lambdaStar, parabolaVertex } from '../../orchestrator/analysis/lambda-star.js';
import type { CellOutcome } from '../../orchestrator/search/cell-search.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../../orchestrator/store/manifest-io.js';
import type { SweepCell } from '../../orchestrator/sweep/sweep-cells.js';

const GRID = [1e-4, 1e-3, 1e-2, 1e-1];

/** Metrics whose validation loss is a parabola in log₁₀λ with its minimum at log₁₀λ = `at`. */
function curve(at: number, lambdas = GRID): FiniteMetrics[] {
  return lambdas.map((lambda) => {
    const v = 0.5 + (Math.log10(lambda) - at) ** 2;
    return { lambda, trainLoss: 0.3, trainObjective: 0.4, valLoss: v, valError: 0.2, weightNorm: 1 };
  });
}

describe('λ* of one cell', () => {
  test('the argmin of the validation loss, with a sub-grid refinement at the parabola vertex and its resolution', () => {
    const s = lambdaStar(curve(-2.3));
    expect(s?.lambda).toBe(1e-2);
    expect(s?.edge).toBeNull();
    expect(Math.log10(s?.subgrid ?? 0)).toBeCloseTo(-2.3, 12);
    expect(s?.resolution).toBeCloseTo(10, 12);
  });

  test('a diverged λ is never λ*; all diverged gives none', () => {
    const m: LambdaMetrics[] = [...curve(-2.3).slice(0, 3), { lambda: 1e-1, diverged: true }];
    const lowest = { ...m[0], valLoss: 0 } as FiniteMetrics;
    expect(lambdaStar([{ lambda: 1e-5, diverged: true }, ...m])?.lambda).toBe(1e-2);
    expect(lambdaStar([lowest, { lambda: 1, diverged: true }])?.edge).toBe('low');
    expect(lambdaStar([{ lambda: 1, diverged: true }])).toBeNull();
  });

  test('ties within a tolerance go to the smaller λ (the plateau of a collapsed network); exact ties without one', () => {
    const plateau = [0.9, 0.6931540000002, 0.6931540000001, 0.6931540000003];
    expect(argminIndex(plateau)).toBe(2);
    expect(argminIndex(plateau, ADAPTIVE_TIE)).toBe(1);
    expect(argminIndex([0.5, 0.49, 0.49])).toBe(1);
    expect(argminIndex([null, 0.7, null], ADAPTIVE_TIE)).toBe(1);
    expect(argminIndex([null, null])).toBe(-1);
    // Differences above the tolerance are real differences.
    expect(argminIndex([0.50001, 0.5], ADAPTIVE_TIE)).toBe(1);
  });

  test('ties go to the smaller λ', () => {
    const m = curve(-2.5);
    expect(m[1].valLoss).toBe(m[2].valLoss);
    expect(lambdaStar(m)?.lambda).toBe(1e-3);
  });

  test('grid edges are flagged, and the sub-grid value stays on the grid there', () => {
    const high = lambdaStar(curve(0));
    expect(high).toMatchObject({ lambda: 1e-1, subgrid: 1e-1, edge: 'high', resolution: null });
    expect(lambdaStar(curve(-6))?.edge).toBe('low');
  });

  test('a vertex that is a maximum or outside the span is not used', () => {
    expect(parabolaVertex([0, 1, 2], [0, 1, 0])).toBeNull();
    expect(parabolaVertex([0, 1, 2], [3, 2, 1.5])).toBeNull();
    // y = x² − 2x + 1 through (0, 1), (1, 0), (3, 4): vertex at 1.
    expect(parabolaVertex([0, 1, 3], [1, 0, 4])).toBeCloseTo(1, 12);
    // y = 0.9x² − 1.7x + 1: vertex at 17/18.
    expect(parabolaVertex([0, 1, 3], [1, 0.2, 4])).toBeCloseTo(17 / 18, 12);
  });
});

function result(n: number, seed: number, metrics: LambdaMetrics[], reg: 'l1' | 'l2' = 'l2', outcome: CellOutcome = 'grid'): SweepCell {
  const cell = withDefaults({ n, seed, initFactor: 1, reg, lambdas: [] });
  const { lambdas: _l, ...rest } = cell;
  return { id: cellId(rest), cell: rest, outcome, rounds: 0, points: metrics };
}

function manifestFor(ns: number[], seeds: number, lambdas = GRID) {
  return buildManifest(canonicalize(specSchema.parse({ n: ns, lambdas, seeds })));
}

describe('sweep analysis', () => {
  test('λ* ∝ 1/N recovers slope −1 with mean, SEM and a CI that covers it', () => {
    const lambdas = [1e-4, 2e-4, 4e-4, 8e-4, 1e-3, 2e-3, 4e-3, 8e-3, 1e-2, 2e-2, 4e-2, 8e-2, 1e-1];
    const ns = [10, 100, 1000];
    const rs = ns.flatMap((n) => [0, 1].map((seed) => result(n, seed, curve(Math.log10(1 / n) + (seed === 0 ? 0.01 : -0.01), lambdas))));
    const a = analyze(manifestFor(ns, 2, lambdas), rs);
    const g = a.groups[0];
    expect(g.points.map((p) => p.meanLambdaStar)).toEqual([1e-1, 1e-2, 1e-3]);
    expect(g.points.map((p) => p.semLambdaStar)).toEqual([0, 0, 0]);
    expect(g.slope?.value).toBeCloseTo(-1, 12);
    expect(g.slope?.r2).toBeCloseTo(1, 12);
    expect(g.slopeAllPoints?.value).toBeCloseTo(-1, 12);
    expect(g.points[0].highEdgeCount).toBe(2);
    expect(g.warnings.join(' ')).toMatch(/top of the λ grid .* N = 10/);
  });

  test('one seed: no SEM; two N: a slope with no CI and a warning', () => {
    const a = analyze(manifestFor([10, 100], 1), [result(10, 0, curve(-2)), result(100, 0, curve(-3))]);
    const g = a.groups[0];
    expect(g.points[0].semLambdaStar).toBeNull();
    expect(g.slope?.value).toBeCloseTo(-1, 12);
    expect(g.slope?.ci95).toBeNull();
    expect(g.warnings.join(' ')).toMatch(/Only 2 N/);
  });

  test('mean and SEM of λ* over seeds, by hand', () => {
    const rs = [result(50, 0, curve(-3)), result(50, 1, curve(-2)), result(50, 2, curve(-2))];
    const p = analyze(manifestFor([50], 3), rs).groups[0].points[0];
    expect(p.lambdaStars).toEqual([1e-3, 1e-2, 1e-2]);
    expect(p.meanLambdaStar).toBeCloseTo(0.007, 15);
    // sample std of (0.001, 0.01, 0.01) = 0.0051961…, / √3
    expect(p.semLambdaStar).toBeCloseTo(Math.sqrt(((0.006 ** 2) + 2 * (0.003 ** 2)) / 2) / Math.sqrt(3), 15);
    expect(p.meanLog10LambdaStar).toBeCloseTo(-7 / 3, 12);
  });

  test('edge-dominated N are left out of slopeWithoutEdges', () => {
    const grid = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
    const c = (at: number) => curve(at, grid);
    // λ* = 1e2/N² off the edges; at N = 10 the optimum (1) lies above the grid and is clipped to 0.1.
    const rs = [
      result(10, 0, c(0)), result(10, 1, c(0)),
      result(100, 0, c(-2)), result(100, 1, c(-2)),
      result(1000, 0, c(-4)), result(1000, 1, c(-4)),
      result(10000, 0, c(-9)), result(10000, 1, c(-9)),
    ];
    const g = analyze(manifestFor([10, 100, 1000, 10000], 2, grid), rs).groups[0];
    expect(g.edgeDominatedN).toEqual([10, 10000]);
    expect(g.slopeWithoutEdges?.points).toBe(2);
    expect(g.slopeWithoutEdges?.value).toBeCloseTo(-2, 12);
    expect(g.slope?.value).toBeGreaterThan(-1.8);
    expect(g.warnings.join(' ')).toMatch(/top of the λ grid/);
    expect(g.warnings.join(' ')).toMatch(/bottom of the λ grid/);
  });

  test('incomplete cells are listed and left out; groups split by reg; the work is Σ N × epochs over the points', () => {
    const m = manifestFor([10, 100], 1);
    const open = { ...result(100, 0, curve(-2).slice(0, 2)), outcome: undefined };
    const a = analyze(m, [result(10, 0, curve(-2)), result(10, 0, curve(-2), 'l1'), open]);
    expect(a.cells).toEqual({ planned: 3, complete: 2, incomplete: [open.id] });
    expect(a.points).toBe(4 + 4 + 2);
    expect(a.work).toBe(10 * 500 * 8 + 100 * 500 * 2);
    expect(a.groups.map((g) => g.reg)).toEqual(['l1', 'l2']);
    expect(a.groups[1].points.map((p) => p.n)).toEqual([10]);
  });

  test('adaptive cells: resolution per N, searches at a bound and out of rounds are counted and warned about', () => {
    const spec = canonicalize(specSchema.parse({ n: [10, 100, 1000], search: { mode: 'adaptive', start: [1e-3, 1e-2], bounds: [1e-4, 1e-1], maxRounds: 5 }, seeds: 2 }));
    const m = buildManifest(spec);
    const fine = [1e-3 / 1.1, 1e-3, 1e-3 * 1.15];
    const cells = [
      result(10, 0, curve(-1), 'l2', 'bound-high'), result(10, 1, curve(-1), 'l2', 'bound-high'),
      result(100, 0, curve(-3, fine), 'l2', 'resolved'), result(100, 1, curve(-3, fine), 'l2', 'round-cap'),
      result(1000, 0, [...curve(-3, fine), { lambda: 1, diverged: true }], 'l2', 'resolved'), result(1000, 1, curve(-3, fine), 'l2', 'resolved'),
    ];
    const g = analyze(m, cells).groups[0];
    expect(g.points.map((p) => [p.n, p.boundCount, p.roundCapCount, p.divergedPoints])).toEqual([[10, 2, 0, 0], [100, 0, 1, 0], [1000, 0, 0, 1]]);
    expect(g.points[0].resolution).toBeNull();
    expect(g.points[1].resolution).toBeCloseTo(1.15, 12);
    expect(g.points[0].highEdgeCount).toBe(2);
    expect(g.edgeDominatedN).toEqual([10]);
    const w = g.warnings.join(' ');
    expect(w).toMatch(/upper bound of the search \(0\.1\) for half or more of the seeds at N = 10: .* raise the bound/);
    expect(w).toMatch(/1 search\(es\) at N = 100 ran out of rounds \(maxRounds 5\)/);
    expect(w).toMatch(/Training diverged for 1 point\(s\) at N = 1000/);
    expect(analyze(m, cells).lambdas).toEqual({ mode: 'adaptive', search: spec.search });
    // A search out of rounds while still extending sits on an edge, not on a bound: no bound warning.
    const stuck = analyze(m, [result(10, 0, curve(-1), 'l2', 'round-cap'), result(10, 1, curve(-1), 'l2', 'round-cap')]).groups[0];
    expect(stuck.points[0]).toMatchObject({ highEdgeCount: 2, boundCount: 0, roundCapCount: 2 });
    expect(stuck.warnings.join(' ')).not.toMatch(/bound/);
    expect(stuck.warnings.join(' ')).toMatch(/2 search\(es\) at N = 10 ran out of rounds/);
  });
});
