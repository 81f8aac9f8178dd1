/**
 * `plan --pilot [--target-ci]`: per group of the planned spec, what its pilot says about the slope's
 * 95 % CI — at the spec's seeds, its floor, and the seeds a target needs — with the work and cost of
 * the spec at the recommended seeds (README: `lambdastar plan`).
 */
import type { Analysis, GroupAnalysis } from '../analysis/analysis-types.js';
import type { LackOfFit, PilotModel, SeedAdvice } from '../analysis/seed-planner.js';
import { halfWidthFloor, hasSpread, NEAR_FLOOR, pilotModel, predictedHalfWidth, seedsForTarget } from '../analysis/seed-planner.js';
import { meaningfulCi } from '../analysis/stats.js';
import { UsageError } from '../errors.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { SpecGroup } from './pilot.js';
import type { Range } from './plan-format.js';
import { duration, money, range } from './plan-format.js';

/** What `plan` estimates for a spec: the parts the seed plan repeats at the recommended seeds. */
export interface SeedEstimate {
  cells: number;
  points: Range<number>;
  work: Range<number>;
  local: Range<{ seconds: number; cores: number }>;
  lambda: Range<{ totalDollars: number; wallSeconds: number }>;
}

export interface SeedPlanGroup {
  label: string;
  reg: 'l1' | 'l2';
  initFactor: number;
  options: SpecGroup['options'];
  /** The pilot's N with a λ*, seeds at each, and the half-width of its lead slope's CI (null: none). */
  pilot: { ns: number[]; seeds: number[]; halfWidth: number | null } | null;
  lackOfFit: LackOfFit | null;
  /** The predicted half-width at the spec's own seeds; null below 3 N. */
  atSpecSeeds: { seeds: number; halfWidth: number | null } | null;
  floor: number | null;
  /** The seeds the target needs (only with --target-ci). */
  advice: SeedAdvice | null;
  /** The spec's work and cost with `advice.recommended` seeds. */
  estimate: (SeedEstimate & { seeds: number }) | null;
  notes: string[];
}

export interface SeedPlan {
  pilot: { sweepId: string; name: string | null; cells: { planned: number; complete: number } };
  /** The slope modelled: the one the report leads with. */
  slope: string;
  targetCi: number | null;
  maxSeeds: number;
  groups: SeedPlanGroup[];
}

const SLOPE = "the report's lead slope: the fit of log10(mean λ*) per N against log10 N, over every N";

/** Throws, naming --pilot, when a matched pilot group shows no spread between seeds. */
export function checkSpread(pilot: Analysis, groups: SpecGroup[]): void {
  const flat = groups.filter((g) => g.pilot !== null && !hasSpread(g.pilot.points));
  if (flat.length === 0) return;
  throw new UsageError(
    `--pilot: sweep ${pilot.sweepId}${pilot.name ? ` (${pilot.name})` : ''} has at most 1 seed with a λ* per N in ${flat.map((g) => g.label).join(', ')}: ` +
      'one seed shows no spread between seeds to learn from; run the pilot with 3 or more seeds (e.g. "seeds": 4)',
  );
}

const pm = (v: number) => `±${Number(v.toPrecision(3))}`;
const list = (ns: number[]) => ns.join(', ');

