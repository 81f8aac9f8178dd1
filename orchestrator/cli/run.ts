/** `lambdastar run`: train the sweep's missing points (resuming), then write and summarize the report. */
import { defaultReportFolder, reportFiles } from '../../functions/keys.js';
import { makeLambdaClient } from '../aws/clients.js';
import { readFunctionFacts } from '../aws/function-limits.js';
import { Budget } from '../cost/budget.js';
import { calibrate } from '../cost/calibrate.js';
import type { Architecture, Calibration } from '../cost/cost-model.js';
import { estimateCost, lambdaDollars, PRICES, taskSeconds } from '../cost/cost-model.js';
import { EXIT, UsageError } from '../errors.js';
import type { Executor } from '../executors/executor.js';
import { FAILURE_KINDS } from '../executors/executor.js';
import { openExecutor } from '../executors/open-executor.js';
import { timeoutProblem } from '../plan/fits-timeout.js';
import type { PlannedTask } from '../plan/planner.js';
import { sweepId } from '../plan/planner.js';
import { failureClasses } from '../report/html.js';
import { LiveReport } from '../report/live-report.js';
import { summaryLines } from '../report/text-summary.js';
import { writeReport } from '../report/write-report.js';
import { progressFor, teeProgress } from '../sweep/progress.js';
import type { RoundInfo, SweepSummary } from '../sweep/run-sweep.js';
import { runSweep } from '../sweep/run-sweep.js';
import { realClock } from '../time/clock.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';
import { functionName, regionOf, storeLocation } from './cloud-flags.js';
import { watchInterrupts } from './interrupt.js';
import { checkOutFolder } from './out-folder.js';
import { loadSpec } from './spec-input.js';

export interface RunFlags extends CloudFlags {
  preset?: string;
  spec?: string;
  backend: string;
  concurrency?: number;
  maxAttempts?: number;
  targetSeconds: number;
  invocationTimeout: number;
  out?: string;
  report: boolean;
  reportEvery: number;
  png?: boolean;
  progress: boolean;
  json?: boolean;
  maxCost?: number;
}

/** Lambda's own limit on a function's timeout, assumed when the function's configuration cannot be read. */
const LAMBDA_MAX_TIMEOUT_S = 900;
/** An invocation is abandoned only this long after the function itself must have ended. */
const INVOCATION_MARGIN_S = 60;

/** Prices each round's tasks as the Lambda executor packs them, before they run. */
class RoundPricer {
  constructor(
    private readonly executor: Executor,
    private readonly calibration: Calibration,
    private readonly opts: { memoryMb: number; architecture: Architecture },
  ) {}

  /** The Lambda part of the estimate (compute and requests) for these tasks, as the executor packs them. */
  estimate(tasks: PlannedTask[]) {
    const e = estimateCost(this.executor.batches(tasks), this.calibration, { ...this.opts, concurrency: this.executor.concurrency });
    return { ...e, dollars: e.lambdaDollars + e.requestDollars };
  }

  price(info: RoundInfo, tasks: PlannedTask[]): string {
    const e = this.estimate(tasks);
    return `round ${info.round}: ${info.tasks} tasks (${info.points} points) in ${e.invocations} invocations, predicted ${e.computeSeconds.toFixed(1)} s ≈ $${e.dollars.toFixed(4)}`;
  }
}

/**
 * What Lambda billed (from the log tails, plus estimates where none came back) next to the
 * prediction for the same work: the batches that completed in this run.
 */
function billedUsage(executor: Executor, fn: { memoryMb: number; architecture: Architecture }) {
  const u = executor.usage?.();
  if (!u) return undefined;
  const gbs = (ms: number) => (ms / 1000) * (fn.memoryMb / 1024);
  const billedGbSeconds = gbs(u.billedMs + u.estimatedMs);
  const billedDollars = lambdaDollars(billedGbSeconds, fn.architecture) + u.invocations * PRICES.request;
  const predictedDollars = lambdaDollars(gbs(u.predictedMs), fn.architecture);
  const usage = { ...u, billedGbSeconds, billedDollars, predictedDollars };
  const estimated = u.unbilled > 0 ? `, of which ${(u.estimatedMs / 1000).toFixed(1)} s estimated for ${u.unbilled} invocation(s) whose log never came back` : '';
  const lines = [
    `lambda: ${u.invocations} invocations (${u.hedges} hedged, ${u.throttles} throttled and re-sent), billed ${((u.billedMs + u.estimatedMs) / 1000).toFixed(1)} s` +
      ` = ${billedGbSeconds.toFixed(1)} GB-s ≈ $${billedDollars.toFixed(4)}${estimated}` +
      ` (predicted for the batches that ran: ${(u.predictedMs / 1000).toFixed(1)} s ≈ $${predictedDollars.toFixed(4)} plus requests)`,
  ];
  const failures = FAILURE_KINDS.filter((k) => k !== 'stopped' && u.failures[k] > 0).map((k) => `${u.failures[k]} ${k}`);
  if (failures.length > 0) lines.push(`lambda: failed invocations by class: ${failures.join(', ')} (batches are split, crashes and network errors retried)`);
  return { usage, lines };
}

