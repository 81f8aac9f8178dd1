/**
 * Adaptive λ* search for one cell (pure: no I/O, no clock).
 *
 * 1. Evaluate the start grid.
 * 2. While λ* — the argmin of the validation loss over the points this search asked for — is the
 *    smallest or largest of them, step past that edge by `extendFactor` (clipped to the bounds)
 *    until a minimum is bracketed; a λ* on a bound ends the search as "at bound", never as interior.
 *    While every point diverged, step below the smallest (a diverged point is worse than any other).
 * 3. Refine: while a neighbour of λ* lies more than `resolution` away, add points between them,
 *    placed by the parabola through λ* and its neighbours (in log λ, as in Brent's method): one
 *    resolution step either side of λ* when the parabola's vertex is close to it, else one point
 *    just past the vertex.
 *    On a flat run — the plateau of a collapsed network, see ADAPTIVE_TIE — the gap below λ* is
 *    halved instead, to find where the plateau starts.
 *
 * Each step is a pure function of the points asked so far, so a search replayed from stored points
 * asks for exactly the same λ: resumable with no state, and the same spec gives the same points.
 * New λ are rounded to 6 significant digits (exact in decimal), so they print and hash cleanly.
 */
import { ADAPTIVE_TIE, argminIndex, parabolaVertex } from '../analysis/lambda-star.js';

export interface AdaptiveSearch {
  /** Ascending, at least two, inside the bounds. */
  start: number[];
  /** The largest ratio allowed between λ* and each of its nearest evaluated neighbours. */
  resolution: number;
  /** No λ is evaluated outside [lowest, highest]. */
  bounds: [number, number];
  /** Rounds after the start grid before a cell is given up as unresolved. */
  maxRounds: number;
  /** The step past an edge of the evaluated λ. */
  extendFactor: number;
}

export const DEFAULT_SEARCH: Readonly<AdaptiveSearch> = Object.freeze({
  start: [1e-4, 1e-3, 1e-2, 1e-1, 1],
  resolution: 2 ** 0.25,
  bounds: [1e-8, 1e3] as [number, number],
  maxRounds: 12,
  extendFactor: 10,
});

/** A λ and its validation loss; null when its training diverged (never λ*). */
export interface Evaluated {
  lambda: number;
  valLoss: number | null;
}

/** How a search ended: at its resolution, on a bound, out of rounds, or with no finite point. */
export type SearchOutcome = 'resolved' | 'bound-low' | 'bound-high' | 'round-cap' | 'all-diverged';

/** The most points one round adds to a cell: one per side of λ*. */
export const MAX_POINTS_PER_ROUND = 2;

const snap = (x: number) => Number(x.toPrecision(6));

/**
 * x rounded to 6 significant digits, but never further from `toward` than x: a point placed one
 * resolution step from λ* stays within that step after rounding.
 */
function snapToward(x: number, toward: number): number {
  const s = snap(x);
  if ((s - x) * (toward - x) >= 0) return s;
  const unit = 10 ** (Math.floor(Math.log10(s)) - 5);
  return snap(toward > x ? s + unit : s - unit);
}

