/** A sweep's cell with the points its grid or search asked of it (pure): the analysis' input. */
import type { Cell, LambdaMetrics } from '../../functions/trainer/task.js';
import type { PlannedCell } from '../plan/planner.js';
import type { CellOutcome } from '../search/cell-search.js';
import { cellProgress } from '../search/cell-search.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { PointIndex } from './point-index.js';

export interface SweepCell {
  id: string;
  cell: Cell;
  /** How the cell ended; undefined while points are missing (it is incomplete). */
  outcome?: CellOutcome;
  /** Rounds after the start grid (adaptive). */
  rounds: number;
  /** The known points the sweep asked of the cell, ascending λ: only these enter its answer. */
  points: LambdaMetrics[];
}

/** `planned` with the points `index` holds of what the sweep asks of it. */
export function sweepCell(spec: CanonicalSpec, planned: PlannedCell, index: PointIndex): SweepCell {
  const progress = cellProgress(spec, (l) => index.valLoss(planned.id, l));
  const points = progress.asked.flatMap((l) => index.metrics(planned.id, l) ?? []);
  return { id: planned.id, cell: planned.cell, outcome: progress.outcome, rounds: progress.round, points };
}
