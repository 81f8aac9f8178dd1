/**
 * e^x on both lanes of an f64x2, bit for bit what fdlibm.ts's `exp` (and V8's `Math.exp` on x86-64)
 * returns: the same algorithm (fdlibm's e_exp.c, as V8's base/ieee754.cc ports it) with the same
 * operations in the same order. Its branches become lane selects: every candidate is computed and
 * each lane keeps the one its branch returns, which leaves each lane's bits unchanged.
 *
 * Why not call the host's Math.exp: a call per lane costs more than the whole polynomial, the call
 * clobbers every vector register the kernel keeps live, and V8's C++ exp differs between CPUs (see
 * fdlibm.ts). The tests compare this against Math.exp over millions of arguments, including every
 * branch's edges.
 */
import { SIMD, V128 } from './binary.js';
import { type Expr, type Fn, abs, add, div, eq, ge, get, gt, horner, lt, mul, select, set, splat, sub, trunc } from './expr.js';
import { fromHighWord } from '../fdlibm.js';

const FDLIBM = {
  oThreshold: 7.09782712893383973096e2,
  uThreshold: -7.45133219101941108420e2,
  ln2Hi: 6.93147180369123816490e-1,
  ln2Lo: 1.90821492927058770002e-10,
  invLn2: 1.44269504088896338700,
  p: [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8],
  e: 2.718281828459045,
  twoM1000: 9.33263618503218878990e-302,
  two1023: 8.988465674311579539e307,
} as const;

/** |x| > 0.5 ln2 (hx > 0x3fd62e42): reduce the argument. */
const REDUCE_FROM = fromHighWord(0x3fd62e43);
/** |x| < 2^-28 (hx < 0x3e300000): e^x = 1 + x. */
const TINY_BELOW = fromHighWord(0x3e300000);

/**
 * Statements setting local `out` to e^x for the v128 local `x`.
 *
 * In 0.5 ln2 < |x| < 1.5 ln2 fdlibm sets k = ±1, hi = x ∓ ln2Hi, lo = ±ln2Lo directly; the general
 * reduction gives the same k there (invln2·|x| + ½ ∈ (1, 2)) and so the same hi and lo, bit for bit.
 */
export function expStatements(fn: Fn, out: number, x: number): Expr[] {
  const v = () => fn.local(V128);
  const [ax, k, hi, lo, xr, t, c, y, twopk, kScaled] = [v(), v(), v(), v(), v(), v(), v(), v(), v(), v()];
  const [reduced, below] = [v(), v()];
  const X = get(x);
  const half = select(splat(-0.5), splat(0.5), lt(X, splat(0)));
  return [
    set(ax, abs(X)),
    set(reduced, ge(get(ax), splat(REDUCE_FROM))),
    // k = (int)(invln2·x + halF[xsb]); the reduced argument x − k·ln2 as hi − lo.
    set(k, select(trunc(add(mul(splat(FDLIBM.invLn2), X), half)), splat(0), get(reduced))),
    set(hi, sub(X, mul(get(k), splat(FDLIBM.ln2Hi)))),
    set(lo, mul(get(k), splat(FDLIBM.ln2Lo))),
    set(xr, select(sub(get(hi), get(lo)), X, get(reduced))),
    set(t, mul(get(xr), get(xr))),
    // c = x − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5))))
    set(c, sub(get(xr), mul(get(t), horner(get(t), FDLIBM.p)))),
    // 2^k, or 2^(k+1000) below k = −1021, from k + 1023 placed in the exponent field.
    set(below, lt(get(k), splat(-1021))),
    set(kScaled, select(add(get(k), splat(1000)), get(k), get(below))),
    (code) => {
      add(get(kScaled), splat(4503599627370496 + 1023))(code);
      code.i32(52).simd(SIMD.i64x2Shl).set(twopk);
    },
    set(y, sub(splat(1), sub(sub(get(lo), div(mul(get(xr), get(c)), sub(splat(2), get(c)))), get(hi)))),
    set(out, select(
      select(
        mul(mul(get(y), get(twopk)), splat(FDLIBM.twoM1000)),
        select(mul(mul(get(y), splat(2)), splat(FDLIBM.two1023)), mul(get(y), get(twopk)), eq(get(k), splat(1024))),
        get(below),
      ),
      // k = 0: e^x = 1 − ((x·c)/(c − 2) − x)
      sub(splat(1), sub(div(mul(get(xr), get(c)), sub(get(c), splat(2))), get(xr))),
      get(reduced),
    )),
    set(out, select(add(splat(1), X), get(out), lt(get(ax), splat(TINY_BELOW)))),
    set(out, select(splat(FDLIBM.e), get(out), eq(X, splat(1)))),
    set(out, select(splat(Infinity), get(out), gt(X, splat(FDLIBM.oThreshold)))),
    set(out, select(splat(0), get(out), lt(X, splat(FDLIBM.uThreshold)))),
  ];
}