function notesFor(g: GroupAnalysis, model: PilotModel, spec: CanonicalSpec, targetCi: number | null, adaptive: boolean): string[] {
  const notes: string[] = [];
  const missing = spec.n.filter((n) => !model.ns.includes(n));
  if (missing.length > 0) notes.push(`N = ${list(missing)} are not in the pilot (or have no λ* there): their seed spread is taken as the pilot's mean`);
  const cut = g.points.filter((p) => Math.max(p.edgeCount, p.boundCount) * 2 >= p.seeds && spec.n.includes(p.n)).map((p) => p.n);
  if (cut.length > 0) {
    const where = adaptive ? 'a bound of the search' : 'an edge of the λ grid';
    notes.push(`at N = ${list(cut)} λ* sits on ${where} for half or more of the pilot's seeds: the lead slope keeps them, but their spread is cut off there, so the prediction may be optimistic; widen the λ range`);
  }
  const lof = model.lackOfFit;
  if (lof.verdict === 'unknown') {
    notes.push(model.ns.length < 3
      ? `the pilot has ${model.ns.length} N with a λ*: too few to tell lack of fit (it needs 3 or more), so no floor is assumed`
      : 'the pilot has too few seeds to tell lack of fit from seed noise, so no floor is assumed');
  }
  if (lof.verdict === 'not-detected' && lof.detectable !== null && targetCi !== null) {
    const unseen = halfWidthFloor({ ...model, lackOfFit: { ...lof, variance: lof.detectable } }, spec.n);
    if (unseen !== null && unseen > targetCi) {
      notes.push(`this pilot cannot see a floor below ≈ ${pm(unseen)}, above the target: a pilot with more seeds or N would tell whether ${pm(targetCi)} is reachable`);
    }
  }
  return notes;
}

/** The seed plan of every spec group; `estimate(seeds)` is `plan`'s own estimate of the spec with that many seeds. */
export function seedPlan(
  spec: CanonicalSpec,
  pilot: Analysis,
  groups: SpecGroup[],
  opts: { targetCi: number | null; maxSeeds: number },
  estimate: (seeds: number) => SeedEstimate,
): SeedPlan {
  const cache = new Map<number, SeedEstimate>();
  const estimateAt = (seeds: number) => cache.get(seeds) ?? (cache.set(seeds, estimate(seeds)).get(seeds) as SeedEstimate);
  const out = groups.map((sg): SeedPlanGroup => {
    const base = { label: sg.label, reg: sg.reg, initFactor: sg.initFactor, options: sg.options };
    const g = sg.pilot;
    if (!g) return { ...base, pilot: null, lackOfFit: null, atSpecSeeds: null, floor: null, advice: null, estimate: null, notes: ['not in the pilot: no estimate'] };
    const model = pilotModel(g.points.map((p) => ({ n: p.n, lambdaStars: p.lambdaStars })));
    const ci = g.slope && meaningfulCi(g.slope);
    const advice = opts.targetCi === null ? null : seedsForTarget(model, spec.n, opts.targetCi, opts.maxSeeds);
    const seeds = advice?.recommended ?? null;
    return {
      ...base,
      pilot: { ns: model.ns, seeds: model.seeds, halfWidth: ci ? (ci[1] - ci[0]) / 2 : null },
      lackOfFit: model.lackOfFit,
      atSpecSeeds: { seeds: spec.seeds.length, halfWidth: predictedHalfWidth(model, spec.n, spec.seeds.length) },
      floor: halfWidthFloor(model, spec.n),
      advice,
      estimate: seeds === null ? null : { seeds, ...estimateAt(seeds) },
      notes: notesFor(g, model, spec, opts.targetCi, pilot.lambdas.mode === 'adaptive'),
    };
  });
  return { pilot: { sweepId: pilot.sweepId, name: pilot.name, cells: { planned: pilot.cells.planned, complete: pilot.cells.complete } }, slope: SLOPE, targetCi: opts.targetCi, maxSeeds: opts.maxSeeds, groups: out };
}

function lackOfFitText(lof: LackOfFit, floor: number | null): string {
  const f = lof.f === null ? 'seeds that agree exactly' : `F = ${lof.f.toFixed(2)}`;
  if (lof.verdict === 'detected') {
    const rest = floor === null ? '' : `; floor ≈ ${pm(floor)}, which more seeds do not lower`;
    return `lack of fit: detected (${f} > ${lof.fCritical?.toFixed(2)}): the points scatter around the power law more than their SEMs explain${rest}`;
  }
  if (lof.verdict === 'not-detected') return `lack of fit: not detected (${f} ≤ ${lof.fCritical?.toFixed(2)}): no floor assumed`;
  return 'lack of fit: unknown';
}

