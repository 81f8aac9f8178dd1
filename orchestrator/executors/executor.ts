/** The port every executor implements: runs batches of trainer tasks somewhere. */
import type { TaskResult } from '../../functions/trainer/task.js';
import type { PlannedTask } from '../plan/planner.js';

export type TaskOutcome =
  /** `storedRemotely`: the trainer stored the result itself (a Lambda function writing to S3). */
  | { id: string; ok: true; result: TaskResult; storedRemotely?: boolean }
  | { id: string; ok: false; message: string };

/** What a billed backend used, from its own records (Lambda's log tails). */
export interface BilledUsage {
  invocations: number;
  hedges: number;
  /** Σ billed duration. */
  billedMs: number;
  /** Invocations whose records carried no billed duration. */
  unbilled: number;
}

export interface Executor {
  /** How many batches may run at once. */
  readonly concurrency: number;
  /** Groups tasks into the batches this backend runs as one unit. */
  batches(tasks: PlannedTask[]): PlannedTask[][];
  /** Runs one batch; resolves with one outcome per task and never rejects for a task's failure. */
  runBatch(batch: PlannedTask[], signal?: AbortSignal): Promise<TaskOutcome[]>;
  /** What it was billed for so far; undefined for backends that bill nothing (local threads). */
  usage?(): BilledUsage;
  close(): Promise<void>;
}

/** A concurrency out of range: a `TypeError` (as p-limit throws), and bad usage for the CLI. */
export class ConcurrencyError extends TypeError {
  readonly code = 'USAGE';
}

/** Throws a `ConcurrencyError` naming the option unless `value` is a whole number in 1 … `max` (`why` says why the max). */
export function checkConcurrency(value: number, max: number, why: string, option = '--concurrency'): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConcurrencyError(`${option}: must be a whole number ≥ 1 (got ${String(value)})`);
  }
  if (value > max) throw new ConcurrencyError(`${option}: at most ${max} (${why}); got ${value}`);
  return value;
}
