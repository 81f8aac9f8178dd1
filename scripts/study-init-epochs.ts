/**
 * `npm run study:init-epochs [-- --store <dir|s3://…>] [--region <r>] [--out <dir>]`: the init-epochs
 * study (orchestrator/study/) on the local cores, resumably, into ./runs (or $STUDY_STORE), then
 * writes docs/studies/init-epochs/. Run it again to resume; once every point is stored it trains
 * nothing and rewrites the folder byte for byte.
 */
import { availableParallelism } from 'node:os';
import { Command, CommanderError } from 'commander';
import { defaultEngine } from '../functions/trainer/engines.js';
import { reportFailure } from '../orchestrator/cli/fail.js';
import { watchInterrupts } from '../orchestrator/cli/interrupt.js';
import { checkKernelSetting } from '../orchestrator/cli/kernel-check.js';
import { openStoreFromFlags } from '../orchestrator/cli/open-store-from-flags.js';
import { checkOutFolder } from '../orchestrator/cli/out-folder.js';
import { EXIT } from '../orchestrator/errors.js';
import { WorkerPoolExecutor } from '../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../orchestrator/paths.js';
import { INIT_EPOCHS } from '../orchestrator/study/init-epochs.js';
import { runStudy, StudyIncompleteError } from '../orchestrator/study/run-study.js';
import type { RunRecord } from '../orchestrator/study/study-doc.js';
import { checkStudyFolder, readRuns, recordRun, writeStudy } from '../orchestrator/study/write-study.js';

const PROG = 'study:init-epochs';
const command = new Command(PROG)
  .option('--store <dir|s3://bucket/prefix>', 'where the points are kept', process.env.STUDY_STORE ?? 'runs')
  .option('--region <region>', 'AWS region of an s3:// store (default: the standard chain, AWS_REGION)')
  .option('--out <dir>', 'the folder the study writes (replaced whole)', 'docs/studies/init-epochs')
  .configureOutput({ outputError: (message, write) => write(`${message.trim().replace(/^error: /, `${PROG}: `).replace(/\s*\n\s*/g, ' ')}\n`) })
  .exitOverride();

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const flags = command.parse().opts<{ store: string; region?: string; out: string }>();
  // Everything that can be refused is refused before anything trains.
  await checkKernelSetting(process.env);
  await checkOutFolder(flags.out);
  await checkStudyFolder(flags.out);
  const runs = await readRuns(flags.out);
  const store = await openStoreFromFlags({ store: flags.store, region: flags.region });
  await store.checkWritable();
  const interrupt = watchInterrupts(process.stderr);
  const executor = new WorkerPoolExecutor({ workerUrl: poolWorkerUrl() });
  const started = new Date();
  let trained = 0;
  const record = (stopped: boolean): RunRecord => ({
    started: started.toISOString(), wallSeconds: Math.round((Date.now() - started.getTime()) / 1000), pointsTrained: trained,
    cores: executor.concurrency, kernel: defaultEngine().kernel, ...(stopped && { stopped }),
  });
  try {
    log(`${INIT_EPOCHS.name}: store ${store.location}; resumable (stored points are never trained again)`);
    let outcome;
    try {
      outcome = await runStudy(INIT_EPOCHS, { store, executor, log, signal: interrupt.signal, onSweep: (s) => (trained += s.pointsTrained) });
    } catch (err) {
      // The wall time of a run that stops counts too: the study's total is every run's.
      if (trained > 0) await recordRun(flags.out, [...runs, record(true)]);
      const stopped = interrupt.exitCode();
      if (stopped !== undefined) {
        process.stderr.write(`${PROG}: stopped; run it again to resume (${trained} points stored by this run)\n`);
        return stopped;
      }
      if (err instanceof StudyIncompleteError) {
        process.stderr.write(`${PROG}: ${err.message}\n`);
        return EXIT.tasksFailed;
      }
      throw err;
    }
    const all = trained > 0 ? [...runs, record(false)] : runs;
    await writeStudy(INIT_EPOCHS, outcome, all, flags.out);
    log(`wrote ${flags.out} (${trained} points trained in ${record(false).wallSeconds} s on ${availableParallelism()} cores)`);
    return interrupt.exitCode() ?? EXIT.ok;
  } finally {
    interrupt.dispose();
    await executor.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  process.exitCode = err instanceof CommanderError ? (err.exitCode === 0 ? EXIT.ok : EXIT.badInput) : reportFailure(err, PROG);
}
