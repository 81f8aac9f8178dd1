/** results.csv: one row per point of the sweep (cell fields, λ, metrics), for pandas or R. */
import type { TrainingOptions } from '../../functions/trainer/task.js';
import { DEFAULT_OPTIONS, isDiverged } from '../../functions/trainer/task.js';
import { lambdaStar, tieToleranceOf } from '../analysis/lambda-star.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { SweepCell } from '../sweep/sweep-cells.js';

const OPTION_COLUMNS = Object.keys(DEFAULT_OPTIONS) as (keyof TrainingOptions)[];
const METRICS = ['trainLoss', 'trainObjective', 'valLoss', 'valError', 'weightNorm'] as const;
const HEADER = [
  'sweep_id', 'cell_id', 'reg', 'init_factor', 'n', 'seed', ...OPTION_COLUMNS,
  'lambda', 'train_loss', 'train_objective', 'val_loss', 'val_error', 'weight_norm', 'diverged', 'is_lambda_star',
];

/**
 * The header line and one line per point, cells in the order given. `is_lambda_star` marks λ* of
 * cells whose grid or search is complete; a diverged point has empty metrics.
 */
export function* csvLines(sweepId: string, spec: CanonicalSpec, cells: Iterable<SweepCell>): Generator<string> {
  yield HEADER.join(',');
  for (const c of cells) {
    const star = c.outcome !== undefined && c.points.length > 0 ? lambdaStar(c.points, tieToleranceOf(spec))?.lambda : undefined;
    const fixed = [sweepId, c.id, c.cell.reg, c.cell.initFactor, c.cell.n, c.cell.seed, ...OPTION_COLUMNS.map((k) => c.cell[k])];
    for (const m of c.points) {
      const values = isDiverged(m) ? METRICS.map(() => '') : METRICS.map((f) => m[f]);
      yield [...fixed, m.lambda, ...values, isDiverged(m) ? 1 : 0, m.lambda === star ? 1 : 0].map(String).join(',');
    }
  }
}
