/** `lambdastar plan`: what a sweep will train and cost, before anything runs. */
import { availableParallelism } from 'node:os';
import { calibrate } from '../cost/calibrate.js';
import type { Architecture, Calibration, CostEstimate } from '../cost/cost-model.js';
import { estimateCost, taskSeconds } from '../cost/cost-model.js';
import { packForConcurrency } from '../plan/pack.js';
import type { PlannedTask } from '../plan/planner.js';
import { taskCost } from '../../functions/trainer/work.js';
import { cellCount, optionVariants, sweepId } from '../plan/planner.js';
import { boundTasks, lambdasPerCell, workRange } from '../plan/work.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { UsageError } from '../errors.js';
import { timeoutProblem } from '../plan/fits-timeout.js';
import { loadSpec } from './spec-input.js';

interface Range<T> {
  /** Lower bound: the grid, or the start grid of every adaptive search. */
  min: T;
  /** Upper bound: the grid, or every adaptive search using all its rounds. */
  max: T;
}

interface PlanSummary {
  sweepId: string;
  name: string | null;
  cells: number;
  axes: { n: number; seeds: number; initFactors: number; regs: number; optionVariants: number };
  lambdas: { mode: 'grid'; perCell: number } | { mode: 'adaptive'; start: number; perCell: Range<number>; maxRounds: number };
  points: Range<number>;
  /** Σ N × epochs over the points: λ-pattern-epochs. */
  work: Range<number>;
  largestN: number;
  local: Range<{ seconds: number; cores: number }>;
  lambda: Range<CostEstimate>;
}

function sum(estimates: CostEstimate[]): CostEstimate {
  const [first, ...rest] = estimates;
  const out = { ...first };
  for (const e of rest) {
    for (const k of ['tasks', 'invocations', 'computeSeconds', 'gbSeconds', 'lambdaDollars', 'requestDollars', 's3Puts', 's3Gets', 's3Dollars', 'totalDollars', 'wallSeconds'] as const) {
      out[k] += e[k];
    }
  }
  return out;
}

function planSummary(
  spec: CanonicalSpec,
  opts: { memoryMb: number; architecture: Architecture; concurrency: number; targetSeconds: number },
  calibration: Calibration,
): PlanSummary {
  const w = workRange(spec);
  const [lo, hi] = lambdasPerCell(spec);
  const { first, laterRound, laterRounds } = boundTasks(spec);
  const price = (tasks: PlannedTask[]) =>
    estimateCost(packForConcurrency(tasks, (t) => taskSeconds(t, calibration, opts.memoryMb), opts.targetSeconds, opts.concurrency), calibration, opts);
  const firstCost = price(first);
  const laterCost = laterRounds > 0 ? price(laterRound) : undefined;
  const localSeconds = (tasks: PlannedTask[]) => tasks.reduce((s, t) => s + taskCost(t.task) * calibration.secondsPerCostUnit, 0);
  const cores = availableParallelism();
  const localFirst = localSeconds(first) / cores;
  const localLater = localSeconds(laterRound) / cores;
  return {
    sweepId: sweepId(spec),
    name: spec.name ?? null,
    cells: cellCount(spec),
    axes: {
      n: spec.n.length,
      seeds: spec.seeds.length,
      initFactors: spec.initFactors.length,
      regs: spec.regs.length,
      optionVariants: optionVariants(spec).length,
    },
    lambdas: spec.search
      ? { mode: 'adaptive', start: spec.search.start.length, perCell: { min: lo, max: hi }, maxRounds: spec.search.maxRounds }
      : { mode: 'grid', perCell: lo },
    points: { min: w.points[0], max: w.points[1] },
    work: { min: w.work[0], max: w.work[1] },
    largestN: w.largestN,
    local: { min: { seconds: localFirst, cores }, max: { seconds: localFirst + laterRounds * localLater, cores } },
    lambda: { min: firstCost, max: laterCost ? sum([firstCost, ...Array.from({ length: laterRounds }, () => laterCost)]) : firstCost },
  };
}

