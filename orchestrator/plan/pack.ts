import { LIMITS } from '../../functions/limits.js';
import type { PlannedTask } from './planner.js';

/**
 * Packs tasks (longest first) into batches of about `targetSeconds` predicted seconds: small tasks
 * go many to a batch (at most LIMITS.tasksPerEvent), a task longer than the target alone. A batch
 * closes when the next task would overflow it.
 */
function packByDuration(
  tasks: readonly PlannedTask[],
  predictSeconds: (task: PlannedTask['task']) => number,
  targetSeconds: number,
): PlannedTask[][] {
  const out: PlannedTask[][] = [];
  let current: PlannedTask[] = [];
  let seconds = 0;
  for (const t of tasks) {
    const s = predictSeconds(t.task);
    if (current.length > 0 && (seconds + s > targetSeconds || current.length === LIMITS.tasksPerEvent)) {
      out.push(current);
      current = [];
      seconds = 0;
    }
    current.push(t);
    seconds += s;
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
): PlannedTask[][] {
  const total = tasks.reduce((s, t) => s + predictSeconds(t.task), 0);
  return packByDuration(tasks, predictSeconds, Math.max(FLOOR_SECONDS, Math.min(targetSeconds, total / concurrency)));
}
