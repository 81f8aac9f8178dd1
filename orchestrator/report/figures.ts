/** The report's figures as vega-lite specs built from an analysis (pure; rendering is elsewhere). */
import type { Analysis, GroupAnalysis } from '../analysis/analysis-types.js';
import type { LineFit } from '../analysis/stats.js';

export type VegaLiteSpec = Record<string, unknown>;

const SIZE = { width: 480, height: 300 };
const g3 = (v: number) => Number(v.toPrecision(3));

/** "slope -0.77 [-0.86, -0.68]" (the interval a 95 % CI), for a legend. */
function slopeLabel(fit: LineFit | null): string {
  if (!fit) return 'slope n/a';
  return fit.ci95 ? `slope ${g3(fit.value)} [${g3(fit.ci95[0])}, ${g3(fit.ci95[1])}]` : `slope ${g3(fit.value)}`;
}

/** "slope -0.77 [-0.86, -0.68] (95 % CI)", or said to have no interval (fewer than 3 N). */
export function slopeText(fit: LineFit | null): string {
  if (!fit) return 'slope n/a';
  return fit.ci95 ? `${slopeLabel(fit)} (95 % CI)` : `${slopeLabel(fit)} (no CI: too few N)`;
}

/**
 * Fig. 1: training and validation loss against λ at one N. The line and its SEM band join the λ
 * every seed evaluated (all of a grid; the start grid of a search); dots mark every evaluated λ,
 * with the mean over the seeds that evaluated it (one seed for most points a search adds).
 */
function lossVsLambda(analysis: Analysis, n: number): VegaLiteSpec {
  const rows: Record<string, unknown>[] = [];
  for (const g of analysis.groups) {
    const curve = g.curves.find((c) => c.n === n)?.points ?? [];
    const allSeeds = Math.max(0, ...curve.map((p) => p.seeds));
    for (const p of curve) {
      for (const [kind, value, err] of [['training', p.trainLoss, p.trainLossSem], ['validation', p.valLoss, p.valLossSem]] as const) {
        rows.push({
          lambda: p.lambda, loss: value, lo: value - (err ?? 0), hi: value + (err ?? 0), seeds: p.seeds,
          series: `${kind} · ${g.label}`, everySeed: p.seeds === allSeeds,
        });
      }
    }
  }
  const x = { field: 'lambda', type: 'quantitative', scale: { type: 'log' }, title: 'λ', axis: { format: '.0e' } };
  const everySeed = { filter: 'datum.everySeed' };
  return {
    ...SIZE,
    title: `Loss against λ at N = ${n} (mean ± SEM over seeds)`,
    data: { values: rows },
    encoding: { x, color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2, labelLimit: 0 } } },
    layer: [
      {
        transform: [everySeed],
        mark: { type: 'area', opacity: 0.2 },
        encoding: { y: { field: 'lo', type: 'quantitative', title: 'cross-entropy loss', scale: { zero: false } }, y2: { field: 'hi' } },
      },
      { transform: [everySeed], mark: { type: 'line' }, encoding: { y: { field: 'loss', type: 'quantitative' } } },
      {
        mark: { type: 'point', filled: true, size: 20 },
        encoding: { y: { field: 'loss', type: 'quantitative' }, tooltip: [{ field: 'lambda' }, { field: 'loss' }, { field: 'seeds' }] },
      },
    ],
  };
}

interface StarChartOptions {
  scale: 'linear' | 'log';
  title: string;
}

/** λ* against N per group: mean ± SEM with the fitted power law, on linear or log-log axes. */
function lambdaStarVsN(groups: GroupAnalysis[], opts: StarChartOptions): VegaLiteSpec {
  const points: Record<string, unknown>[] = [];
  const fits: Record<string, unknown>[] = [];
  for (const g of groups) {
    const series = `${g.label} (${slopeLabel(g.slope)})`;
    for (const p of g.points) {
      const err = p.semLambdaStar ?? 0;
      // A log axis cannot show a bar below zero: clip the lower end at a tenth of the mean.
      const lo = opts.scale === 'log' ? Math.max(p.meanLambdaStar - err, p.meanLambdaStar / 10) : p.meanLambdaStar - err;
      points.push({ n: p.n, lambdaStar: p.meanLambdaStar, lo, hi: p.meanLambdaStar + err, series, edges: p.edgeCount, bounds: p.boundCount });
    }
    if (g.slope) {
      const fit = g.slope;
      const ns = g.points.map((p) => p.n);
      const lo = Math.min(...ns);
      const hi = Math.max(...ns);
      for (let i = 0; i <= 40; i++) {
        const n = lo * (hi / lo) ** (i / 40);
        fits.push({ n, fit: 10 ** (fit.intercept + fit.value * Math.log10(n)), series });
      }
    }
  }
  const scale = opts.scale === 'log' ? { type: 'log' } : { zero: false };
  const x = { field: 'n', type: 'quantitative', scale, title: 'N (training patterns)' };
  const color = { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 1, labelLimit: 0 } };
  return {
    ...SIZE,
    title: opts.title,
    layer: [
      { data: { values: points }, mark: { type: 'errorbar', ticks: true }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale, title: 'λ* (mean ± SEM)' }, y2: { field: 'hi' }, color } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 50 },
        encoding: { x, y: { field: 'lambdaStar', type: 'quantitative' }, color, tooltip: [{ field: 'n' }, { field: 'lambdaStar' }, { field: 'edges', title: 'seeds on an edge' }, { field: 'bounds', title: 'seeds at a bound' }] },
      },
      { data: { values: fits }, mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x, y: { field: 'fit', type: 'quantitative' }, color } },
    ],
  };
}

export interface Figure {
  name: string;
  caption: string;
  spec: VegaLiteSpec;
}

/** All report figures for an analysis; the loss curve at `lossN` (default: the largest N). */
export function reportFigures(analysis: Analysis, lossN?: number): Figure[] {
  const ns = [...new Set(analysis.groups.flatMap((g) => g.points.map((p) => p.n)))].sort((a, b) => a - b);
  const n = lossN ?? ns[ns.length - 1];
  const figures: Figure[] = [];
  if (n !== undefined) {
    figures.push({ name: 'loss-vs-lambda', caption: `Training and validation loss against λ at N = ${n}.`, spec: lossVsLambda(analysis, n) });
  }
  const groups = analysis.groups;
  figures.push(
    { name: 'lambda-star-linear', caption: 'λ* against N, linear axes.', spec: lambdaStarVsN(groups, { scale: 'linear', title: 'λ* against N' }) },
    { name: 'lambda-star-loglog', caption: 'λ* against N, log-log axes, with the fitted power law.', spec: lambdaStarVsN(groups, { scale: 'log', title: 'λ* against N (log-log)' }) },
  );
  const l2 = groups.filter((g) => g.reg === (groups.some((x) => x.reg === 'l2') ? 'l2' : 'l1'));
  figures.push({
    name: 'init-factors',
    caption: 'One line per init factor.',
    spec: lambdaStarVsN(l2, { scale: 'log', title: 'λ* against N by init factor' }),
  });
  const f = groups.some((g) => g.initFactor === 1) ? 1 : groups[0]?.initFactor;
  figures.push({
    name: 'l1-vs-l2',
    caption: 'L1 against L2.',
    spec: lambdaStarVsN(groups.filter((g) => g.initFactor === f), { scale: 'log', title: 'λ* against N, L1 and L2' }),
  });
  return figures;
}
