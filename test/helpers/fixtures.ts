/** Small real results for store and analysis tests. */
import { runTask } from '../../functions/trainer/run-task.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { buildManifest } from '../../orchestrator/sweep/run-sweep.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import type { Manifest } from '../../orchestrator/store/result-store.js';

export const tinySpec = canonicalize(specSchema.parse({ name: 'tiny', n: [10, 20], lambdas: [1e-3, 1e-1], seeds: 1, epochs: 3, valSize: 20 }));

export function tinyManifest(): Manifest {
  return buildManifest(tinySpec);
}

export function tinyResult(seed = 0): TaskResult {
  return runTask(withDefaults({ n: 10, seed, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-1], epochs: 3, valSize: 20 }));
}
