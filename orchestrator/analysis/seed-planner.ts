/**
 * How many seeds a sweep needs for a target precision of its slope, from a pilot sweep (pure; no
 * I/O). It models the slope the report leads with (`GroupAnalysis.slope`): ordinary least squares
 * of y_N = log₁₀(mean λ* over the seeds at N) on x_N = log₁₀N over every N with a λ*, whose 95 % CI
 * half-width is t(0.975, n − 2)·√(s²/Sxx) with s² = SSE/(n − 2).
 *
 * With S seeds, y_N scatters around the true curve with variance u_N(S) (`meanVariance`), and the
 * true curve may itself miss the power law (lack of fit). For independent errors
 * E[SSE] = Σ (1 − h_N)·Var(y_N) + SSE_lof, h_N the leverage, so
 *   E[s²](S) = σ²_lof + Σ w_N·u_N(S),   w_N = (1 − h_N)/(n − 2) (the weights sum to 1),
 * and the predicted half-width is t·√(E[s²](S)/Sxx): the root mean square of the half-width the
 * report would print. More seeds shrink only the second term: the floor is t·σ_lof/√Sxx. σ²_lof is
 * the pilot's residual variance minus what its seeds explain, counted only where a lack-of-fit
 * F-test detects it (a clamped noisy estimate would promise a floor that is not there).
 */
import { mean, sampleVariance, studentTQuantile } from './stats.js';

/** The fewest seeds the planner recommends: one more than a single seed, so each N keeps an SEM. */
export const MIN_SEEDS = 2;

const LN10 = Math.log(10);

export interface PilotPoint {
  n: number;
  /** λ* of each seed at this N. */
  lambdaStars: readonly number[];
}

/**
 * λ*'s squared coefficient of variation, c = e^{(ln 10)²·s²} − 1, from the sample variance s² of
 * log₁₀λ* over seeds, taking λ* lognormal. Null below two seeds.
 */
export function lambdaSpread(lambdaStars: readonly number[]): number | null {
  if (lambdaStars.length < 2) return null;
  return Math.expm1(LN10 * LN10 * sampleVariance(lambdaStars.map(Math.log10)));
}

/**
 * Var(log₁₀ of the mean of S λ*) for λ* lognormal with squared coefficient of variation `spread`:
 * ln(1 + c/S)/(ln 10)² (Fenton–Wilkinson: the mean taken lognormal with the same two moments). It
 * is the variance of log₁₀λ* itself at S = 1 and c/(S·(ln 10)²), the delta method's, for large S.
 */
export function meanVariance(spread: number, seeds: number): number {
  return Math.log1p(spread / seeds) / (LN10 * LN10);
}

/** Σ (x − x̄)²; throws below two distinct x. */
function sxxOf(xs: readonly number[]): number {
  const mx = mean(xs);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  if (!(sxx > 0)) throw new RangeError('seed planner: needs two or more distinct N');
  return sxx;
}

/** w_N = (1 − h_N)/(n − 2), h_N = 1/n + (x_N − x̄)²/Sxx: E[s²] = Σ w_N·Var(y_N). Needs three or more x. */
export function residualWeights(xs: readonly number[]): number[] {
  const n = xs.length;
  if (n < 3) throw new RangeError('residualWeights: needs at least three points');
  const mx = mean(xs);
  const sxx = sxxOf(xs);
  return xs.map((x) => (1 - 1 / n - (x - mx) ** 2 / sxx) / (n - 2));
}

/** SSE/(n − 2) of the OLS fit of ys on xs. */
function residualVariance(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  const sxx = sxxOf(xs);
  const m = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / sxx;
  const sse = xs.reduce((s, x, i) => s + (ys[i] - my - m * (x - mx)) ** 2, 0);
  return sse / (xs.length - 2);
}

export interface LackOfFit {
  /** σ²_lof used in the predictions: the estimate when the F-test detects lack of fit, else 0. */
  variance: number;
  /** The estimate s²_pilot − Σ w_N·u_N(S_N), clamped at 0 (log₁₀ λ* units squared). */
  estimate: number;
  /** s²_pilot over what the seeds explain, and its 5 % critical value; null below 3 N. */
  f: number | null;
  fCritical: number | null;
  /**
   * The σ²_lof this pilot would just detect on average ((F_crit − 1) × what its seeds explain): a
   * smaller one may hide in its noise. Null below 3 N.
   */
  detectable: number | null;
  /** `detected`: F above its 5 % critical value; `not-detected`; `unknown`: fewer than 3 N. */
  verdict: 'detected' | 'not-detected' | 'unknown';
}

