/** Executors for tests: a real one, watched or changed batch by batch at the port. */
import type { Executor, TaskOutcome } from '../../orchestrator/executors/executor.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';

/** `inner`, with `around` called for each batch; `run` hands the batch (or another) to `inner`. */
export function instrumented(
  inner: Executor,
  around: (batch: PlannedTask[], run: (batch: PlannedTask[]) => Promise<TaskOutcome[]>) => Promise<TaskOutcome[]>,
): Executor {
  return {
    concurrency: inner.concurrency,
    batches: (tasks) => inner.batches(tasks),
    runBatch: (batch, signal) => around(batch, (b) => inner.runBatch(b, signal)),
    close: async () => {},
  };
}
