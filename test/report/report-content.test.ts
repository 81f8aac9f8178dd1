import { describe, expect, test } from 'vitest';
import { cellId } from '../../functions/trainer/ids.js';
import type { FiniteMetrics } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import type { Analysis } from '../../orchestrator/analysis/analysis-types.js';
import { analyze } from '../../orchestrator/analysis/analyze.js';
import { confidenceBand, linearRegression, studentTQuantile } from '../../orchestrator/analysis/stats.js';
import { answerText } from '../../orchestrator/report/answer.js';
import { missingByN } from '../../orchestrator/report/completeness.js';
import type { VegaLiteSpec } from '../../orchestrator/report/figures.js';
import { PALETTE, reportFigures } from '../../orchestrator/report/figures.js';
import { reportHtml } from '../../orchestrator/report/html.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../../orchestrator/store/manifest-io.js';
import type { SweepCell } from '../../orchestrator/sweep/sweep-cells.js';

/** Quarter decades from 1e-6 to 10. */
const GRID = Array.from({ length: 29 }, (_, k) => 10 ** ((k - 24) / 4));

/** Metrics whose validation loss is a parabola in log₁₀λ with its minimum at log₁₀λ = `at`. */
function curve(at: number): FiniteMetrics[] {
  return GRID.map((lambda) => ({ lambda, trainLoss: 0.3, trainObjective: 0.4, valLoss: 0.5 + (Math.log10(lambda) - at) ** 2, valError: 0.2, weightNorm: 1 }));
}

interface SweepShape {
  ns: number[];
  seeds?: number;
  regs?: ('l1' | 'l2')[];
  initFactors?: number[];
  /** log₁₀ λ* of a cell. */
  at: (n: number, seed: number, reg: 'l1' | 'l2', f: number) => number;
  /** Cells left without an outcome (incomplete). */
  open?: (n: number, seed: number) => boolean;
}

function sweep(s: SweepShape): { analysis: Analysis; cells: SweepCell[]; spec: ReturnType<typeof canonicalize> } {
  const regs = s.regs ?? ['l2'];
  const factors = s.initFactors ?? [1];
  const seeds = s.seeds ?? 3;
  const spec = canonicalize(specSchema.parse({ n: s.ns, lambdas: GRID, seeds, regs, initFactors: factors }));
  const cells: SweepCell[] = [];
  for (const reg of regs) {
    for (const f of factors) {
      for (const n of s.ns) {
        for (let seed = 0; seed < seeds; seed++) {
          const { lambdas: _l, ...cell } = withDefaults({ n, seed, initFactor: f, reg, lambdas: [] });
          const open = s.open?.(n, seed) ?? false;
          cells.push({ id: cellId(cell), cell, outcome: open ? undefined : 'grid', rounds: 0, points: open ? curve(0).slice(0, 2) : curve(s.at(n, seed, reg, f)) });
        }
      }
    }
  }
  return { analysis: analyze(buildManifest(spec), cells), cells, spec };
}

/** λ* = 10/N (a slope of −1) with a grid step of scatter over seeds, and one N off the line by a step. */
const inverse = (n: number, seed: number) => Math.log10(10 / n) + (seed - 1) * 0.25 + (n === 100 ? 0.25 : 0);

/** Every layer (or concatenated panel's layer) of a vega-lite spec, flattened. */
function layersOf(spec: VegaLiteSpec): VegaLiteSpec[] {
  const parts = (spec.concat as VegaLiteSpec[] | undefined) ?? [spec];
  return parts.flatMap((p) => (p.layer as VegaLiteSpec[] | undefined) ?? [p]);
}

const values = (layer: VegaLiteSpec) => ((layer.data as { values?: Record<string, unknown>[] } | undefined)?.values ?? []);

describe('the confidence band of a fitted line', () => {
  test('is ŷ ± t·s·√(1/n + (x0 − x̄)²/Sxx), narrowest at the mean of x, none below three points', () => {
    const xs = [0, 1, 2, 3];
    const ys = [0.1, 0.9, 2.2, 2.8];
    const fit = linearRegression(xs, ys);
    const sse = xs.reduce((s, x, i) => s + (ys[i] - (fit.value * x + fit.intercept)) ** 2, 0);
    const half = (x0: number) => studentTQuantile(0.975, 2) * Math.sqrt(sse / 2) * Math.sqrt(1 / 4 + (x0 - 1.5) ** 2 / 5);
    for (const x0 of [-1, 1.5, 4]) {
      const band = confidenceBand(xs, ys, x0);
      expect(band?.value).toBeCloseTo(fit.value * x0 + fit.intercept, 12);
      expect((band?.hi ?? 0) - (band?.value ?? 0)).toBeCloseTo(half(x0), 12);
    }
    expect(confidenceBand([0, 1], [0, 1], 0.5)).toBeNull();
  });
});

