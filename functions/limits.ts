/**
 * Every limit lambdastar enforces, with its reason, defined once: the sweep spec, the task and
 * result schemas, the Lambda handler and the CLI all check against these, so nothing a spec accepts
 * is rejected later as a result.
 */

export const LIMITS = {
  /** Seeds name random streams by a uint32. */
  seed: 0xffffffff,
  n: 10_000_000,
  valSize: 1_000_000,
  epochs: 1_000_000,
  inputDim: 1000,
  hidden: 1000,
  /** λ per task (a spec's grid or start grid): one task trains them in one pass. */
  lambdasPerTask: 1000,
  /** inputDim × hidden: the trainer generates straight-line code per weight (compile time grows with it). */
  weights: 40_000,
  /** Bytes one task may hold: its data (raw and standardized) and its networks. */
  taskBytes: 1024 ** 3,
  /** Cells a sweep may hold: its plan is enumerated and its points read back into memory. */
  cells: 100_000,
  /** Points (cells × λ of the grid or start grid) a sweep may hold. */
  points: 2_000_000,
  /** Local worker threads per core: more only add memory. */
  threadsPerCore: 4,
  /** Tasks in one Lambda event: the planner packs no more, the handler accepts no more. */
  tasksPerEvent: 5000,
  /** Bytes of a store prefix (S3 keys are at most 1024 bytes; the cell and task ids follow it). */
  prefixBytes: 512,
  /** Lambda invocations at once (AWS's default account limit is 1000). */
  lambdaConcurrency: 10_000,
  /** Numbers a `task --dump` may hold (its inputs and every epoch's order): one JSON text of ~100 MB. */
  dumpNumbers: 5_000_000,
} as const;

export interface TaskShape {
  n: number;
  valSize: number;
  inputDim: number;
  hidden: number;
  lambdaCount: number;
}

/** Bytes a task holds: training and validation inputs twice (raw and standardized), targets, networks. */
export function taskBytes(t: TaskShape): number {
  const patterns = t.n + t.valSize;
  const networks = t.lambdaCount * (t.hidden * (t.inputDim + 2) + 1);
  return 8 * (2 * patterns * t.inputDim + patterns + networks);
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toPrecision(3)} GB`;

/** Why a task of this shape cannot run (and the field to change), or undefined when it can. */
export function taskTooLarge(t: TaskShape): { field: 'hidden' | 'n'; message: string } | undefined {
  if (t.inputDim * t.hidden > LIMITS.weights) {
    return {
      field: 'hidden',
      message: `inputDim × hidden = ${t.inputDim * t.hidden} weights; the trainer generates code per weight and allows at most ${LIMITS.weights}: lower inputDim or hidden`,
    };
  }
  const bytes = taskBytes(t);
  if (bytes > LIMITS.taskBytes) {
    return {
      field: 'n',
      message: `a task with n = ${t.n}, valSize = ${t.valSize} and inputDim = ${t.inputDim} needs ${gb(bytes)} of memory; a task may use at most ${gb(LIMITS.taskBytes)}: lower n, valSize or inputDim`,
    };
  }
  return undefined;
}
