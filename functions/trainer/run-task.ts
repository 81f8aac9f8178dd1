/**
 * A task as a pure function: data, initial weights and shuffles from the task's own streams
 * (PROTOCOL §5), all λ trained together, then the metrics of PROTOCOL §6.
 */
import type { Dataset } from './data.js';
import { applyStandardizer, fitStandardizer, generate } from './data.js';
import type { Layout } from './mlp.js';
import { evaluate, initWeights, layout, penalty } from './mlp.js';
import { streamFor } from './rng.js';
import { metricsDigest } from './digest.js';
import { taskId } from './ids.js';
import type { LambdaMetrics, Task, TaskResult } from './task.js';
import { TRAINER_VERSION } from './task.js';
import { trainAll } from './train.js';

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

/** Trains every λ of `task` and returns its metrics, in the order of `task.lambdas`. */
export function trainTask(task: Task): LambdaMetrics[] {
  const { lay, train, validation, init } = prepareTask(task);
  const params = new Float64Array(lay.size * task.lambdas.length);
  for (let l = 0; l < task.lambdas.length; l++) params.set(init, l * lay.size);
  trainAll(params, lay, task.lambdas, train, task, shuffleStream(task));
  return task.lambdas.map((lambda, l): LambdaMetrics => {
    const o = l * lay.size;
    if (!allFinite(params, o, lay.size)) return { lambda, diverged: true };
    const trainEval = evaluate(params, o, lay, train);
    const valEval = evaluate(params, o, lay, validation);
    const { omega, norm } = penalty(params, o, lay, task.reg, task.regularizeBiases);
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

function allFinite(p: Float64Array, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (!Number.isFinite(p[i])) return false;
  return true;
}

/** Trains `task` and packages the result with its digest and wall time. */
export function runTask(task: Task, id: string = taskId(task)): TaskResult {
  const started = performance.now();
  const metrics = trainTask(task);
  return {
    taskId: id,
    task,
    trainerVersion: TRAINER_VERSION,
    metrics,
    digest: metricsDigest(metrics),
    wallMs: Math.round(performance.now() - started),
  };
}