/**
 * The run in one line: a stopped run says how many cells are done, so its points read as "so far";
 * a finished one with failed tasks says which cells those left undone.
 */
export function summaryLine(s: SweepSummary): string {
  const scope = s.cellsDone === s.cells
    ? `${s.cells} cells · ${s.points} points`
    : s.aborted
      ? `${s.cellsDone} of ${s.cells} cells done · ${s.points} points so far`
      : `${s.cellsDone} of ${s.cells} cells done, the rest held up by failed tasks · ${s.points} points`;
  return (
    `${scope}: ${s.pointsReused} reused, ${s.pointsTrained} trained now · ${s.tasksRun} tasks in ${s.rounds} round(s)` +
    ` · ${s.failed.length} failed (${(s.wallMs / 1000).toFixed(1)} s)`
  );
}

export async function runCommand(flags: RunFlags): Promise<void> {
  const spec = loadSpec(flags);
  const lambda = flags.backend === 'lambda';
  const store = await openStoreFromFlags(flags, lambda ? 128 : 64);
  const location = storeLocation(flags);
  let pricer: RoundPricer | undefined;
  let executor: Executor;
  let fn = { memoryMb: flags.memory, architecture: flags.arch };
  const budgetStop = new AbortController();
  let budget: Budget | undefined;
  if (lambda) {
    const calibration = calibrate();
    const name = functionName(flags);
    const region = regionOf(flags);
    // Read-only: what the account and the function allow, before anything is written.
    const facts = await readFunctionFacts(makeLambdaClient({ region, maxAttempts: 3 }), name, flags.concurrency ?? 256);
    for (const line of facts.lines) process.stderr.write(`${line}\n`);
    fn = { memoryMb: facts.memoryMb ?? flags.memory, architecture: facts.architecture ?? flags.arch };
    const problem = timeoutProblem(spec, (t) => taskSeconds(t, calibration, fn.memoryMb), facts.timeoutSeconds ?? LAMBDA_MAX_TIMEOUT_S);
    if (problem) throw new UsageError(`${flags.spec !== undefined ? '--spec' : '--preset'}: ${problem}`);
    if (flags.maxCost !== undefined) budget = new Budget(flags.maxCost, () => budgetStop.abort());
    // Waiting less than the function may run would abandon invocations that are only slow.
    const fnTimeout = facts.timeoutSeconds ?? LAMBDA_MAX_TIMEOUT_S;
    let invocationTimeout = flags.invocationTimeout;
    if (invocationTimeout < fnTimeout + INVOCATION_MARGIN_S) {
      invocationTimeout = fnTimeout + INVOCATION_MARGIN_S;
      process.stderr.write(`lambda: --invocation-timeout raised to ${invocationTimeout} s: the function may run ${fnTimeout} s\n`);
    }
    executor = openExecutor({
      backend: 'lambda',
      concurrency: facts.concurrency,
      lambda: {
        functionName: name,
        region,
        ...fn,
        timeoutSeconds: facts.timeoutSeconds,
        calibration,
        budget,
        target: store.remoteTarget(),
        targetSeconds: flags.targetSeconds,
        invocationTimeoutMs: invocationTimeout * 1000,
      },
    });
    pricer = new RoundPricer(executor, calibration, fn);
  } else {
    if (flags.function !== undefined) throw new UsageError('--function: only with --backend lambda; add --backend lambda, or drop --function');
    if (flags.maxCost !== undefined) throw new UsageError('--max-cost: only with --backend lambda (a local run costs nothing); drop --max-cost');
    executor = openExecutor({ backend: flags.backend, concurrency: flags.concurrency });
  }
  const reportDir = flags.report ? (flags.out ?? defaultReportFolder(location, sweepId(spec))) : undefined;
  // Everything the run will write is checked before anything is: the store and the report folder.
  await store.checkWritable();
  if (reportDir !== undefined) await checkOutFolder(reportDir);
  // Watched until the command ends: a second Ctrl-C while the report is written ends at once too.
  const interrupt = watchInterrupts(process.stderr);
  try {
    const progress = progressFor(process.stderr, flags.progress && !flags.json, undefined, executor.pace && (() => executor.pace?.()));
    // The report rewritten while the run goes on (marked partial), with the cost so far on Lambda.
    const live = reportDir === undefined ? undefined : new LiveReport({
      clock: realClock,
      everyMs: flags.reportEvery * 1000,
      dollars: pricer && (() => billedUsage(executor, fn)?.usage.billedDollars),
      write: async (status) => {
        await writeReport(store, sweepId(spec), reportDir, { live: status, partial: true });
      },
      onError: (err) => process.stderr.write(
        `report: could not rewrite it while running (${err instanceof Error ? err.message : String(err)}); the run goes on, and the report is written at its end\n`,
      ),
    });
    let left: string | undefined;
    if (!flags.json) {
      process.stdout.write(`sweep ${sweepId(spec)} (${spec.name ?? 'custom spec'}) → ${location}\n`);
      if (reportDir !== undefined) process.stdout.write(`report (rewritten as the run goes on): ${reportFiles(reportDir).html}\n`);
    }
    let summary: SweepSummary;
    let crashed = false;
    try {
      summary = await runSweep({
        spec,
        store,
        executor,
        maxAttempts: flags.maxAttempts ?? (lambda ? 3 : 2),
        signal: AbortSignal.any([interrupt.signal, budgetStop.signal]),
        progress: teeProgress(progress, live),
        onStopped: pricer && ((unfinished) => {
          if (!budget?.reached) return;
          const e = pricer.estimate(unfinished);
          const points = unfinished.reduce((n, t) => n + t.task.lambdas.length, 0);
          left = `${unfinished.length} tasks (${points} points) of this round, predicted ≈ $${e.dollars.toFixed(4)}`;
        }),
        onRound: pricer && ((info, tasks) => {
          const line = pricer.price(info, tasks);
          if (!flags.json) process.stderr.write(`${line}\n`);
        }),
      });
    } catch (err) {
      crashed = true;
      throw err;
    } finally {
      // A live write still in progress must not land after the final report.
      await live?.close();
      await executor.close();
      // The last live page must not say "running" (and reload) forever; the run's own error is what is reported.
      if (crashed && live && reportDir !== undefined) await writeReport(store, sweepId(spec), reportDir, { partial: true }).catch(() => undefined);
    }
    const lines = [summaryLine(summary)];
    if (summary.failed.length > 0) lines.push(failureClasses(summary.failed));
    for (const f of summary.failed.slice(0, 10)) lines.push(`failed ${f.taskId} (cell ${f.cellId}, ${f.lambdas.length} λ) after ${f.attempts} attempt(s): ${f.message}`);
    const billed = pricer && billedUsage(executor, fn);
    if (billed) lines.push(...billed.lines);
    if (budget?.reached) {
      const more = summary.cellsNotStarted > 0 ? `, and ${summary.cellsNotStarted} cells not started` : '';
      const rounds = spec.search ? '; the adaptive search may need more rounds after it' : '';
      lines.push(`budget: --max-cost $${budget.maxDollars} reached ($${budget.spent.toFixed(4)} spent); left to do: ${left ?? 'nothing of this round'}${more}${rounds}`);
    }
    let analysis;
    if (reportDir !== undefined) {
      ({ analysis } = await writeReport(store, summary.sweepId, reportDir, { partial: summary.aborted, png: flags.png }));
      lines.push(...summaryLines(analysis), `report: ${reportDir}/report.html`);
    }
    if (summary.aborted) {
      lines.push(budget?.reached ? 'stopped: run the same command again, with a higher --max-cost, to resume' : 'interrupted: run the same command again to resume');
    }
    if (flags.json) {
      const groups = analysis?.groups.map(({ curves: _c, ...g }) => g);
      process.stdout.write(`${JSON.stringify({ ...summary, reportDir, usage: billed?.usage, groups }, null, 2)}\n`);
    } else process.stdout.write(`${lines.join('\n')}\n`);
    // A run the budget stopped ends as a Ctrl-C'd one does: resumable, exit 130.
    const stopped = interrupt.exitCode() ?? (budget?.reached ? EXIT.interrupted : undefined);
    process.exitCode = stopped ?? (summary.failed.length > 0 ? EXIT.tasksFailed : EXIT.ok);
  } finally {
    interrupt.dispose();
  }
}
