/**
 * One fan-out: runs a list of tasks on an executor with bounded concurrency, hands each result to
 * the caller the moment it arrives, retries failed tasks by what can help, and stops starting new
 * work once the signal fires (what is running still lands).
 *
 * Retries by the failure's kind (executor.ts): a batch of several tasks that timed out, ran out of
 * memory, overflowed the payload limit, crashed or kept failing in the network (the executor has
 * re-sent it already; an abandoned one may have hung) is split in halves and retried without
 * counting an attempt (splitting is progress: it ends at single tasks); a single task that timed out, ran out of
 * memory or overflowed fails at once (a retry cannot help), with the hint; an invalid event fails at
 * once; a network error or a crash of a single task counts an attempt and is retried alone; a batch
 * not started (the budget was reached) is left for a resume.
 */
import pLimit from 'p-limit';
import { cellId } from '../../functions/trainer/ids.js';
import { failureClass } from '../errors.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import type { Executor, FailureKind, TaskOutcome } from '../executors/executor.js';
import { KIND_HINT } from '../executors/invocation-failure.js';
import type { PlannedTask } from '../plan/planner.js';
import type { FailureRecord } from '../store/result-store.js';

/** Kinds a smaller batch can get past. */
const SPLIT = new Set<FailureKind>(['timeout', 'memory', 'payload', 'crash', 'network']);

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
  // An error no task can get past (no credentials, the wrong store): the run stops, it is said once.
  const isFatal = (err: unknown) => failureClass(err) !== 'unknown' && (fatal ??= { error: err }) !== undefined;

  const fail = (planned: PlannedTask, n: number, message: string, kind?: FailureKind) => {
    hooks.onFailure({ taskId: planned.id, cellId: cellId(planned.task), lambdas: planned.task.lambdas, attempts: n, message, ...(kind ? { kind } : {}) });
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
    const toSplit = new Map<FailureKind, PlannedTask[]>();
    for (const [i, outcome] of outcomes.entries()) {
      const planned = batch[i];
      if (outcome.ok) {
        const n = (attempts.get(planned.id) ?? 0) + 1;
        attempts.set(planned.id, n);
        try {
          await hooks.onResult(planned, outcome.result, outcome.storedRemotely === true);
          hooks.onSettled?.(planned, true);
        } catch (err) {
          if (!isFatal(err)) fail(planned, n, err instanceof Error ? err.message : String(err));
        }
        continue;
      }
      const kind = outcome.kind;
      if (kind === 'stopped') continue;
      if (batch.length > 1 && kind !== undefined && SPLIT.has(kind)) {
        toSplit.set(kind, [...(toSplit.get(kind) ?? []), planned]);
        continue;
      }
      const n = (attempts.get(planned.id) ?? 0) + 1;
      attempts.set(planned.id, n);
      const retryHelps = kind === undefined || kind === 'network' || kind === 'crash';
      if (retryHelps && n < opts.maxAttempts) {
        // A stopped run leaves it for the next, like a batch never started: it has not failed for good.
        if (signal?.aborted || fatal) continue;
        // Retried alone, so a task that crashes its batch cannot take its batch-mates down again.
        schedule([planned]);
      } else {
        fail(planned, n, kind !== undefined && !retryHelps ? `${outcome.message} (${KIND_HINT[kind]})` : outcome.message, kind);
      }
    }
    for (const failed of toSplit.values()) {
      if (signal?.aborted || fatal) continue;
      const half = Math.ceil(failed.length / 2);
      schedule(failed.slice(0, half));
      if (failed.length > half) schedule(failed.slice(half));
    }
  };

  // Each job takes the most urgent batch when it starts: retries and split halves first, so a batch
  // that failed runs in the next free slot, not after every batch still waiting (the sweep's tail).
  const firstTries: (PlannedTask[] | undefined)[] = [];
  let firstHead = 0;
  const retries: PlannedTask[][] = [];
  const take = (): PlannedTask[] => {
    const retry = retries.shift();
    if (retry) return retry;
    const batch = firstTries[firstHead] as PlannedTask[];
    firstTries[firstHead++] = undefined;
    return batch;
  };
  const schedule = (batch: PlannedTask[], retry = true): void => {
    (retry ? retries : firstTries).push(batch);
    const job = limit(async () => {
      const taken = take();
      try {
        await handle(taken);
      } catch (err) {
        // Not expected (handle catches executor and store errors), but never lose a task silently.
        const message = err instanceof Error ? err.message : String(err);
        for (const t of taken) fail(t, attempts.get(t.id) ?? 1, message);
      }
    });
    running.add(job);
    void job.finally(() => running.delete(job));
  };

  for (const batch of executor.batches([...tasks])) schedule(batch, false);
  while (running.size > 0) await Promise.all([...running]);
  if (fatal) throw fatal.error;
}
