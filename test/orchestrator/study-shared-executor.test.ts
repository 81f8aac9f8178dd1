import { describe, expect, it } from 'vitest';
import type { Executor, TaskOutcome } from '../../orchestrator/executors/executor.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';
import { sharedExecutor } from '../../orchestrator/study/shared-executor.js';

describe('sharedExecutor', () => {
  it('bounds the batches of several callers together to the inner executor\'s concurrency', async () => {
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    let closed = 0;
    const inner: Executor = {
      concurrency: 2,
      batches: (tasks) => tasks.map((t) => [t]),
      runBatch: async (batch) => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return batch.map((t): TaskOutcome => ({ id: t.id, ok: false, message: 'test' }));
      },
      close: async () => {
        closed++;
      },
    };
    const shared = sharedExecutor(inner);
    const task = (id: string) => ({ id }) as PlannedTask;
    // Three "sweeps", each running up to the full concurrency on its own.
    const all = Promise.all(['a', 'b', 'c'].flatMap((s) => [0, 1].map((i) => shared.runBatch([task(`${s}${i}`)]))));
    for (let done = 0; done < 6; done++) {
      while (release.length === 0) await new Promise((r) => setImmediate(r));
      expect(running).toBeLessThanOrEqual(2);
      release.shift()?.();
    }
    const outcomes = await all;
    expect(outcomes.flat().map((o) => o.id).sort()).toEqual(['a0', 'a1', 'b0', 'b1', 'c0', 'c1']);
    expect(most).toBe(2);
    await shared.close();
    expect(closed).toBe(0);
  });
});
