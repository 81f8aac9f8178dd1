/** Which λ a sweep evaluates for one cell — its fixed grid or its adaptive search — and where that stands. */
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { SearchOutcome, SearchState } from './adaptive.js';
import { replaySearch } from './adaptive.js';

/** A grid cell ends as 'grid' once every grid λ is known. */
export type CellOutcome = SearchOutcome | 'grid';

export interface CellProgress extends Omit<SearchState, 'outcome'> {
  outcome?: CellOutcome;
}

/**
 * The λ the sweep asks of a cell so far, those still missing, and how the cell ended (when it
 * has). `valueOf` gives a λ's validation loss from the points known: undefined when not
 * evaluated, null when its training diverged.
 */
export function cellProgress(spec: Pick<CanonicalSpec, 'lambdas' | 'search'>, valueOf: (lambda: number) => number | null | undefined): CellProgress {
  if (spec.search) return replaySearch(spec.search, valueOf);
  const asked = spec.lambdas ?? [];
  const missing = asked.filter((l) => valueOf(l) === undefined);
  return missing.length > 0 ? { asked, round: 0, missing } : { asked, round: 0, missing, outcome: 'grid' };
}
