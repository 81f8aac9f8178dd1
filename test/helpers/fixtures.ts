/** Small real results and specs for store and analysis tests. */
import { cellId } from '../../functions/trainer/ids.js';
import { runTask } from '../../functions/trainer/run-task.js';
import type { FiniteMetrics, LambdaMetrics, Task, TaskResult } from '../../functions/trainer/task.js';
import { isDiverged, withDefaults } from '../../functions/trainer/task.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../../orchestrator/store/manifest-io.js';
import type { Manifest } from '../../orchestrator/store/result-store.js';

export const tinySpec = canonicalize(specSchema.parse({ name: 'tiny', n: [10, 20], lambdas: [1e-3, 1e-1], seeds: 1, epochs: 3, valSize: 20 }));

export function tinyManifest(): Manifest {
  return buildManifest(tinySpec);
}

export function tinyTask(seed = 0, lambdas = [1e-3, 1e-1]): Task {
  return withDefaults({ n: 10, seed, initFactor: 1, reg: 'l2', lambdas, epochs: 3, valSize: 20 });
}

export function tinyResult(seed = 0, lambdas?: number[]): TaskResult {
  return runTask(tinyTask(seed, lambdas));
}

/** The key a result is stored under, relative to the store's prefix (functions/keys.ts). */
export function relativeKey(r: TaskResult): string {
  return `cells/${cellId(r.task)}/${r.taskId}.json`;
}

/** A λ's metrics, which the test expects to be finite. */
export function finite(m: LambdaMetrics): FiniteMetrics {
  if (isDiverged(m)) throw new Error(`λ = ${m.lambda} diverged`);
  return m;
}
