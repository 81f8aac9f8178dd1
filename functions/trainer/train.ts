/**
 * Mini-batch gradient descent for every λ of a task at once (PROTOCOL §4).
 *
 * All λ share the data, the initial weights and the batch order, and are trained in one pass over
 * the data: the λ loop sits inside the pattern loop (B = 1) or inside the batch loop (B > 1). B = 1 applies each
 * gradient as it is computed; B > 1 accumulates the batch, then applies its mean; B ≥ N is full batch.
 */
import type { Dataset } from './data.js';
import { kernelsFor } from './kernels.js';
import type { Layout } from './mlp.js';
import type { Rng } from './rng.js';
import type { Reg } from './task.js';

export interface SgdOptions {
  learningRate: number;
  epochs: number;
  batchSize: number;
  reg: Reg;
  regularizeBiases: boolean;
}

/** Trains the stacked networks in `params` (one block per λ) in place. */
export function trainAll(
  params: Float64Array,
  lay: Layout,
  lambdas: readonly number[],
  data: Dataset,
  opts: SgdOptions,
  shuffle: Rng,
): void {
  const { online, batch: batchStep } = kernelsFor(lay, opts.reg, opts.regularizeBiases);
  const nl = lambdas.length;
  const eta = opts.learningRate;
  const { x, d, n } = data;
  const order = new Int32Array(n);
  const batch = Math.max(1, Math.min(opts.batchSize, n));
  // One network's gradient, kept zeroed between uses by the batch kernel.
  const grad = new Float64Array(lay.size);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    permute(order, shuffle);
    if (batch === 1) {
      for (let b = 0; b < n; b++) online(params, x, d, order[b], nl, lambdas, eta);
      continue;
    }
    for (let start = 0; start < n; start += batch) {
      batchStep(params, grad, x, d, order, start, Math.min(start + batch, n), nl, lambdas, eta);
    }
  }
}

/** The order the patterns are visited in, epoch by epoch: what `trainAll` draws from `shuffle`. */
export function epochOrders(n: number, epochs: number, shuffle: Rng): Int32Array[] {
  return Array.from({ length: epochs }, () => {
    const order = new Int32Array(n);
    permute(order, shuffle);
    return order;
  });
}

/** Fisher–Yates shuffle of the identity: a fresh uniform permutation each epoch. */
export function permute(order: Int32Array, rng: Rng): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
