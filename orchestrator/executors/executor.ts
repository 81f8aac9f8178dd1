/** The port every executor implements: runs batches of trainer tasks somewhere. */
import type { TaskResult } from '../../functions/trainer/task.js';
import type { PlannedTask } from '../plan/planner.js';

export type TaskOutcome =
  /** `result` is absent when the executor stored the result itself (a remote trainer writing to S3). */
  | { id: string; ok: true; digest: string; result?: TaskResult }
  | { id: string; ok: false; message: string };

export interface Executor {
  /** How many batches may run at once. */
  readonly concurrency: number;
  /** Groups tasks into the batches this backend runs as one unit. */
  batches(tasks: PlannedTask[]): PlannedTask[][];
  /** Runs one batch; resolves with one outcome per task and never rejects for a task's failure. */
  runBatch(batch: PlannedTask[], signal?: AbortSignal): Promise<TaskOutcome[]>;
  close(): Promise<void>;
}

/** Throws a `TypeError` naming the option unless `value` is a whole number ≥ 1. */
export function checkConcurrency(value: number, option = '--concurrency'): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${option}: must be a whole number ≥ 1 (got ${String(value)})`);
  }
  return value;
}
