/**
 * Spec → cells: one per (training-option variant, N, seed, init factor, reg). A cell's λ are
 * decided by the spec's grid or search; a task is a cell with the λ it still needs, trained in one
 * data pass. Cells come longest first (predicted cost), generated lazily so memory stays flat.
 */
import { LIMITS } from '../../functions/limits.js';
import { canonicalJson, cellId, shortHash, taskId } from '../../functions/trainer/ids.js';
import type { Cell, Task, TrainingOptions } from '../../functions/trainer/task.js';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';
import { predictedCost } from '../../functions/trainer/work.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';

export interface PlannedCell {
  id: string;
  cell: Cell;
}

export interface PlannedTask {
  id: string;
  task: Task;
}

/**
 * The sweep id: a hash of what decides the sweep's points — the axes, the options, the grid or the
 * search settings — and the trainer version. Names and descriptions are labels, not identity.
 */
export function sweepId(spec: CanonicalSpec): string {
  const { name: _name, description: _description, ...identity } = spec;
  return shortHash(`${TRAINER_VERSION}\nsweep\n${canonicalJson(identity)}`, 12);
}

/** Every combination of the training-option lists, in a fixed order. */
export function optionVariants(spec: CanonicalSpec): TrainingOptions[] {
  let variants: Partial<TrainingOptions>[] = [{}];
  for (const [name, values] of Object.entries(spec.options)) {
    variants = variants.flatMap((v) => (values as unknown[]).map((value) => ({ ...v, [name]: value })));
  }
  return variants as TrainingOptions[];
}

/** A plan larger than LIMITS allow, said with its size, the limit and the fix. */
export class PlanTooLargeError extends Error {
  readonly code = 'LIMIT';
}

/** Throws `PlanTooLargeError` when `spec` holds more cells or points than a sweep may; computed, never enumerated. */
export function checkPlanSize(spec: CanonicalSpec): void {
  const cells = cellCount(spec);
  const axes = `${spec.n.length} N × ${spec.seeds.length} seeds × ${spec.initFactors.length} init factors × ${spec.regs.length} regs × ${optionVariantCount(spec)} option variants`;
  if (cells > LIMITS.cells) {
    throw new PlanTooLargeError(`spec: ${cells} cells (${axes}); a sweep may hold at most ${LIMITS.cells}: split it into several sweeps (they share one store)`);
  }
  const points = cells * (spec.lambdas?.length ?? spec.search?.start.length ?? 0);
  if (points > LIMITS.points) {
    throw new PlanTooLargeError(`spec: ${points} points (${cells} cells × ${points / cells} λ); a sweep may hold at most ${LIMITS.points}: split it into several sweeps (they share one store)`);
  }
}

function optionVariantCount(spec: CanonicalSpec): number {
  let variants = 1;
  for (const values of Object.values(spec.options)) variants *= (values as unknown[]).length;
  return variants;
}

export function cellCount(spec: CanonicalSpec): number {
  return optionVariantCount(spec) * spec.n.length * spec.seeds.length * spec.initFactors.length * spec.regs.length;
}

/** The cells of `spec`, longest first; ties keep the axis order (N, variant, reg, init, seed). */
export function* planCells(spec: CanonicalSpec): Generator<PlannedCell> {
  const shapes = optionVariants(spec)
    .flatMap((options) => spec.n.map((n) => ({ options, n, cost: predictedCost({ ...options, n }, 1) })))
    .sort((a, b) => b.cost - a.cost);
  for (const { options, n } of shapes) {
    for (const reg of spec.regs) {
      for (const initFactor of spec.initFactors) {
        for (const seed of spec.seeds) {
          const cell: Cell = { n, seed, initFactor, reg, ...options };
          yield { id: cellId(cell), cell };
        }
      }
    }
  }
}

/** The task that trains `lambdas` (ascending) of a cell. */
export function taskFor(cell: Cell, lambdas: number[]): PlannedTask {
  const task: Task = { ...cell, lambdas };
  return { id: taskId(task), task };
}
