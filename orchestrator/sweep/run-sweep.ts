/**
 * Runs a sweep: writes the manifest, skips tasks whose results are stored, fans the rest out to the
 * executor with bounded concurrency, stores each result the moment it arrives, retries failed tasks,
 * and records what still failed. Resumable at any point: the store is the only state.
 */
import pLimit from 'p-limit';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';
import { DEFAULT_OPTIONS } from '../../functions/trainer/task.js';
import type { Executor, TaskOutcome } from '../executors/executor.js';
import type { PlannedTask } from '../plan/planner.js';
import { planTasks, sweepId } from '../plan/planner.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { FailureRecord, Manifest, ResultStore } from '../store/result-store.js';

export interface ProgressSink {
  start(total: number, alreadyDone: number): void;
  /** One task finished (ok or failed for good). */
  tick(ok: boolean): void;
  finish(): void;
}

export interface RunSweepOptions {
  spec: CanonicalSpec;
  store: ResultStore;
  executor: Executor;
  /** Attempts per task before it is recorded as failed (default 2: one retry). */
  maxAttempts?: number;
  progress?: ProgressSink;
  /** Stops scheduling new batches; those in flight still land. */
  signal?: AbortSignal;
  /** Tasks planned per scheduling round; bounds memory for huge sweeps. */
  chunkSize?: number;
}

export interface SweepSummary {
  sweepId: string;
  total: number;
  alreadyDone: number;
  completed: number;
  failed: FailureRecord[];
  aborted: boolean;
  wallMs: number;
}

export function buildManifest(spec: CanonicalSpec): Manifest {
  const taskIds: string[] = [];
  for (const t of planTasks(spec)) taskIds.push(t.id);
  return { sweepId: sweepId(spec), trainerVersion: TRAINER_VERSION, protocol: { ...DEFAULT_OPTIONS }, spec, taskIds };
}

export async function runSweep(opts: RunSweepOptions): Promise<SweepSummary> {
  const started = Date.now();
  const { spec, store, executor, progress } = opts;
  const maxAttempts = opts.maxAttempts ?? 2;
  const manifest = buildManifest(spec);
  await store.putManifest(manifest);
  const done = await store.listResultIds(manifest.sweepId);
  const total = manifest.taskIds.length;
  const alreadyDone = manifest.taskIds.filter((id) => done.has(id)).length;
  progress?.start(total, alreadyDone);

  const limit = pLimit(executor.concurrency);
  const failed: FailureRecord[] = [];
  let completed = 0;
  const attempts = new Map<string, number>();
  // Batches scheduled and not yet handled; each one that finishes wakes whoever waits for fewer.
  let active = 0;
  let wake: (() => void) | undefined;
  const waitUntilActive = async (atMost: number) => {
    while (active > atMost) await new Promise<void>((r) => (wake = r));
  };

  const handle = async (batch: PlannedTask[]): Promise<void> => {
    let outcomes: TaskOutcome[];
    try {
      outcomes = await executor.runBatch(batch, opts.signal);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      outcomes = batch.map((t) => ({ id: t.id, ok: false as const, message }));
    }
    const retry: PlannedTask[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const planned = batch[i];
      const n = (attempts.get(planned.id) ?? 0) + 1;
      attempts.set(planned.id, n);
      const message = outcome.ok ? undefined : outcome.message;
      if (outcome.ok && outcome.result) {
        try {
          await store.putResult(manifest.sweepId, outcome.result);
        } catch (err) {
          // A conflict or an unwritable store is not fixed by retrying the task.
          failed.push({ taskId: planned.id, attempts: n, message: err instanceof Error ? err.message : String(err) });
          attempts.delete(planned.id);
          progress?.tick(false);
          continue;
        }
      }
      if (message === undefined) {
        completed++;
        attempts.delete(planned.id);
        progress?.tick(true);
      } else if (n < maxAttempts && !opts.signal?.aborted) {
        retry.push(planned);
      } else {
        failed.push({ taskId: planned.id, attempts: n, message });
        attempts.delete(planned.id);
        progress?.tick(false);
      }
    }
    // Retried one by one, so a task that crashes its batch cannot take its batch-mates down again.
    for (const t of retry) schedule([t]);
  };

  const schedule = (batch: PlannedTask[]): void => {
    active++;
    void limit(() => handle(batch))
      .catch((err: unknown) => {
        // Not expected (handle catches executor and store errors), but never lose a task silently.
        const message = err instanceof Error ? err.message : String(err);
        for (const t of batch) failed.push({ taskId: t.id, attempts: attempts.get(t.id) ?? 1, message });
      })
      .finally(() => {
        active--;
        const w = wake;
        wake = undefined;
        w?.();
      });
  };

  const chunkSize = opts.chunkSize ?? 4096;
  let chunk: PlannedTask[] = [];
  const flush = async () => {
    for (const b of executor.batches(chunk)) schedule(b);
    chunk = [];
    // Keep at most a few rounds queued so memory stays flat however many tasks there are.
    await waitUntilActive(executor.concurrency * 4);
  };
  for (const planned of planTasks(spec, manifest.taskIds)) {
    if (opts.signal?.aborted) break;
    if (done.has(planned.id)) continue;
    chunk.push(planned);
    if (chunk.length >= chunkSize) await flush();
  }
  if (!opts.signal?.aborted) await flush();
  await waitUntilActive(0);

  if (failed.length > 0 || (await store.getFailures(manifest.sweepId)).length > 0) {
    await store.putFailures(manifest.sweepId, failed);
  }
  progress?.finish();
  return {
    sweepId: manifest.sweepId,
    total,
    alreadyDone,
    completed,
    failed,
    aborted: opts.signal?.aborted ?? false,
    wallMs: Date.now() - started,
  };
}
