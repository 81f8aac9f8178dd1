/** Re-runs a sample of stored tasks with a local executor and compares digests bit for bit. */
import pLimit from 'p-limit';
import { deriveRng } from '../../functions/trainer/rng.js';
import type { LambdaMetrics, TaskResult } from '../../functions/trainer/task.js';
import type { Executor } from '../executors/executor.js';
import type { ResultStore } from '../store/result-store.js';

export interface Mismatch {
  taskId: string;
  storedDigest: string;
  localDigest: string | null;
  /** The first metric that differs, or the local error. */
  detail: string;
}

export interface VerifyReport {
  checked: number;
  matched: number;
  mismatches: Mismatch[];
}

/** `k` distinct ids drawn from `ids` by a seeded shuffle (the same seed picks the same sample). */
export function sampleIds(ids: readonly string[], k: number, seed: number): string[] {
  const pool = [...ids].sort();
  const rng = deriveRng([seed, 0x5eed]);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, Math.min(k, pool.length));
}

function firstDifference(a: LambdaMetrics[], b: LambdaMetrics[]): string {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    for (const f of ['trainLoss', 'trainObjective', 'valLoss', 'valError', 'weightNorm'] as const) {
      if (!Object.is(a[i][f], b[i][f])) return `λ=${a[i].lambda} ${f}: stored ${a[i][f]} vs local ${b[i][f]}`;
    }
  }
  return a.length === b.length ? 'metrics equal, digest differs' : 'different λ lists';
}

export async function verifySample(store: ResultStore, sweepId: string, ids: string[], executor: Executor): Promise<VerifyReport> {
  const limit = pLimit(executor.concurrency);
  const mismatches: Mismatch[] = [];
  let matched = 0;
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        let stored: TaskResult;
        try {
          stored = await store.getResult(sweepId, id);
        } catch (err) {
          mismatches.push({ taskId: id, storedDigest: '', localDigest: null, detail: err instanceof Error ? err.message : String(err) });
          return;
        }
        const [outcome] = await executor.runBatch([{ id, task: stored.task }]);
        if (!outcome.ok) {
          mismatches.push({ taskId: id, storedDigest: stored.digest, localDigest: null, detail: outcome.message });
        } else if (outcome.digest !== stored.digest) {
          const detail = outcome.result ? firstDifference(stored.metrics, outcome.result.metrics) : 'digest differs';
          mismatches.push({ taskId: id, storedDigest: stored.digest, localDigest: outcome.digest, detail });
        } else matched++;
      }),
    ),
  );
  mismatches.sort((a, b) => a.taskId.localeCompare(b.taskId));
  return { checked: ids.length, matched, mismatches };
}