describe('the answer in words', () => {
  test('a slope whose CI covers −1 is called consistent with 1/N; one whose CI lies above −1 slower', () => {
    const { analysis } = sweep({ ns: [10, 100, 1000, 10000], at: inverse });
    expect(answerText(analysis.groups[0])).toMatch(/^L2 f=1: λ\* falls as N\^−1(\.0\d*)? \[−1\.\d+, −0\.\d+\] \(95 % CI, over 4 N from 10 to 10000\); the CI includes −1: consistent with λ\* ∝ 1\/N\.$/);
    const slow = sweep({ ns: [10, 100, 1000, 10000], at: (n, seed) => -1 - 0.5 * Math.log10(n) + (seed - 1) * 0.25 + (n === 100 ? 0.25 : 0) });
    expect(answerText(slow.analysis.groups[0])).toMatch(/falls as N\^−0\.5\d* \[.*the CI excludes −1: λ\* falls slower than 1\/N\./);
  });

  test('two N: the slope without an interval, and said to leave the question open; one N: no slope and why', () => {
    const two = sweep({ ns: [10, 1000], at: inverse });
    expect(answerText(two.analysis.groups[0])).toMatch(/goes as N\^−1 over 2 N from 10 to 1000; .*no confidence interval, so whether λ\* ∝ 1\/N is open\./);
    const one = sweep({ ns: [100], at: inverse });
    expect(answerText(one.analysis.groups[0])).toBe('L2 f=1: only N = 100 has a λ*, so there is no slope (it needs two or more N).');
  });

  test('edge points are a caveat with the slope without them; every N on an edge gives no answer', () => {
    // λ* above the grid at N = 1 (clipped to its top), 10/N elsewhere.
    const { analysis } = sweep({ ns: [2, 10, 100, 1000, 10000], at: (n, seed) => (n === 2 ? 3 : inverse(n, seed)) });
    const text = answerText(analysis.groups[0]);
    expect(text).toMatch(/Caveat: at N = 2, λ\* sits on an edge .*; without them the slope is N\^−1(\.0\d*)? \[/);
    const all = sweep({ ns: [10, 100, 1000], at: () => 3 });
    expect(answerText(all.analysis.groups[0])).toMatch(/at every N, λ\* sits on an edge .* no slope can be read from this sweep .* widen the λ grid \(or a search's bounds\)\.$/);
  });

  test('a direction only where the CI supports it; a fit with no residual claims no interval', () => {
    // λ* at 10/N for N = 10, 1000, but two steps up at N = 100: a slope whose CI spans 0.
    const wide = sweep({ ns: [10, 100, 1000], at: (n, seed) => inverse(n, seed) + (n === 100 ? 1.5 : 0) });
    const g = wide.analysis.groups[0];
    expect(g.slope?.ci95?.[0]).toBeLessThan(0);
    expect(g.slope?.ci95?.[1]).toBeGreaterThan(0);
    expect(answerText(g)).toMatch(/^L2 f=1: λ\* goes as N\^/);
    // Every seed at the same λ at every N: the means lie on a line, and no zero-width CI is claimed.
    const exact = sweep({ ns: [10, 100, 1000], at: (n) => Math.log10(10 / n) });
    const e = exact.analysis.groups[0];
    expect(e.slope?.se).toBeLessThan(1e-12);
    expect(answerText(e)).toMatch(/goes as N\^−1 over 3 N .*no meaningful confidence interval/);
    expect(answerText(e)).not.toMatch(/\[/);
  });

  test('no warning claims a direction the numbers contradict: both slopes are given', () => {
    const { analysis } = sweep({ ns: [2, 10, 100, 1000], at: (n, seed) => (n === 2 ? 3 : inverse(n, seed)) });
    const g = analysis.groups[0];
    const w = g.warnings.join(' ');
    const fmt = (v = NaN) => Number(v.toPrecision(3)).toString();
    expect(w).not.toMatch(/flatter|towards zero/);
    expect(fmt(g.slope?.value)).not.toBe(fmt(g.slopeWithoutEdges?.value));
    expect(w).toContain(`Without those N the slope is ${fmt(g.slopeWithoutEdges?.value)}; with them, ${fmt(g.slope?.value)}.`);
  });
});

describe('the figures', () => {
  test('one reg and one init factor: the λ*–N figure and the loss panels only, no copies of it', () => {
    const { analysis } = sweep({ ns: [10, 100, 1000], at: inverse });
    expect(reportFigures(analysis).map((f) => f.name)).toEqual(['lambda-star-loglog', 'loss-vs-lambda']);
  });

  test('one N: no λ*–N figure; L1 and L2 at several init factors: the subsets each add', () => {
    expect(reportFigures(sweep({ ns: [100], at: inverse }).analysis).map((f) => f.name)).toEqual(['loss-vs-lambda']);
    const mixed = sweep({ ns: [10, 100, 1000], regs: ['l1', 'l2'], initFactors: [0.1, 1], seeds: 2, at: inverse });
    expect(reportFigures(mixed.analysis).map((f) => f.name)).toEqual(['lambda-star-loglog', 'init-factors', 'l1-vs-l2', 'loss-vs-lambda']);
  });

  test('λ*–N: a 1/N reference of slope −1 through the data\'s centre, the fit with a band, edge points flagged', () => {
    const { analysis } = sweep({ ns: [2, 10, 100, 1000], at: (n, seed) => (n === 2 ? 3 : inverse(n, seed) + 0.3) });
    const spec = reportFigures(analysis)[0].spec;
    const layers = layersOf(spec);
    const reference = layers.find((l) => values(l).some((v) => String(v.line ?? '').includes('1/N')));
    const [a, b] = values(reference ?? {}).map((v) => [Math.log10(v.n as number), Math.log10(v.fit as number)]);
    expect((b[1] - a[1]) / (b[0] - a[0])).toBeCloseTo(-1, 12);
    const points = analysis.groups[0].points;
    const cx = points.reduce((s, p) => s + Math.log10(p.n), 0) / points.length;
    const cy = points.reduce((s, p) => s + Math.log10(p.meanLambdaStar), 0) / points.length;
    expect(a[1] + (cx - a[0]) * -1).toBeCloseTo(cy, 12);
    const band = layers.find((l) => (l.mark as { type: string }).type === 'area');
    expect(values(band ?? {}).every((v) => (v.lo as number) < (v.fit as number) && (v.fit as number) < (v.hi as number))).toBe(true);
    const flags = values(layers[layers.length - 1]).map((v) => [v.n, v.flag]);
    expect(flags).toEqual([[2, 'on a grid edge (half or more of the seeds)'], [10, 'inside the λ range'], [100, 'inside the λ range'], [1000, 'inside the λ range']]);
    expect(String(values(layers[layers.length - 1])[0].series)).toMatch(/^L2 f=1: slope -0\.\d+ \[-?\d/);
  });

  test('one colour per group in every figure, the same group the same colour', () => {
    const { analysis } = sweep({ ns: [10, 100, 1000], regs: ['l1', 'l2'], initFactors: [0.1, 1], seeds: 2, at: inverse });
    const colourOf = new Map<string, string>();
    for (const f of reportFigures(analysis)) {
      for (const layer of layersOf(f.spec)) {
        const scale = ((layer.encoding as Record<string, { scale?: { domain: string[]; range: string[] } }> | undefined)?.color?.scale);
        if (!scale) continue;
        scale.domain.forEach((label, i) => {
          const group = label.split(':')[0];
          expect(colourOf.get(group) ?? scale.range[i]).toBe(scale.range[i]);
          colourOf.set(group, scale.range[i]);
        });
      }
    }
    expect([...colourOf.keys()].sort()).toEqual(['L1 f=0.1', 'L1 f=1', 'L2 f=0.1', 'L2 f=1']);
    expect(new Set(colourOf.values()).size).toBe(4);
    expect(new Set(PALETTE).size).toBeGreaterThanOrEqual(12);
  });

  test('past twelve groups the λ*–N figure has one panel per group', () => {
    const { analysis } = sweep({ ns: [10, 100, 1000], initFactors: [0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7], regs: ['l1', 'l2'], seeds: 2, at: inverse });
    expect(analysis.groups).toHaveLength(22);
    const spec = reportFigures(analysis)[0].spec;
    expect((spec.concat as VegaLiteSpec[]).map((p) => p.title)).toEqual(analysis.groups.map((g) => g.label));
  });

  test('past twelve groups the loss figure has one panel per group, each with its λ*; shapes explained even when every point is on an edge', () => {
    const { analysis } = sweep({ ns: [10, 100, 1000], initFactors: [0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5], regs: ['l1', 'l2'], seeds: 2, at: inverse });
    const loss = reportFigures(analysis).find((f) => f.name === 'loss-vs-lambda')?.spec ?? {};
    const panels = loss.concat as VegaLiteSpec[];
    expect(panels.map((p) => p.title)).toEqual(analysis.groups.map((g) => `${g.label} · N = 1000`));
    for (const p of panels) expect((p.layer as VegaLiteSpec[]).some((l) => values(l).some((v) => v.label === 'λ*'))).toBe(true);
    expect((loss.resolve as { scale: { color: string } }).scale.color).toBe('independent');
    const edges = sweep({ ns: [10, 100, 1000], at: () => 3 });
    const star = layersOf(reportFigures(edges.analysis)[0].spec);
    const shape = (star[star.length - 1].encoding as { shape: { legend: unknown } }).shape;
    expect(shape.legend).not.toBeNull();
  });

  test('loss: one panel per N (six spread over many), λ* marked in each, the axis ending at the λ evaluated', () => {
    const many = sweep({ ns: [10, 20, 40, 80, 160, 320, 640, 1280], seeds: 2, at: inverse });
    const loss = reportFigures(many.analysis).find((f) => f.name === 'loss-vs-lambda')?.spec ?? {};
    const panels = loss.concat as VegaLiteSpec[];
    expect(panels.map((p) => p.title)).toEqual(['N = 10', 'N = 20', 'N = 80', 'N = 160', 'N = 640', 'N = 1280']);
    for (const panel of panels) {
      const layers = panel.layer as VegaLiteSpec[];
      const labels = layers.flatMap((l) => values(l).filter((v) => v.label === 'λ*'));
      expect(labels.length).toBeGreaterThanOrEqual(1);
      const x = (layers[0].encoding as { x: { scale: { domain: number[] } } }).x;
      expect(x.scale.domain).toEqual([GRID[0], GRID[GRID.length - 1]]);
    }
    const n = 640;
    const star = many.analysis.groups[0].points.find((p) => p.n === n)?.meanLambdaStar;
    const panel = panels.find((p) => p.title === `N = ${n}`) as VegaLiteSpec;
    expect((panel.layer as VegaLiteSpec[]).some((l) => values(l).some((v) => v.label === 'λ*' && v.lambda === star))).toBe(true);
  });
});

describe('the page', () => {
  test('opens with the answer, defines its terms, and says when the slope without edge N is the same', () => {
    const { analysis } = sweep({ ns: [10, 100, 1000], at: inverse });
    const html = reportHtml({ analysis, figures: [], failures: [], partial: false, missing: [] });
    expect(html.indexOf('id="answer"')).toBeLessThan(html.indexOf('id="figures"'));
    expect(html).toContain(`<p class="answer" data-group="L2 f=1">${answerText(analysis.groups[0]).replace('∝', '∝')}</p>`);
    for (const term of ['λ*', 'sub-grid λ*', 'resolution', 'slope', 'without grid-edge N', 'on an edge']) expect(html).toContain(`<dt>${term}</dt>`);
    expect(html).not.toContain('<dt>at a bound</dt>');
    expect(html).toContain('without grid-edge N: same as the first: no N has λ* on an edge');
    expect(html).toContain('@media print');
    expect(html).not.toContain('id="partial"');
    expect(html).not.toContain('location.reload');
  });

  test('a partial sweep says so, with what is missing per N; a running one shows progress and reloads', () => {
    const { analysis, cells, spec } = sweep({ ns: [10, 100, 1000], at: inverse, open: (n, seed) => n === 1000 && seed > 0 });
    const missing = missingByN(spec, cells);
    expect(missing).toEqual([{ n: 1000, cells: 3, incomplete: 2, missingPoints: 2 * (GRID.length - 2) }]);
    const live = { running: true, updatedAt: '2026-11-29T01:02:03.456Z', round: 1, pointsDone: 40, pointsTotal: 54, ratePerSecond: 8, etaSeconds: 1.75, failedTasks: 1, dollarsSoFar: 0.0123 };
    const html = reportHtml({ analysis, figures: [], failures: [], partial: false, missing, live });
    expect(html).toContain('<section id="live-status" class="status" data-running="true" data-updated="2026-11-29T01:02:03.456Z"><p><strong>Running</strong> · updated 2026-11-29 01:02:03 UTC · round 1: 40 of 54 points (74 %) · 8.0 points/s · ETA 2 s · 1 failed task(s) · $0.0123 billed so far</p>');
    expect(html).toContain('data-updated="2026-11-29T01:02:03.456Z"');
    expect(html).toContain('setTimeout(() => location.reload(), 10000)');
    expect(html).toMatch(/This report is partial: the sweep is still running\. 2 of 9 cells are incomplete/);
    expect(html).toContain(`<tr><td>1000</td><td>2 of 3</td><td>${2 * (GRID.length - 2)}</td></tr>`);
    const done = reportHtml({ analysis, figures: [], failures: [], partial: false, missing, live: { ...live, running: false } });
    expect(done).toContain('data-running="false"');
    expect(done).not.toContain('location.reload');
    expect(done).toMatch(/This report is partial: some cells are incomplete/);
  });
});
