/** How a sweep chose its λ, in words, for the report and the terminal. */
import type { Analysis } from '../analysis/analysis-types.js';

const e = (v: number) => v.toExponential(1);
const ratio = (v: number | null) => (v === null ? '—' : `×${v.toFixed(3)}`);

export function lambdasText(a: Analysis): string {
  if (a.lambdas.mode === 'grid') {
    const g = a.lambdas.grid;
    return `λ grid ${e(Math.min(...g))} … ${e(Math.max(...g))} (${g.length} values)`;
  }
  const s = a.lambdas.search;
  return `adaptive λ search from ${s.start.map(e).join(', ')} to a resolution of ×${s.resolution.toFixed(3)}, within [${e(s.bounds[0])}, ${e(s.bounds[1])}], at most ${s.maxRounds} rounds`;
}

/** A point's resolution: the worst ratio between λ* and its nearest evaluated neighbours. */
export const resolutionText = ratio;
