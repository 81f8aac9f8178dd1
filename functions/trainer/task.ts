/**
 * The unit of work: one (N, seed, init factor, reg) with every λ trained together, and its result.
 * Field meanings and defaults are PROTOCOL §1–4.
 */

/** Bump whenever a change can alter any result bit: it is part of every task id. */
export const TRAINER_VERSION = '1.0.0';

export type Reg = 'l1' | 'l2';

/** Training options (PROTOCOL §1–4); every one has a protocol default. */
export interface TrainingOptions {
  inputDim: number;
  hidden: number;
  separation: number;
  sigma: number;
  valSize: number;
  standardize: boolean;
  learningRate: number;
  epochs: number;
  batchSize: number;
  regularizeBiases: boolean;
}

export const DEFAULT_OPTIONS: Readonly<TrainingOptions> = Object.freeze({
  inputDim: 10,
  hidden: 15,
  separation: 13.86,
  sigma: 8,
  valSize: 20000,
  standardize: true,
  learningRate: 0.1,
  epochs: 500,
  batchSize: 1,
  regularizeBiases: false,
});

export interface Task extends TrainingOptions {
  n: number;
  seed: number;
  initFactor: number;
  reg: Reg;
  lambdas: number[];
}

/** PROTOCOL §6, for one λ. */
export interface LambdaMetrics {
  lambda: number;
  trainLoss: number;
  trainObjective: number;
  valLoss: number;
  valError: number;
  weightNorm: number;
}

export interface TaskResult {
  taskId: string;
  task: Task;
  trainerVersion: string;
  metrics: LambdaMetrics[];
  /** sha256 over the bits of every metric: equal digests ⇔ identical numbers. */
  digest: string;
  wallMs: number;
}

/** A task with every option filled in from the protocol defaults. */
export function withDefaults(partial: Omit<Task, keyof TrainingOptions> & Partial<TrainingOptions>): Task {
  return { ...DEFAULT_OPTIONS, ...partial };
}
