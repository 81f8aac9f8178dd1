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
  // Which way these points move the slope depends on the data, so the warning gives both numbers and claims no direction.
  const compare = !slope
    ? ''
    : slopeWithoutEdges
      ? ` Without those N the slope is ${fmt(slopeWithoutEdges.value)}; with them, ${fmt(slope.value)}.`
      : ' Too few N are left to fit a slope without them.';
  if (spec.search) {
    // A search ends on an edge only at a bound (or out of rounds, warned about below).
    const high = points.filter((p) => half(p.highBoundCount, p)).map((p) => p.n);
    const low = points.filter((p) => half(p.lowBoundCount, p)).map((p) => p.n);
    const [lo, hi] = spec.search.bounds;
    if (high.length > 0) {
      out.push(`λ* sits on the upper bound of the search (${fmt(hi)}) for half or more of the seeds at N = ${high.join(', ')}: the optimum lies at or above it, so those mean λ* are lower bounds; raise the bound.${compare}`);
    }
    if (low.length > 0) {
      out.push(`λ* sits on the lower bound of the search (${fmt(lo)}) for half or more of the seeds at N = ${low.join(', ')}: the optimum lies at or below it, so those mean λ* are upper bounds; lower the bound.${compare}`);
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
      out.push(`λ* sits on the top of the λ grid (${fmt(Math.max(...grid))}) for half or more of the seeds at N = ${high.join(', ')}: the optimum lies at or above the grid's top, so those mean λ* are lower bounds.${compare}`);
    }
    if (low.length > 0) {
      out.push(`λ* sits on the bottom of the λ grid (${fmt(Math.min(...grid))}) for half or more of the seeds at N = ${low.join(', ')}: the optimum lies at or below the grid's bottom, so those mean λ* are upper bounds.${compare}`);
    }
  }
  const diverged = points.filter((p) => p.divergedPoints > 0);
  if (diverged.length > 0) {
    out.push(`Training diverged for ${diverged.reduce((s, p) => s + p.divergedPoints, 0)} point(s) at N = ${diverged.map((p) => p.n).join(', ')} (too large a λ or learning rate); they are never λ*.`);
  }
  if (allDivergedN.length > 0) out.push(`At N = ${allDivergedN.join(', ')} training diverged at every λ of every seed: there is no λ*; lower the learning rate.`);
  if (points.length === 1) out.push('Only one N has a λ*: there is no slope (it needs two or more N).');
  else if (points.length === 2) out.push('Only 2 N have a λ*: the slope has no confidence interval (it needs 3 or more).');
  return out;
}
