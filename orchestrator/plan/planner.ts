/**
 * Spec → tasks: one task per (training-option variant, N, seed, init factor, reg) carrying every λ.
 * Tasks come longest first (predicted cost), generated lazily so memory stays flat in their count.
 */
import { canonicalJson, shortHash, taskId } from '../../functions/trainer/ids.js';
import type { Task, TrainingOptions } from '../../functions/trainer/task.js';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';

export interface PlannedTask {
  id: string;
  task: Task;
}

/** The sweep id: a hash of the canonical spec and the trainer version. */
export function sweepId(spec: CanonicalSpec): string {
  return shortHash(`${TRAINER_VERSION}\n${canonicalJson(spec)}`, 12);
}

/** Every combination of the training-option lists, in a fixed order. */
export function optionVariants(spec: CanonicalSpec): TrainingOptions[] {
  let variants: Partial<TrainingOptions>[] = [{}];
  for (const [name, values] of Object.entries(spec.options)) {
    variants = variants.flatMap((v) => (values as unknown[]).map((value) => ({ ...v, [name]: value })));
  }
  return variants as TrainingOptions[];
}

/** Relative cost of training one task: pattern-epochs × λ, plus the validation passes. */
export function predictedCost(task: Pick<Task, 'n' | 'epochs' | 'valSize' | 'lambdas' | 'hidden' | 'inputDim'>): number {
  const perPattern = task.hidden * (task.inputDim + 2);
  return task.lambdas.length * perPattern * (task.n * task.epochs + (task.valSize + task.n) / 3);
}

export function taskCount(spec: CanonicalSpec): number {
  return optionVariants(spec).length * spec.n.length * spec.seeds.length * spec.initFactors.length * spec.regs.length;
}

/**
 * The tasks of `spec`, longest first; ties keep the axis order (N, variant, reg, init, seed).
 * `knownIds` (the manifest's list, same order) saves hashing every task again.
 */
export function* planTasks(spec: CanonicalSpec, knownIds?: readonly string[]): Generator<PlannedTask> {
  let k = 0;
  const shapes = optionVariants(spec)
    .flatMap((options) => spec.n.map((n) => ({ options, n, cost: predictedCost({ ...options, n, lambdas: spec.lambdas }) })))
    .sort((a, b) => b.cost - a.cost);
  for (const { options, n } of shapes) {
    for (const reg of spec.regs) {
      for (const initFactor of spec.initFactors) {
        for (const seed of spec.seeds) {
          const task: Task = { n, seed, initFactor, reg, lambdas: spec.lambdas, ...options };
          yield { id: knownIds?.[k++] ?? taskId(task), task };
        }
      }
    }
  }
}
