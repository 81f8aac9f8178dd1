/** The report's answer to "is λ* ∝ 1/N?", one paragraph per group, in plain words (pure). */
import type { GroupAnalysis } from '../analysis/analysis-types.js';
import type { LineFit } from '../analysis/stats.js';
import { meaningfulCi } from '../analysis/stats.js';

/** Three significant digits, with a typographic minus; rounding noise around zero reads as 0. */
export const num = (v: number) => (Math.abs(v) < 1e-12 ? '0' : Number(v.toPrecision(3)).toString().replace('-', '−'));

/** "N^−0.77 [−0.86, −0.68]" */
function power(fit: LineFit): string {
  const ci = meaningfulCi(fit);
  return `N^${num(fit.value)}${ci ? ` [${num(ci[0])}, ${num(ci[1])}]` : ''}`;
}

/** What the slope's 95 % CI says about 1/N. */
function verdict([lo, hi]: [number, number]): string {
  if (lo <= -1 && hi >= -1) return hi >= 0 ? 'the CI includes −1 but also 0: the data cannot tell 1/N from no trend' : 'the CI includes −1: consistent with λ* ∝ 1/N';
  if (hi < -1) return 'the CI lies below −1: λ* falls faster than 1/N';
  if (lo > 0) return 'the CI lies above 0: λ* grows with N, unlike 1/N';
  if (hi >= 0) return 'the CI excludes −1 and includes 0: no clear trend with N, and not 1/N';
  return 'the CI excludes −1: λ* falls slower than 1/N';
}

/** One paragraph: the fitted power, what its interval says about 1/N, and the caveat of edge points. */
export function answerText(g: GroupAnalysis): string {
  const ns = g.points.map((p) => p.n);
  const fit = g.slope;
  if (!fit) {
    return ns.length === 0
      ? `${g.label}: no N has a λ* yet, so there is no answer.`
      : `${g.label}: only N = ${ns[0]} has a λ*, so there is no slope (it needs two or more N).`;
  }
  if (g.edgeDominatedN.length === ns.length) {
    return `${g.label}: at every N, λ* sits on an edge of the λ evaluated for half or more of the seeds: the optimum lies outside the λ range, so no slope can be read from this sweep (the fit gives ${power(fit)}); widen the λ grid (or a search's bounds).`;
  }
  const span = `${ns.length} N from ${Math.min(...ns)} to ${Math.max(...ns)}`;
  // A direction is stated only where the interval supports it.
  const ci = meaningfulCi(fit);
  const verb = ci && (ci[1] < 0 || ci[0] > 0) ? (fit.value < 0 ? 'falls' : 'rises') : 'goes';
  const head = !fit.ci95
    ? `${g.label}: λ* goes as ${power(fit)} over ${span}; with fewer than 3 N the slope has no confidence interval, so whether λ* ∝ 1/N is open.`
    : !ci
      ? `${g.label}: λ* goes as ${power(fit)} over ${span}; the mean λ* lie exactly on a line, so the fit has no residual and no meaningful confidence interval: look at the spread over seeds (SEM) in the table.`
      : `${g.label}: λ* ${verb} as ${power(fit)} (95 % CI, over ${span}); ${verdict(ci)}.`;
  if (g.edgeDominatedN.length === 0) return head;
  const without = g.slopeWithoutEdges;
  const rest = without
    ? `without them the slope is ${power(without)}${meaningfulCi(without) ? '' : ' (no CI)'}`
    : 'too few N are left to fit a slope without them';
  return `${head} Caveat: at N = ${g.edgeDominatedN.join(', ')}, λ* sits on an edge of the λ evaluated for half or more of the seeds, so the optimum may lie beyond it; ${rest}.`;
}
