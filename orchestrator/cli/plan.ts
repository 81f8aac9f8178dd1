/** `lambdastar plan`: what a sweep will run, before anything runs. */
import type { Command } from 'commander';
import { optionVariants, planTasks, predictedCost, sweepId, taskCount } from '../plan/planner.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { loadSpec } from './spec-input.js';

export interface PlanSummary {
  sweepId: string;
  name: string | null;
  tasks: number;
  lambdasPerTask: number;
  axes: { n: number; seeds: number; initFactors: number; regs: number; optionVariants: number };
  /** Σ pattern-epochs × λ over all tasks: the work the trainer does. */
  patternEpochLambdas: number;
  longestTask: { n: number; relativeCost: number };
}

export function planSummary(spec: CanonicalSpec): PlanSummary {
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

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show the tasks a sweep will run, without running anything')
    .option('--preset <name>', 'a named sweep: quick, thesis-fig1 … thesis-fig4, each also as …-ext')
    .option('--spec <file>', 'a sweep spec (JSON)')
    .option('--json', 'print JSON')
    .action((flags: { preset?: string; spec?: string; json?: boolean }) => {
      const spec = loadSpec(flags);
      const s = planSummary(spec);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          `sweep ${s.sweepId} (${s.name ?? 'custom spec'})`,
          `${s.tasks} tasks = ${s.axes.n} N × ${s.axes.seeds} seeds × ${s.axes.initFactors} init factors × ${s.axes.regs} regs × ${s.axes.optionVariants} option variants, ${s.lambdasPerTask} λ each`,
          `work: ${(s.patternEpochLambdas / 1e9).toFixed(3)} G pattern-epoch-λ (largest task N = ${s.longestTask.n})`,
        ].join('\n') + '\n',
      );
    });
}
