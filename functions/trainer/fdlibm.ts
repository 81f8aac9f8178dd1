/**
 * exp, log and log1p as fdlibm computes them (e_exp.c, e_log.c, s_log1p.c, as ported by V8's
 * base/ieee754.cc that backs Math.exp/log/log1p in Node 20): the same constants, branches and
 * operations in the same order, and the same reads and writes of a double's two 32-bit words
 * (through one scratch double), so on x86-64 they return exactly what Math.exp/log/log1p do.
 *
 * Why not call Math: V8's C++ port is compiled per CPU, and GCC on aarch64 contracts a·b + c into
 * FMAs, so Math.exp differs between x86 and arm64 (AWS Lambda) on some arguments. JavaScript never
 * fuses, so these give the same bits everywhere. The tests compare them with Math bit for bit.
 */

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** High word of x, as the signed int32 fdlibm's `int32_t hx` holds. */
function highWord(x: number): number {
  scratch[0] = x;
  return words[HI] | 0;
}

/** x with its high word replaced by `hi` (fdlibm's SET_HIGH_WORD). */
function withHighWord(x: number, hi: number): number {
  scratch[0] = x;
  words[HI] = hi;
  return scratch[0];
}

/** The double whose high word is `hi` and low word 0 (the vector ports' thresholds, powers of two). */
export function fromHighWord(hi: number): number {
  return withHighWord(0, hi);
}

/** e^x. */
export function exp(x: number): number {
  const O_THRESHOLD = 7.09782712893383973096e2; /* 0x40862E42, 0xFEFA39EF */
  const U_THRESHOLD = -7.45133219101941108420e2; /* 0xC0874910, 0xD52D3051 */
  const LN2_HI = 6.93147180369123816490e-1; /* 0x3FE62E42, 0xFEE00000 */
  const LN2_LO = 1.90821492927058770002e-10; /* 0x3DEA39EF, 0x35793C76 */
  const INV_LN2 = 1.44269504088896338700; /* 0x3FF71547, 0x652B82FE */
  const P1 = 1.66666666666666019037e-1; /* 0x3FC55555, 0x5555553E */
  const P2 = -2.77777777770155933842e-3; /* 0xBF66C16C, 0x16BEBD93 */
  const P3 = 6.61375632143793436117e-5; /* 0x3F11566A, 0xAF25DE2C */
  const P4 = -1.65339022054652515390e-6; /* 0xBEBBBD41, 0xC5D26BF1 */
  const P5 = 4.13813679705723846039e-8; /* 0x3E663769, 0x72BEA4D0 */
  const E = 2.718281828459045; /* 0x4005BF0A, 0x8B145769 */
  const TWOM1000 = 9.33263618503218878990e-302; /* 2^-1000 */
  const TWO1023 = 8.988465674311579539e307; /* 2^1023 */

  let hx = highWord(x);
  const xsb = hx >>> 31; // sign bit of x
  hx &= 0x7fffffff; // high word of |x|

  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…, or not finite.
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | words[LO]) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0; // exp(±∞) = {∞, 0}
    }
    if (x > O_THRESHOLD) return Infinity; // huge·huge
    if (x < U_THRESHOLD) return 0; // twom1000·twom1000
  }

  // x = k·ln2 + (hi − lo), |hi − lo| ≤ ½ln2.
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      // ½ln2 < |x| < 1.5ln2: k = ±1. V8 special-cases e¹ (the general formula is 1 ulp off there).
      if (x === 1) return E;
      hi = xsb === 0 ? x - LN2_HI : x - -LN2_HI;
      lo = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      // (int) truncates toward zero, as | 0 does; |k| < 1100 here.
      k = (INV_LN2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0;
      hi = x - k * LN2_HI; // exact
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28 (fdlibm's `huge + x > one` only raises inexact).
    return 1 + x;
  }

  const t = x * x;
  // 2^k from its exponent field; below k = −1021, 2^(k+1000), scaled back at the end.
  words[HI] = k >= -1021 ? 0x3ff00000 + (k << 20) : 0x3ff00000 + ((k + 1000) << 20);
  words[LO] = 0;
  const twopk = scratch[0];
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

/** ln x. */
export function log(x: number): number {
  const LN2_HI = 6.93147180369123816490e-1; /* 3fe62e42 fee00000 */
  const LN2_LO = 1.90821492927058770002e-10; /* 3dea39ef 35793c76 */
  const TWO54 = 1.80143985094819840000e16; /* 43500000 00000000 */
  const LG1 = 6.666666666666735130e-1; /* 3FE55555 55555593 */
  const LG2 = 3.999999999940941908e-1; /* 3FD99999 9997FA04 */
  const LG3 = 2.857142874366239149e-1; /* 3FD24924 94229359 */
  const LG4 = 2.222219843214978396e-1; /* 3FCC71C5 1D8E78AF */
  const LG5 = 1.818357216161805012e-1; /* 3FC74664 96CB03DE */
  const LG6 = 1.531383769920937332e-1; /* 3FC39A09 D078C69F */
  const LG7 = 1.479819860511658591e-1; /* 3FC2F112 DF3E5244 */

  let hx = highWord(x);
  const lx = words[LO];
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022: ±0, negative, or subnormal.
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // -two54/vzero
    if (hx < 0) return NaN; // (x − x)/zero
    k -= 54;
    x *= TWO54; // scale the subnormal up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalize x or x/2 into [√2/2, √2)
  k += i >> 20;
  const f = x - 1.0;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2^-20 ≤ f < 2^-20
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R;
    return dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** ln(1 + x), accurate near 0. */
export function log1p(x: number): number {
  const LN2_HI = 6.93147180369123816490e-1; /* 3fe62e42 fee00000 */
  const LN2_LO = 1.90821492927058770002e-10; /* 3dea39ef 35793c76 */
  const LP1 = 6.666666666666735130e-1; /* 3FE55555 55555593 */
  const LP2 = 3.999999999940941908e-1; /* 3FD99999 9997FA04 */
  const LP3 = 2.857142874366239149e-1; /* 3FD24924 94229359 */
  const LP4 = 2.222219843214978396e-1; /* 3FCC71C5 1D8E78AF */
  const LP5 = 1.818357216161805012e-1; /* 3FC74664 96CB03DE */
  const LP6 = 1.531383769920937332e-1; /* 3FC39A09 D078C69F */
  const LP7 = 1.479819860511658591e-1; /* 3FC2F112 DF3E5244 */

  const hx = highWord(x);
  const ax = hx & 0x7fffffff;

  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2+
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x ≤ −1
    if (ax < 0x3e200000) {
      // |x| < 2^-29 (fdlibm's `two54 + x > zero` only raises inexact)
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // −0.2929 < x < 0.41422: no reduction
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // the rounding error of 1 + x
      c /= u;
    } else {
      // x ≥ 2^53: 1 + x rounds to x
      u = x;
      hu = hx;
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHighWord(u, hu | 0x3ff00000); // normalize u
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000); // normalize u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - ((R - (k * LN2_LO + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LN2_LO + c))) - f);
}
