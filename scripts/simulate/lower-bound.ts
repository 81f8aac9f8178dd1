/**
 * The least wall time any executor could take for a sweep on the simulated Lambda, fault-free:
 *
 *   bound = max(cold + longest, T)
 *
 * - cold: the shortest cold start; no environment runs a task before its first one ends.
 * - longest: the longest task's actual duration (a task runs in one invocation; nothing splits it).
 * - T: the smallest time with ∫_cold^T min(c, ramp(t)) dt ≥ W, where W is Σ actual task seconds,
 *   c = min(requested concurrency, quota), and ramp(t) = burst + step × ⌊t / every⌋, the
 *   environments Lambda lets the function run by time t (1000 at once, then 1000 more per 10 s).
 *   Below c = 1000 the ramp never binds and T = cold + W / c.
 *
 * Not in the bound: request latency, per-invocation handler time, crashes, hangs, throttles,
 * hedges and retries: those are what the executor is judged on.
 */

export interface Scaling {
  quota: number;
  /** Environments at once, then added per `everySeconds`. */
  burst: number;
  step: number;
  everySeconds: number;
}

export const LAMBDA_SCALING: Omit<Scaling, 'quota'> = { burst: 1000, step: 1000, everySeconds: 10 };

/** Environments Lambda lets the function run `t` seconds after its first invocation. */
export function rampLimit(t: number, s: Scaling): number {
  return Math.min(s.quota, s.burst + s.step * Math.floor(t / s.everySeconds));
}

/** Seconds until the ramp reaches `concurrency` (capped by the quota); 0 when it starts there. */
export function rampSeconds(concurrency: number, s: Scaling): number {
  const c = Math.min(concurrency, s.quota);
  return c <= s.burst ? 0 : s.everySeconds * Math.ceil((c - s.burst) / s.step);
}

/** The earliest time `work` seconds of compute can be done, starting at `start`, `concurrency` at most at once. */
export function capacityBound(work: number, start: number, concurrency: number, s: Scaling): number {
  const c = Math.min(concurrency, s.quota);
  let t = start;
  let left = work;
  for (;;) {
    const level = Math.min(c, rampLimit(t, s));
    if (level >= c) return t + left / c;
    const windowEnd = (Math.floor(t / s.everySeconds) + 1) * s.everySeconds;
    if (level * (windowEnd - t) >= left) return t + left / level;
    left -= level * (windowEnd - t);
    t = windowEnd;
  }
}

export interface LowerBound {
  seconds: number;
  /** cold + longest. */
  criticalPathSeconds: number;
  /** T, the compute over the concurrency the ramp allows. */
  capacitySeconds: number;
  /** How long the ramp takes to reach the concurrency (part of T when positive). */
  rampSeconds: number;
}

/** The bound above, for tasks of `actualSeconds`; throws on an empty list (no sweep, no bound). */
export function lowerBound(actualSeconds: readonly number[], concurrency: number, coldSeconds: number, s: Scaling): LowerBound {
  if (actualSeconds.length === 0) throw new RangeError('lowerBound: no tasks');
  let work = 0;
  let longest = 0;
  for (const x of actualSeconds) {
    work += x;
    longest = Math.max(longest, x);
  }
  const criticalPathSeconds = coldSeconds + longest;
  const capacitySeconds = capacityBound(work, coldSeconds, concurrency, s);
  return { seconds: Math.max(criticalPathSeconds, capacitySeconds), criticalPathSeconds, capacitySeconds, rampSeconds: rampSeconds(concurrency, s) };
}
