/** results.csv: one row per task × λ, for pandas or R. */
import type { TaskResult, TrainingOptions } from '../../functions/trainer/task.js';
import { DEFAULT_OPTIONS } from '../../functions/trainer/task.js';
import { lambdaStar } from '../analysis/lambda-star.js';

const OPTION_COLUMNS = Object.keys(DEFAULT_OPTIONS) as (keyof TrainingOptions)[];
const HEADER = [
  'sweep_id', 'task_id', 'reg', 'init_factor', 'n', 'seed', ...OPTION_COLUMNS,
  'lambda', 'train_loss', 'train_objective', 'val_loss', 'val_error', 'weight_norm', 'is_lambda_star', 'digest',
];

/** The CSV header line and one line per (result, λ), rows ordered as given. */
export function* csvLines(sweepId: string, results: Iterable<TaskResult>): Generator<string> {
  yield HEADER.join(',');
  for (const r of results) {
    const star = lambdaStar(r.metrics).lambda;
    const fixed = [sweepId, r.taskId, r.task.reg, r.task.initFactor, r.task.n, r.task.seed, ...OPTION_COLUMNS.map((k) => r.task[k])];
    for (const m of [...r.metrics].sort((a, b) => a.lambda - b.lambda)) {
      yield [...fixed, m.lambda, m.trainLoss, m.trainObjective, m.valLoss, m.valError, m.weightNorm, m.lambda === star ? 1 : 0, r.digest]
        .map(String)
        .join(',');
    }
  }
}
