/** `lambdastar run`: train the sweep's missing points (resuming), then write and summarize the report. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { defaultReportFolder } from '../../functions/keys.js';
import { calibrate } from '../cost/calibrate.js';
import type { Architecture, Calibration } from '../cost/cost-model.js';
import { estimateCost, lambdaDollars } from '../cost/cost-model.js';
import { EXIT, UsageError } from '../errors.js';
import type { Executor } from '../executors/executor.js';
import { openExecutor } from '../executors/open-executor.js';
import type { PlannedTask } from '../plan/planner.js';
import { sweepId } from '../plan/planner.js';
import { summaryLines } from '../report/text-summary.js';
import { writeReport } from '../report/write-report.js';
import { progressFor } from '../sweep/progress.js';
import type { RoundInfo, SweepSummary } from '../sweep/run-sweep.js';
import { runSweep } from '../sweep/run-sweep.js';
import type { CloudFlags } from './cloud-flags.js';
import { addLambdaOptions, addStoreOptions, functionName, openStoreFromFlags, regionOf, storeLocation } from './cloud-flags.js';
import { watchInterrupts } from './interrupt.js';
import { checkOutFolder } from './out-folder.js';
import { positiveInt } from './options.js';
import { loadSpec, PRESET_HELP } from './spec-input.js';

interface RunFlags extends CloudFlags {
  preset?: string;
  spec?: string;
  backend: string;
  concurrency?: number;
  maxAttempts?: number;
  targetSeconds: number;
  invocationTimeout: number;
  out?: string;
  report: boolean;
  progress: boolean;
  json?: boolean;
}

/** Prices each round's tasks as the Lambda executor packs them, before they run. */
class RoundPricer {
  predictedSeconds = 0;
  predictedDollars = 0;

  constructor(
    private readonly executor: Executor,
    private readonly calibration: Calibration,
    private readonly opts: { memoryMb: number; architecture: Architecture },
  ) {}

  price(info: RoundInfo, tasks: PlannedTask[]): string {
    const e = estimateCost(this.executor.batches(tasks), this.calibration, { ...this.opts, concurrency: this.executor.concurrency });
    this.predictedSeconds += e.computeSeconds;
    this.predictedDollars += e.lambdaDollars + e.requestDollars;
    return `round ${info.round}: ${info.tasks} tasks (${info.points} points) in ${e.invocations} invocations, predicted ${e.computeSeconds.toFixed(1)} s ≈ $${(e.lambdaDollars + e.requestDollars).toFixed(4)}`;
  }
}

/** What Lambda billed, from the invocation logs, next to the prediction for the same tasks. */
function billedUsage(executor: Executor, pricer: RoundPricer, flags: Pick<RunFlags, 'memory' | 'arch'>) {
  const u = executor.usage?.();
  if (!u) return undefined;
  const billedGbSeconds = (u.billedMs / 1000) * (flags.memory / 1024);
  const usage = { ...u, billedGbSeconds, billedDollars: lambdaDollars(billedGbSeconds, flags.arch) + u.invocations * 2e-7, predictedDollars: pricer.predictedDollars };
  const lines = [
    `lambda: ${u.invocations} invocations (${u.hedges} hedged), billed ${(u.billedMs / 1000).toFixed(1)} s = ${billedGbSeconds.toFixed(1)} GB-s ≈ $${usage.billedDollars.toFixed(4)}` +
      ` (predicted for the same tasks: ${pricer.predictedSeconds.toFixed(1)} s ≈ $${pricer.predictedDollars.toFixed(4)})`,
  ];
  if (u.unbilled > 0) lines.push(`lambda: ${u.unbilled} invocation(s) reported no billed duration`);
  return { usage, lines };
}

