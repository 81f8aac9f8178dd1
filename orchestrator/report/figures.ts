/**
 * The report's figures as vega-lite specs built from an analysis (pure; rendering is elsewhere).
 * Each group keeps one colour in every figure; only the figures that say something about the
 * sweep are drawn (no λ*–N figure for one N, no L1-against-L2 figure without both).
 */
import type { Analysis, GroupAnalysis, PointSummary } from '../analysis/analysis-types.js';
import type { LineFit } from '../analysis/stats.js';
import { confidenceBand, meaningfulCi } from '../analysis/stats.js';

export type VegaLiteSpec = Record<string, unknown>;

/** Twelve colours that stay apart for colour-blind readers too (Okabe–Ito, then Tol's muted). */
export const PALETTE = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9',
  '#000000', '#882255', '#117733', '#999933', '#332288', '#AA4499',
];
/** Past this many groups, the λ*–N figure draws one panel per group. */
const MAX_OVERLAID = PALETTE.length;
/** Panels of the loss figure: every N up to this many, else an evenly spread subset. */
const MAX_LOSS_PANELS = 6;

/** Panels of one group each: their colours and shapes are their own, not merged into one scale. */
const PANELS_APART = { scale: { color: 'independent', shape: 'independent', x: 'independent', y: 'independent' }, legend: { color: 'independent', shape: 'independent' } };
/** Legends one under another below the plot: side by side they would make the figure twice as wide. */
const LEGENDS_STACKED = { legend: { layout: { bottom: { anchor: 'start', direction: 'vertical', margin: 4 } } } };
const STAR_SIZE = { width: 460, height: 300 };
const PANEL_SIZE = { width: 220, height: 150 };
/** Three significant digits; rounding noise around zero (−2e-16) reads as 0. */
const g3 = (v: number) => (Math.abs(v) < 1e-12 ? 0 : Number(v.toPrecision(3)));
const log10 = Math.log10;

/** "slope -0.77 [-0.86, -0.68]", or why there is no interval or no slope. */
export function slopeText(fit: LineFit | null): string {
  if (!fit) return 'slope n/a (it needs 2 or more N)';
  if (!fit.ci95) return `slope ${g3(fit.value)} (no CI: it needs 3 or more N)`;
  // A zero-width interval would read as certainty; it only means the means lie on a line.
  if (!meaningfulCi(fit)) return `slope ${g3(fit.value)} (no CI: the mean λ* lie exactly on a line, so the fit has no residual to measure)`;
  return `slope ${g3(fit.value)} [${g3(fit.ci95[0])}, ${g3(fit.ci95[1])}] (95 % CI)`;
}

/** The group's colour: its place among all of the sweep's groups. */
function colourOf(all: readonly GroupAnalysis[], g: GroupAnalysis): string {
  return PALETTE[all.indexOf(g) % PALETTE.length];
}

/** A colour scale that gives `groups` their colours among `all`, keyed by `label`. */
function colourScale(all: readonly GroupAnalysis[], groups: readonly GroupAnalysis[], label: (g: GroupAnalysis) => string) {
  return { domain: groups.map(label), range: groups.map((g) => colourOf(all, g)) };
}

const EDGE = 'on a grid edge (half or more of the seeds)';
const BOUND = 'at a search bound (half or more of the seeds)';
const INSIDE = 'inside the λ range';
const SHAPES: Record<string, string> = { [INSIDE]: 'circle', [EDGE]: 'triangle-up', [BOUND]: 'diamond' };

/** How a mean λ* is drawn: a point whose seeds mostly sit on an edge or bound cannot be trusted as a value. */
function flagOf(p: PointSummary): string {
  if (p.boundCount > 0 && p.boundCount * 2 >= p.seeds) return BOUND;
  if (p.edgeCount > 0 && p.edgeCount * 2 >= p.seeds) return EDGE;
  return INSIDE;
}

/**
 * λ* against N, log-log, for `groups`: mean λ* ± SEM, the fitted power law with its 95 % band, a
 * dashed λ ∝ 1/N line through the data's centre, and points on an edge or bound drawn apart.
 */
