/** The analysis' warnings in words: where λ* sits on an edge or a bound, what ran out of rounds or diverged. */
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { PointSummary } from './analysis-types.js';
import type { LineFit } from './stats.js';

const fmt = (v: number) => Number(v.toPrecision(3)).toString();
const half = (count: number, p: PointSummary) => count * 2 >= p.seeds && count > 0;

export interface WarningInput {
  points: PointSummary[];
  spec: CanonicalSpec;
  slope: LineFit | null;
  slopeWithoutEdges: LineFit | null;
  /** N where every seed's training diverged at every λ. */
  allDivergedN: number[];
}

export function edgeWarnings({ points, spec, slope, slopeWithoutEdges, allDivergedN }: WarningInput): string[] {
  const out: string[] = [];
  const compare = slope && slopeWithoutEdges ? ` The slope without them is ${fmt(slopeWithoutEdges.value)} against ${fmt(slope.value)} with them.` : '';
  if (spec.search) {
    // A search ends on an edge only at a bound (or out of rounds, warned about below).
    const high = points.filter((p) => half(p.highBoundCount, p)).map((p) => p.n);
    const low = points.filter((p) => half(p.lowBoundCount, p)).map((p) => p.n);
    const [lo, hi] = spec.search.bounds;
    if (high.length > 0) {
      out.push(`λ* sits on the upper bound of the search (${fmt(hi)}) for half or more of the seeds at N = ${high.join(', ')}: the optimum lies above it, so these points pull the slope towards zero (flatter); raise the bound.${compare}`);
    }
    if (low.length > 0) {
      out.push(`λ* sits on the lower bound of the search (${fmt(lo)}) for half or more of the seeds at N = ${low.join(', ')}: the optimum lies below it, so these points bias the slope; lower the bound.${compare}`);
    }
    const capped = points.filter((p) => p.roundCapCount > 0);
    if (capped.length > 0) {
      const cells = capped.reduce((s, p) => s + p.roundCapCount, 0);
      out.push(`${cells} search(es) at N = ${capped.map((p) => p.n).join(', ')} ran out of rounds (maxRounds ${spec.search.maxRounds}) before λ* was resolved; raise maxRounds.`);
    }
  } else {
    const high = points.filter((p) => half(p.highEdgeCount, p)).map((p) => p.n);
    const low = points.filter((p) => half(p.lowEdgeCount, p)).map((p) => p.n);
    const grid = spec.lambdas ?? [];
    if (high.length > 0) {
      out.push(`λ* sits on the top of the λ grid (${fmt(Math.max(...grid))}) for half or more of the seeds at N = ${high.join(', ')}: the true optimum lies above the grid, so these points pull the slope towards zero (flatter).${compare}`);
    }
    if (low.length > 0) {
      out.push(`λ* sits on the bottom of the λ grid (${fmt(Math.min(...grid))}) for half or more of the seeds at N = ${low.join(', ')}: the true optimum lies below the grid, so these points bias the slope.${compare}`);
    }
  }
  const diverged = points.filter((p) => p.divergedPoints > 0);
  if (diverged.length > 0) {
    out.push(`Training diverged for ${diverged.reduce((s, p) => s + p.divergedPoints, 0)} point(s) at N = ${diverged.map((p) => p.n).join(', ')} (too large a λ or learning rate); they are never λ*.`);
  }
  if (allDivergedN.length > 0) out.push(`At N = ${allDivergedN.join(', ')} training diverged at every λ of every seed: there is no λ*; lower the learning rate.`);
  if (points.length < 3) out.push(`Only ${points.length} N value(s): the slope has no confidence interval (it needs 3 or more).`);
  return out;
}
