import { metricsDigest } from '../../functions/trainer/digest.js';
import type { Task, TaskResult } from '../../functions/trainer/task.js';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';

/** A well-formed result with zero metrics, as fast as a fake backend can make one. */
export function noopResult(id: string, task: Task): TaskResult {
  const metrics = task.lambdas.map((lambda) => ({ lambda, trainLoss: 0, trainObjective: 0, valLoss: 0, valError: 0, weightNorm: 0 }));
  return { taskId: id, task, trainerVersion: TRAINER_VERSION, metrics, digest: metricsDigest(metrics), wallMs: 0 };
}
