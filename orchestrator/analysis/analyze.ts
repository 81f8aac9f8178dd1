/**
 * The sweep's answer (PROTOCOL §7), from its manifest and the points it asked for alone: λ* per
 * (group, N, seed), mean ± SEM per N, how finely λ* is resolved, the log-log slopes, the loss
 * curves behind them, and warnings in words. A group is one (reg, init factor, option variant).
 */
import type { Cell, FiniteMetrics, LambdaMetrics, TrainingOptions } from '../../functions/trainer/task.js';
import { isDiverged } from '../../functions/trainer/task.js';
import type { Manifest } from '../store/result-store.js';
import type { SweepCell } from '../sweep/sweep-cells.js';
import type { Analysis, CurvePoint, GroupAnalysis, PointSummary } from './analysis-types.js';
import type { LambdaStar } from './lambda-star.js';
import { lambdaStar, tieToleranceOf } from './lambda-star.js';
import type { LineFit } from './stats.js';
import { linearRegression, mean, sem } from './stats.js';
import { edgeWarnings } from './warnings.js';

interface SeedStar {
  cell: Cell;
  star: LambdaStar | null;
  points: LambdaMetrics[];
  outcome: SweepCell['outcome'];
}

function fitOrNull(xs: number[], ys: number[]): LineFit | null {
  if (xs.length < 2 || new Set(xs).size < 2) return null;
  return linearRegression(xs, ys);
}

export function analyze(manifest: Manifest, cells: Iterable<SweepCell>): Analysis {
  const spec = manifest.spec;
  const varied = (Object.keys(spec.options) as (keyof TrainingOptions)[]).filter((k) => spec.options[k].length > 1);
  const byGroup = new Map<string, { reg: 'l1' | 'l2'; initFactor: number; options: Partial<TrainingOptions>; byN: Map<number, SeedStar[]> }>();
  const incomplete: string[] = [];
  let planned = 0;
  let points = 0;
  let work = 0;
  for (const c of cells) {
    planned++;
    points += c.points.length;
    work += c.points.length * c.cell.n * c.cell.epochs;
    if (c.outcome === undefined) {
      incomplete.push(c.id);
      continue;
    }
    const options: Partial<TrainingOptions> = {};
    for (const k of varied) (options as Record<string, unknown>)[k] = c.cell[k];
    const key = JSON.stringify([c.cell.reg, c.cell.initFactor, options]);
    let g = byGroup.get(key);
    if (!g) byGroup.set(key, (g = { reg: c.cell.reg, initFactor: c.cell.initFactor, options, byN: new Map() }));
    const list = g.byN.get(c.cell.n) ?? [];
    list.push({ cell: c.cell, star: lambdaStar(c.points, tieToleranceOf(spec)), points: c.points, outcome: c.outcome });
    g.byN.set(c.cell.n, list);
  }
  const groups = [...byGroup.values()].map((g) => analyzeGroup(g.reg, g.initFactor, g.options, g.byN, manifest));
  groups.sort((a, b) => (a.reg < b.reg ? -1 : a.reg > b.reg ? 1 : a.initFactor - b.initFactor || a.label.localeCompare(b.label)));
  return {
    sweepId: manifest.sweepId,
    name: spec.name ?? null,
    trainerVersion: manifest.trainerVersion,
    protocol: spec.options,
    lambdas: spec.search ? { mode: 'adaptive', search: spec.search } : { mode: 'grid', grid: spec.lambdas ?? [] },
    cells: { planned, complete: planned - incomplete.length, incomplete: incomplete.sort() },
    points,
    work,
    groups,
  };
}

