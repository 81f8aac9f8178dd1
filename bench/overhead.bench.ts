/**
 * Orchestration overhead: pushes no-op tasks (one cell, one λ each) through planner → store lookup →
 * executor port → store and prints µs per task and peak memory, at 10k, 50k and 100k tasks. Bar (issue #3): ≤ 20 µs/task, memory
 * flat in the task count. The store is the real ObjectResultStore (serialization, write-once
 * check) over a backend that keeps nothing, so memory measures the orchestrator, not the data.
 */
import type { TaskResult } from '../functions/trainer/task.js';
import { TRAINER_VERSION } from '../functions/trainer/task.js';
import type { Executor, TaskOutcome } from '../orchestrator/executors/executor.js';
import type { PlannedTask } from '../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../orchestrator/spec/spec-schema.js';
import type { ObjectBackend } from '../orchestrator/store/object-backend.js';
import { ObjectResultStore } from '../orchestrator/store/object-result-store.js';
import { runSweep } from '../orchestrator/sweep/run-sweep.js';

class DiscardBackend implements ObjectBackend {
  writes = 0;
  async read(): Promise<string | undefined> {
    return undefined;
  }
  async createExclusive(): Promise<boolean> {
    this.writes++;
    return true;
  }
  async put(): Promise<void> {}
  async *listNames(): AsyncIterable<string> {}
  async listFolders(): Promise<string[]> {
    return [];
  }
}

class NoopExecutor implements Executor {
  readonly concurrency = 64;
  batches(tasks: PlannedTask[]): PlannedTask[][] {
    return tasks.map((t) => [t]);
  }
  async runBatch(batch: PlannedTask[]): Promise<TaskOutcome[]> {
    return batch.map((t) => {
      const result: TaskResult = {
        taskId: t.id,
        task: t.task,
        trainerVersion: TRAINER_VERSION,
        metrics: [{ lambda: t.task.lambdas[0], trainLoss: 0, trainObjective: 0, valLoss: 0, valError: 0, weightNorm: 0 }],
        digest: '0'.repeat(64),
        wallMs: 0,
      };
      return { id: t.id, ok: true, digest: result.digest, result };
    });
  }
  async close(): Promise<void> {}
}

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);

async function measure(tasks: number) {
  const spec = canonicalize(specSchema.parse({ n: Array.from({ length: 100 }, (_, i) => 2 + i), lambdas: [1e-3], seeds: tasks / 100 }));
  (globalThis as { gc?: () => void }).gc?.();
  peak = process.memoryUsage().heapUsed;
  const base = peak;
  const backend = new DiscardBackend();
  const started = performance.now();
  const summary = await runSweep({ spec, store: new ObjectResultStore(backend, '', 'discard:'), executor: new NoopExecutor() });
  const micros = ((performance.now() - started) * 1000) / summary.tasksRun;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { tasks: summary.tasksRun, writes: backend.writes, micros, peakMb: (peak - base) / 2 ** 20 };
}

console.log('overhead: no-op tasks through planner → executor port → store, in a 64 MB heap');
await measure(10_000); // warm-up
for (const n of [10_000, 50_000, 100_000]) {
  const r = await measure(n);
  console.log(`${String(r.tasks).padStart(7)} tasks: ${r.micros.toFixed(1).padStart(5)} µs/task, peak heap growth ${r.peakMb.toFixed(1)} MB (${r.writes} results stored)`);
}
clearInterval(sampler);