export interface PilotModel {
  /** The pilot's N with a λ*, ascending. */
  ns: number[];
  /** Seeds with a λ* at each of them. */
  seeds: number[];
  /** λ*'s spread (`lambdaSpread`) at each of them; null with one seed. */
  spreads: (number | null)[];
  /** The mean spread over the N that have two or more seeds: used at N the pilot lacks. */
  meanSpread: number;
  lackOfFit: LackOfFit;
}

/** Whether any N of the pilot has two or more seeds: without that it shows no spread to learn from. */
export function hasSpread(points: readonly PilotPoint[]): boolean {
  return points.some((p) => p.lambdaStars.length >= 2);
}

/**
 * The upper 5 % point of F(d1, d2), by Paulson's cube-root normal approximation (Abramowitz &
 * Stegun 26.6.15; within ~2 % for d2 ≥ 3). Null when d2 is too small for it.
 */
export function fCritical05(d1: number, d2: number): number | null {
  const z2 = 1.6448536269514722 ** 2;
  const [c1, c2] = [2 / (9 * d1), 2 / (9 * d2)];
  const [a, b] = [1 - c2, 1 - c1];
  // (a·u − b)² = z²(c1 + c2·u²) for u = F^(1/3) > b/a.
  const q = a * a - z2 * c2;
  if (!(q > 0)) return null;
  const u = (a * b + Math.sqrt(a * a * b * b - q * (b * b - z2 * c1))) / q;
  return u ** 3;
}

/**
 * What the pilot says about seed noise and lack of fit. The lack-of-fit F-test compares s²_pilot,
 * the residual variance of the pilot's own fit, with what its seeds explain, Σ w_N·u_N(S_N) (df:
 * n − 2 and Σ (S_N − 1)). Throws when no N has two seeds.
 */
export function pilotModel(points: readonly PilotPoint[]): PilotModel {
  if (!hasSpread(points)) throw new RangeError('pilotModel: needs two or more seeds at some N');
  const sorted = [...points].sort((a, b) => a.n - b.n);
  const ns = sorted.map((p) => p.n);
  const seeds = sorted.map((p) => p.lambdaStars.length);
  const spreads = sorted.map((p) => lambdaSpread(p.lambdaStars));
  const meanSpread = mean(spreads.filter((c): c is number => c !== null));
  const base = { ns, seeds, spreads, meanSpread };
  const unknown: LackOfFit = { variance: 0, estimate: 0, f: null, fCritical: null, detectable: null, verdict: 'unknown' };
  if (ns.length < 3) return { ...base, lackOfFit: unknown };
  const xs = ns.map(Math.log10);
  const s2 = residualVariance(xs, sorted.map((p) => Math.log10(mean(p.lambdaStars))));
  const w = residualWeights(xs);
  const explained = w.reduce((s, wi, i) => s + wi * meanVariance(spreads[i] ?? meanSpread, seeds[i]), 0);
  const estimate = Math.max(0, s2 - explained);
  const fCritical = fCritical05(ns.length - 2, seeds.reduce((s, k) => s + k - 1, 0));
  if (fCritical === null) return { ...base, lackOfFit: { ...unknown, estimate } };
  // Seeds that all agree explain nothing: any scatter at all is lack of fit.
  const f = explained > 0 ? s2 / explained : null;
  const detected = f === null ? s2 > 0 : f > fCritical;
  const lackOfFit: LackOfFit = {
    variance: detected ? estimate : 0, estimate, f, fCritical, detectable: (fCritical - 1) * explained, verdict: detected ? 'detected' : 'not-detected',
  };
  return { ...base, lackOfFit };
}

/** λ*'s spread at `n`: the pilot's, or its mean where the pilot has no spread at that N. */
function spreadAt(model: PilotModel, n: number): number {
  const i = model.ns.indexOf(n);
  return (i >= 0 ? model.spreads[i] : null) ?? model.meanSpread;
}

interface Design {
  t: number;
  sxx: number;
  /** w_N and λ*'s spread at each planned N: E[s²](S) = lof + Σ w_N·u_N(S). */
  terms: { w: number; spread: number }[];
  lof: number;
}

