/** `lambdastar plan`: what a sweep will train and cost, before anything runs. */
import { availableParallelism } from 'node:os';
import { calibrate } from '../cost/calibrate.js';
import type { Architecture, Calibration, CostEstimate } from '../cost/cost-model.js';
import { estimateCost, taskSeconds } from '../cost/cost-model.js';
import { packForConcurrency } from '../plan/pack.js';
import type { PlannedTask } from '../plan/planner.js';
import { taskCost } from '../../functions/trainer/work.js';
import { cellCount, checkPlanSize, optionVariants, sweepId } from '../plan/planner.js';
import { boundTasks, lambdasPerCell, workRange } from '../plan/work.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { UsageError } from '../errors.js';
import { timeoutProblem } from '../plan/fits-timeout.js';
import { duration, money, range } from './plan-format.js';
import type { Range } from './plan-format.js';
import { checkSpread, seedPlan, seedPlanLines } from './plan-seeds.js';
import { loadSpec } from './spec-input.js';

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
  /** A pilot sweep (id or name) in the store, and the slope CI half-width to plan seeds for. */
  pilot?: string;
  targetCi?: number;
  maxSeeds: number;
  store?: string;
  stackOutputs?: string;
  region?: string;
}

/** `spec` with `count` seeds: its first ones, then the next integers after its last. */
function withSeeds(spec: CanonicalSpec, count: number): CanonicalSpec {
  const seeds = spec.seeds.slice(0, count);
  for (let s = (spec.seeds.at(-1) ?? -1) + 1; seeds.length < count; s++) seeds.push(s);
  return { ...spec, seeds };
}

/** The pilot analysed and matched to the spec's groups, checked before anything is calibrated. */
async function pilotFor(flags: PlanFlags, spec: CanonicalSpec) {
  if (flags.pilot === undefined) {
    if (flags.targetCi === undefined) return undefined;
    throw new UsageError('--target-ci: needs a pilot sweep to learn the seeds\' spread from: add --pilot <sweep id or name> (this spec\'s groups with a few seeds, in --store)');
  }
  try {
    checkPlanSize(withSeeds(spec, flags.maxSeeds));
  } catch (err) {
    throw new UsageError(`--max-seeds: with ${flags.maxSeeds} seeds per N ${(err as Error).message.replace(/^spec: /, 'the spec has ')}; lower --max-seeds`, { cause: err });
  }
  const { loadPilot, matchGroups } = await import('./pilot.js');
  const analysis = await loadPilot({ ...flags, pilot: flags.pilot });
  const groups = matchGroups(spec, analysis);
  checkSpread(analysis, groups);
  return { analysis, groups };
}

export async function planCommand(flags: PlanFlags): Promise<void> {
  const spec = loadSpec(flags);
  const pilot = await pilotFor(flags, spec);
  const calibration = calibrate();
  const problem = timeoutProblem(spec, (t) => taskSeconds(t, calibration, flags.memory), flags.functionTimeout);
  if (problem) throw new UsageError(`${flags.spec !== undefined ? '--spec' : '--preset'}: ${problem}`);
  const opts = { memoryMb: flags.memory, architecture: flags.arch, concurrency: flags.concurrency, targetSeconds: flags.targetSeconds };
  const s = planSummary(spec, opts, calibration);
  const overBudget = flags.maxCost !== undefined && s.lambda.max.totalDollars > flags.maxCost;
  const seeds = pilot && seedPlan(spec, pilot.analysis, pilot.groups, { targetCi: flags.targetCi ?? null, maxSeeds: flags.maxSeeds },
    (count) => planSummary(withSeeds(spec, count), opts, calibration));
  if (flags.json) {
    const budget = flags.maxCost !== undefined ? { maxCost: flags.maxCost, overBudget } : {};
    process.stdout.write(`${JSON.stringify({ ...s, ...budget, ...(seeds ? { seedPlan: seeds } : {}) }, null, 2)}\n`);
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
  if (seeds) lines.push(...seedPlanLines(seeds, spec.n.length));
  process.stdout.write(`${lines.join('\n')}\n`);
}
