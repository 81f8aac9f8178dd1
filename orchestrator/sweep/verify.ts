/** Re-runs a sample of stored results with a local executor and compares digests bit for bit. */
import pLimit from 'p-limit';
import type { Provenance } from '../../functions/provenance.js';
import { deriveRng } from '../../functions/trainer/rng.js';
import type { LambdaMetrics } from '../../functions/trainer/task.js';
import type { Executor } from '../executors/executor.js';
import type { PointConflict, PointSource } from './point-index.js';

export interface Mismatch {
  taskId: string;
  /** The stored object. */
  where: string;
  storedDigest: string;
  localDigest: string | null;
  /** The first metric that differs, or the local error. */
  detail: string;
  /** Where the stored result was produced; null when it predates provenance. */
  storedProvenance: Provenance | null;
  /** Where the local re-run was produced; null when it failed. */
  localProvenance: Provenance | null;
}

export interface VerifyReport {
  /** Stored results that hold points of the sweep. */
  stored: number;
  /** Points on which two stored results disagree (both are re-trained). */
  conflicts: PointConflict[];
  checked: number;
  matched: number;
  mismatches: Mismatch[];
}

/** `k` distinct items drawn by a seeded shuffle of `items` sorted by `key` (the same seed picks the same sample). */
export function sample<T>(items: readonly T[], key: (t: T) => string, k: number, seed: number): T[] {
  const pool = [...items].sort((a, b) => key(a).localeCompare(key(b)));
  const rng = deriveRng([seed, 0x5eed]);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, Math.min(k, pool.length));
}

const FIELDS = ['diverged', 'trainLoss', 'trainObjective', 'valLoss', 'valError', 'weightNorm'] as const;

function firstDifference(a: LambdaMetrics[], b: LambdaMetrics[]): string {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    for (const f of FIELDS) {
      const [x, y] = [(a[i] as unknown as Record<string, unknown>)[f], (b[i] as unknown as Record<string, unknown>)[f]];
      if (!Object.is(x, y)) return `λ=${a[i].lambda} ${f}: stored ${String(x)} vs local ${String(y)}`;
    }
  }
  return a.length === b.length ? 'metrics equal, digest differs' : 'different λ lists';
}

/** Re-trains each stored result of `sources` here and compares its digest with the stored one. */
export async function verifySources(sources: readonly PointSource[], executor: Executor): Promise<Omit<VerifyReport, 'stored' | 'conflicts'>> {
  const limit = pLimit(executor.concurrency);
  const mismatches: Mismatch[] = [];
  let matched = 0;
  await Promise.all(
    sources.map((s) =>
      limit(async () => {
        const [outcome] = await executor.runBatch([{ id: s.taskId, task: s.task }]);
        const stored = { taskId: s.taskId, where: s.where, storedDigest: s.digest, storedProvenance: s.provenance ?? null };
        if (!outcome.ok) {
          mismatches.push({ ...stored, localDigest: null, detail: outcome.message, localProvenance: null });
        } else if (outcome.result.digest !== s.digest) {
          const { digest, metrics, provenance } = outcome.result;
          mismatches.push({ ...stored, localDigest: digest, detail: firstDifference(s.metrics, metrics), localProvenance: provenance ?? null });
        } else matched++;
      }),
    ),
  );
  mismatches.sort((a, b) => a.where.localeCompare(b.where));
  return { checked: sources.length, matched, mismatches };
}
