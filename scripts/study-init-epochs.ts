/**
 * `npm run study:init-epochs [-- --store <dir|s3://…>] [--out <dir>]`: the init-epochs study
 * (orchestrator/study/) on the local cores, resumably, into ./runs (or $STUDY_STORE), then writes
 * docs/studies/init-epochs/. Run it again to resume; once every point is stored it trains nothing
 * and rewrites the folder byte for byte.
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { defaultEngine } from '../functions/trainer/engines.js';
import { checkKernelSetting } from '../orchestrator/cli/kernel-check.js';
import { openStoreFromFlags } from '../orchestrator/cli/open-store-from-flags.js';
import { watchInterrupts } from '../orchestrator/cli/interrupt.js';
import { EXIT, exitCodeOf } from '../orchestrator/errors.js';
import { WorkerPoolExecutor } from '../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../orchestrator/paths.js';
import { INIT_EPOCHS } from '../orchestrator/study/init-epochs.js';
import { runStudy, StudyIncompleteError } from '../orchestrator/study/run-study.js';
import { readRuns, writeStudy } from '../orchestrator/study/write-study.js';

const flags = new Command('study:init-epochs')
  .option('--store <dir|s3://bucket/prefix>', 'where the points are kept', process.env.STUDY_STORE ?? 'runs')
  .option('--out <dir>', 'the folder the study writes', 'docs/studies/init-epochs')
  .parse()
  .opts<{ store: string; out: string }>();

const interrupt = watchInterrupts(process.stderr);
const log = (line: string) => process.stdout.write(`${line}\n`);
const started = new Date();
let executor: WorkerPoolExecutor | undefined;
try {
  await checkKernelSetting(process.env);
  const store = await openStoreFromFlags({ store: flags.store });
  const runs = await readRuns(flags.out);
  executor = new WorkerPoolExecutor({ workerUrl: poolWorkerUrl() });
  log(`${INIT_EPOCHS.name}: store ${store.location}; resumable (stored points are never trained again)`);
  const outcome = await runStudy(INIT_EPOCHS, { store, executor, log, signal: interrupt.signal });
  const wallSeconds = Math.round((Date.now() - started.getTime()) / 1000);
  if (outcome.pointsTrained > 0) {
    runs.push({ started: started.toISOString(), wallSeconds, pointsTrained: outcome.pointsTrained, cores: executor.concurrency, kernel: defaultEngine().kernel });
  }
  await writeStudy(INIT_EPOCHS, outcome, runs, flags.out);
  log(`wrote ${flags.out} (${outcome.pointsTrained} points trained in ${wallSeconds} s on ${availableParallelism()} cores)`);
} catch (err) {
  const stopped = interrupt.exitCode();
  process.stderr.write(`study:init-epochs: ${(err as Error).message}\n`);
  process.exitCode = stopped ?? (err instanceof StudyIncompleteError ? EXIT.tasksFailed : exitCodeOf(err));
} finally {
  interrupt.dispose();
  await executor?.close();
}
