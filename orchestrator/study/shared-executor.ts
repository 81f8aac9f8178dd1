/**
 * One executor shared by several sweeps run at once: each sweep bounds only its own fan-out, so the
 * share bounds them together to the executor's concurrency (a worker pool would otherwise spawn a
 * thread per extra task). Running sweeps side by side keeps every core busy while one sweep waits
 * on the last cells of an adaptive round.
 */
import pLimit from 'p-limit';
import type { Executor, TaskOutcome } from '../executors/executor.js';

export function sharedExecutor(inner: Executor): Executor {
  const limit = pLimit(inner.concurrency);
  const shared: Executor = {
    concurrency: inner.concurrency,
    batches: (tasks) => inner.batches(tasks),
    // A batch still queued when the run stops never starts: it is left for the resume.
    runBatch: (batch, signal) =>
      limit(() => (signal?.aborted ? Promise.resolve(batch.map((t): TaskOutcome => ({ id: t.id, ok: false, kind: 'stopped', message: 'stopped before it started' }))) : inner.runBatch(batch, signal))),
    // The owner closes the inner executor once, after every sweep.
    close: () => Promise.resolve(),
  };
  if (inner.preflight) shared.preflight = () => inner.preflight?.() ?? Promise.resolve();
  return shared;
}
