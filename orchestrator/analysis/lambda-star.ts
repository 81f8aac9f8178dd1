/** λ* of one task (PROTOCOL §7): the grid argmin of the validation loss, its edge flag, and the sub-grid refinement. */
import type { LambdaMetrics } from '../../functions/trainer/task.js';

export interface LambdaStar {
  /** The grid λ with the lowest validation loss (ties: the smaller λ). */
  lambda: number;
  /** The vertex of the parabola through (log₁₀λ, valLoss) at the argmin and its neighbours, when it is a minimum inside their span; else `lambda`. */
  subgrid: number;
  /** Which grid edge λ* sits on, if any. */
  edge: 'low' | 'high' | null;
}

export function lambdaStar(metrics: readonly LambdaMetrics[]): LambdaStar {
  if (metrics.length === 0) throw new RangeError('lambdaStar: needs at least one λ');
  const sorted = [...metrics].sort((a, b) => a.lambda - b.lambda);
  let best = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i].valLoss < sorted[best].valLoss) best = i;
  const lambda = sorted[best].lambda;
  const edge = sorted.length === 1 ? null : best === 0 ? 'low' : best === sorted.length - 1 ? 'high' : null;
  let subgrid = lambda;
  if (best > 0 && best < sorted.length - 1) {
    const v = parabolaVertex(
      [Math.log10(sorted[best - 1].lambda), Math.log10(lambda), Math.log10(sorted[best + 1].lambda)],
      [sorted[best - 1].valLoss, sorted[best].valLoss, sorted[best + 1].valLoss],
    );
    if (v !== null) subgrid = 10 ** v;
  }
  return { lambda, subgrid, edge };
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
