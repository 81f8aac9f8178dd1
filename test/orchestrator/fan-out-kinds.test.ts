/** What the fan-out does with a failure, by its kind: split, fail at once, retry alone, or leave for a resume. */
import { describe, expect, test } from 'vitest';
import { taskId } from '../../functions/trainer/ids.js';
import type { Executor, FailureKind, TaskOutcome } from '../../orchestrator/executors/executor.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';
import { fanOut } from '../../orchestrator/sweep/fan-out.js';
import type { FailureRecord } from '../../orchestrator/store/result-store.js';
import { failureClasses } from '../../orchestrator/report/html.js';
import { parseFailures, serializeFailures } from '../../orchestrator/store/manifest-io.js';
import { noopResult } from '../helpers/noop-result.js';
import { tinyTask } from '../helpers/fixtures.js';

const tasks = (count: number): PlannedTask[] => Array.from({ length: count }, (_, seed) => {
  const task = tinyTask(seed);
  return { id: taskId(task), task };
});

/** One batch of all tasks; `fails(batch)` says which kind each batch fails with (undefined: it succeeds). */
function scripted(fails: (batch: PlannedTask[]) => FailureKind | undefined): Executor & { sizes: number[] } {
  const sizes: number[] = [];
  return {
    concurrency: 4,
    sizes,
    batches: (ts) => [ts],
    async runBatch(batch): Promise<TaskOutcome[]> {
      sizes.push(batch.length);
      const kind = fails(batch);
      return batch.map((t) => (kind ? { id: t.id, ok: false, message: `${kind}!`, kind } : { id: t.id, ok: true, result: noopResult(t.id, t.task) }));
    },
    close: async () => {},
  };
}

async function run(executor: Executor, all: PlannedTask[], maxAttempts = 3) {
  const done: string[] = [];
  const failed: FailureRecord[] = [];
  await fanOut(all, { executor, maxAttempts, hooks: { onResult: async (t) => void done.push(t.id), onFailure: (f) => void failed.push(f) } });
  return { done, failed };
}

describe('failures by kind', () => {
  test.each(['timeout', 'memory', 'payload'] as const)('a batch that fails with %s is split in halves until each part fits; no attempt is spent', async (kind) => {
    // Fits when at most 2 tasks: 8 → 4+4 → 2+2+2+2.
    const executor = scripted((b) => (b.length > 2 ? kind : undefined));
    const { done, failed } = await run(executor, tasks(8), 1);
    expect(failed).toEqual([]);
    expect(done).toHaveLength(8);
    expect(executor.sizes.sort()).toEqual([2, 2, 2, 2, 4, 4, 8]);
  });

  test.each(['timeout', 'memory', 'payload'] as const)('a single task that fails with %s alone fails at once, with the hint, since a retry cannot help', async (kind) => {
    const executor = scripted(() => kind);
    const { failed } = await run(executor, tasks(1), 5);
    expect(executor.sizes).toEqual([1]);
    expect(failed).toHaveLength(1);
    expect([failed[0].attempts, failed[0].kind]).toEqual([1, kind]);
    expect(failed[0].message).toMatch(new RegExp(`^${kind}! \\(the task alone .*\\)$`));
  });

  test('a task that could be retried is left for the next run, not failed, when the run is stopped meanwhile', async () => {
    const stop = new AbortController();
    const settled: string[] = [];
    const failed: FailureRecord[] = [];
    const executor = scripted(() => {
      stop.abort();
      return 'network';
    });
    await fanOut(tasks(1), {
      executor, maxAttempts: 3, signal: stop.signal,
      hooks: { onResult: async () => {}, onFailure: (f) => void failed.push(f), onSettled: (t) => void settled.push(t.id) },
    });
    expect(executor.sizes).toEqual([1]);
    expect(failed).toEqual([]);
    expect(settled).toEqual([]);
  });

  test('an invalid event is never retried', async () => {
    const executor = scripted(() => 'invalid');
    const { failed } = await run(executor, tasks(3), 5);
    expect(executor.sizes).toEqual([3]);
    expect(failed.map((f) => f.attempts)).toEqual([1, 1, 1]);
    expect(failed[0].message).toMatch(/redeploy the stack/);
  });

  test('a crashed batch is split to find the task that crashes it; that task is retried alone up to --max-attempts', async () => {
    const all = tasks(4);
    const poison = all[2].id;
    const executor = scripted((b) => (b.some((t) => t.id === poison) ? 'crash' : undefined));
    const { done, failed } = await run(executor, all, 3);
    expect(done.sort()).toEqual(all.filter((t) => t.id !== poison).map((t) => t.id).sort());
    expect(failed.map((f) => [f.taskId, f.attempts])).toEqual([[poison, 3]]);
    // 4 → 2 + 2 → the poison's 2 → 1 + 1 → the poison alone twice more.
    expect(executor.sizes).toEqual([4, 2, 2, 1, 1, 1, 1]);
  });

  test('a network failure of a batch splits it; of a single task, it costs an attempt and is retried', async () => {
    const executor = scripted((b) => (b.length === 2 ? 'network' : undefined));
    expect((await run(executor, tasks(2), 1)).done).toHaveLength(2);
    expect(executor.sizes).toEqual([2, 1, 1]);
    let calls = 0;
    const flaky = scripted(() => (++calls <= 2 ? 'network' : undefined));
    const { done, failed } = await run(flaky, tasks(1), 3);
    expect([done.length, failed.length, flaky.sizes]).toEqual([1, 0, [1, 1, 1]]);
    calls = 0;
    const { failed: gaveUp } = await run(flaky, tasks(1), 2);
    expect(gaveUp.map((f) => [f.attempts, f.kind])).toEqual([[2, 'network']]);
  });

  test('failed tasks are counted by class for the summary and the report, and the class survives the failure record', () => {
    const records: FailureRecord[] = [
      { taskId: '0'.repeat(16), cellId: '1'.repeat(16), lambdas: [1], attempts: 1, message: 'm', kind: 'timeout' },
      { taskId: '2'.repeat(16), cellId: '1'.repeat(16), lambdas: [1], attempts: 3, message: 'm', kind: 'crash' },
      { taskId: '3'.repeat(16), cellId: '1'.repeat(16), lambdas: [1], attempts: 1, message: 'm', kind: 'timeout' },
      { taskId: '4'.repeat(16), cellId: '1'.repeat(16), lambdas: [1], attempts: 2, message: 'm' },
    ];
    expect(failureClasses(records)).toBe('4 failed: 2 timeout, 1 crash, 1 other');
    expect(parseFailures(serializeFailures(records), 'failures.json')).toEqual(records);
  });

  test('a batch not started because the budget was reached is neither a result nor a failure: it is left for a resume', async () => {
    const executor = scripted(() => 'stopped');
    const { done, failed } = await run(executor, tasks(3), 3);
    expect([done, failed, executor.sizes]).toEqual([[], [], [3]]);
  });
});
