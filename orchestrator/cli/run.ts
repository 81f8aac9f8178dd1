/** `lambdastar run`: plan, execute (resuming), then write and summarize the report. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { openExecutor } from '../executors/open-executor.js';
import { sweepId } from '../plan/planner.js';
import { summaryLines } from '../report/text-summary.js';
import { writeReport } from '../report/write-report.js';
import { progressFor } from '../sweep/progress.js';
import { runSweep } from '../sweep/run-sweep.js';
import { DEFAULT_STORE, positiveInt } from './options.js';
import { defaultReportDir, openStoreFromFlags } from './store-flags.js';
import { loadSpec } from './spec-input.js';

interface RunFlags {
  preset?: string;
  spec?: string;
  store: string;
  backend: string;
  concurrency?: number;
  maxAttempts: number;
  out?: string;
  report: boolean;
  progress: boolean;
  json?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a sweep (resuming: only tasks without a stored result run), then write its report')
    .option('--preset <name>', 'a named sweep: quick, thesis-fig1 … thesis-fig4, each also as …-ext')
    .option('--spec <file>', 'a sweep spec (JSON)')
    .option('--store <dir|s3://bucket/prefix>', 'where results are kept', DEFAULT_STORE)
    .addOption(new Option('--backend <name>', 'where tasks run').choices(['local', 'lambda']).default('local'))
    .option('--concurrency <n>', 'tasks (local) or invocations (lambda) at once; default: the cores', positiveInt('--concurrency'))
    .option('--max-attempts <n>', 'attempts per task before it is recorded as failed', positiveInt('--max-attempts'), 2)
    .option('--out <dir>', 'report folder (default: <store>/<sweep id>/report)')
    .option('--no-report', 'skip writing the report')
    .option('--no-progress', 'no progress bar or lines')
    .option('--json', 'print a JSON summary instead of text')
    .action(async (flags: RunFlags) => {
      const spec = loadSpec(flags);
      const store = openStoreFromFlags(flags.store);
      const executor = openExecutor({ backend: flags.backend, concurrency: flags.concurrency });
      const abort = new AbortController();
      const onSigint = () => {
        process.stderr.write('\nstopping: no new tasks start; those running finish and are stored (run again to resume)\n');
        abort.abort();
      };
      process.once('SIGINT', onSigint);
      const id = sweepId(spec);
      if (!flags.json) process.stdout.write(`sweep ${id} (${spec.name ?? 'custom spec'}) → ${store.location}\n`);
      let summary;
      try {
        summary = await runSweep({
          spec,
          store,
          executor,
          maxAttempts: flags.maxAttempts,
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
      let reportDir: string | undefined;
      let analysis;
      if (flags.report && !summary.aborted) {
        reportDir = flags.out ?? defaultReportDir(flags.store, summary.sweepId);
        ({ analysis } = await writeReport(store, summary.sweepId, reportDir));
        lines.push(...summaryLines(analysis), `report: ${reportDir}/report.html`);
      }
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...summary, reportDir, groups: analysis?.groups.map(({ curves: _c, ...g }) => g) }, null, 2)}\n`);
      else process.stdout.write(`${lines.join('\n')}\n`);
      if (summary.failed.length > 0 || summary.aborted) process.exitCode = 1;
    });
}
