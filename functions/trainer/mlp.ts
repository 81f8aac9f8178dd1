/**
 * The D → H tanh → 1 sigmoid network (PROTOCOL §2–3) as plain functions over Float64Array.
 *
 * One network's parameters are one flat block [W1 (H×D, row-major) | b1 (H) | v (H) | b2], so a
 * task's λ copies stack as consecutive blocks of one array. Every sum runs in a fixed order (bias
 * first, then ascending index) so results are bit-identical wherever they run.
 */
import type { Dataset } from './data.js';
import type { Rng } from './rng.js';
import type { Reg } from './task.js';
import { exp, log1p } from './fdlibm.js';
import { evaluatorFor } from './kernels.js';
import { tanh } from './tanh.js';

export interface Layout {
  dim: number;
  hidden: number;
  /** Offsets inside one block. */
  b1: number;
  v: number;
  b2: number;
  /** Parameters per network. */
  size: number;
}

export function layout(dim: number, hidden: number): Layout {
  const b1 = hidden * dim;
  return { dim, hidden, b1, v: b1 + hidden, b2: b1 + 2 * hidden, size: b1 + 2 * hidden + 1 };
}

/** Weights ~ N(0, f/K) with K the fan-in (D for W1, H for v), biases 0; W1 drawn before v. */
export function initWeights(rng: Rng, lay: Layout, factor: number): Float64Array {
  const p = new Float64Array(lay.size);
  const sdIn = Math.sqrt(factor / lay.dim);
  const sdOut = Math.sqrt(factor / lay.hidden);
  for (let i = 0; i < lay.b1; i++) p[i] = sdIn * rng.normal();
  for (let j = 0; j < lay.hidden; j++) p[lay.v + j] = sdOut * rng.normal();
  return p;
}

/** ln(1 + e^a) without overflow or ln(0). */
function softplus(a: number): number {
  return a > 0 ? a + log1p(exp(-a)) : log1p(exp(a));
}

/** Cross-entropy of target d ∈ {0,1} given the output logit a: softplus(a) − d·a. */
function crossEntropy(a: number, d: number): number {
  return softplus(a) - d * a;
}

function sigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + exp(-a));
  const e = exp(a);
  return e / (1 + e);
}

/** Output logit of the network at block offset `o` for pattern `i`; fills `h` with hidden outputs. */
function logit(p: Float64Array, o: number, lay: Layout, x: Float64Array, i: number, h: Float64Array): number {
  const { dim, hidden } = lay;
  const xo = i * dim;
  let a = p[o + lay.b2];
  for (let j = 0; j < hidden; j++) {
    let s = p[o + lay.b1 + j];
    const row = o + j * dim;
    for (let k = 0; k < dim; k++) s += p[row + k] * x[xo + k];
    const hj = tanh(s);
    h[j] = hj;
    a += p[o + lay.v + j] * hj;
  }
  return a;
}

/** Mean cross-entropy and misclassification rate (y ≥ 0.5 ⇔ logit ≥ 0 ⇒ class 1) over `data`. */
export function evaluate(p: Float64Array, o: number, lay: Layout, data: Dataset): { loss: number; error: number } {
  const { loss, wrong } = evaluatorFor(lay)(p, o, data.x, data.d, data.n);
  return { loss: loss / data.n, error: wrong / data.n };
}

/** Whether parameter index `i` of a block is regularized: weights always, biases on request. */
function isRegularized(lay: Layout, i: number, regularizeBiases: boolean): boolean {
  if (regularizeBiases) return true;
  return i < lay.b1 || (i >= lay.v && i < lay.b2);
}

/** Ω (L2: ½Σw², L1: Σ|w|) and ‖w‖₂ over the regularized parameters of one block. */
export function penalty(
  p: Float64Array,
  o: number,
  lay: Layout,
  reg: Reg,
  regularizeBiases: boolean,
): { omega: number; norm: number } {
  let sq = 0;
  let abs = 0;
  for (let i = 0; i < lay.size; i++) {
    if (!isRegularized(lay, i, regularizeBiases)) continue;
    const w = p[o + i];
    sq += w * w;
    abs += Math.abs(w);
  }
  return { omega: reg === 'l2' ? 0.5 * sq : abs, norm: Math.sqrt(sq) };
}

/**
 * Ẽ = E + λΩ over all of `data` and its gradient (subgradient sign(0) = 0 for L1). The reference
 * the fast training loop is checked against; not used on the hot path.
 */
export function objectiveAndGradient(
  p: Float64Array,
  lay: Layout,
  data: Dataset,
  lambda: number,
  reg: Reg,
  regularizeBiases: boolean,
): { value: number; grad: Float64Array } {
  const { dim, hidden } = lay;
  const grad = new Float64Array(lay.size);
  const h = new Float64Array(hidden);
  let loss = 0;
  for (let i = 0; i < data.n; i++) {
    const a = logit(p, 0, lay, data.x, i, h);
    loss += crossEntropy(a, data.d[i]);
    const delta = (sigmoid(a) - data.d[i]) / data.n;
    grad[lay.b2] += delta;
    for (let j = 0; j < hidden; j++) {
      grad[lay.v + j] += delta * h[j];
      const dh = delta * p[lay.v + j] * (1 - h[j] * h[j]);
      grad[lay.b1 + j] += dh;
      for (let k = 0; k < dim; k++) grad[j * dim + k] += dh * data.x[i * dim + k];
    }
  }
  for (let i = 0; i < lay.size; i++) {
    if (isRegularized(lay, i, regularizeBiases)) grad[i] += lambda * (reg === 'l2' ? p[i] : Math.sign(p[i]));
  }
  const { omega } = penalty(p, 0, lay, reg, regularizeBiases);
  return { value: loss / data.n + lambda * omega, grad };
}
