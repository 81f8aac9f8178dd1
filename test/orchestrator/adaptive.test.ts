import { describe, expect, test } from 'vitest';
import { ADAPTIVE_TIE, argminIndex } from '../../orchestrator/analysis/lambda-star.js';
import type { AdaptiveSearch } from '../../orchestrator/search/adaptive.js';
import { DEFAULT_SEARCH, nextLambdas, replaySearch } from '../../orchestrator/search/adaptive.js';
import { cellProgress } from '../../orchestrator/search/cell-search.js';

const R = 2 ** 0.25;
const settings = (over: Partial<AdaptiveSearch> = {}): AdaptiveSearch => ({ ...DEFAULT_SEARCH, start: [1e-3, 1e-2, 1e-1, 1], resolution: R, ...over });

/** A validation loss that is a parabola in log λ with its minimum at `at`. */
const bowl = (at: number, width = 1) => (lambda: number) => 0.4 + ((Math.log10(lambda) - Math.log10(at)) / width) ** 2;

/** Runs a search to its end, every asked λ evaluated by `f` at once (as a round of tasks would). */
function search(s: AdaptiveSearch, f: (lambda: number) => number | null) {
  const known = new Map<number, number | null>();
  let rounds = 0;
  for (;;) {
    const state = replaySearch(s, (l) => known.get(l));
    if (state.outcome) return { ...state, rounds };
    for (const l of state.missing) known.set(l, f(l));
    rounds++;
  }
}

function neighbourRatios(asked: number[], star: number): [number, number] {
  const i = asked.indexOf(star);
  return [star / asked[i - 1], asked[i + 1] / star];
}

/** λ* as the analysis picks it for an adaptive sweep. */
const argmin = (asked: number[], f: (l: number) => number) => asked[argminIndex(asked.map(f), ADAPTIVE_TIE)];

