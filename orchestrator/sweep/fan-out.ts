/**
 * One fan-out: runs a list of tasks on an executor with bounded concurrency, hands each result to
 * the caller the moment it arrives, retries failed tasks one by one, and stops starting new work
 * once the signal fires (what is running still lands).
 */
import pLimit from 'p-limit';
import { cellId } from '../../functions/trainer/ids.js';
import { failureClass } from '../errors.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import type { Executor, TaskOutcome } from '../executors/executor.js';
import type { PlannedTask } from '../plan/planner.js';
import type { FailureRecord } from '../store/result-store.js';

export interface FanOutHooks {
  /** Stores and records one result; a throw fails the task without a retry (retrying cannot fix a store). */
  onResult(task: PlannedTask, result: TaskResult, storedRemotely: boolean): Promise<void>;
  /** A task failed for good. */
  onFailure(failure: FailureRecord): void;
  /** A task finished, ok or failed for good. */
  onSettled?(task: PlannedTask, ok: boolean): void;
}

export interface FanOutOptions {
  executor: Executor;
  /** Attempts per task before it is recorded as failed. */
  maxAttempts: number;
  /** Once aborted, no batch starts; those running finish and their results are kept. */
  signal?: AbortSignal;
  hooks: FanOutHooks;
}

/**
 * Runs `tasks`; resolves when every started batch has settled.
 * An environment failure — the store cannot be written (a full disk), credentials are missing, the
 * backend cannot be reached — is nobody's task failing: no batch starts after it, those running
 * settle, and the fan-out rejects with it.
 */
export async function fanOut(tasks: readonly PlannedTask[], opts: FanOutOptions): Promise<void> {
  const { executor, signal, hooks } = opts;
  const limit = pLimit(executor.concurrency);
  const attempts = new Map<string, number>();
  const running = new Set<Promise<void>>();
  let fatal: { error: unknown } | undefined;
  const isFatal = (err: unknown) => failureClass(err) === 'environment' && (fatal ??= { error: err }) !== undefined;

  const fail = (planned: PlannedTask, n: number, message: string) => {
    hooks.onFailure({ taskId: planned.id, cellId: cellId(planned.task), lambdas: planned.task.lambdas, attempts: n, message });
    hooks.onSettled?.(planned, false);
  };

  const handle = async (batch: PlannedTask[]): Promise<void> => {
    if (signal?.aborted || fatal) return;
    let outcomes: TaskOutcome[];
    try {
      outcomes = await executor.runBatch(batch, signal);
    } catch (err) {
      if (isFatal(err)) return;
      const message = err instanceof Error ? err.message : String(err);
      outcomes = batch.map((t) => ({ id: t.id, ok: false as const, message }));
    }
    for (const [i, outcome] of outcomes.entries()) {
      const planned = batch[i];
      const n = (attempts.get(planned.id) ?? 0) + 1;
      attempts.set(planned.id, n);
      if (outcome.ok) {
        try {
          await hooks.onResult(planned, outcome.result, outcome.storedRemotely === true);
          hooks.onSettled?.(planned, true);
        } catch (err) {
          if (!isFatal(err)) fail(planned, n, err instanceof Error ? err.message : String(err));
        }
      } else if (n < opts.maxAttempts && !signal?.aborted && !fatal) {
        // Retried alone, so a task that crashes its batch cannot take its batch-mates down again.
        schedule([planned]);
      } else {
        fail(planned, n, outcome.message);
      }
    }
  };

  const schedule = (batch: PlannedTask[]): void => {
    const job = limit(() => handle(batch)).catch((err: unknown) => {
      // Not expected (handle catches executor and store errors), but never lose a task silently.
      const message = err instanceof Error ? err.message : String(err);
      for (const t of batch) fail(t, attempts.get(t.id) ?? 1, message);
    });
    running.add(job);
    void job.finally(() => running.delete(job));
  };

  for (const batch of executor.batches([...tasks])) schedule(batch);
  while (running.size > 0) await Promise.all([...running]);
  if (fatal) throw fatal.error;
}