const money = (v: number) => `$${v < 0.01 ? v.toFixed(5) : v.toFixed(2)}`;
const duration = (s: number) => (s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`);

/** "a" for a fixed grid, "a … b" for a range. */
function range<T>(r: Range<T>, f: (v: T) => string): string {
  const [a, b] = [f(r.min), f(r.max)];
  return a === b ? a : `${a} … ${b}`;
}

function planLines(s: PlanSummary): string[] {
  const adaptive = s.lambdas.mode === 'adaptive';
  const lines = [
    `sweep ${s.sweepId} (${s.name ?? 'custom spec'})`,
    `${s.cells} cells = ${s.axes.n} N × ${s.axes.seeds} seeds × ${s.axes.initFactors} init factors × ${s.axes.regs} regs × ${s.axes.optionVariants} option variants`,
    s.lambdas.mode === 'adaptive'
      ? `λ: adaptive search, ${s.lambdas.start} start λ per cell, then up to ${s.lambdas.maxRounds} rounds: ${s.lambdas.perCell.min} … ${s.lambdas.perCell.max} λ per cell`
      : `λ: a fixed grid of ${s.lambdas.perCell} per cell`,
    `points: ${range(s.points, String)}; work: ${range(s.work, (v) => (v / 1e9).toFixed(3))} G λ-pattern-epochs (largest N = ${s.largestN})`,
    `local: about ${range(s.local, (v) => duration(v.seconds))} on ${s.local.min.cores} cores (from a calibration run of the trainer here)`,
    `lambda (${s.lambda.min.memoryMb} MB, ${s.lambda.min.architecture}, concurrency ${s.lambda.min.concurrency}): ` +
      `${range(s.lambda, (c) => String(c.invocations))} invocations, ${range(s.lambda, (c) => duration(c.computeSeconds))} compute = ` +
      `${range(s.lambda, (c) => c.gbSeconds.toFixed(0))} GB-s`,
    `  cost: ${range(s.lambda, (c) => money(c.totalDollars))} (compute ${range(s.lambda, (c) => money(c.lambdaDollars))}, ` +
      `requests ${range(s.lambda, (c) => money(c.requestDollars))}, S3 ${range(s.lambda, (c) => money(c.s3Dollars))})`,
    `  wall time ≈ ${range(s.lambda, (c) => duration(c.wallSeconds))}`,
  ];
  if (adaptive) {
    lines.push('ranges: the lower bound is the start grid alone, the upper bound every cell using all its rounds; searches usually end near the lower bound');
  }
  lines.push('points already in the store are not trained again: `run` reports how many it reused');
  return lines;
}

export interface PlanFlags {
  preset?: string;
  spec?: string;
  json?: boolean;
  concurrency: number;
  memory: number;
  arch: Architecture;
  targetSeconds: number;
  maxCost?: number;
  functionTimeout: number;
}

export async function planCommand(flags: PlanFlags): Promise<void> {
  const spec = loadSpec(flags);
  const calibration = calibrate();
  const problem = timeoutProblem(spec, (t) => taskSeconds(t, calibration, flags.memory), flags.functionTimeout);
  if (problem) throw new UsageError(`${flags.spec !== undefined ? '--spec' : '--preset'}: ${problem}`);
  const s = planSummary(spec, { memoryMb: flags.memory, architecture: flags.arch, concurrency: flags.concurrency, targetSeconds: flags.targetSeconds }, calibration);
  const overBudget = flags.maxCost !== undefined && s.lambda.max.totalDollars > flags.maxCost;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...s, ...(flags.maxCost !== undefined ? { maxCost: flags.maxCost, overBudget } : {}) }, null, 2)}\n`);
    return;
  }
  const lines = planLines(s);
  if (overBudget) {
    const certain = s.lambda.min.totalDollars > (flags.maxCost ?? 0);
    lines.push(
      `warning: the Lambda estimate ${range(s.lambda, (c) => money(c.totalDollars))} ${certain ? 'passes' : 'may pass'} --max-cost ${money(flags.maxCost ?? 0)}: ` +
        '`run --max-cost` will stop there (resumable); raise it, or plan fewer cells',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