/** The next λ to evaluate for a cell, given every point asked so far (ascending λ), or how it ended. */
export function nextLambdas(s: AdaptiveSearch, points: readonly Evaluated[]): { next: number[] } | { outcome: SearchOutcome } {
  const i = argminIndex(points.map((p) => p.valLoss), ADAPTIVE_TIE);
  if (i < 0) {
    // Every λ diverged: too large a λ makes the update overshoot, so step below the smallest;
    // at the lower bound it is the learning rate, and there is nothing left to try.
    const lowest = points[0].lambda;
    if (lowest <= s.bounds[0]) return { outcome: 'all-diverged' };
    return { next: [Math.max(s.bounds[0], snap(lowest / s.extendFactor))] };
  }
  const star = points[i].lambda;
  if (i === 0) {
    if (star <= s.bounds[0]) return { outcome: 'bound-low' };
    return { next: [Math.max(s.bounds[0], snap(star / s.extendFactor))] };
  }
  if (i === points.length - 1) {
    if (star >= s.bounds[1]) return { outcome: 'bound-high' };
    return { next: [Math.min(s.bounds[1], snap(star * s.extendFactor))] };
  }
  const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
  const step = Math.log(s.resolution);
  // Slack for the rounding of the logarithms only: stepped points are snapped towards λ*.
  const tolerance = step * (1 + 1e-9);
  const ub = Math.log(b.lambda);
  const gapLow = ub - Math.log(a.lambda);
  const gapHigh = Math.log(c.lambda) - ub;
  if (gapLow <= tolerance && gapHigh <= tolerance) return { outcome: 'resolved' };
  const next: number[] = [];
  const halve = (x: Evaluated, y: Evaluated) => snap(Math.sqrt(x.lambda * y.lambda));
  const stepDown = () => snapToward(Math.exp(ub - Math.min(gapLow / 2, step)), b.lambda);
  const stepUp = () => snapToward(Math.exp(ub + Math.min(gapHigh / 2, step)), b.lambda);
  if (tied(b, c)) {
    // λ* is the low end of a flat run (a collapsed network's plateau): look for where it starts by
    // halving the gap below (the parabola means nothing on a plateau), and close in from above.
    if (gapLow > tolerance) next.push(halve(a, b));
    if (gapHigh > tolerance) next.push(stepUp());
  } else if (a.valLoss === null || c.valLoss === null) {
    // A diverged neighbour says only that the loss is worse there: halve the gap towards it, and
    // close in on the other side.
    if (gapLow > tolerance) next.push(a.valLoss === null ? halve(a, b) : stepDown());
    if (gapHigh > tolerance) next.push(c.valLoss === null ? halve(b, c) : stepUp());
  } else {
    const [x0, x2] = [Math.log(a.lambda), Math.log(c.lambda)];
    const v = (parabolaVertex([x0, ub, x2], [a.valLoss as number, b.valLoss as number, c.valLoss as number]) ?? ub) - ub;
    if (Math.abs(v) <= step) {
      // The minimum is near λ*: close in with one point at one resolution step on each open side.
      if (gapLow > tolerance) next.push(stepDown());
      if (gapHigh > tolerance) next.push(stepUp());
    } else if (v < 0) {
      // The parabola puts the minimum further out: one point just past its vertex, never beyond
      // half the gap; λ* will move there, so the other side needs nothing yet.
      next.push(snap(Math.exp(ub - Math.min(gapLow / 2, -v + step / 2))));
    } else {
      next.push(snap(Math.exp(ub + Math.min(gapHigh / 2, v + step / 2))));
    }
  }
  return { next: next.filter((l) => !points.some((p) => p.lambda === l)) };
}

/** Whether two losses count as equal for the search (see ADAPTIVE_TIE). */
function tied(a: Evaluated, b: Evaluated): boolean {
  return a.valLoss !== null && b.valLoss !== null && Math.abs(a.valLoss - b.valLoss) <= ADAPTIVE_TIE * Math.abs(Math.min(a.valLoss, b.valLoss));
}

/** Where a cell's search stands, replayed from the points known so far. */
export interface SearchState {
  /** Every λ the search has asked for so far, ascending. */
  asked: number[];
  /** Rounds after the start grid. */
  round: number;
  /** Asked λ with no known value yet: the search waits for them. */
  missing: number[];
  /** Set when the search has ended. */
  outcome?: SearchOutcome;
}

/**
 * Replays a cell's search from its start grid, looking up each asked λ with `valueOf` (undefined:
 * not evaluated yet; null: diverged). Deterministic: the same values give the same points.
 */
export function replaySearch(s: AdaptiveSearch, valueOf: (lambda: number) => number | null | undefined): SearchState {
  let asked = [...s.start];
  for (let round = 0; ; round++) {
    const missing = asked.filter((l) => valueOf(l) === undefined);
    if (missing.length > 0) return { asked, round, missing };
    const step = nextLambdas(s, asked.map((lambda) => ({ lambda, valLoss: valueOf(lambda) as number | null })));
    if ('outcome' in step) return { asked, round, missing: [], outcome: step.outcome };
    // No new point can happen only through rounding at a resolution near 6 digits: take it as reached.
    if (step.next.length === 0) return { asked, round, missing: [], outcome: 'resolved' };
    if (round >= s.maxRounds) return { asked, round, missing: [], outcome: 'round-cap' };
    asked = [...asked, ...step.next].sort((x, y) => x - y);
  }
}
