/**
 * The sweep's answer (PROTOCOL §7), from its manifest and results alone: λ* per (group, N, seed),
 * mean ± SEM per N, the log-log slopes, the loss curves behind them, and warnings in words.
 * A group is one (reg, init factor, training-option variant).
 */
import type { TaskResult, TrainingOptions } from '../../functions/trainer/task.js';
import type { Manifest } from '../store/result-store.js';
import { lambdaStar } from './lambda-star.js';
import type { LineFit } from './stats.js';
import { linearRegression, mean, sem } from './stats.js';

export interface PointSummary {
  n: number;
  seeds: number;
  meanLambdaStar: number;
  semLambdaStar: number | null;
  meanLog10LambdaStar: number;
  semLog10LambdaStar: number | null;
  lambdaStars: number[];
  subgridLambdaStars: number[];
  meanSubgridLambdaStar: number;
  /** Seeds whose λ* sits on either edge of the grid. */
  edgeCount: number;
  lowEdgeCount: number;
  highEdgeCount: number;
}

export interface CurvePoint {
  lambda: number;
  trainLoss: number;
  trainLossSem: number | null;
  valLoss: number;
  valLossSem: number | null;
  valError: number;
  valErrorSem: number | null;
}

export interface GroupAnalysis {
  reg: 'l1' | 'l2';
  initFactor: number;
  /** The training options of this group that the sweep varies (empty when none vary). */
  options: Partial<TrainingOptions>;
  label: string;
  points: PointSummary[];
  slope: LineFit | null;
  slopeAllPoints: LineFit | null;
  slopeWithoutEdges: LineFit | null;
  /** N left out of `slopeWithoutEdges`: half or more of their seeds sit on a grid edge. */
  edgeDominatedN: number[];
  curves: { n: number; points: CurvePoint[] }[];
  warnings: string[];
}

export interface Analysis {
  sweepId: string;
  name: string | null;
  trainerVersion: string;
  /** The training protocol every task ran (lists where the sweep varies an option). */
  protocol: Manifest['spec']['options'];
  lambdaGrid: number[];
  tasks: { planned: number; withResult: number; missing: string[] };
  groups: GroupAnalysis[];
}

const fmt = (v: number) => Number(v.toPrecision(3)).toString();

function fitOrNull(xs: number[], ys: number[]): LineFit | null {
  if (xs.length < 2 || new Set(xs).size < 2) return null;
  return linearRegression(xs, ys);
}

export function analyze(manifest: Manifest, results: Iterable<TaskResult>): Analysis {
  const spec = manifest.spec;
  const varied = (Object.keys(spec.options) as (keyof TrainingOptions)[]).filter((k) => spec.options[k].length > 1);
  const grid = spec.lambdas;
  const byGroup = new Map<string, { reg: 'l1' | 'l2'; initFactor: number; options: Partial<TrainingOptions>; byN: Map<number, TaskResult[]> }>();
  const seen = new Set<string>();
  for (const r of results) {
    seen.add(r.taskId);
    const options: Partial<TrainingOptions> = {};
    for (const k of varied) (options as Record<string, unknown>)[k] = r.task[k];
    const key = JSON.stringify([r.task.reg, r.task.initFactor, options]);
    let g = byGroup.get(key);
    if (!g) byGroup.set(key, (g = { reg: r.task.reg, initFactor: r.task.initFactor, options, byN: new Map() }));
    const list = g.byN.get(r.task.n) ?? [];
    list.push(r);
    g.byN.set(r.task.n, list);
  }
  const groups = [...byGroup.values()].map((g) => analyzeGroup(g.reg, g.initFactor, g.options, g.byN, grid));
  groups.sort((a, b) => (a.reg < b.reg ? -1 : a.reg > b.reg ? 1 : a.initFactor - b.initFactor || a.label.localeCompare(b.label)));
  return {
    sweepId: manifest.sweepId,
    name: spec.name ?? null,
    trainerVersion: manifest.trainerVersion,
    protocol: spec.options,
    lambdaGrid: grid,
    tasks: { planned: manifest.taskIds.length, withResult: seen.size, missing: manifest.taskIds.filter((id) => !seen.has(id)).sort() },
    groups,
  };
}

