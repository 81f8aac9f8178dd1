/**
 * The study README from a synthetic outcome: slopes and standard errors set by hand per
 * configuration, so each verdict, threshold and number the document prints is known in advance.
 */
import { describe, expect, test } from 'vitest';
import type { Analysis, GroupAnalysis, PointSummary } from '../../orchestrator/analysis/analysis-types.js';
import type { LineFit } from '../../orchestrator/analysis/stats.js';
import { studentTQuantile } from '../../orchestrator/analysis/stats.js';
import type { Figure } from '../../orchestrator/report/figures.js';
import type { Study, StudyConfig } from '../../orchestrator/study/init-epochs.js';
import { INIT_EPOCHS, configLabel, configSpec, studyConfigs } from '../../orchestrator/study/init-epochs.js';
import type { ConfigOutcome, StudyOutcome } from '../../orchestrator/study/run-study.js';
import { answerParagraphs, statusText, studyReadme } from '../../orchestrator/study/study-doc.js';
import { slopeFigure, studyFigures } from '../../orchestrator/study/study-figures.js';
import { featuredRows, initEffects, referenceChecks } from '../../orchestrator/study/study-stats.js';

const STUDY: Study = { ...INIT_EPOCHS, n: [8, 20, 50, 128, 322] };
const SE = 0.05;
/** |z| above which one of a row's three pairs differs at 5 % overall: df = 2·(5 N − 2), Bonferroni over 3 pairs. */
const CRITICAL = studentTQuantile(1 - 0.025 / 3, 6);

function fit(value: number, se: number, points = STUDY.n.length): LineFit {
  const t = studentTQuantile(0.975, points - 2);
  return { value, intercept: 0, se, ci95: [value - t * se, value + t * se], r2: 0.9, points };
}

function summary(n: number, mean: number, sem: number | null, seeds = 5): PointSummary {
  const lambdaStars = Array.from({ length: seeds }, () => mean);
  return {
    n, seeds, lambdaStars, meanLambdaStar: mean, semLambdaStar: sem,
    meanLog10LambdaStar: Math.log10(mean), semLog10LambdaStar: sem === null ? null : sem / (mean * Math.LN10),
    subgridLambdaStars: lambdaStars, meanSubgridLambdaStar: mean,
    edgeCount: 0, lowEdgeCount: 0, highEdgeCount: 0, boundCount: 0, lowBoundCount: 0, highBoundCount: 0, roundCapCount: 0,
    resolution: 1.19, evaluatedPoints: seeds * 10, divergedPoints: 0,
  };
}

function groupOf(initFactor: number, slope: LineFit | null, points: PointSummary[], edgeDominatedN: number[] = []): GroupAnalysis {
  return { reg: 'l2', initFactor, options: {}, label: `f = ${initFactor}`, points, slope, slopeAllPoints: slope, slopeWithoutEdges: slope, edgeDominatedN, curves: [], warnings: [] };
}

/** Points on λ* = 10^(−1 + slope·log₁₀N), SEM a tenth of the mean. */
const onLine = (slope: number) => STUDY.n.map((n) => { const m = 10 ** (-1 + slope * Math.log10(n)); return summary(n, m, m / 10); });

function analysisOf(c: StudyConfig, groups: GroupAnalysis[]): Analysis {
  const spec = configSpec(STUDY, c, 5);
  if (!spec.search) throw new Error('no search');
  return {
    sweepId: `sweep-${configLabel(c)}`, name: spec.name ?? null, trainerVersion: 'test', protocol: spec.options,
    lambdas: { mode: 'adaptive', search: spec.search }, cells: { planned: 25, complete: 25, incomplete: [] }, points: 250, work: 1e9, groups,
  };
}

interface Shape { slope?: number; se?: number; halfWidth?: number; edgeDominatedN?: number[]; points?: PointSummary[] }

/** Every configuration of STUDY, slope −1 ± SE unless `shape` says otherwise; the reference on the grid alike. */
function outcomeOf(shape: (c: StudyConfig) => Shape = () => ({}), reference?: GroupAnalysis[]): StudyOutcome {
  const configs = studyConfigs(STUDY).map((config): ConfigOutcome => {
    const s = shape(config);
    const slope = s.slope ?? -1;
    const group = groupOf(config.initFactor, fit(slope, s.se ?? SE), s.points ?? onLine(slope), s.edgeDominatedN);
    return { config, seedSteps: [5, 12], status: 'reached', halfWidth: s.halfWidth ?? 0.08, floor: 0, analysis: analysisOf(config, [group]), group };
  });
  const refGroups = reference ?? STUDY.reference.initFactors.map((f) => groupOf(f, fit(-1, SE), onLine(-1)));
  const refConfig: StudyConfig = { initFactor: 0.1, epochs: STUDY.reference.epochs, batch: STUDY.reference.batch };
  return { configs, reference: { ...analysisOf(refConfig, refGroups), lambdas: { mode: 'grid', grid: STUDY.referenceLambdas } }, pointsTrained: 0 };
}

