/**
 * How many seeds a study configuration runs next: from its sweep so far (the pilot, then every seed
 * run since), the planner's answer for the target half-width — or why it stops short of it.
 */
import type { GroupAnalysis } from '../analysis/analysis-types.js';
import { hasSpread, pilotModel, seedsForTarget } from '../analysis/seed-planner.js';
import { meaningfulCi } from '../analysis/stats.js';

/**
 * `reached`: the measured half-width is at most the target. `floor`: lack of fit puts the target
 * below what any number of seeds reaches. `cap`: the target needs more seeds than the cap.
 * `rounds`: the planning rounds ran out first. `no-ci`: the slope has no CI (fewer than 3 N with a λ*).
 */
export type SeedStatus = 'reached' | 'floor' | 'cap' | 'rounds' | 'no-ci';

export type SeedStep =
  | { next: number; predicted: number | null }
  | { done: SeedStatus; halfWidth: number | null; floor: number | null };

export interface SeedLimits {
  target: number;
  maxSeeds: number;
}

export const halfWidthOf = (g: GroupAnalysis): number | null => {
  const ci = g.slope && meaningfulCi(g.slope);
  return ci ? (ci[1] - ci[0]) / 2 : null;
};

/**
 * The next seed count for a configuration measured at `seeds` seeds over `ns`, or why it is done.
 * `roundsLeft` counts the planning rounds still allowed.
 */
export function nextSeeds(g: GroupAnalysis, ns: readonly number[], seeds: number, limits: SeedLimits, roundsLeft: number): SeedStep {
  const halfWidth = halfWidthOf(g);
  if (halfWidth === null || !hasSpread(g.points)) return { done: 'no-ci', halfWidth, floor: null };
  const model = pilotModel(g.points.map((p) => ({ n: p.n, lambdaStars: p.lambdaStars })));
  const advice = seedsForTarget(model, ns, limits.target, limits.maxSeeds);
  if (halfWidth <= limits.target) return { done: 'reached', halfWidth, floor: advice.floor };
  if (advice.status === 'unreachable' && (advice.recommended ?? 0) <= seeds) return { done: 'floor', halfWidth, floor: advice.floor };
  if (seeds >= limits.maxSeeds) return { done: 'cap', halfWidth, floor: advice.floor };
  if (roundsLeft <= 0) return { done: 'rounds', halfWidth, floor: advice.floor };
  // The model can call `seeds` enough while the measured CI says otherwise (a lucky or unlucky
  // pilot): then the measured half-width, shrinking as 1/√S, sizes the step instead.
  const byMeasure = Math.ceil(seeds * (halfWidth / limits.target) ** 2);
  const planned = advice.recommended ?? seeds;
  return { next: Math.min(limits.maxSeeds, planned > seeds ? planned : byMeasure), predicted: advice.halfWidth };
}