/** The run in one line; a stopped or partly failed run says how many cells are done, so its points read as "so far". */
export function summaryLine(s: SweepSummary): string {
  const scope = s.cellsDone < s.cells ? `${s.cellsDone} of ${s.cells} cells done · ${s.points} points so far` : `${s.cells} cells · ${s.points} points`;
  return (
    `${scope}: ${s.pointsReused} reused, ${s.pointsTrained} trained now · ${s.tasksRun} tasks in ${s.rounds} round(s)` +
    ` · ${s.failed.length} failed (${(s.wallMs / 1000).toFixed(1)} s)`
  );
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a sweep: train the points not yet stored (adaptive searches round by round), then write its report')
    .option('--preset <name>', PRESET_HELP)
    .option('--spec <file>', 'a sweep spec (JSON)')
    .addOption(new Option('--backend <name>', 'where tasks run').choices(['local', 'lambda']).default('local'))
    .option('--concurrency <n>', 'tasks (local; default: the cores) or invocations (lambda; default 256) at once', positiveInt('--concurrency'))
    .option('--max-attempts <n>', 'attempts per task before it is recorded as failed (default 2 local, 3 lambda)', positiveInt('--max-attempts'))
    .option('--target-seconds <s>', 'lambda: pack tasks into invocations of about this many seconds', positiveInt('--target-seconds'), 60)
    .option('--invocation-timeout <s>', 'lambda: give up on an invocation after this many seconds', positiveInt('--invocation-timeout'), 960)
    .option('--out <dir>', 'report folder (default: <store>/sweeps/<sweep id>/report, or ./lambdastar-reports/<sweep id> for S3)')
    .option('--no-report', 'skip writing the report')
    .option('--no-progress', 'no progress bar or lines')
    .option('--json', 'print a JSON summary instead of text');
  addLambdaOptions(addStoreOptions(cmd)).action(async (flags: RunFlags) => {
    const spec = loadSpec(flags);
    const lambda = flags.backend === 'lambda';
    const store = openStoreFromFlags(flags, lambda ? 128 : 64);
    const location = storeLocation(flags);
    let pricer: RoundPricer | undefined;
    let executor: Executor;
    if (lambda) {
      const calibration = calibrate();
      executor = openExecutor({
        backend: 'lambda',
        concurrency: flags.concurrency,
        lambda: {
          functionName: functionName(flags),
          region: regionOf(flags),
          memoryMb: flags.memory,
          calibration,
          target: store.remoteTarget(),
          targetSeconds: flags.targetSeconds,
          invocationTimeoutMs: flags.invocationTimeout * 1000,
        },
      });
      pricer = new RoundPricer(executor, calibration, { memoryMb: flags.memory, architecture: flags.arch });
    } else {
      if (flags.function !== undefined) throw new UsageError('--function: only with --backend lambda; add --backend lambda, or drop --function');
      executor = openExecutor({ backend: flags.backend, concurrency: flags.concurrency });
    }
    const reportDir = flags.report ? (flags.out ?? defaultReportFolder(location, sweepId(spec))) : undefined;
    // Everything the run will write is checked before anything is: the store and the report folder.
    await store.checkWritable();
    if (reportDir !== undefined) await checkOutFolder(reportDir);
    // Watched until the command ends: a second Ctrl-C while the report is written ends at once too.
    const interrupt = watchInterrupts(process.stderr);
    try {
      const progress = progressFor(process.stderr, flags.progress && !flags.json);
      if (!flags.json) process.stdout.write(`sweep ${sweepId(spec)} (${spec.name ?? 'custom spec'}) → ${location}\n`);
      let summary: SweepSummary;
      try {
        summary = await runSweep({
          spec,
          store,
          executor,
          maxAttempts: flags.maxAttempts ?? (lambda ? 3 : 2),
          signal: interrupt.signal,
          progress,
          onRound: pricer && ((info, tasks) => {
            const line = pricer.price(info, tasks);
            if (!flags.json) process.stderr.write(`${line}\n`);
          }),
        });
      } finally {
        await executor.close();
      }
      const lines = [summaryLine(summary)];
      for (const f of summary.failed.slice(0, 10)) lines.push(`failed ${f.taskId} (cell ${f.cellId}, ${f.lambdas.length} λ) after ${f.attempts} attempt(s): ${f.message}`);
      const billed = pricer && billedUsage(executor, pricer, flags);
      if (billed) lines.push(...billed.lines);
      let analysis;
      if (reportDir !== undefined) {
        ({ analysis } = await writeReport(store, summary.sweepId, reportDir, { partial: summary.aborted }));
        lines.push(...summaryLines(analysis), `report: ${reportDir}/report.html`);
      }
      if (summary.aborted) lines.push('interrupted: run the same command again to resume');
      if (flags.json) {
        const groups = analysis?.groups.map(({ curves: _c, ...g }) => g);
        process.stdout.write(`${JSON.stringify({ ...summary, reportDir, usage: billed?.usage, groups }, null, 2)}\n`);
      } else process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = interrupt.exitCode() ?? (summary.failed.length > 0 ? EXIT.tasksFailed : EXIT.ok);
    } finally {
      interrupt.dispose();
    }
  });
}