/** A row's slopes: f = 0.1 at −1, f = 1 at `z` combined standard errors above it, f = 10 between them. */
const rowSlopes = (z: number): Record<number, number> => ({ 0.1: -1, 1: -1 + z * Math.SQRT2 * SE, 10: -1 + (z / 2) * Math.SQRT2 * SE });
/** The slope of `c` when the rows flagged in `effect` (batch → epochs → z) differ by that z. */
const withEffects = (effect: Partial<Record<string, Record<number, number>>>) => (c: StudyConfig): Shape => {
  const z = effect[String(c.batch)]?.[c.epochs];
  return z === undefined ? {} : { slope: rowSlopes(z)[c.initFactor] };
};

describe('initEffects', () => {
  test.each([
    [1.001, true],
    [0.999, false],
  ])('a row whose largest pair is %f × the Bonferroni critical value apart: significant %s', (k, significant) => {
    const effects = initEffects(STUDY, outcomeOf(withEffects({ 1: { 500: k * CRITICAL } })));
    expect(effects).toHaveLength(6);
    const row = effects.find((e) => e.batch === 1 && e.epochs === 500);
    expect(row?.critical).toBeCloseTo(CRITICAL, 10);
    expect(row?.z).toBeCloseTo(k * CRITICAL, 10);
    expect(row?.significant).toBe(significant);
    expect(row?.pair.map((c) => c.config.initFactor)).toEqual([0.1, 1]);
    // Every other row: identical slopes, z = 0.
    expect(effects.filter((e) => e !== row).every((e) => e.z === 0 && !e.significant)).toBe(true);
  });

  test('the pair is the one furthest apart in standard errors, not in slope', () => {
    const shape = (c: StudyConfig): Shape => (c.batch === 'full' && c.epochs === 100
      ? ({ 0.1: { slope: -2, se: 1 }, 1: { slope: -1, se: SE }, 10: { slope: -0.7, se: SE } } as Record<number, Shape>)[c.initFactor]
      : {});
    const row = initEffects(STUDY, outcomeOf(shape)).find((e) => e.batch === 'full' && e.epochs === 100);
    expect(row?.pair.map((c) => c.config.initFactor)).toEqual([1, 10]);
    expect(row?.z).toBeCloseTo(0.3 / Math.hypot(SE, SE), 10);
    expect(row?.spread).toBeCloseTo(1.3, 10);
    expect(row?.significant).toBe(true);
  });
});

describe('answerParagraphs', () => {
  const strong = 2 * CRITICAL;
  const weak = 0.5 * CRITICAL;
  test.each([
    ['an init effect that more epochs remove', 'effect at 100 epochs only', [strong, weak, weak]],
    ['an init effect at 500 epochs, not detected at 2000', 'effect at 500 epochs only: not "removed", since 100 epochs show none', [weak, strong, 0]],
    ['an init effect that persists', 'effect at 2000 epochs only', [weak, weak, strong]],
    ['an init effect that persists', 'effect at every epoch count', [strong, strong, strong]],
    ['no init effect detected', 'every row below the critical value', [weak, weak, weak]],
  ])('batch size 1: %s (%s)', (verdict, _, zs) => {
    const effect = { 1: Object.fromEntries(STUDY.epochs.map((e, i) => [e, zs[i] as number])) };
    const [short] = answerParagraphs(STUDY, outcomeOf(withEffects(effect)));
    expect(short).toBe(`**In short:** batch size 1: ${verdict}; batch size full: no init effect detected.`);
  });

  test('an effect gone at the most epochs is not called removed when the CIs there are too wide to see it', () => {
    const wide = (c: StudyConfig): Shape => ({ ...withEffects({ 1: { 100: 2 * CRITICAL } })(c), ...(c.batch === 1 && c.epochs === 2000 && { halfWidth: 0.4 }) });
    const paragraphs = answerParagraphs(STUDY, outcomeOf(wide));
    expect(paragraphs[0]).toBe('**In short:** batch size 1: an init effect at 100 epochs, not detected at 2000; batch size full: no init effect detected.');
    expect(paragraphs[1]).toContain('too wide');
  });

  test('both batch sizes in one answer: one removed by epochs, one persisting; a paragraph each', () => {
    const paragraphs = answerParagraphs(STUDY, outcomeOf(withEffects({ 1: { 100: 2 * CRITICAL }, full: { 2000: 2 * CRITICAL } })));
    expect(paragraphs[0]).toBe('**In short:** batch size 1: an init effect that more epochs remove; batch size full: an init effect that persists.');
    expect(paragraphs[1]).toMatch(/^With batch size 1, the init factor changes the slope at 100 epochs .* but not detectably at 500 and 2000 epochs/);
    expect(paragraphs[2]).toMatch(/^With full-batch gradient descent, .* it persists at 2000 epochs/);
  });

  test('the caveat paragraph appears exactly when some configuration has edge-dominated N', () => {
    expect(answerParagraphs(STUDY, outcomeOf()).some((p) => p.startsWith('Caveat'))).toBe(false);
    const edged = (c: StudyConfig): Shape => (c.initFactor === 10 && c.epochs === 2000 && c.batch === 1 ? { edgeDominatedN: [8, 20] } : {});
    const caveats = answerParagraphs(STUDY, outcomeOf(edged)).filter((p) => p.startsWith('Caveat'));
    expect(caveats).toHaveLength(1);
    expect(caveats[0]).toContain('f=10 epochs=2000 B=1 (N = 8, 20)');
  });
});

