/** How `plan` prints figures: dollars, durations and ranges (pure). */

export interface Range<T> {
  /** Lower bound: the grid, or the start grid of every adaptive search. */
  min: T;
  /** Upper bound: the grid, or every adaptive search using all its rounds. */
  max: T;
}

export const money = (v: number) => `$${v < 0.01 ? v.toFixed(5) : v.toFixed(2)}`;
export const duration = (s: number) => (s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(2)} h`);

/** "a" for a fixed grid, "a … b" for a range. */
export function range<T>(r: Range<T>, f: (v: T) => string): string {
  const [a, b] = [f(r.min), f(r.max)];
  return a === b ? a : `${a} … ${b}`;
}
