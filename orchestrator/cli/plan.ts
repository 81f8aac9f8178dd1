/** `lambdastar plan`: what a sweep will run, before anything runs. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { calibrate } from '../cost/calibrate.js';
import type { Architecture, CostEstimate } from '../cost/cost-model.js';
import { estimateCost, taskSeconds } from '../cost/cost-model.js';
import { packForConcurrency } from '../plan/pack.js';
import { optionVariants, planTasks, predictedCost, sweepId, taskCount } from '../plan/planner.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { addLambdaOptions } from './cloud-flags.js';
import { positiveInt } from './options.js';
import { loadSpec } from './spec-input.js';

interface PlanSummary {
  sweepId: string;
  name: string | null;
  tasks: number;
  lambdasPerTask: number;
  axes: { n: number; seeds: number; initFactors: number; regs: number; optionVariants: number };
  /** Σ pattern-epochs × λ over all tasks: the work the trainer does. */
  patternEpochLambdas: number;
  longestTask: { n: number; relativeCost: number };
}

function planSummary(spec: CanonicalSpec): PlanSummary {
  let work = 0;
  let longest = { n: 0, relativeCost: 0 };
  for (const { task } of planTasks(spec)) {
    work += task.n * task.epochs * task.lambdas.length;
    const cost = predictedCost(task);
    if (cost > longest.relativeCost) longest = { n: task.n, relativeCost: cost };
  }
  return {
    sweepId: sweepId(spec),
    name: spec.name ?? null,
    tasks: taskCount(spec),
    lambdasPerTask: spec.lambdas.length,
    axes: {
      n: spec.n.length,
      seeds: spec.seeds.length,
      initFactors: spec.initFactors.length,
      regs: spec.regs.length,
      optionVariants: optionVariants(spec).length,
    },
    patternEpochLambdas: work,
    longestTask: longest,
  };
}

/** Packs the plan into invocations the way the Lambda executor will and prices them. */
function lambdaEstimate(
  spec: CanonicalSpec,
  opts: { memoryMb: number; architecture: Architecture; concurrency: number; targetSeconds: number },
): CostEstimate & { localSeconds: number } {
  const calibration = calibrate();
  const tasks = [...planTasks(spec)];
  const predict = (task: (typeof tasks)[number]['task']) => taskSeconds(task, calibration, opts.memoryMb);
  const batches = packForConcurrency(tasks, predict, opts.targetSeconds, opts.concurrency);
  const estimate = estimateCost(batches, calibration, opts);
  const localCompute = tasks.reduce((s, t) => s + predictedCost(t.task) * calibration.secondsPerCostUnit, 0);
  return { ...estimate, localSeconds: localCompute / availableParallelism() };
}

const money = (v: number) => `$${v < 0.01 ? v.toFixed(5) : v.toFixed(2)}`;
const duration = (s: number) => (s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`);

interface PlanFlags {
  preset?: string;
  spec?: string;
  json?: boolean;
  concurrency: number;
  memory: number;
  arch: Architecture;
  targetSeconds: number;
}

export function registerPlan(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show the tasks a sweep will run and what it will cost, without running anything')
    .option('--preset <name>', 'a named sweep: quick, thesis-fig1 … thesis-fig4, each also as …-ext')
    .option('--spec <file>', 'a sweep spec (JSON)')
    .option('--concurrency <n>', 'Lambda invocations at once, for the wall-time estimate', positiveInt('--concurrency'), 256)
    .option('--target-seconds <s>', 'pack tasks into invocations of about this many seconds', positiveInt('--target-seconds'), 60)
    .option('--json', 'print JSON');
  addLambdaOptions(cmd).action((flags: PlanFlags) => {
    const spec = loadSpec(flags);
    const s = planSummary(spec);
    const cost = lambdaEstimate(spec, {
      memoryMb: flags.memory,
      architecture: flags.arch,
      concurrency: flags.concurrency,
      targetSeconds: flags.targetSeconds,
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ ...s, cost }, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      [
        `sweep ${s.sweepId} (${s.name ?? 'custom spec'})`,
        `${s.tasks} tasks = ${s.axes.n} N × ${s.axes.seeds} seeds × ${s.axes.initFactors} init factors × ${s.axes.regs} regs × ${s.axes.optionVariants} option variants, ${s.lambdasPerTask} λ each`,
        `work: ${(s.patternEpochLambdas / 1e9).toFixed(3)} G pattern-epoch-λ (largest task N = ${s.longestTask.n})`,
        `local: about ${duration(cost.localSeconds)} on ${availableParallelism()} cores (from a calibration run of the trainer here)`,
        `lambda (${cost.memoryMb} MB, ${cost.architecture}, concurrency ${cost.concurrency}): ${cost.invocations} invocations, ` +
          `${duration(cost.computeSeconds)} compute = ${cost.gbSeconds.toFixed(0)} GB-s`,
        `  cost: compute ${money(cost.lambdaDollars)} + requests ${money(cost.requestDollars)} + S3 ${cost.s3Puts} PUT / ${cost.s3Gets} GET ${money(cost.s3Dollars)} = ${money(cost.totalDollars)}`,
        `  wall time ≈ ${duration(cost.wallSeconds)}`,
      ].join('\n') + '\n',
    );
  });
}
