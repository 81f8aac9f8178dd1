/** How much of a sweep is missing, per N: what a partial report says it lacks (pure). */
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { SweepCell } from '../sweep/sweep-cells.js';

export interface MissingAtN {
  n: number;
  cells: number;
  /** Cells with points still missing (or a search not yet ended). */
  incomplete: number;
  /** Grid points not yet stored; null for a search, whose remaining points are not known in advance. */
  missingPoints: number | null;
}

/** The N with incomplete cells, ascending; empty when the sweep is complete. */
export function missingByN(spec: CanonicalSpec, cells: readonly SweepCell[]): MissingAtN[] {
  const byN = new Map<number, MissingAtN>();
  const grid = spec.search ? undefined : (spec.lambdas ?? []).length;
  for (const c of cells) {
    const m = byN.get(c.cell.n) ?? { n: c.cell.n, cells: 0, incomplete: 0, missingPoints: grid === undefined ? null : 0 };
    m.cells++;
    if (c.outcome === undefined) {
      m.incomplete++;
      if (grid !== undefined && m.missingPoints !== null) m.missingPoints += grid - c.points.length;
    }
    byN.set(c.cell.n, m);
  }
  return [...byN.values()].filter((m) => m.incomplete > 0).sort((a, b) => a.n - b.n);
}