describe('statusText', () => {
  const base = outcomeOf().configs[0];
  test.each([
    ['reached', 0.08, 0, '±0.080 ≤ ±0.1'],
    ['floor', 0.15, 0.123, '±0.150: lack-of-fit floor ≈ ±0.123, above the target; more seeds do not lower it'],
    ['cap', 0.15, 0.02, '±0.150: the seed cap (40) binds'],
    ['rounds', 0.15, 0, '±0.150: the planning rounds (3) ran out'],
    ['no-ci', null, null, 'no CI (fewer than 3 N with a λ*)'],
  ] as const)('%s', (status, halfWidth, floor, text) => {
    expect(statusText({ ...base, status, halfWidth, floor }, STUDY)).toBe(text);
  });
  test('only the floor status names the floor, only the cap status the cap', () => {
    const texts = (['reached', 'floor', 'cap', 'rounds'] as const).map((status) => statusText({ ...base, status, halfWidth: 0.15, floor: 0.123 }, STUDY));
    expect(texts.map((t) => t.includes('floor'))).toEqual([false, true, false, false]);
    expect(texts.map((t) => t.includes('cap'))).toEqual([false, false, true, false]);
  });
});

describe('referenceChecks', () => {
  /** A point whose seeds' (sub-grid) λ* are `stars`, in seed order, with the SEM of their mean. */
  const seeded = (n: number, stars: number[]): PointSummary => {
    const m = stars.reduce((a, b) => a + b, 0) / stars.length;
    const sd = Math.sqrt(stars.reduce((a, b) => a + (b - m) ** 2, 0) / (stars.length - 1));
    return { ...summary(n, m, sd / Math.sqrt(stars.length), stars.length), lambdaStars: stars, subgridLambdaStars: stars };
  };
  const seeds = (k: number, f: (i: number) => number) => Array.from({ length: k }, (_, i) => f(i));
  // 12 study seeds against the grid's 10: the pairs are seeds 0–9.
  const gridStars = seeds(10, (i) => 1e-3 * (1 + i / 10));
  const study = [
    seeded(8, seeds(12, (i) => 2 * (gridStars[i] ?? 1e-3) * (i % 2 === 0 ? 1.1 : 1 / 1.1))), // twice the grid, ±10 % per seed
    seeded(20, seeds(12, (i) => gridStars[i] ?? 1.5e-3)), // equal on every shared seed (seeds 10 and 11 do not pair)
    seeded(128, seeds(11, () => 1e-3)), // a seed without a λ*: no pairing
  ];
  const grid = [8, 20, 128].map((n) => seeded(n, gridStars));
  const shape = (c: StudyConfig): Shape => (c.initFactor === 0.1 && c.epochs === 500 && c.batch === 'full' ? { points: study } : {});
  const reference = [groupOf(0.1, fit(-1, SE), grid), groupOf(10, fit(-1, SE), onLine(-1))];
  const semlog = (p: PointSummary) => (p.semLambdaStar ?? NaN) / (p.meanLambdaStar * Math.LN10);

  test('z compares the mean λ* against their SEMs (delta method); the sub-grid λ* of the seeds both ran are compared pair by pair', () => {
    const out = outcomeOf(shape, reference);
    out.configs.forEach((c) => { c.seedSteps = [5, 12]; });
    const checks = referenceChecks(STUDY, out);
    expect(checks.map((c) => c.initFactor)).toEqual([0.1, 10]);
    const rows = checks[0].rows;
    expect(rows.map((r) => [r.n, r.paired])).toEqual([[8, 10], [20, 10], [128, 0]]);
    rows.forEach((r, i) => {
      const want = (Math.log10(study[i].meanLambdaStar) - Math.log10(grid[i].meanLambdaStar)) / Math.hypot(semlog(study[i]), semlog(grid[i]));
      expect(r.z).toBeCloseTo(want, 12);
    });
    expect(rows[0].z).toBeGreaterThan(2);
    const d = seeds(10, (i) => Math.log10(2 * (i % 2 === 0 ? 1.1 : 1 / 1.1)));
    expect(rows[0].meanLogRatio).toBeCloseTo(d.reduce((a, b) => a + b, 0) / 10, 12);
    expect(rows[1].meanLogRatio).toBe(0);
    expect(rows[2].meanLogRatio).toBeNull();
    // The other factor: the same points on both sides.
    expect(checks[1].rows.map((r) => r.z)).toEqual([0, 0, 0, 0, 0]);
  });

  test('no z where both SEMs are 0', () => {
    const exact = (c: StudyConfig): Shape => (c.initFactor === 0.1 && c.epochs === 500 && c.batch === 'full' ? { points: [summary(8, 2e-3, 0)] } : {});
    const rows = referenceChecks(STUDY, outcomeOf(exact, [groupOf(0.1, fit(-1, SE), [summary(8, 1e-3, 0)])]))[0].rows;
    expect(rows[0].z).toBeNull();
  });
});

