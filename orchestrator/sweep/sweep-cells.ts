/** A sweep's cells with the points its grid or search asked of them (pure): the analysis' input. */
import type { Cell, LambdaMetrics } from '../../functions/trainer/task.js';
import { planCells } from '../plan/planner.js';
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

/** Every cell of `spec`, longest first, with the points `index` holds of what the sweep asks. */
export function* sweepCells(spec: CanonicalSpec, index: PointIndex): Generator<SweepCell> {
  for (const { id, cell } of planCells(spec)) {
    const progress = cellProgress(spec, (l) => index.valLoss(id, l));
    const points = progress.asked.map((l) => index.metrics(id, l)).filter((m): m is LambdaMetrics => m !== undefined);
    yield { id, cell, outcome: progress.outcome, rounds: progress.round, points };
  }
}
