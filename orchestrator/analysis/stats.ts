/** Small statistics, one documented function each (pure; no I/O). */

/** Arithmetic mean; throws on an empty list. */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('mean: needs at least one value');
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * Sample variance (n − 1 denominator); throws below two values. Computed on data shifted by the
 * first value, so equal values give exactly 0 rather than rounding noise.
 */
export function sampleVariance(xs: readonly number[]): number {
  if (xs.length < 2) throw new RangeError('sampleVariance: needs at least two values');
  const k = xs[0];
  let sum = 0;
  let sq = 0;
  for (const x of xs) {
    sum += x - k;
    sq += (x - k) ** 2;
  }
  return Math.max(0, (sq - (sum * sum) / xs.length) / (xs.length - 1));
}

/** Standard error of the mean, sample std / √n; null for a single value. */
export function sem(xs: readonly number[]): number | null {
  return xs.length < 2 ? null : Math.sqrt(sampleVariance(xs) / xs.length);
}

/** Regularized incomplete beta I_x(a, b), by Lentz's continued fraction. */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let f = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + num / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return (Math.exp(lnFront) * f) / a;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = g[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += g[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on the CDF). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError('studentTQuantile: needs 0 < p < 1 and df > 0');
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface LineFit {
  /** Slope m of y = m·x + b. */
  value: number;
  intercept: number;
  /** Standard error of the slope; null with fewer than 3 points. */
  se: number | null;
  /** 95 % confidence interval of the slope (Student t, n − 2 df); null with fewer than 3 points. */
  ci95: [number, number] | null;
  r2: number | null;
  points: number;
}

/** Below this standard error a slope's interval is rounding noise: the points lie exactly on a line. */
const EXACT_FIT_SE = 1e-9;

/** The fit's 95 % CI where it means something: 3 or more points, not lying exactly on a line. */
export function meaningfulCi(fit: LineFit): [number, number] | null {
  return fit.ci95 !== null && fit.se !== null && fit.se > EXACT_FIT_SE ? fit.ci95 : null;
}

/** Ordinary least squares of y on x with intercept; throws below two points or with constant x. */
export function linearRegression(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError('linearRegression: x and y differ in length');
  if (n < 2) throw new RangeError('linearRegression: needs at least two points');
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new RangeError('linearRegression: x is constant');
  const m = sxy / sxx;
  const b = my - m * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - (m * xs[i] + b)) ** 2;
  const r2 = syy === 0 ? null : 1 - sse / syy;
  if (n < 3) return { value: m, intercept: b, se: null, ci95: null, r2, points: n };
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const t = studentTQuantile(0.975, n - 2);
  return { value: m, intercept: b, se, ci95: [m - t * se, m + t * se], r2, points: n };
}

export interface Prediction {
  value: number;
  /** 95 % prediction interval for a new observation at x0 (Student t, n − 2 df). */
  lo: number;
  hi: number;
}

/** ŷ(x0) ± t·s·√(extra + 1/n + (x0 − x̄)²/Sxx), t of n − 2 df: extra 1 for a new observation, 0 for the line itself. */
function olsInterval(xs: readonly number[], ys: readonly number[], x0: number, extra: 0 | 1): Prediction {
  const fit = linearRegression(xs, ys);
  const n = xs.length;
  const mx = mean(xs);
  let sxx = 0;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sse += (ys[i] - (fit.value * xs[i] + fit.intercept)) ** 2;
  }
  const half = studentTQuantile(0.975, n - 2) * Math.sqrt(sse / (n - 2)) * Math.sqrt(extra + 1 / n + (x0 - mx) ** 2 / sxx);
  const value = fit.value * x0 + fit.intercept;
  return { value, lo: value - half, hi: value + half };
}

/**
 * The OLS fit's prediction at `x0` with its 95 % prediction interval:
 * ŷ ± t·s·√(1 + 1/n + (x0 − x̄)²/Sxx). Throws below three points (no residual variance).
 */
export function predictionInterval(xs: readonly number[], ys: readonly number[], x0: number): Prediction {
  linearRegression(xs, ys);
  if (xs.length < 3) throw new RangeError('predictionInterval: needs at least three points');
  return olsInterval(xs, ys, x0, 1);
}

/**
 * The 95 % confidence band of the OLS line at `x0` (where the mean of y lies, not a new
 * observation): ŷ ± t·s·√(1/n + (x0 − x̄)²/Sxx). Null below three points (no residual variance).
 */
export function confidenceBand(xs: readonly number[], ys: readonly number[], x0: number): Prediction | null {
  return xs.length < 3 ? null : olsInterval(xs, ys, x0, 0);
}