function adviceText(a: SeedAdvice, target: number, maxSeeds: number, specN: number): string {
  const head = `target ${pm(target)}:`;
  switch (a.status) {
    case 'reached':
      return `${head} ${a.needed} seeds per N (≈ ${pm(a.halfWidth ?? 0)})`;
    case 'cap':
      return `${head} cap ${maxSeeds} binds: reaches ≈ ${pm(a.halfWidth ?? 0)} (the target needs ${Number.isFinite(a.needed) ? a.needed : 'more than 2^53'} seeds)`;
    case 'unreachable': {
      const floor = `${head} unreachable: floor ≈ ${pm(a.floor ?? 0)} from lack of fit`;
      const capped = (a.halfWidth ?? 0) > NEAR_FLOOR * (a.floor ?? 0) * (1 + 1e-9);
      return capped
        ? `${floor}; cap ${maxSeeds} binds: reaches ≈ ${pm(a.halfWidth ?? 0)}`
        : `${floor}; ${a.recommended} seeds come within 10 % of it (≈ ${pm(a.halfWidth ?? 0)})`;
    }
    case 'no-ci':
      return `${head} no CI: the spec has ${specN} N (a slope's CI needs 3 or more)`;
  }
}

function estimateText(e: SeedEstimate & { seeds: number }): string {
  return `with ${e.seeds} seeds: ${e.cells} cells, ${range(e.points, String)} points, ${range(e.work, (v) => (v / 1e9).toFixed(3))} G λ-pattern-epochs; ` +
    `local about ${range(e.local, (v) => duration(v.seconds))} on ${e.local.min.cores} cores; lambda ${range(e.lambda, (c) => money(c.totalDollars))}, ` +
    `wall ≈ ${range(e.lambda, (c) => duration(c.wallSeconds))}`;
}

export function seedPlanLines(p: SeedPlan, specN: number): string[] {
  const target = p.targetCi === null ? '' : ` to reach ${pm(p.targetCi)}`;
  const lines = [
    `seeds per N for the slope's 95 % CI${target}, from pilot ${p.pilot.sweepId}${p.pilot.name ? ` (${p.pilot.name})` : ''}; modelled on ${p.slope}:`,
  ];
  const c = p.pilot.cells;
  if (c.complete < c.planned) lines.push(`the pilot has ${c.planned - c.complete} of ${c.planned} cells incomplete: it is read from the ${c.complete} complete ones`);
  for (const g of p.groups) {
    if (!g.pilot || !g.lackOfFit || !g.atSpecSeeds) {
      lines.push(`${g.label}: ${g.notes.join('; ')}`);
      continue;
    }
    const seeds = Math.min(...g.pilot.seeds) === Math.max(...g.pilot.seeds) ? `${g.pilot.seeds[0]}` : `${Math.min(...g.pilot.seeds)}–${Math.max(...g.pilot.seeds)}`;
    const pilotCi = g.pilot.halfWidth === null ? 'no CI' : `CI ${pm(g.pilot.halfWidth)}`;
    const at = g.atSpecSeeds.halfWidth === null ? `no CI at this spec's ${specN} N` : `≈ ${pm(g.atSpecSeeds.halfWidth)} at this spec's ${g.atSpecSeeds.seeds} seeds`;
    lines.push(`${g.label}: pilot ${seeds} seeds over ${g.pilot.ns.length} N, ${pilotCi}; ${at}`);
    lines.push(`  ${lackOfFitText(g.lackOfFit, g.floor)}`);
    if (g.advice && p.targetCi !== null) lines.push(`  ${adviceText(g.advice, p.targetCi, p.maxSeeds, specN)}`);
    if (g.estimate) lines.push(`  ${estimateText(g.estimate)}`);
    for (const n of g.notes) lines.push(`  note: ${n}`);
  }
  return lines;
}
