import type { PlannedTask } from './planner.js';

/**
 * Packs tasks (longest first) into batches of about `targetSeconds` predicted seconds: small tasks
 * go many to a batch, a task longer than the target alone. A batch closes when the next task would
 * overflow it.
 */
export function packByDuration(
  tasks: readonly PlannedTask[],
  predictSeconds: (task: PlannedTask['task']) => number,
  targetSeconds: number,
): PlannedTask[][] {
  const out: PlannedTask[][] = [];
  let current: PlannedTask[] = [];
  let seconds = 0;
  for (const t of tasks) {
    const s = predictSeconds(t.task);
    if (current.length > 0 && seconds + s > targetSeconds) {
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

/**
 * The batch length to aim at: `targetSeconds`, shortened when that would leave invocation slots
 * idle (fewer batches than `concurrency`), but never below `floorSeconds`, where per-invocation
 * overhead starts to dominate.
 */
export function effectiveTarget(totalSeconds: number, targetSeconds: number, concurrency: number, floorSeconds = 2): number {
  return Math.max(floorSeconds, Math.min(targetSeconds, totalSeconds / concurrency));
}
