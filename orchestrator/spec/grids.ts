/** The λ and N grids of the thesis (PROTOCOL §8). */

/** {1, 2, 4, 8} × 10^k from `from` up to and including `to`, as exact decimal literals. */
export function lambdaGrid(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = -12; k <= 6; k++) {
    for (const m of [1, 2, 4, 8]) {
      const v = Number(`${m}e${k}`);
      if (v >= from && v <= to) out.push(v);
    }
  }
  return out;
}

/** 14 values, 1e-5 … 2e-2. */
export const THESIS_LAMBDAS = lambdaGrid(1e-5, 2e-2);
/** 22 values, 1e-5 … 2. */
export const EXTENDED_LAMBDAS = lambdaGrid(1e-5, 2);

export const INITIAL_N = [8, 12, 20, 32, 50, 80, 128, 202, 322, 510, 810, 1286, 2042, 3240];
export const LATER_N = [108, 158, 230, 338, 494, 722, 1056, 1544, 2256, 3300];