describe('adaptive λ* search', () => {
  test.each([
    ['inside the start grid', 3.7e-2],
    ['below the start grid', 2.2e-6],
    ['above the start grid', 31],
    ['on a start grid point', 1e-2],
  ])('a minimum %s is bracketed and resolved to the resolution on both sides', (_where, at) => {
    const f = bowl(at);
    const { asked, outcome } = search(settings(), f);
    expect(outcome).toBe('resolved');
    const star = argmin(asked, f);
    const [low, high] = neighbourRatios(asked, star);
    expect(low).toBeLessThanOrEqual(R * (1 + 1e-6));
    expect(high).toBeLessThanOrEqual(R * (1 + 1e-6));
    expect(Math.abs(Math.log(star / at))).toBeLessThanOrEqual(Math.log(R));
  });

  test('a λ* whose neighbours are one step away after rounding is resolved in that very round', () => {
    // The minimum sits on a start point: one round adds λ*/r and λ*·r (rounded towards λ*) and ends it.
    const { asked, outcome, round } = search(settings(), bowl(1e-2, 0.3));
    expect(outcome).toBe('resolved');
    expect(round).toBe(1);
    expect(asked).toEqual([1e-3, 0.00840897, 1e-2, 0.0118920, 1e-1, 1]);
    for (const [x, y] of [[asked[1], 1e-2], [1e-2, asked[3]]]) expect(y / x).toBeLessThanOrEqual(R);
  });

  test('a smooth minimum inside the start grid takes a handful of points, not a dense grid', () => {
    const { asked, rounds } = search(settings(), bowl(3.7e-2));
    expect(asked.length).toBeLessThanOrEqual(4 + 6);
    expect(rounds).toBeLessThanOrEqual(5);
  });

  test('a minimum beyond a bound ends the search "at bound", on the bound, in either direction', () => {
    const high = search(settings({ bounds: [1e-6, 5] }), bowl(200));
    expect(high.outcome).toBe('bound-high');
    expect(Math.max(...high.asked)).toBe(5);
    const low = search(settings({ bounds: [2e-4, 1e3] }), bowl(1e-7));
    expect(low.outcome).toBe('bound-low');
    expect(Math.min(...low.asked)).toBe(2e-4);
  });

  test('a search out of rounds ends as "round-cap", not as resolved', () => {
    const { outcome, round } = search(settings({ maxRounds: 2 }), bowl(3e-7));
    expect(outcome).toBe('round-cap');
    expect(round).toBe(2);
  });

  test("the plateau of a collapsed network is one flat value: the search finds the narrow dip below it, not a point on it", () => {
    // As at N = 8: the loss falls to a narrow minimum at 0.42, then every larger λ gives the
    // constant predictor's loss (ln 2, with rounding noise that decreases with λ).
    const f = (l: number) => (l >= 0.56 ? Math.LN2 - 1e-9 * Math.log(l) : Math.min(Math.LN2 + 0.2 * (0.42 / l - 1), 0.673 + 3 * (Math.log(l / 0.42)) ** 2));
    const { asked, outcome } = search(settings(), f);
    expect(outcome).toBe('resolved');
    const star = argmin(asked, f);
    expect(star).toBeGreaterThan(0.35);
    expect(star).toBeLessThan(0.5);
  });

  test('a plateau with no dip: λ* is where the plateau starts', () => {
    const f = (l: number) => (l >= 0.3 ? Math.LN2 + 1e-10 / l : Math.LN2 + (0.3 - l));
    const { asked, outcome } = search(settings(), f);
    expect(outcome).toBe('resolved');
    const onPlateau = asked.filter((l) => l >= 0.3);
    const star = Math.min(...onPlateau);
    expect(star / 0.3).toBeLessThanOrEqual(R);
    expect(neighbourRatios(asked, star)[0]).toBeLessThanOrEqual(R * (1 + 1e-6));
  });

  test('diverged points count as worse than any finite one, never as λ*', () => {
    const f = (l: number) => (l > 20 ? null : bowl(8)(l));
    const { asked, outcome } = search(settings({ start: [1, 100] }), f);
    expect(outcome).toBe('resolved');
    expect(asked).toContain(100);
    const finite = asked.filter((l) => l <= 20);
    expect(Math.abs(Math.log(argmin(finite, bowl(8)) / 8))).toBeLessThanOrEqual(Math.log(R));
    // A start grid that diverges everywhere steps down until training stays finite …
    const high = search(settings({ start: [40, 80] }), f);
    expect(high.outcome).toBe('resolved');
    expect(Math.min(...high.asked)).toBeLessThan(20);
    // … and gives up at the lower bound only when nothing trains (a learning rate far too large).
    const none = search(settings({ bounds: [1e-4, 1e3] }), () => null);
    expect(none.outcome).toBe('all-diverged');
    expect(Math.min(...none.asked)).toBe(1e-4);
  });

  test('deterministic and resumable: a replay from any prefix of the known points asks exactly for the next ones', () => {
    const f = bowl(0.0123, 0.7);
    const full = search(settings(), f);
    const again = search(settings(), f);
    expect(again.asked).toEqual(full.asked);
    // Knowing only what the first k rounds asked, the replay waits for exactly round k's points.
    const known = new Map<number, number>();
    let previous = replaySearch(settings(), () => undefined);
    for (let k = 0; previous.outcome === undefined; k++) {
      expect(previous.round).toBe(k);
      expect(previous.missing.every((l) => full.asked.includes(l))).toBe(true);
      for (const l of previous.missing) known.set(l, f(l));
      previous = replaySearch(settings(), (l) => known.get(l));
    }
    expect(previous.asked).toEqual(full.asked);
  });

  test('new λ are rounded to 6 significant digits and never repeat an evaluated one', () => {
    const { asked } = search(settings(), bowl(0.0377));
    for (const l of asked) expect(Number(l.toPrecision(6))).toBe(l);
    expect(new Set(asked).size).toBe(asked.length);
    const step = nextLambdas(settings(), [1e-3, 1e-2, 1e-1].map((lambda) => ({ lambda, valLoss: bowl(1.1e-2)(lambda) })));
    expect('next' in step && step.next.every((l) => l > 1e-3 && l < 1e-1)).toBe(true);
  });

  test('a fixed grid asks exactly its λ and ends as "grid" once all are known', () => {
    const grid = [1e-3, 1e-2, 1e-1];
    expect(cellProgress({ lambdas: grid }, (l) => (l === 1e-2 ? 0.5 : undefined))).toEqual({ asked: grid, round: 0, missing: [1e-3, 1e-1] });
    expect(cellProgress({ lambdas: grid }, () => 0.5)).toEqual({ asked: grid, round: 0, missing: [], outcome: 'grid' });
  });
});
