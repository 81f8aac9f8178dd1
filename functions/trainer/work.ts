/**
 * How much work a task is, in units whose time per unit is nearly constant for this trainer: the
 * planner orders and packs by it, the cost model prices it, the handler checks it against its time.
 */
import type { Cell } from './task.js';

type CostShape = Pick<Cell, 'n' | 'epochs' | 'valSize' | 'hidden' | 'inputDim'>;

/** Relative cost of training `lambdaCount` λ of a cell: pattern-epochs × λ, plus the validation passes. */
export function predictedCost(cell: CostShape, lambdaCount: number): number {
  const perPattern = cell.hidden * (cell.inputDim + 2);
  return lambdaCount * perPattern * (cell.n * cell.epochs + (cell.valSize + cell.n) / 3);
}

/** Relative cost of one task. */
export function taskCost(task: CostShape & { lambdas: readonly number[] }): number {
  return predictedCost(task, task.lambdas.length);
}
