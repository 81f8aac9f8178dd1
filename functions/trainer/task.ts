/**
 * The unit of work: one cell — (N, seed, init factor, reg, training options) — with a list of λ
 * trained together, and its result. Field meanings and defaults are PROTOCOL §1–4.
 */
import type { Provenance } from '../provenance.js';

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

/** Everything a task fixes except its λ list. A point is a cell plus one λ. */
export interface Cell extends TrainingOptions {
  n: number;
  seed: number;
  initFactor: number;
  reg: Reg;
}

export interface Task extends Cell {
  /** Ascending, distinct. Each λ trains independently of the others (a tested guarantee). */
  lambdas: number[];
}

/** PROTOCOL §6, for one λ whose training stayed finite. */
export interface FiniteMetrics {
  lambda: number;
  trainLoss: number;
  trainObjective: number;
  valLoss: number;
  valError: number;
  weightNorm: number;
}

/** A λ whose training diverged (a weight or a loss became infinite or NaN): it has no metrics. */
export interface DivergedMetrics {
  lambda: number;
  diverged: true;
}

export type LambdaMetrics = FiniteMetrics | DivergedMetrics;

export function isDiverged(m: LambdaMetrics): m is DivergedMetrics {
  return 'diverged' in m;
}

export interface TaskResult {
  taskId: string;
  task: Task;
  trainerVersion: string;
  metrics: LambdaMetrics[];
  /** sha256 over the bits of every metric: equal digests ⇔ identical numbers. */
  digest: string;
  wallMs: number;
  /**
   * Where and how it was produced, set by the adapter that ran it (never part of the digest);
   * absent from results stored before lambdastar recorded it.
   */
  provenance?: Provenance;
}

/** A task with every option filled in from the protocol defaults. */
export function withDefaults(partial: Omit<Task, keyof TrainingOptions> & Partial<TrainingOptions>): Task {
  return { ...DEFAULT_OPTIONS, ...partial };
}
