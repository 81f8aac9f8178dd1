/**
 * λ* of one cell (PROTOCOL §7) over the λ a sweep evaluated for it: the argmin of the validation
 * loss, its edge flag, the sub-grid refinement, and how finely the evaluated λ resolve it.
 */
import type { FiniteMetrics, LambdaMetrics } from '../../functions/trainer/task.js';
import { isDiverged } from '../../functions/trainer/task.js';

export interface LambdaStar {
  /** The evaluated λ with the lowest validation loss (ties: the smaller λ); diverged λ never count. */
  lambda: number;
  /** The vertex of the parabola through (log₁₀λ, valLoss) at the argmin and its neighbours, when it is a minimum inside their span; else `lambda`. */
  subgrid: number;
  /** Which edge of the evaluated λ it sits on, if any. */
  edge: 'low' | 'high' | null;
  /** The larger ratio between λ* and its nearest evaluated neighbours; null on an edge or with one λ. */
  resolution: number | null;
  /** Its metrics. */
  metrics: FiniteMetrics;
}

/**
 * The relative tolerance within which an adaptive search counts two validation losses as tied: far
 * below the validation set's own noise (≈ 1e-2), above rounding noise. It matters on the plateau of a
 * collapsed network — λ so large that every weight decays to zero and the loss is the constant
 * predictor's at every such λ, equal up to ~1e-7 — which then counts as one value whose smallest λ
 * is λ*, instead of an arbitrary point of it chosen by rounding noise.
 */
export const ADAPTIVE_TIE = 1e-6;

/** The tie tolerance of a sweep's λ*: ADAPTIVE_TIE for an adaptive search, exact for a fixed grid. */
export function tieToleranceOf(spec: { search?: unknown }): number {
  return spec.search ? ADAPTIVE_TIE : 0;
}

/**
 * The index of λ* among losses ordered by ascending λ (null: diverged): the smallest λ whose loss is
 * within `tolerance` (relative) of the lowest — PROTOCOL §7's "ties: the smaller λ", exact when
 * `tolerance` is 0 (fixed grids). −1 when every loss is null.
 */
export function argminIndex(losses: readonly (number | null)[], tolerance = 0): number {
  let lowest = Infinity;
  for (const v of losses) if (v !== null && v < lowest) lowest = v;
  if (lowest === Infinity) return -1;
  const limit = lowest + tolerance * Math.abs(lowest);
  return losses.findIndex((v) => v !== null && v <= limit);
}

/** λ* of `metrics` (any order); null when every λ diverged. `tolerance`: see `argminIndex`. */
export function lambdaStar(metrics: readonly LambdaMetrics[], tolerance = 0): LambdaStar | null {
  if (metrics.length === 0) throw new RangeError('lambdaStar: needs at least one λ');
  const sorted = [...metrics].sort((a, b) => a.lambda - b.lambda);
  const best = argminIndex(sorted.map((m) => (isDiverged(m) ? null : m.valLoss)), tolerance);
  if (best < 0) return null;
  const star = sorted[best] as FiniteMetrics;
  const edge = sorted.length === 1 ? null : best === 0 ? 'low' : best === sorted.length - 1 ? 'high' : null;
  let subgrid = star.lambda;
  let resolution: number | null = null;
  if (best > 0 && best < sorted.length - 1) {
    const [a, c] = [sorted[best - 1], sorted[best + 1]];
    resolution = Math.max(star.lambda / a.lambda, c.lambda / star.lambda);
    if (!isDiverged(a) && !isDiverged(c)) {
      const v = parabolaVertex(
        [Math.log10(a.lambda), Math.log10(star.lambda), Math.log10(c.lambda)],
        [a.valLoss, star.valLoss, c.valLoss],
      );
      if (v !== null) subgrid = 10 ** v;
    }
  }
  return { lambda: star.lambda, subgrid, edge, resolution, metrics: star };
}

/** x of the vertex of the parabola through three points, when it is a minimum strictly inside [x0, x2]. */
export function parabolaVertex(x: readonly [number, number, number], y: readonly [number, number, number]): number | null {
  const [x0, x1, x2] = x;
  const [y0, y1, y2] = y;
  const denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
  if (denom === 0) return null;
  const a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
  const b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
  if (!(a > 0)) return null;
  const vertex = -b / (2 * a);
  return vertex > x0 && vertex < x2 ? vertex : null;
}