describe('the README and its figures', () => {
  const outcome = outcomeOf(withEffects({ 1: { 100: 2 * CRITICAL }, full: { 2000: 3 * CRITICAL } }));

  test('featuredRows: the row where the factors differ most, and its longest-trained counterpart unless it is that row', () => {
    expect(featuredRows(STUDY, outcome)).toMatchObject([{ batch: 'full', epochs: 2000 }]);
    expect(featuredRows(STUDY, outcomeOf(withEffects({ 1: { 500: 3 * CRITICAL } })))).toMatchObject([{ batch: 1, epochs: 500 }, { batch: 1, epochs: 2000 }]);
  });

  test('the answer first, a table row per configuration, and every linked figure among studyFigures', () => {
    const readme = studyReadme(STUDY, outcome, [{ started: '2026-01-01T00:00:00.000Z', wallSeconds: 7200, pointsTrained: 900, cores: 2, kernel: 'wasm-simd' }]);
    const lines = readme.split('\n');
    expect(lines[0]).toMatch(/^# /);
    expect(lines.filter((l) => l.startsWith('## '))[0]).toBe('## The answer');
    expect(lines.findIndex((l) => l.startsWith('## '))).toBeLessThan(lines.findIndex((l) => l.startsWith('**In short:**')));
    const rows = lines.filter((l) => /^\| (1|full \(322\)) \| (100|500|2000) \| (0\.1|1|10) \|/.test(l));
    expect(rows).toHaveLength(studyConfigs(STUDY).length);
    const names = new Set(studyFigures(STUDY, outcome).map((f) => f.name));
    const links = [...readme.matchAll(/\]\(figures\/([^)]+)\.svg\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) expect(names.has(link), link).toBe(true);
    expect(links).toEqual(expect.arrayContaining(['slope-vs-epochs', 'reference', 'lambda-star-bfull-e2000']));
    expect(readme).toContain('Wall time: 2.00 h on 2 cores (kernel wasm-simd)');
  });
});

describe('slopeFigure', () => {
  const yDomains = (f: Figure) => {
    const layers = (f.spec.spec as { layer: { encoding: { y: { scale: { domain: number[] } } } }[] }).layer;
    return layers.map((l) => l.encoding.y.scale.domain);
  };

  test('the y axis spans the slopes and the marks (thesis, −1) with a 0.3 margin', () => {
    // Every slope −1: the thesis' −1.31 and −0.11 bound it.
    for (const d of yDomains(slopeFigure(STUDY, outcomeOf()))) {
      expect(d[0]).toBeCloseTo(-1.61, 12);
      expect(d[1]).toBeCloseTo(0.19, 12);
    }
  });

  test('wild slopes are clamped to at most [−3, 1]', () => {
    const wild = (c: StudyConfig): Shape => (c.initFactor === 10 && c.epochs === 100 ? { slope: c.batch === 1 ? -10 : 5 } : {});
    for (const d of yDomains(slopeFigure(STUDY, outcomeOf(wild)))) expect(d).toEqual([-3, 1]);
    const low = (c: StudyConfig): Shape => (c.initFactor === 10 && c.epochs === 100 && c.batch === 1 ? { slope: -4 } : {});
    for (const d of yDomains(slopeFigure(STUDY, outcomeOf(low)))) {
      expect(d[0]).toBe(-3);
      expect(d[1]).toBeCloseTo(0.19, 12);
    }
  });
});
