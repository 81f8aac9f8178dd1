/** `lambdastar task`: train one task and optionally dump everything needed to check it elsewhere. */
import type { Dataset } from '../../functions/trainer/data.js';
import type { Layout } from '../../functions/trainer/mlp.js';
import { provenanceHere } from '../../functions/provenance.js';
import { prepareTask, runTask, shuffleStream } from '../../functions/trainer/run-task.js';
import { epochOrders } from '../../functions/trainer/train.js';
import { isDiverged } from '../../functions/trainer/task.js';
import { describeIssue, taskSchema } from '../../functions/trainer/validation.js';
import { LIMITS } from '../../functions/limits.js';
import { UsageError, flagOf } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { checkOutFile } from './out-folder.js';

export interface TaskFlags {
  n?: number;
  seed?: number;
  lambdas?: number[];
  reg: string;
  initFactor: number;
  batchSize?: number;
  epochs?: number;
  valSize?: number;
  hidden?: number;
  inputDim?: number;
  learningRate?: number;
  separation?: number;
  sigma?: number;
  standardize: boolean;
  regularizeBiases?: boolean;
  dump?: string;
  json?: boolean;
}

const rows = (d: Dataset) => Array.from({ length: d.n }, (_, i) => Array.from(d.x.subarray(i * d.dim, (i + 1) * d.dim)));

function initJson(p: Float64Array, lay: Layout) {
  return {
    W1: Array.from({ length: lay.hidden }, (_, j) => Array.from(p.subarray(j * lay.dim, (j + 1) * lay.dim))),
    b1: Array.from(p.subarray(lay.b1, lay.v)),
    w2: Array.from(p.subarray(lay.v, lay.b2)),
    b2: p[lay.b2],
  };
}

export async function taskCommand(flags: TaskFlags): Promise<void> {
  const input: Record<string, unknown> = {
    // A task's λ are ascending and distinct; the order given on the command line does not matter.
    n: flags.n, seed: flags.seed, lambdas: flags.lambdas && [...new Set(flags.lambdas)].sort((a, b) => a - b), reg: flags.reg, initFactor: flags.initFactor,
    standardize: flags.standardize, regularizeBiases: flags.regularizeBiases ?? false,
  };
  for (const k of ['batchSize', 'epochs', 'valSize', 'hidden', 'inputDim', 'learningRate', 'separation', 'sigma'] as const) {
    if (flags[k] !== undefined) input[k] = flags[k];
  }
  const parsed = taskSchema.safeParse(input);
  if (!parsed.success) throw new UsageError(describeIssue(parsed.error, 'task', flagOf));
  const task = parsed.data;
  if (flags.dump !== undefined) {
    const numbers = (task.n + task.valSize) * (task.inputDim + 1) + task.n * task.epochs;
    if (numbers > LIMITS.dumpNumbers) {
      throw new UsageError(`--dump: this task's inputs and batch orders are ${numbers} numbers; a dump holds at most ${LIMITS.dumpNumbers}: lower --n, --val-size or --epochs`);
    }
    await checkOutFile(flags.dump, '--dump');
  }
  const result = { ...runTask(task), provenance: provenanceHere({ kind: 'local' }) };
  if (flags.dump !== undefined) {
    const prep = prepareTask(task);
    const dump = {
      task,
      train: { x: rows(prep.train), d: Array.from(prep.train.d) },
      validation: { x: rows(prep.validation), d: Array.from(prep.validation.d) },
      init: initJson(prep.init, prep.lay),
      // The patterns' order in each epoch, so that mini-batch training can be checked too.
      order: epochOrders(task.n, task.epochs, shuffleStream(task)).map((o) => Array.from(o)),
      results: result.metrics,
    };
    await writeFileAtomic(flags.dump, `${JSON.stringify(dump)}\n`);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [`task ${result.taskId} · digest ${result.digest.slice(0, 16)}… · ${result.wallMs} ms`];
  lines.push(`${'λ'.padStart(9)} ${'trainLoss'.padStart(10)} ${'valLoss'.padStart(10)} ${'valError'.padStart(9)} ${'‖w‖'.padStart(8)}`);
  for (const m of result.metrics) {
    const λ = m.lambda.toExponential(1).padStart(9);
    if (isDiverged(m)) lines.push(`${λ}   diverged (a weight or a loss became infinite)`);
    else lines.push(`${λ} ${m.trainLoss.toFixed(5).padStart(10)} ${m.valLoss.toFixed(5).padStart(10)} ${m.valError.toFixed(4).padStart(9)} ${m.weightNorm.toFixed(3).padStart(8)}`);
  }
  if (flags.dump) lines.push(`wrote ${flags.dump}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
