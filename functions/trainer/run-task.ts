/**
 * A task as a pure function: data, initial weights and shuffles from the task's own streams
 * (PROTOCOL §5), all λ trained together, then the metrics of PROTOCOL §6.
 */
import type { Dataset } from './data.js';
import { applyStandardizer, fitStandardizer, generate } from './data.js';
import type { Layout } from './mlp.js';
import { initWeights, layout, penalty } from './mlp.js';
import { defaultEngine } from './engines.js';
import type { TrainerEngine, TrainingRun } from './trainer-engine.js';
import { streamFor } from './rng.js';
import { metricsDigest } from './digest.js';
import { taskId } from './ids.js';
import type { LambdaMetrics, Task, TaskResult } from './task.js';
import { TRAINER_VERSION } from './task.js';

/** The file this trainer code was loaded from (a bundle, or a chunk of one): what a result's provenance hashes. */
export const TRAINER_URL = import.meta.url;

export interface PreparedTask {
  lay: Layout;
  train: Dataset;
  validation: Dataset;
  /** The initial weights every λ starts from. */
  init: Float64Array;
}

/** The task's shuffle stream: the batch order of every epoch (PROTOCOL §4–5). */
export function shuffleStream(task: Pick<Task, 'seed' | 'n'>) {
  return streamFor(task.seed, 'shuffle', task.n);
}

/** The inputs of a task exactly as the network sees them (standardized when the task says so). */
export function prepareTask(task: Task): PreparedTask {
  const shape = task;
  let train = generate(streamFor(task.seed, 'trainingData'), task.n, shape);
  let validation = generate(streamFor(task.seed, 'validationData'), task.valSize, shape);
  if (task.standardize) {
    const s = fitStandardizer(train);
    train = applyStandardizer(train, s);
    validation = applyStandardizer(validation, s);
  }
  const lay = layout(task.inputDim, task.hidden);
  const init = initWeights(streamFor(task.seed, 'initialWeights', task.n, task.initFactor), lay, task.initFactor);
  return { lay, train, validation, init };
}

/** What a trainer engine runs for `task`: its prepared inputs, its λ, options and shuffle stream. */
export function trainingRun(task: Task): TrainingRun {
  const { lay, train, validation, init } = prepareTask(task);
  return { lay, init, lambdas: task.lambdas, train, validation, opts: task, shuffle: shuffleStream(task) };
}

/** Trains every λ of `task` and returns its metrics, in the order of `task.lambdas`. */
export function trainTask(task: Task, engine: TrainerEngine = defaultEngine()): LambdaMetrics[] {
  const run = trainingRun(task);
  const { lay } = run;
  const { params, evaluations } = engine.run(run);
  return task.lambdas.map((lambda, l): LambdaMetrics => {
    const evaluation = evaluations[l];
    if (!evaluation) return { lambda, diverged: true };
    const { train: trainEval, validation: valEval } = evaluation;
    const { omega, norm } = penalty(params, l * lay.size, lay, task.reg, task.regularizeBiases);
    const metrics = {
      lambda,
      trainLoss: trainEval.loss,
      trainObjective: trainEval.loss + lambda * omega,
      valLoss: valEval.loss,
      valError: valEval.error,
      weightNorm: norm,
    };
    return Object.values(metrics).every(Number.isFinite) ? metrics : { lambda, diverged: true };
  });
}

/** Trains `task` and packages the result with its digest and wall time. */
export function runTask(task: Task, id: string = taskId(task), engine: TrainerEngine = defaultEngine()): TaskResult {
  const started = performance.now();
  const metrics = trainTask(task, engine);
  return {
    taskId: id,
    task,
    trainerVersion: TRAINER_VERSION,
    metrics,
    digest: metricsDigest(metrics),
    wallMs: Math.round(performance.now() - started),
  };
}
