/** The study's figures as vega-lite specs (pure): slope against epochs, and λ* against N where it says most. */
import type { Analysis, GroupAnalysis } from '../analysis/analysis-types.js';
import { meaningfulCi } from '../analysis/stats.js';
import type { Figure, VegaLiteSpec } from '../report/figures.js';
import { PALETTE, reportFigures } from '../report/figures.js';
import type { Study, StudyConfig } from './init-epochs.js';
import { batchText } from './init-epochs.js';
import type { StudyOutcome } from './run-study.js';
import { featuredRows, referenceChecks } from './study-stats.js';

/** The thesis' fig. 3 slopes by init factor (PROTOCOL §9); its epochs and batch size are unstated. */
export const THESIS_SLOPES: Record<number, number> = { 0.1: -1.31, 1: -0.79, 10: -0.11 };

export const figureName = (batch: StudyConfig['batch'], epochs: number) => `lambda-star-b${batch}-e${epochs}`;

/** A study row's λ* figure: the report's λ*–N figure of its three init factors. */
function lambdaStarFigure(groups: GroupAnalysis[], base: Analysis, name: string, caption: string): Figure {
  const fig = reportFigures({ ...base, groups }).find((f) => f.name === 'lambda-star-loglog');
  if (!fig) throw new Error(`${name}: no λ*–N figure (fewer than 2 N)`);
  return { name, caption, spec: fig.spec };
}

/** Slope against epochs, a line per init factor, a panel per batch size; the thesis' slopes and −1 marked. */
export function slopeFigure(study: Study, outcome: StudyOutcome): Figure {
  const panel = (b: StudyConfig['batch']) => `batch size ${batchText(study, b)}`;
  const factor = (f: number) => `f = ${f}`;
  const rows = outcome.configs.flatMap((c) => {
    const s = c.group.slope;
    const ci = s && meaningfulCi(s);
    return s ? [{ panel: panel(c.config.batch), epochs: c.config.epochs, factor: factor(c.config.initFactor), slope: s.value, lo: ci ? ci[0] : s.value, hi: ci ? ci[1] : s.value }] : [];
  });
  const [e0, e1] = [Math.min(...study.epochs), Math.max(...study.epochs)];
  const THESIS = 'thesis, fig. 3 (its epochs and batch size unstated)';
  const THEORY = 'theory: λ* ∝ 1/N';
  const marks = study.batches.flatMap((b) => [
    ...study.initFactors.filter((f) => f in THESIS_SLOPES).flatMap((f) => [e0, e1].map((epochs) => ({ panel: panel(b), epochs, factor: factor(f), slope: THESIS_SLOPES[f], line: THESIS }))),
    ...[e0, e1].map((epochs) => ({ panel: panel(b), epochs, factor: null, slope: -1, line: THEORY })),
  ]);
  // Slopes through bound-dominated N can be wild: the axis shows the range where the answer lies, and clips the rest.
  const ys = [...rows.flatMap((r) => [r.slope]), ...marks.map((m) => m.slope)];
  const domain = [Math.max(-3, Math.min(...ys) - 0.3), Math.min(1, Math.max(...ys) + 0.3)];
  const colours = { domain: study.initFactors.map(factor), range: study.initFactors.map((_, i) => PALETTE[i]) };
  const x = { field: 'epochs', type: 'quantitative', scale: { type: 'log', domain: [e0 / 1.3, e1 * 1.3], nice: false }, axis: { values: study.epochs, format: 'd' }, title: 'epochs' };
  const y = { field: 'slope', type: 'quantitative', title: 'slope of log λ* against log N (95 % CI)', scale: { domain, nice: false } };
  const colour = { field: 'factor', type: 'nominal', title: 'init factor', scale: colours, legend: { orient: 'bottom' } };
  const dash = { field: 'line', type: 'nominal', title: null, scale: { domain: [THESIS, THEORY], range: [[2, 3], [6, 4]] }, legend: { orient: 'bottom', labelLimit: 0, symbolType: 'stroke', symbolSize: 300 } };
  const spec: VegaLiteSpec = {
    title: 'λ*–N slope against epochs, by init factor',
    data: { values: [...rows.map((r) => ({ ...r, kind: 'study' })), ...marks.map((m) => ({ ...m, kind: 'mark' }))] },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: study.batches.map(panel) } },
    spec: {
      width: 260,
      height: 260,
      layer: [
        { transform: [{ filter: "datum.kind === 'mark' && datum.factor === null" }], mark: { type: 'line', color: '#666', strokeWidth: 1, clip: true }, encoding: { x, y, strokeDash: dash } },
        {
          transform: [{ filter: "datum.kind === 'mark' && datum.factor !== null" }],
          mark: { type: 'line', strokeWidth: 1.5, clip: true },
          encoding: { x, y, color: colour, strokeDash: dash, detail: { field: 'factor' } },
        },
        { transform: [{ filter: "datum.kind === 'study'" }], mark: { type: 'rule', strokeWidth: 1.5, clip: true }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color: colour } },
        { transform: [{ filter: "datum.kind === 'study'" }], mark: { type: 'line', point: { filled: true, size: 50 }, clip: true }, encoding: { x, y, color: colour } },
      ],
    },
    config: { legend: { layout: { bottom: { anchor: 'start', direction: 'vertical', margin: 4 } } } },
  };
  return {
    name: 'slope-vs-epochs',
    caption: 'Slope of log₁₀ λ* against log₁₀ N with its 95 % CI, against epochs: one line per init factor, one panel per batch size. Dotted: the thesis\' fig. 3 slopes in the same colours; dashed grey: −1, the theory\'s λ* ∝ 1/N. The axis spans −3 … 1 at most: a slope outside it is not drawn, and a wider interval is cut at its edge (the table has every value).',
    spec,
  };
}

/** Every figure of the study's README. */
export function studyFigures(study: Study, outcome: StudyOutcome): Figure[] {
  const figures = [slopeFigure(study, outcome)];
  for (const { batch, epochs } of featuredRows(study, outcome)) {
    const row = outcome.configs.filter((c) => c.config.batch === batch && c.config.epochs === epochs);
    const groups = row.map((c) => ({ ...c.group, label: `f = ${c.config.initFactor} (${c.seedSteps[c.seedSteps.length - 1]} seeds)` }));
    figures.push(lambdaStarFigure(groups, row[0].analysis, figureName(batch, epochs), `λ* against N at batch size ${batchText(study, batch)} and ${epochs} epochs, one line per init factor.`));
  }
  const refGroups = referenceChecks(study, outcome).flatMap((c) => [
    { ...c.config.group, label: `f = ${c.initFactor}, adaptive search` },
    { ...c.reference, label: `f = ${c.initFactor}, fixed grid` },
  ]);
  if (refGroups.length > 0) {
    figures.push(lambdaStarFigure(refGroups, outcome.reference, 'reference', 'λ* against N under the reference protocol: the study\'s adaptive search against the fixed extended grid.'));
  }
  return figures;
}