function starPanel(all: readonly GroupAnalysis[], groups: readonly GroupAnalysis[], title: string): VegaLiteSpec {
  const series = (g: GroupAnalysis) => `${g.label}: ${slopeText(g.slope)}`;
  // Axes span the data (with a margin), not the band: a band from few N can span decades.
  const ns = groups.flatMap((g) => g.points.map((p) => p.n));
  const stars = groups.flatMap((g) => g.points.map((p) => p.meanLambdaStar));
  const xN = { field: 'n', type: 'quantitative', scale: { type: 'log', domain: [Math.min(...ns) / 1.25, Math.max(...ns) * 1.25], nice: false }, title: 'N (training patterns)', axis: { format: '~s' } };
  const yDomain = [Math.min(...stars) / 4, Math.max(...stars) * 4];
  const y = (field: string) => ({ field, type: 'quantitative', scale: { type: 'log', domain: yDomain, nice: false }, title: 'λ* (mean ± SEM over seeds)', axis: { format: '.0e' } });
  const points = groups.flatMap((g) =>
    g.points.map((p) => {
      const err = p.semLambdaStar ?? 0;
      // A log axis cannot show a bar below zero: clip the lower end at a tenth of the mean.
      const lo = Math.max(p.meanLambdaStar - err, p.meanLambdaStar / 10);
      return { n: p.n, lambdaStar: p.meanLambdaStar, lo, hi: p.meanLambdaStar + err, series: series(g), flag: flagOf(p), seeds: p.seeds, edges: p.edgeCount, bounds: p.boundCount };
    }),
  );
  const layers: VegaLiteSpec[] = [];
  for (const g of groups) {
    if (!g.slope) continue;
    const colour = colourOf(all, g);
    const xs = g.points.map((p) => log10(p.n));
    const ys = g.points.map((p) => log10(p.meanLambdaStar));
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    const curve = [];
    for (let i = 0; i <= 40; i++) {
      const x = lo + ((hi - lo) * i) / 40;
      const band = confidenceBand(xs, ys, x);
      curve.push({ n: 10 ** x, fit: 10 ** (g.slope.intercept + g.slope.value * x), lo: band && 10 ** band.lo, hi: band && 10 ** band.hi });
    }
    // Constant colours, no encoding: these layers stay out of the legend, whose swatches are the points'.
    if (g.slope.ci95) {
      layers.push({ data: { values: curve }, mark: { type: 'area', color: colour, opacity: 0.15, clip: true }, encoding: { x: xN, y: y('lo'), y2: { field: 'hi' } } });
    }
    layers.push({ data: { values: curve }, mark: { type: 'line', color: colour, strokeWidth: 1.5, clip: true }, encoding: { x: xN, y: y('fit') } });
  }
  const logPoints = groups.flatMap((g) => g.points.map((p) => ({ x: log10(p.n), y: log10(p.meanLambdaStar) })));
  const cx = logPoints.reduce((s, p) => s + p.x, 0) / logPoints.length;
  const cy = logPoints.reduce((s, p) => s + p.y, 0) / logPoints.length;
  const [x0, x1] = [Math.min(...logPoints.map((p) => p.x)), Math.max(...logPoints.map((p) => p.x))];
  const reference = [x0, x1].map((x) => ({ n: 10 ** x, fit: 10 ** (cy - (x - cx)), line: 'λ ∝ 1/N (reference through the data\'s centre)' }));
  layers.push({
    data: { values: reference },
    mark: { type: 'line', color: '#666', strokeWidth: 1, clip: true },
    encoding: { x: xN, y: y('fit'), strokeDash: { field: 'line', type: 'nominal', title: null, scale: { range: [[6, 4]] }, legend: { orient: 'bottom', labelLimit: 0, symbolType: 'stroke', symbolSize: 300, symbolStrokeWidth: 1.5 } } },
  });
  const colour = { field: 'series', type: 'nominal', title: null, scale: colourScale(all, groups, series), legend: { orient: 'bottom', columns: 1, labelLimit: 0, symbolType: 'circle' } };
  layers.push({ data: { values: points }, mark: { type: 'rule', clip: true }, encoding: { x: xN, y: y('lo'), y2: { field: 'hi' }, color: colour } });
  const flags = [INSIDE, EDGE, BOUND].filter((f) => points.some((p) => p.flag === f));
  layers.push({
    data: { values: points },
    mark: { type: 'point', filled: true, size: 60, opacity: 1 },
    encoding: {
      x: xN,
      y: y('lambdaStar'),
      color: colour,
      // Shapes are explained only when some point is on an edge or bound.
      shape: { field: 'flag', type: 'nominal', title: null, scale: { domain: flags, range: flags.map((f) => SHAPES[f]) }, legend: flags.some((f) => f !== INSIDE) ? { orient: 'bottom', labelLimit: 0 } : null },
      tooltip: [{ field: 'n' }, { field: 'lambdaStar', format: '.3e' }, { field: 'seeds' }, { field: 'edges', title: 'seeds on an edge' }, { field: 'bounds', title: 'seeds at a bound' }],
    },
  });
  return { ...STAR_SIZE, title, layer: layers, config: LEGENDS_STACKED };
}

