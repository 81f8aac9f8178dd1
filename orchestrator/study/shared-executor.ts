/**
 * One executor shared by several sweeps run at once: each sweep bounds only its own fan-out, so the
 * share bounds them together to the executor's concurrency (a worker pool would otherwise spawn a
 * thread per extra task). Running sweeps side by side keeps every core busy while one sweep waits
 * on the last cells of an adaptive round.
 */
import pLimit from 'p-limit';
import type { PlannedTask } from '../plan/planner.js';
import type { Executor, TaskOutcome } from '../executors/executor.js';

export function sharedExecutor(inner: Executor): Executor {
  const limit = pLimit(inner.concurrency);
  return {
    concurrency: inner.concurrency,
    preflight: inner.preflight && (() => inner.preflight?.() ?? Promise.resolve()),
    batches: (tasks: PlannedTask[]) => inner.batches(tasks),
    runBatch: (batch: PlannedTask[], signal?: AbortSignal): Promise<TaskOutcome[]> => limit(() => inner.runBatch(batch, signal)),
    usage: inner.usage && (() => inner.usage?.()),
    pace: inner.pace && (() => inner.pace?.()),
    // The owner closes the inner executor once, after every sweep.
    close: () => Promise.resolve(),
  } as Executor;
}
