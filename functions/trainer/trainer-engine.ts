/**
 * The two implementations of training and evaluation behind one interface: the WebAssembly SIMD
 * kernels (fast; two λ per f64x2) and the JS kernels (the reference, and the fallback where
 * WebAssembly SIMD is unavailable). Both give identical bits; a result's provenance names the one
 * that ran.
 */
import type { Dataset } from './data.js';
import type { Layout } from './mlp.js';
import type { Rng } from './rng.js';
import type { KernelName } from './kernel-setting.js';
import type { SgdOptions } from './train.js';

export interface Evaluation {
  /** Mean cross-entropy. */
  loss: number;
  /** Fraction misclassified. */
  error: number;
}

export interface TrainingRun {
  lay: Layout;
  /** The initial weights every λ starts from. */
  init: Float64Array;
  lambdas: readonly number[];
  train: Dataset;
  validation: Dataset;
  opts: SgdOptions;
  shuffle: Rng;
}

export interface TrainedLambdas {
  /** Final parameters, one block per λ in the order of `lambdas` (mlp.ts's layout). */
  params: Float64Array;
  /** Per λ: its evaluation on the training and validation sets; undefined when a weight is not finite. */
  evaluations: ({ train: Evaluation; validation: Evaluation } | undefined)[];
}

export interface TrainerEngine {
  readonly kernel: KernelName;
  run(run: TrainingRun): TrainedLambdas;
}

export function allFinite(p: Float64Array, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (!Number.isFinite(p[i])) return false;
  return true;
}
