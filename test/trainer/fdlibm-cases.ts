/**
 * Arguments for checking the fdlibm ports (fdlibm.ts and the vector ports in wasm/): every branch
 * edge of e_exp.c, e_log.c and s_log1p.c, and random arguments that reach every branch.
 */
import { deriveRng, type Rng } from '../../functions/trainer/rng.js';
import { SPECIALS, around, fromWords, overExponents } from './float-bits.js';

/** Each branch edge of e_exp.c (thresholds, the k = ±1 band, k = −1021/1024, 2^-28), and multiples of ln2/4. */
export function expEdges(): number[] {
  const ln2 = Math.LN2;
  const points = [2 ** -28, 2 ** -54, 0.5 * ln2, 1.5 * ln2, 1, 1024 * ln2, 709.436, 709.782712893384, 708.39641853226, 707.7, 708.4,
    745.1332191019411, 745.13321910194122, 10, 37, 0.5,
    // High-word thresholds: 0x40862E42 (|x| ≥ 709.78), 0x3FD62E42 (½ln2), 0x3FF0A2B2 (1.5 ln2), 0x3E300000 (2^-28).
    fromWords(0x40862e42), fromWords(0x40862e43), fromWords(0x3fd62e42, 0xffffffff), fromWords(0x3fd62e43), fromWords(0x3ff0a2b2), fromWords(0x3ff0a2b1, 0xffffffff),
    fromWords(0x3e300000), fromWords(0x3e2fffff, 0xffffffff)];
  const out = [...SPECIALS, ...around(points)];
  // k from −1080 to 1030: 2^k's construction below and above k = −1021, and k = 1024.
  for (let k = -1080; k <= 1030; k++) for (const d of [-0.5, -0.25, 0, 0.25, 0.4999999, 0.5]) out.push((k + d) * ln2);
  return out;
}

/** Each branch edge of e_log.c: subnormals, the √2 normalization, the 2^-20 band around 1, and the i|j polynomial switch. */
export function logEdges(): number[] {
  const out = [...SPECIALS, 2 ** -1074, 2 ** -1073, 2 ** -1022 - 2 ** -1074, 2 ** -1030, -(2 ** -1030)];
  // Mantissa high words at each threshold: 0x6A09C (x or x/2), 0x6147A and 0x6B851 (i, j), 0 and
  // 0xFFFFE/0xFFFFF (the 2^-20 band), at exponents that give k = 0, ±1 and far away.
  const mantissas = [0, 1, 2, 3, 0xffffc, 0xffffd, 0xffffe, 0xfffff, 0x6a09b, 0x6a09c, 0x6a09d, 0x6147a, 0x61479, 0x6b851, 0x6b852, 0x95f64];
  for (const e of [0x001, 0x002, 0x3fd, 0x3fe, 0x3ff, 0x400, 0x401, 0x7fe]) {
    for (const m of mantissas) {
      for (const lo of [0, 1, 0xffffffff]) out.push(fromWords((e << 20) | m, lo));
    }
  }
  return [...out, ...around([1, 2, 0.5, Math.SQRT2, Math.SQRT1_2, 2 ** 20, 2 ** -20])];
}

/** Each branch edge of s_log1p.c, in x and in u = 1 + x. */
export function log1pEdges(): number[] {
  const out = [...SPECIALS, ...around([2 ** -29, 2 ** -54, 2 ** 53, 2 ** 52, 1])];
  // High words of x: 0x3FDA827A (√2 − 1), 0xBFD2BEC4 (1 − √2/2), 0x3E200000, 0x3C900000, 0x3FF00000, 0x43400000, 0x7FF00000.
  for (const hi of [0x3fda827a, 0xbfd2bec4, 0xbfd2bec5, 0x3e200000, 0xbe200000, 0x3c900000, 0xbc900000, 0xbff00000, 0x43400000, 0x7fefffff]) {
    for (const lo of [0, 1, 0xffffffff]) out.push(fromWords(hi, lo), fromWords(hi - 1, lo));
  }
  // u = 1 + x at its normalization threshold 0x6A09E and where hu == 0 (|f| < 2^-20), over k.
  for (const e of [0x3ca, 0x3fd, 0x3fe, 0x3ff, 0x400, 0x401, 0x433, 0x434, 0x7fe]) {
    for (const m of [0, 1, 0x6a09d, 0x6a09e, 0x6a09f, 0xffffc, 0xffffd, 0xfffff]) {
      for (const lo of [0, 1, 0xffffffff]) {
        const u = fromWords((e << 20) | m, lo);
        out.push(u - 1, u, -u);
      }
    }
  }
  // x = 2^k − 1: f = 0 with k ≠ 0, and its neighbours.
  for (let k = -60; k <= 70; k++) out.push(...around([2 ** k - 1], 2));
  return out;
}

/** `n` arguments from `draw`, with the project RNG seeded by `seed`. */
function randoms(n: number, seed: number, draw: (rng: Rng, i: number) => number): Float64Array {
  const rng = deriveRng([0xf0, seed]);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw(rng, i);
  return xs;
}

/** Random arguments that reach every branch of each function, and the ranges the trainer uses. */
export const random = {
  exp: (n: number) =>
    randoms(n, 1, (rng, i) => {
      const u = rng.uniform();
      switch (i % 4) {
        case 0: return (u * 2 - 1) * 750; // past both thresholds
        case 1: return (u * 2 - 1) * 40; // the logits sigmoid and softplus see
        case 2: return overExponents(rng, -60, 9); // tiny to huge, both signs
        default: return (u * 2 - 1) * 1.1; // the k = 0 and k = ±1 bands
      }
    }),
  log: (n: number) =>
    randoms(n, 2, (rng, i) => {
      const u = rng.uniform();
      switch (i % 4) {
        case 0: return overExponents(rng, -1074, 1023, 'positive'); // subnormals to the largest
        case 1: return 1 + (u * 2 - 1) * 2 ** -19; // the 2^-20 band around 1
        case 2: return u; // s = u² + v² of Marsaglia's method
        default: return (0.5 + u) * 2 ** (rng.below(40) - 20); // either side of the √2 normalization
      }
    }),
  log1p: (n: number) =>
    randoms(n, 3, (rng, i) => {
      const u = rng.uniform();
      switch (i % 5) {
        case 0: return overExponents(rng, -70, 1023); // both signs: tiny, the k = 0 band, large, x < −1
        case 1: return u * 2 - 1; // (−1, 1): no reduction, and the correction term below −0.29
        case 2: return 2 ** (rng.below(80) - 10) * (1 + (u * 2 - 1) * 2 ** -19) - 1; // |f| < 2^-20
        case 3: return Math.exp(-u * 40); // softplus's log1p(exp(−|a|))
        default: return -1 + 2 ** (-u * 53); // just above −1
      }
    }),
};
