/** The port every executor implements: runs batches of trainer tasks somewhere. */
import type { TaskResult } from '../../functions/trainer/task.js';
import type { PlannedTask } from '../plan/planner.js';

/**
 * Why an invocation failed, which decides what helps: a batch that timed out, ran out of memory or
 * overflowed the payload limit is split; an invalid event is a bug and never retried; a crash or a
 * network error is retried. `stopped`: never started (the budget was reached); left for a resume.
 */
export type FailureKind = 'timeout' | 'memory' | 'payload' | 'invalid' | 'network' | 'crash' | 'stopped';

export const FAILURE_KINDS: readonly FailureKind[] = ['timeout', 'memory', 'payload', 'invalid', 'network', 'crash', 'stopped'];

export type TaskOutcome =
  /** `storedRemotely`: the trainer stored the result itself (a Lambda function writing to S3). */
  | { id: string; ok: true; result: TaskResult; storedRemotely?: boolean }
  /** `kind`: set by backends that can tell (Lambda); a failure without one is retried alone. */
  | { id: string; ok: false; message: string; kind?: FailureKind };

/** What a billed backend used, from its own records (Lambda's log tails) and, where they are missing, estimates. */
export interface BilledUsage {
  /** Invocations started, hedges included, throttled ones not. */
  invocations: number;
  hedges: number;
  /** Invocations refused with 429 and sent again (never billed, never a failed attempt). */
  throttles: number;
  /** Σ billed duration, from the log tails. */
  billedMs: number;
  /** Invocations whose log tail never came (abandoned, or a hedge that lost) … */
  unbilled: number;
  /** … and their estimated billed duration (the prediction, or the function's timeout when it hung). */
  estimatedMs: number;
  /** Failed invocations by class. */
  failures: Record<FailureKind, number>;
  /** Σ predicted duration of the batches that completed: the prediction for what ran. */
  predictedMs: number;
}

/** What a backend that paces itself is doing now, for the progress line. */
export interface Pace {
  inFlight: number;
  /** The concurrency it currently allows itself. */
  cap: number;
  throttles: number;
}

export interface Executor {
  /** How many batches may run at once. */
  readonly concurrency: number;
  /** Checks, before the run writes anything, that the backend can run tasks for this store at all. */
  preflight?(): Promise<void>;
  /** Groups tasks into the batches this backend runs as one unit. */
  batches(tasks: PlannedTask[]): PlannedTask[][];
  /** Runs one batch; resolves with one outcome per task and never rejects for a task's failure. */
  runBatch(batch: PlannedTask[], signal?: AbortSignal): Promise<TaskOutcome[]>;
  /** What it was billed for so far; undefined for backends that bill nothing (local threads). */
  usage?(): BilledUsage;
  /** In-flight invocations and the current cap; undefined for backends with a fixed pool. */
  pace?(): Pace;
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
