/** `lambdastar run`: plan, execute (resuming), then write and summarize the report. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { calibrate } from '../cost/calibrate.js';
import { estimateCost, lambdaDollars } from '../cost/cost-model.js';
import type { CostEstimate } from '../cost/cost-model.js';
import type { Executor } from '../executors/executor.js';
import { LambdaExecutor } from '../executors/lambda-executor.js';
import { openExecutor } from '../executors/open-executor.js';
import { planTasks, sweepId } from '../plan/planner.js';
import { summaryLines } from '../report/text-summary.js';
import { writeReport } from '../report/write-report.js';
import { progressFor } from '../sweep/progress.js';
import { runSweep } from '../sweep/run-sweep.js';
import type { CloudFlags } from './cloud-flags.js';
import { addLambdaOptions, addStoreOptions, functionName, openStoreFromFlags, regionOf, storeLocation } from './cloud-flags.js';
import { positiveInt } from './options.js';
import { defaultReportDir } from './report-dir.js';
import { loadSpec } from './spec-input.js';

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

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a sweep (resuming: only tasks without a stored result run), then write its report')
    .option('--preset <name>', 'a named sweep: quick, thesis-fig1 … thesis-fig4, each also as …-ext')
    .option('--spec <file>', 'a sweep spec (JSON)')
    .addOption(new Option('--backend <name>', 'where tasks run').choices(['local', 'lambda']).default('local'))
    .option('--concurrency <n>', 'tasks (local; default: the cores) or invocations (lambda; default 256) at once', positiveInt('--concurrency'))
    .option('--max-attempts <n>', 'attempts per task before it is recorded as failed (default 2 local, 3 lambda)', positiveInt('--max-attempts'))
    .option('--target-seconds <s>', 'lambda: pack tasks into invocations of about this many seconds', positiveInt('--target-seconds'), 60)
    .option('--invocation-timeout <s>', 'lambda: give up on an invocation after this many seconds', positiveInt('--invocation-timeout'), 960)
    .option('--out <dir>', 'report folder (default: <store>/<sweep id>/report, or ./lambdastar-reports/<sweep id> for S3)')
    .option('--no-report', 'skip writing the report')
    .option('--no-progress', 'no progress bar or lines')
    .option('--json', 'print a JSON summary instead of text');
  addLambdaOptions(addStoreOptions(cmd)).action(async (flags: RunFlags) => {
    const spec = loadSpec(flags);
    const id = sweepId(spec);
    const lambda = flags.backend === 'lambda';
    const store = openStoreFromFlags(flags, lambda ? 128 : 64);
    const location = storeLocation(flags);
    let estimate: CostEstimate | undefined;
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
          target: store.remoteTarget(id),
          targetSeconds: flags.targetSeconds,
          invocationTimeoutMs: flags.invocationTimeout * 1000,
        },
      });
      estimate = estimateCost(executor.batches([...planTasks(spec)]), calibration, {
        memoryMb: flags.memory,
        architecture: flags.arch,
        concurrency: executor.concurrency,
      });
    } else {
      executor = openExecutor({ backend: flags.backend, concurrency: flags.concurrency });
    }
    const abort = new AbortController();
    const onSigint = () => {
      process.stderr.write('\nstopping: no new tasks start; those running finish and are stored (run again to resume)\n');
      abort.abort();
    };
    process.once('SIGINT', onSigint);
    if (!flags.json) process.stdout.write(`sweep ${id} (${spec.name ?? 'custom spec'}) → ${location}\n`);
    let summary;
    try {
      summary = await runSweep({
        spec,
        store,
        executor,
        maxAttempts: flags.maxAttempts ?? (lambda ? 3 : 2),
        signal: abort.signal,
        progress: progressFor(process.stderr, flags.progress && !flags.json),
      });
    } finally {
      process.off('SIGINT', onSigint);
      await executor.close();
    }
    const lines = [
      `${summary.total} tasks: ${summary.alreadyDone} already done, ${summary.completed} run now, ${summary.failed.length} failed` +
        ` (${(summary.wallMs / 1000).toFixed(1)} s)`,
    ];
    for (const f of summary.failed.slice(0, 10)) lines.push(`failed ${f.taskId} after ${f.attempts} attempt(s): ${f.message}`);
    let usage;
    if (executor instanceof LambdaExecutor && estimate) {
      const u = executor.usage;
      const billedGbS = (u.billedMs / 1000) * (flags.memory / 1024);
      usage = { ...u, billedGbSeconds: billedGbS, billedDollars: lambdaDollars(billedGbS, flags.arch) + u.invocations * 2e-7, estimate };
      lines.push(
        `lambda: ${u.invocations} invocations (${u.hedges} hedged), billed ${(u.billedMs / 1000).toFixed(1)} s = ${billedGbS.toFixed(1)} GB-s ≈ $${usage.billedDollars.toFixed(4)}` +
          ` (predicted for the whole sweep: ${estimate.computeSeconds.toFixed(1)} s ≈ $${(estimate.lambdaDollars + estimate.requestDollars).toFixed(4)})`,
      );
      if (u.unbilled > 0) lines.push(`lambda: ${u.unbilled} invocation(s) reported no billed duration`);
    }
    let reportDir: string | undefined;
    let analysis;
    if (flags.report && !summary.aborted) {
      reportDir = flags.out ?? defaultReportDir(location, summary.sweepId);
      ({ analysis } = await writeReport(store, summary.sweepId, reportDir));
      lines.push(...summaryLines(analysis), `report: ${reportDir}/report.html`);
    }
    if (flags.json) {
      const groups = analysis?.groups.map(({ curves: _c, ...g }) => g);
      process.stdout.write(`${JSON.stringify({ ...summary, reportDir, usage, groups }, null, 2)}\n`);
    } else process.stdout.write(`${lines.join('\n')}\n`);
    if (summary.failed.length > 0 || summary.aborted) process.exitCode = 1;
  });
}
