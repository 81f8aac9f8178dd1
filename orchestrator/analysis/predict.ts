/** λ* for a new N from a sweep's fitted power law λ* = C·N^slope (pure). */
import type { Analysis, GroupAnalysis } from './analysis-types.js';
import type { LineFit } from './stats.js';
import { linearRegression, predictionInterval } from './stats.js';

export interface LambdaPrediction {
  n: number;
  reg: string;
  initFactor: number;
  group: string;
  lambdaStar: number;
  /** 95 % prediction interval for λ* at this N (one seed's λ* … mean over seeds, see README). */
  interval: [number, number];
  fit: { c: number; slope: LineFit; fittedN: number[] };
  outsideFittedRange: boolean;
  warning: string | null;
}

export class PredictError extends Error {
  readonly code = 'PREDICT';
}

/** The one group matching reg and init factor (or the only one when they are not given). */
export function pickGroup(analysis: Analysis, reg?: string, initFactor?: number): GroupAnalysis {
  const matches = analysis.groups.filter((g) => (reg === undefined || g.reg === reg) && (initFactor === undefined || g.initFactor === initFactor));
  const labels = analysis.groups.map((g) => g.label).join('; ');
  if (matches.length === 0) throw new PredictError(`--reg/--init-factor: no group matches; the sweep has ${labels}`);
  if (matches.length > 1) throw new PredictError(`--reg/--init-factor: ${matches.length} groups match (${matches.map((g) => g.label).join('; ')}); name one`);
  return matches[0];
}

/**
 * Fits log₁₀(mean λ*) = log₁₀C + slope·log₁₀N over the group's N (leaving out grid-edge-dominated
 * N when `excludeEdges`) and predicts λ* at `n` with a 95 % prediction interval.
 */
export function predictLambdaStar(group: GroupAnalysis, n: number, excludeEdges = false): LambdaPrediction {
  const points = group.points.filter((p) => !excludeEdges || !group.edgeDominatedN.includes(p.n));
  if (points.length < 3) {
    throw new PredictError(`the fit needs at least 3 N values, the sweep has ${points.length}${excludeEdges ? ' without grid-edge N' : ''}; sweep more N`);
  }
  const xs = points.map((p) => Math.log10(p.n));
  const ys = points.map((p) => Math.log10(p.meanLambdaStar));
  const slope = linearRegression(xs, ys);
  const p = predictionInterval(xs, ys, Math.log10(n));
  const fittedN = points.map((q) => q.n);
  const lo = Math.min(...fittedN);
  const hi = Math.max(...fittedN);
  const outside = n < lo || n > hi;
  return {
    n,
    reg: group.reg,
    initFactor: group.initFactor,
    group: group.label,
    lambdaStar: 10 ** p.value,
    interval: [10 ** p.lo, 10 ** p.hi],
    fit: { c: 10 ** slope.intercept, slope, fittedN },
    outsideFittedRange: outside,
    warning: outside ? `N = ${n} lies outside the fitted range ${lo} … ${hi}: this is an extrapolation of the power law` : null,
  };
}
