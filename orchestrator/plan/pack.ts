import { LIMITS } from '../../functions/limits.js';
import type { PlannedTask } from './planner.js';

/** A payload bound: bytes a task adds to its event and its answer, and the most one invocation may carry. */
export interface PayloadBound {
  bytesOf: (task: PlannedTask) => number;
  maxBytes: number;
}

/**
 * Packs tasks (longest first) into batches of about `targetSeconds` predicted seconds: small tasks
 * go many to a batch (at most LIMITS.tasksPerEvent, and within the payload bound), a task longer
 * than the target alone. A batch closes when the next task would overflow it.
 */
function packByDuration(
  tasks: readonly PlannedTask[],
  predictSeconds: (task: PlannedTask['task']) => number,
  targetSeconds: number,
  payload?: PayloadBound,
): PlannedTask[][] {
  const out: PlannedTask[][] = [];
  let current: PlannedTask[] = [];
  let seconds = 0;
  let bytes = 0;
  for (const t of tasks) {
    const s = predictSeconds(t.task);
    const b = payload ? payload.bytesOf(t) : 0;
    const full = current.length === LIMITS.tasksPerEvent || (payload !== undefined && bytes + b > payload.maxBytes);
    if (current.length > 0 && (seconds + s > targetSeconds || full)) {
      out.push(current);
      current = [];
      seconds = 0;
      bytes = 0;
    }
    current.push(t);
    seconds += s;
    bytes += b;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Below this many seconds per invocation, per-invocation overhead starts to dominate. */
const FLOOR_SECONDS = 2;

/**
 * Packs tasks for `concurrency` parallel invocations: batches of about `targetSeconds`, shortened
 * when that would leave invocation slots idle, but never below two seconds.
 */
export function packForConcurrency(
  tasks: readonly PlannedTask[],
  predictSeconds: (task: PlannedTask['task']) => number,
  targetSeconds: number,
  concurrency: number,
  payload?: PayloadBound,
): PlannedTask[][] {
  const total = tasks.reduce((s, t) => s + predictSeconds(t.task), 0);
  return packByDuration(tasks, predictSeconds, Math.max(FLOOR_SECONDS, Math.min(targetSeconds, total / concurrency)), payload);
}
