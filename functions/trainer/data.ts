/**
 * Synthetic two-Gaussian data (PROTOCOL §1). Pattern i of a stream has class i mod 2 and
 * x = μ_c + σ·z with μ_{1,0} = ±(s/2)·e₁, so every training set is a prefix of its seed's stream
 * and every even-length prefix is balanced.
 */
import type { Rng } from './rng.js';

export interface Dataset {
  /** n × dim, row-major. */
  x: Float64Array;
  /** Targets 0 or 1. */
  d: Float64Array;
  n: number;
  dim: number;
}

export interface DataShape {
  inputDim: number;
  separation: number;
  sigma: number;
}

/** The first `n` patterns of the stream `rng`. */
export function generate(rng: Rng, n: number, shape: DataShape): Dataset {
  const dim = shape.inputDim;
  const x = new Float64Array(n * dim);
  const d = new Float64Array(n);
  const half = shape.separation / 2;
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    d[i] = c;
    const row = i * dim;
    for (let k = 0; k < dim; k++) x[row + k] = shape.sigma * rng.normal();
    x[row] += c === 1 ? half : -half;
  }
  return { x, d, n, dim };
}

export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

/** Per-dimension mean and population std of `data`; a constant dimension gets scale 1. */
export function fitStandardizer(data: Dataset): Standardizer {
  const { x, n, dim } = data;
  const mean = new Float64Array(dim);
  const scale = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) mean[k] += x[i * dim + k];
  for (let k = 0; k < dim; k++) mean[k] /= n;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < dim; k++) {
      const dev = x[i * dim + k] - mean[k];
      scale[k] += dev * dev;
    }
  }
  for (let k = 0; k < dim; k++) {
    const std = Math.sqrt(scale[k] / n);
    scale[k] = std > 0 ? std : 1;
  }
  return { mean, scale };
}

/** A new dataset with (x − mean) / scale applied per dimension. */
export function applyStandardizer(data: Dataset, s: Standardizer): Dataset {
  const { x, n, dim } = data;
  const out = new Float64Array(x.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < dim; k++) out[i * dim + k] = (x[i * dim + k] - s.mean[k]) / s.scale[k];
  }
  return { x: out, d: data.d, n, dim };
}