/** One λ*–N figure of `groups`: overlaid, or one panel per group when they are too many to tell apart. */
function lambdaStarVsN(all: readonly GroupAnalysis[], groups: readonly GroupAnalysis[], title: string): VegaLiteSpec {
  if (groups.length <= MAX_OVERLAID) return starPanel(all, groups, title);
  return { title, columns: 3, concat: groups.map((g) => ({ ...starPanel(all, [g], g.label), ...PANEL_SIZE })), resolve: PANELS_APART };
}

/** Up to `k` of `xs`, evenly spread, the ends included. */
function spread<T>(xs: readonly T[], k: number): T[] {
  if (xs.length <= k) return [...xs];
  return [...new Set(Array.from({ length: k }, (_, i) => Math.round((i * (xs.length - 1)) / (k - 1))))].map((i) => xs[i]);
}

/**
 * Training (dashed) and validation (solid) loss against λ at one N, every group, with each group's
 * mean λ* marked. Lines join the λ every seed evaluated (all of a grid; a search's start grid);
 * dots mark every evaluated λ (a search adds most of them for one seed).
 */
function lossPanel(all: readonly GroupAnalysis[], groups: readonly GroupAnalysis[], n: number, title = `N = ${n}`): VegaLiteSpec {
  const rows: Record<string, unknown>[] = [];
  const stars: Record<string, unknown>[] = [];
  for (const g of groups) {
    const curve = g.curves.find((c) => c.n === n)?.points ?? [];
    const allSeeds = Math.max(0, ...curve.map((p) => p.seeds));
    for (const p of curve) {
      rows.push({ lambda: p.lambda, loss: p.valLoss, kind: 'validation', group: g.label, everySeed: p.seeds === allSeeds });
      rows.push({ lambda: p.lambda, loss: p.trainLoss, kind: 'training', group: g.label, everySeed: p.seeds === allSeeds });
    }
    const point = g.points.find((p) => p.n === n);
    // Labels stacked down from the top, one line per group, so groups with close λ* stay legible.
    if (point) stars.push({ lambda: point.meanLambdaStar, group: g.label, label: 'λ*', y: 2 + 11 * stars.length });
  }
  const lambdas = rows.map((r) => r.lambda as number);
  const middle = (log10(Math.min(...lambdas)) + log10(Math.max(...lambdas))) / 2;
  for (const star of stars) star.side = log10(star.lambda as number) > middle ? 'right' : 'left';
  const x = { field: 'lambda', type: 'quantitative', title: 'λ', scale: { type: 'log', domain: [Math.min(...lambdas), Math.max(...lambdas)], nice: false }, axis: { format: '.0e', tickCount: 4 } };
  const colour = { field: 'group', type: 'nominal', title: null, scale: colourScale(all, groups, (g) => g.label), legend: { orient: 'bottom', columns: 1, labelLimit: 0 } };
  return {
    ...PANEL_SIZE,
    title,
    layer: [
      {
        data: { values: rows },
        transform: [{ filter: 'datum.everySeed' }],
        mark: { type: 'line' },
        encoding: {
          x, y: { field: 'loss', type: 'quantitative', title: 'cross-entropy loss', scale: { zero: false } }, color: colour,
          strokeDash: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['validation', 'training'], range: [[1, 0], [4, 3]] }, legend: { orient: 'bottom' } },
          detail: { field: 'kind' },
        },
      },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 12 }, encoding: { x, y: { field: 'loss', type: 'quantitative' }, color: colour } },
      { data: { values: stars }, mark: { type: 'rule', strokeWidth: 1 }, encoding: { x, color: colour } },
      // A label right of its line, or left of it in the right half, so that it stays inside the panel.
      ...(['left', 'right'] as const).map((align) => ({
        data: { values: stars },
        transform: [{ filter: `datum.side === '${align}'` }],
        mark: { type: 'text', dx: align === 'left' ? 3 : -3, align, baseline: 'top', fontSize: 11 },
        encoding: { x, y: { field: 'y', type: 'quantitative', scale: null }, text: { field: 'label' }, color: colour },
      })),
    ],
  };
}