function analyzeGroup(
  reg: 'l1' | 'l2',
  initFactor: number,
  options: Partial<TrainingOptions>,
  byN: Map<number, TaskResult[]>,
  grid: number[],
): GroupAnalysis {
  const label = [reg.toUpperCase(), `f=${initFactor}`, ...Object.entries(options).map(([k, v]) => `${k}=${String(v)}`)].join(' ');
  const points: PointSummary[] = [];
  const curves: GroupAnalysis['curves'] = [];
  const allX: number[] = [];
  const allY: number[] = [];
  for (const n of [...byN.keys()].sort((a, b) => a - b)) {
    const rs = (byN.get(n) ?? []).slice().sort((a, b) => a.task.seed - b.task.seed);
    const stars = rs.map((r) => lambdaStar(r.metrics));
    const lambdaStars = stars.map((s) => s.lambda);
    const logs = lambdaStars.map(Math.log10);
    for (const y of logs) {
      allX.push(Math.log10(n));
      allY.push(y);
    }
    const subgrid = stars.map((s) => s.subgrid);
    points.push({
      n,
      seeds: rs.length,
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
    });
    curves.push({ n, points: lossCurve(rs) });
  }
  const x = points.map((p) => Math.log10(p.n));
  const y = points.map((p) => Math.log10(p.meanLambdaStar));
  const edgeDominated = points.filter((p) => p.edgeCount * 2 >= p.seeds);
  const clean = points.map((_, i) => i).filter((i) => points[i].edgeCount * 2 < points[i].seeds);
  const slope = fitOrNull(x, y);
  const slopeWithoutEdges = fitOrNull(clean.map((i) => x[i]), clean.map((i) => y[i]));
  return {
    reg,
    initFactor,
    options,
    label,
    points,
    slope,
    slopeAllPoints: fitOrNull(allX, allY),
    slopeWithoutEdges,
    edgeDominatedN: edgeDominated.map((p) => p.n),
    curves,
    warnings: edgeWarnings(points, grid, slope, slopeWithoutEdges),
  };
}

/** Mean and SEM over seeds of the losses at each λ. */
function lossCurve(rs: TaskResult[]): CurvePoint[] {
  const lambdas = rs[0].metrics.map((m) => m.lambda).sort((a, b) => a - b);
  return lambdas.map((lambda) => {
    const ms = rs.map((r) => r.metrics.find((m) => m.lambda === lambda)).filter((m) => m !== undefined);
    const pick = (f: (m: (typeof ms)[number]) => number) => ms.map(f);
    return {
      lambda,
      trainLoss: mean(pick((m) => m.trainLoss)),
      trainLossSem: sem(pick((m) => m.trainLoss)),
      valLoss: mean(pick((m) => m.valLoss)),
      valLossSem: sem(pick((m) => m.valLoss)),
      valError: mean(pick((m) => m.valError)),
      valErrorSem: sem(pick((m) => m.valError)),
    };
  });
}

function edgeWarnings(points: PointSummary[], grid: number[], slope: LineFit | null, clean: LineFit | null): string[] {
  const out: string[] = [];
  const compare =
    slope && clean ? ` The slope without them is ${fmt(clean.value)} against ${fmt(slope.value)} with them.` : '';
  const high = points.filter((p) => p.highEdgeCount * 2 >= p.seeds).map((p) => p.n);
  if (high.length > 0) {
    out.push(
      `λ* sits on the top of the λ grid (${fmt(Math.max(...grid))}) for half or more of the seeds at N = ${high.join(', ')}: ` +
        `the true optimum lies above the grid, so these points pull the slope towards zero (flatter).${compare}`,
    );
  }
  const low = points.filter((p) => p.lowEdgeCount * 2 >= p.seeds).map((p) => p.n);
  if (low.length > 0) {
    out.push(
      `λ* sits on the bottom of the λ grid (${fmt(Math.min(...grid))}) for half or more of the seeds at N = ${low.join(', ')}: ` +
        `the true optimum lies below the grid, so these points bias the slope.${compare}`,
    );
  }
  if (points.length < 3) out.push(`Only ${points.length} N value(s): the slope has no confidence interval (it needs 3 or more).`);
  return out;
}