function analyzeGroup(
  reg: 'l1' | 'l2',
  initFactor: number,
  options: Partial<TrainingOptions>,
  byN: Map<number, SeedStar[]>,
  manifest: Manifest,
): GroupAnalysis {
  const label = [reg.toUpperCase(), `f=${initFactor}`, ...Object.entries(options).map(([k, v]) => `${k}=${String(v)}`)].join(' ');
  const summaries: PointSummary[] = [];
  const curves: GroupAnalysis['curves'] = [];
  const allX: number[] = [];
  const allY: number[] = [];
  const unresolvedN: number[] = [];
  for (const n of [...byN.keys()].sort((a, b) => a - b)) {
    const seeds = (byN.get(n) ?? []).slice().sort((a, b) => a.cell.seed - b.cell.seed);
    const stars = seeds.map((s) => s.star).filter((s): s is LambdaStar => s !== null);
    const evaluated = seeds.flatMap((s) => s.points);
    curves.push({ n, points: lossCurve(evaluated) });
    if (stars.length === 0) {
      unresolvedN.push(n);
      continue;
    }
    const lambdaStars = stars.map((s) => s.lambda);
    const logs = lambdaStars.map(Math.log10);
    for (const y of logs) {
      allX.push(Math.log10(n));
      allY.push(y);
    }
    const subgrid = stars.map((s) => s.subgrid);
    const resolutions = stars.map((s) => s.resolution);
    summaries.push({
      n,
      seeds: stars.length,
      meanLambdaStar: mean(lambdaStars),
      semLambdaStar: sem(lambdaStars),
      meanLog10LambdaStar: mean(logs),
      semLog10LambdaStar: sem(logs),
      lambdaStars,
      subgridLambdaStars: subgrid,
      meanSubgridLambdaStar: mean(subgrid),
      edgeCount: stars.filter((s) => s.edge !== null).length,
      lowEdgeCount: stars.filter((s) => s.edge === 'low').length,
      highEdgeCount: stars.filter((s) => s.edge === 'high').length,
      boundCount: seeds.filter((s) => s.outcome === 'bound-low' || s.outcome === 'bound-high').length,
      lowBoundCount: seeds.filter((s) => s.outcome === 'bound-low').length,
      highBoundCount: seeds.filter((s) => s.outcome === 'bound-high').length,
      roundCapCount: seeds.filter((s) => s.outcome === 'round-cap').length,
      resolution: resolutions.includes(null) ? null : Math.max(...(resolutions as number[])),
      evaluatedPoints: evaluated.length,
      divergedPoints: evaluated.filter(isDiverged).length,
    });
  }
  const x = summaries.map((p) => Math.log10(p.n));
  const y = summaries.map((p) => Math.log10(p.meanLambdaStar));
  const dominated = (p: PointSummary) => p.edgeCount * 2 >= p.seeds;
  const clean = summaries.map((_, i) => i).filter((i) => !dominated(summaries[i]));
  const slope = fitOrNull(x, y);
  const slopeWithoutEdges = fitOrNull(clean.map((i) => x[i]), clean.map((i) => y[i]));
  return {
    reg,
    initFactor,
    options,
    label,
    points: summaries,
    slope,
    slopeAllPoints: fitOrNull(allX, allY),
    slopeWithoutEdges,
    edgeDominatedN: summaries.filter(dominated).map((p) => p.n),
    curves,
    warnings: edgeWarnings({ points: summaries, spec: manifest.spec, slope, slopeWithoutEdges, allDivergedN: unresolvedN }),
  };
}

/** Mean and SEM over the seeds that evaluated each λ (and stayed finite) of the losses at that λ. */
function lossCurve(points: LambdaMetrics[]): CurvePoint[] {
  const byLambda = new Map<number, FiniteMetrics[]>();
  for (const m of points) {
    if (isDiverged(m)) continue;
    const list = byLambda.get(m.lambda);
    if (list) list.push(m);
    else byLambda.set(m.lambda, [m]);
  }
  return [...byLambda.entries()].sort((a, b) => a[0] - b[0]).map(([lambda, ms]) => {
    const pick = (f: (m: FiniteMetrics) => number) => ms.map(f);
    return {
      lambda,
      seeds: ms.length,
      trainLoss: mean(pick((m) => m.trainLoss)),
      trainLossSem: sem(pick((m) => m.trainLoss)),
      valLoss: mean(pick((m) => m.valLoss)),
      valLossSem: sem(pick((m) => m.valLoss)),
      valError: mean(pick((m) => m.valError)),
      valErrorSem: sem(pick((m) => m.valError)),
    };
  });
}