function lossVsLambda(all: readonly GroupAnalysis[], ns: readonly number[]): VegaLiteSpec {
  // Too many groups to tell apart by colour: one panel per group, at the largest N asked for.
  const many = all.length > MAX_OVERLAID;
  const n = Math.max(...ns);
  const panels = many ? all.map((g) => lossPanel(all, [g], n, `${g.label} · N = ${n}`)) : ns.map((x) => lossPanel(all, all, x));
  if (panels.length === 1) return { ...panels[0], width: STAR_SIZE.width, height: STAR_SIZE.height };
  return {
    title: 'Loss against λ (mean over seeds)',
    columns: many ? 3 : 2,
    concat: panels,
    config: LEGENDS_STACKED,
    resolve: many ? PANELS_APART : { scale: { y: 'independent', x: 'independent' } },
  };
}

export interface Figure {
  name: string;
  caption: string;
  spec: VegaLiteSpec;
}

const sameGroups = (a: readonly GroupAnalysis[], b: readonly GroupAnalysis[]) => a.length === b.length && a.every((g) => b.includes(g));

/** The figures that apply to the analysis; the loss figure at `lossN` only, when given. */
export function reportFigures(analysis: Analysis, lossN?: number): Figure[] {
  const groups = analysis.groups;
  const ns = [...new Set(groups.flatMap((g) => g.curves.map((c) => c.n)))].sort((a, b) => a - b);
  const figures: Figure[] = [];
  const starNs = new Set(groups.flatMap((g) => g.points.map((p) => p.n)));
  if (starNs.size >= 2) {
    figures.push({
      name: 'lambda-star-loglog',
      caption: 'λ* against N, log-log: mean λ* ± SEM over seeds, the fitted power law (solid) with its 95 % confidence band, and the λ ∝ 1/N line (dashed) for comparison. Triangles and diamonds: λ* on a grid edge or a search bound for half or more of the seeds — the true optimum may lie beyond.',
      spec: lambdaStarVsN(groups, groups, 'λ* against N'),
    });
    // Subsets of the groups, drawn only when they are not the whole figure again.
    const regs = [...new Set(groups.map((g) => g.reg))];
    const reg = regs.includes('l2') ? 'l2' : regs[0];
    const byInit = groups.filter((g) => g.reg === reg);
    if (new Set(byInit.map((g) => g.initFactor)).size > 1 && !sameGroups(byInit, groups)) {
      figures.push({ name: 'init-factors', caption: `λ* against N, ${reg.toUpperCase()} only: one line per init factor.`, spec: lambdaStarVsN(groups, byInit, `λ* against N by init factor (${reg.toUpperCase()})`) });
    }
    const f = groups.some((g) => g.initFactor === 1) ? 1 : groups[0]?.initFactor;
    const byReg = groups.filter((g) => g.initFactor === f);
    if (regs.length > 1 && new Set(byReg.map((g) => g.reg)).size > 1 && !sameGroups(byReg, groups)) {
      figures.push({ name: 'l1-vs-l2', caption: `λ* against N, L1 against L2 at init factor ${f}.`, spec: lambdaStarVsN(groups, byReg, 'λ* against N, L1 and L2') });
    }
  }
  const lossNs = lossN !== undefined ? [lossN] : spread(ns, MAX_LOSS_PANELS);
  if (lossNs.length > 0) {
    const which = groups.length > MAX_OVERLAID
      ? `N = ${Math.max(...lossNs)}, one panel per group`
      : lossNs.length === ns.length ? 'every N with results' : `N = ${lossNs.join(', ')} of ${ns.length} N`;
    figures.push({
      name: 'loss-vs-lambda',
      caption: `Training (dashed) and validation (solid) loss against λ, mean over seeds, at ${which}; the vertical line marks each group's mean λ*. The λ axis spans the λ evaluated.`,
      spec: lossVsLambda(groups, lossNs),
    });
  }
  return figures;
}
