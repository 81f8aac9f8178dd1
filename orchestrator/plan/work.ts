/**
 * What a sweep will train, before it runs (pure): points and λ-pattern-epochs per cell, exact for a
 * fixed grid and a range for an adaptive search — the start grid alone is the lower bound, every
 * cell using all its rounds the upper bound.
 */
import { MAX_POINTS_PER_ROUND } from '../search/adaptive.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { PlannedTask } from './planner.js';
import { planCells, taskFor } from './planner.js';

/** λ per cell: [at least, at most]. */
export function lambdasPerCell(spec: CanonicalSpec): [number, number] {
  if (!spec.search) {
    const n = spec.lambdas?.length ?? 0;
    return [n, n];
  }
  const start = spec.search.start.length;
  return [start, start + spec.search.maxRounds * MAX_POINTS_PER_ROUND];
}

export interface WorkRange {
  points: [number, number];
  /** Σ N × epochs over the points: λ-pattern-epochs. */
  work: [number, number];
  /** The largest N (its cells take longest). */
  largestN: number;
}

export function workRange(spec: CanonicalSpec): WorkRange {
  const [lo, hi] = lambdasPerCell(spec);
  let patternEpochs = 0;
  let cells = 0;
  let largestN = 0;
  for (const { cell } of planCells(spec)) {
    cells++;
    patternEpochs += cell.n * cell.epochs;
    largestN = Math.max(largestN, cell.n);
  }
  return { points: [cells * lo, cells * hi], work: [patternEpochs * lo, patternEpochs * hi], largestN };
}

/**
 * The tasks of the bounds, as the executor would see them: the first round (one task per cell with
 * its grid or start λ), and each later round at most (one task per cell with the most λ a round adds).
 */
export function boundTasks(spec: CanonicalSpec): { first: PlannedTask[]; laterRound: PlannedTask[]; laterRounds: number } {
  const first: PlannedTask[] = [];
  const laterRound: PlannedTask[] = [];
  // Stand-in λ for the cost of a later round: only how many there are matters to the cost model.
  const later = Array.from({ length: MAX_POINTS_PER_ROUND }, (_, i) => 1 + i);
  for (const { cell } of planCells(spec)) {
    first.push(taskFor(cell, spec.search?.start ?? spec.lambdas ?? []));
    if (spec.search) laterRound.push(taskFor(cell, later));
  }
  return { first, laterRound, laterRounds: spec.search?.maxRounds ?? 0 };
}