function design(model: PilotModel, ns: readonly number[]): Design | null {
  if (ns.length < 3) return null;
  const xs = ns.map(Math.log10);
  const w = residualWeights(xs);
  return {
    t: studentTQuantile(0.975, ns.length - 2),
    sxx: sxxOf(xs),
    terms: ns.map((n, i) => ({ w: w[i], spread: spreadAt(model, n) })),
    lof: model.lackOfFit.variance,
  };
}

/** E[s²] with `seeds` seeds per N. */
const residual = (d: Design, seeds: number) => d.terms.reduce((s, { w, spread }) => s + w * meanVariance(spread, seeds), d.lof);
const halfWidth = (d: Design, seeds: number) => d.t * Math.sqrt(residual(d, seeds) / d.sxx);

/** The predicted 95 % CI half-width of the slope over `ns` with `seeds` seeds per N; null below 3 N. */
export function predictedHalfWidth(model: PilotModel, ns: readonly number[], seeds: number): number | null {
  const d = design(model, ns);
  return d && halfWidth(d, seeds);
}

/** The half-width no number of seeds goes below (seeds → ∞): t·σ_lof/√Sxx; null below 3 N. */
export function halfWidthFloor(model: PilotModel, ns: readonly number[]): number | null {
  const d = design(model, ns);
  return d && d.t * Math.sqrt(d.lof / d.sxx);
}

export interface SeedAdvice {
  /**
   * `reached`: `needed` seeds reach the target; `cap`: it needs more than `maxSeeds`;
   * `unreachable`: the target lies at or below the floor; `no-ci`: fewer than 3 N, no CI at all.
   */
  status: 'reached' | 'cap' | 'unreachable' | 'no-ci';
  /** The fewest seeds (≥ MIN_SEEDS) that reach the target, past the cap when it binds (Infinity past 2^53); null when unreachable or no CI. */
  needed: number | null;
  /**
   * The seeds to run: `needed`; the cap when it binds; when unreachable, the fewest that come within
   * 10 % of the floor (at most the cap). Null without a CI.
   */
  recommended: number | null;
  /** The predicted half-width at `recommended`. */
  halfWidth: number | null;
  floor: number | null;
}

/** Within this factor of the floor, more seeds are not worth it (an unreachable target's advice). */
export const NEAR_FLOOR = 1.1;

/** The fewest seeds S ≥ MIN_SEEDS with E[s²](S) ≤ allowed (allowed > lof); Infinity past 2^53. */
function seedsBelow(d: Design, allowed: number): number {
  const fits = (seeds: number) => residual(d, seeds) <= allowed;
  if (fits(MIN_SEEDS)) return MIN_SEEDS;
  // E[s²] falls with S: double until it fits, then bisect.
  let [lo, hi] = [MIN_SEEDS, 2 * MIN_SEEDS];
  while (!fits(hi)) {
    [lo, hi] = [hi, 2 * hi];
    if (hi > 2 ** 53) return Infinity;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** How many seeds per N reach a slope CI half-width of `target` over `ns`, at most `maxSeeds`. */
export function seedsForTarget(model: PilotModel, ns: readonly number[], target: number, maxSeeds: number): SeedAdvice {
  if (!(target > 0)) throw new RangeError('seedsForTarget: target must be > 0');
  if (!(Number.isInteger(maxSeeds) && maxSeeds >= MIN_SEEDS)) throw new RangeError(`seedsForTarget: maxSeeds must be a whole number ≥ ${MIN_SEEDS}`);
  const d = design(model, ns);
  if (!d) return { status: 'no-ci', needed: null, recommended: null, halfWidth: null, floor: null };
  const floor = d.t * Math.sqrt(d.lof / d.sxx);
  // The residual variance the target allows: t·√(allowed/Sxx) = target.
  const allowed = (target * target * d.sxx) / (d.t * d.t);
  if (allowed <= d.lof) {
    // allowed > 0, so here lof > 0.
    const recommended = Math.min(maxSeeds, seedsBelow(d, NEAR_FLOOR * NEAR_FLOOR * d.lof));
    return { status: 'unreachable', needed: null, recommended, halfWidth: halfWidth(d, recommended), floor };
  }
  const needed = seedsBelow(d, allowed);
  if (needed > maxSeeds) return { status: 'cap', needed, recommended: maxSeeds, halfWidth: halfWidth(d, maxSeeds), floor };
  return { status: 'reached', needed, recommended: needed, halfWidth: halfWidth(d, needed), floor };
}
