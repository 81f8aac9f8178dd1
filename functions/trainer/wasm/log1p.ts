/**
 * ln(1 + x) on both lanes of an f64x2, bit for bit what fdlibm.ts's `log1p` (and so V8's
 * `Math.log1p` on x86-64) returns: s_log1p.c's constants and operations in the same order, its
 * branches turned into lane selects as in exp.ts.
 *
 * s_log1p.c tests high words; here each test is a comparison of x, or of the normalized 1 + x,
 * with the double that has that high word (`fromHighWord`), which holds on exactly the same
 * arguments. The word surgery (exponent of 1 + x, mantissa under a new exponent) is done on the
 * 64-bit lanes. The tests compare this against Math.log1p over every branch's edges.
 */
import { SIMD, V128 } from './binary.js';
import { type Expr, type Fn, abs, add, and, div, eq, ge, get, gt, horner, le, lt, mul, ne, or, select, set, splat, splatBits, sub } from './expr.js';
import { fromHighWord } from '../fdlibm.js';

// s_log1p.c's ln2_hi, ln2_lo and Lp1…Lp7.
const ln2Hi = 6.93147180369123816490e-1;
const ln2Lo = 1.90821492927058770002e-10;
const poly = [6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1];
const TWO52 = 4503599627370496;
const MANTISSA = 0x000fffffffffffffn;
const EXPONENT_OF_ONE = 0x3ff0000000000000n;
const EXPONENT_OF_TWO52 = 0x4330000000000000n;

/**
 * Statements setting local `out` to log1p of the v128 local `x`. Lanes whose x other branches
 * return for still run the reduction (on meaningless values, which are then not selected).
 */
export function log1pStatements(fn: Fn, out: number, x: number): Expr[] {
  const v = () => fn.local(V128);
  const [u, kRaw, c, m, lowHalf, noReduce, k, f, small, hfsq, kHi, kc, rSmall, onSmall, s, z, sR, general] = Array.from({ length: 18 }, v);
  const X = get(x);
  const big = ge(X, splat(fromHighWord(0x43400000)));
  const kIsZero = eq(get(k), splat(0));
  return [
    // u = 1 + x, or x itself from 2^53 on (hx ≥ 0x43400000), where 1 + x rounds to x.
    set(u, select(X, add(splat(1), X), big)),
    // k = (hu >> 20) − 1023: the exponent field shifted down into the mantissa of 2^52, then 2^52 off.
    set(kRaw, sub(sub(or(shiftRight52(get(u)), splatBits(EXPONENT_OF_TWO52)), splat(TWO52)), splat(1023))),
    // c = (k > 0 ? 1 − (u − x) : x − (u − 1)) / u, the rounding error of 1 + x; 0 from 2^53 on.
    set(c, div(select(sub(splat(1), sub(get(u), X)), sub(X, sub(get(u), splat(1))), gt(get(kRaw), splat(0))), get(u))),
    set(c, select(splat(0), get(c), big)),
    // u's mantissa under the exponent of 1 (hu | 0x3ff00000), in [1, 2).
    set(m, or(and(get(u), splatBits(MANTISSA)), splatBits(EXPONENT_OF_ONE))),
    // hu < 0x6a09e (u ~< √2): keep it, else u/2 (hu | 0x3fe00000: halving is exact) and k + 1.
    set(lowHalf, lt(get(m), splat(fromHighWord(0x3ff6a09e)))),
    // −0.2929 < x < 0.41422 (hx > 0, or hx ≤ (int) 0xbfd2bec4): f = x, k = 0, no reduction.
    set(noReduce, or(
      and(gt(X, splat(0)), lt(X, splat(fromHighWord(0x3fda827a)))),
      and(lt(X, splat(0)), gt(X, splat(-fromHighWord(0x3fd2bec5)))),
    )),
    set(f, select(X, sub(select(get(m), mul(get(m), splat(0.5)), get(lowHalf)), splat(1)), get(noReduce))),
    set(k, select(splat(0), select(get(kRaw), add(get(kRaw), splat(1)), get(lowHalf)), get(noReduce))),
    // hu == 0 (|f| < 2^-20): u's mantissa has high word 0x3ff00000, or after halving
    // (0x00100000 − hu) >> 2 == 0, i.e. hu ≥ 0xffffd. Never without reduction (fdlibm sets hu = 1).
    set(small, select(
      splatBits(0n),
      select(lt(get(m), splat(fromHighWord(0x3ff00001))), ge(get(m), splat(fromHighWord(0x3ffffffd))), get(lowHalf)),
      get(noReduce),
    )),
    set(hfsq, mul(mul(splat(0.5), get(f)), get(f))),
    set(kHi, mul(get(k), splat(ln2Hi))),
    set(kc, add(mul(get(k), splat(ln2Lo)), get(c))),
    // |f| < 2^-20. f = 0: k == 0 ? 0 : k·ln2_hi + (c + k·ln2_lo). Else, with R = hfsq·(1 − ⅔f),
    // k == 0 ? f − R : k·ln2_hi − ((R − (k·ln2_lo + c)) − f).
    set(rSmall, mul(get(hfsq), sub(splat(1), mul(splat(0.66666666666666666), get(f))))),
    set(onSmall, select(
      select(splat(0), add(get(kHi), get(kc)), kIsZero),
      select(sub(get(f), get(rSmall)), sub(get(kHi), sub(sub(get(rSmall), get(kc)), get(f))), kIsZero),
      eq(get(f), splat(0)),
    )),
    // s = f/(2 + f), z = s², R = z·(Lp1 + z·(… + z·Lp7)); then s·(hfsq + R) and
    // k == 0 ? f − (hfsq − s·(hfsq + R)) : k·ln2_hi − ((hfsq − (s·(hfsq + R) + (k·ln2_lo + c))) − f).
    set(s, div(get(f), add(splat(2), get(f)))),
    set(z, mul(get(s), get(s))),
    set(sR, mul(get(s), add(get(hfsq), mul(get(z), horner(get(z), poly))))),
    set(general, select(
      sub(get(f), sub(get(hfsq), get(sR))),
      sub(get(kHi), sub(sub(get(hfsq), add(get(sR), get(kc))), get(f))),
      kIsZero,
    )),
    set(out, select(get(onSmall), get(general), get(small))),
    // |x| < 2^-29: x itself below 2^-54, else x − x·x·½.
    set(out, select(
      select(X, sub(X, mul(mul(X, X), splat(0.5))), lt(abs(X), splat(fromHighWord(0x3c900000)))),
      get(out),
      lt(abs(X), splat(fromHighWord(0x3e200000))),
    )),
    // x ≤ −1: −∞ at −1, else NaN. +∞ and NaN: x + x.
    set(out, select(select(splat(-Infinity), splat(NaN), eq(X, splat(-1))), get(out), le(X, splat(-1)))),
    set(out, select(add(X, X), get(out), or(ne(X, X), eq(X, splat(Infinity))))),
  ];
}

/** Each 64-bit lane shifted right by 52, zeros in. */
const shiftRight52 = (a: Expr): Expr => (code) => (a(code), code.i32(52).simd(SIMD.i64x2ShrU));
