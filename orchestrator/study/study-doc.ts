/**
 * docs/studies/init-epochs/README.md: the answer first, the slope table, the reproduction check and
 * how it was run, from a study's outcome (pure; deterministic for the same stored points).
 */
import type { GroupAnalysis, PointSummary } from '../analysis/analysis-types.js';
import type { LineFit } from '../analysis/stats.js';
import { meaningfulCi, studentTQuantile } from '../analysis/stats.js';
import { duration } from '../cli/plan-format.js';
import { num } from '../report/answer.js';
import type { Figure } from '../report/figures.js';
import type { Study } from './init-epochs.js';
import { batchText, configLabel } from './init-epochs.js';
import type { ConfigOutcome, StudyOutcome } from './run-study.js';
import { figureName, studyFigures } from './study-figures.js';
import type { InitEffect } from './study-stats.js';
import { featuredRows, initEffects, referenceChecks, rowConfigs, welchDf } from './study-stats.js';

/** One run of the study command that trained something: what the README's wall time adds up. */
export interface RunRecord {
  started: string;
  wallSeconds: number;
  pointsTrained: number;
  cores: number;
  kernel: string;
  /** The run was stopped or failed before the end (a later run finished the study). */
  stopped?: boolean;
}

const f2 = (v: number) => num(Number(v.toFixed(2)));
const fixed2 = (v: number) => v.toFixed(2).replace('-', '−');

function slopeCell(fit: LineFit | null): string {
  if (!fit) return 'n/a';
  const ci = meaningfulCi(fit);
  return ci ? `${fixed2(fit.value)} [${fixed2(ci[0])}, ${fixed2(ci[1])}]` : fixed2(fit.value);
}

/** Why a configuration stopped where it did, beside its half-width. */
export function statusText(c: ConfigOutcome, study: Study): string {
  const hw = c.halfWidth === null ? '—' : `±${c.halfWidth.toFixed(3)}`;
  const floor = c.floor === null ? '' : ` ≈ ±${c.floor.toFixed(3)}`;
  switch (c.status) {
    case 'reached':
      return `${hw} ≤ ±${study.targetHalfWidth}`;
    case 'floor':
      return `${hw}: lack-of-fit floor${floor}, above the target; more seeds do not lower it`;
    case 'cap':
      return `${hw}: the seed cap (${study.maxSeeds}) binds`;
    case 'rounds':
      return `${hw}: the planning rounds (${study.maxPlanRounds}) ran out`;
    case 'no-ci':
      return 'no CI (fewer than 3 N with a λ*)';
  }
}

const sum = (ps: readonly PointSummary[], k: (p: PointSummary) => number) => ps.reduce((s, p) => s + k(p), 0);

/** "bound 2/70, edge 0/70, round cap 0/70": seeds × N whose λ* sits at a search bound, on an edge of the λ evaluated, or ran out of rounds. */
function edgeCell(g: GroupAnalysis): string {
  const cells = sum(g.points, (p) => p.seeds);
  return `${sum(g.points, (p) => p.boundCount)} / ${sum(g.points, (p) => p.edgeCount)} / ${sum(g.points, (p) => p.roundCapCount)} of ${cells}`;
}

const listAnd = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** The answer in plain words: per batch size, where the init factor moves the slope, and whether longer training removes it. */
export function answerParagraphs(study: Study, outcome: StudyOutcome): string[] {
  const effects = initEffects(study, outcome);
  const paragraphs: string[] = [];
  const verdicts: string[] = [];
  for (const batch of study.batches) {
    const rows = effects.filter((e) => e.batch === batch);
    const name = batch === 'full' ? 'With full-batch gradient descent' : `With batch size ${batch}`;
    if (rows.length === 0) {
      verdicts.push(`batch size ${batch}: not testable`);
      paragraphs.push(`${name}, no epoch count has two init factors whose slopes can be compared: λ* sits at a bound of the search at half or more of the N (see the caveat), so the slope is no power law's.`);
      continue;
    }
    const at = (e: InitEffect) => {
      const [a, b] = e.pair;
      return `${e.epochs} epochs (f = ${a.config.initFactor}: ${slopeCell(a.group.slope)}; f = ${b.config.initFactor}: ${slopeCell(b.group.slope)}; ${num(e.z)} standard errors apart)`;
    };
    const sig = rows.filter((e) => e.significant);
    const not = rows.filter((e) => !e.significant);
    const longest = rows.reduce((a, b) => (b.epochs > a.epochs ? b : a));
    const widest = (e: InitEffect) => Math.max(...rowConfigs(outcome, batch, e.epochs).map((c) => c.halfWidth ?? Infinity));
    const slopes = (e: InitEffect) => rowConfigs(outcome, batch, e.epochs).filter((c) => c.group.slope?.se).length;
    let verdict: string;
    let text: string;
    if (sig.length === 0) {
      verdict = `batch size ${batch}: no init effect detected`;
      text = `${name}, no init effect is detected at any epoch count: at ${listAnd(rows.map((e) => `${e.epochs} epochs the ${slopes(e)} slopes`))} lie within their statistics of each other ` +
        `(largest spread ${f2(Math.max(...rows.map((e) => e.spread)))}, CI half-widths up to ±${Math.max(...rows.map(widest)).toFixed(2)}).`;
    } else if (longest.significant) {
      verdict = `batch size ${batch}: an init effect that persists`;
      const spreads = rows.slice().sort((a, b) => a.epochs - b.epochs);
      text = `${name}, the init factor changes the slope at ${listAnd(sig.map(at))}${not.length > 0 ? `, though not detectably at ${listAnd(not.map((e) => `${e.epochs}`))} epochs` : ''}: it persists at ${longest.epochs} epochs, so more epochs alone do not remove it ` +
        `(the slopes of a row span ${listAnd(spreads.map((e) => `${f2(e.spread)} at ${e.epochs}`))} epochs).`;
    } else {
      // "Removed by more epochs" needs the effect at the fewest epochs, gone at the most, and a CI there narrow enough to see it were it still there.
      const fewest = rows.reduce((a, b) => (b.epochs < a.epochs ? b : a));
      const narrow = widest(longest) <= study.targetHalfWidth * 1.5;
      const removed = fewest.significant && narrow;
      verdict = removed ? `batch size ${batch}: an init effect that more epochs remove` : `batch size ${batch}: an init effect at ${listAnd(sig.map((e) => String(e.epochs)))} epochs, not detected at ${longest.epochs}`;
      text = `${name}, the init factor changes the slope at ${listAnd(sig.map(at))}, but not detectably at ${listAnd(not.map((e) => `${e.epochs}`))} epochs, where the slopes differ by at most ${f2(longest.spread)} (CI half-widths up to ±${widest(longest).toFixed(2)})` +
        (removed ? ': the effect is one of too few epochs, and training longer removes it.' : ': the intervals at the most epochs are too wide, or the pattern too irregular, to say that training longer removes it.');
    }
    paragraphs.push(text);
    verdicts.push(verdict);
  }
  const all = outcome.configs.map((c) => c.group.slope?.value).filter((v): v is number => v !== undefined);
  const includes = (c: ConfigOutcome) => {
    const ci = c.group.slope && meaningfulCi(c.group.slope);
    return ci !== null && ci !== undefined && ci[0] <= -1 && ci[1] >= -1;
  };
  const ones = outcome.configs.filter(includes);
  const others = outcome.configs.filter((c) => !includes(c));
  const named = (cs: ConfigOutcome[], what: string) => (cs.length === 0 || cs.length === outcome.configs.length ? '' : `; ${what}: ${listAnd(cs.map((c) => configLabel(c.config)))}`);
  paragraphs.push(
    `The thesis' slopes spread from −1.31 (f = 0.1) to −0.11 (f = 10). Here the ${all.length} slopes lie between ${f2(Math.min(...all))} and ${f2(Math.max(...all))}; ` +
      `${ones.length} of their 95 % CIs include the theory's −1 (λ* ∝ 1/N)` +
      (ones.length <= others.length ? named(ones, 'those of') : named(others, 'those that exclude it are')) + '.',
  );
  const bounded = outcome.configs.filter((c) => c.group.edgeDominatedN.length > 0);
  if (bounded.length > 0) {
    paragraphs.push(
      `Caveat: in ${listAnd(bounded.map((c) => `${configLabel(c.config)} (N = ${c.group.edgeDominatedN.join(', ')})`))}, λ* sits at a bound of the search for half or more ` +
        'of the seeds: the validation loss does not turn up within the bounds, so those mean λ* are limits, not optima, and the slope through them is not a power law\'s.',
    );
  }
  return [`**In short:** ${verdicts.join('; ')}.`, ...paragraphs];
}

const e2 = (v: number | null) => (v === null ? '—' : v.toExponential(1));

/** Whether the reference sweep itself shows the init effect: its two slopes apart by more than their standard errors allow. */
function referenceEffect(outcome: StudyOutcome): string {
  const groups = outcome.reference.groups.filter((g) => g.slope?.se);
  if (groups.length !== 2) return '';
  const [a, b] = groups.map((g) => g.slope as LineFit);
  const z = Math.abs(a.value - b.value) / Math.hypot(a.se ?? 0, b.se ?? 0);
  const critical = studentTQuantile(0.975, welchDf(a, b));
  const [fa, fb] = groups.map((g) => g.initFactor);
  return z > critical
    ? `Here too the grid shows it: f = ${fa} and f = ${fb} give slopes ${num(z)} standard errors apart.`
    : `Here the grid does not show it: f = ${fa} and f = ${fb} give slopes only ${num(z)} standard errors apart.`;
}

/** The largest ratio between neighbouring λ of a grid. */
const gridStep = (ls: readonly number[]) => Math.max(...ls.slice(1).map((l, i) => l / ls[i]));

function referenceSection(study: Study, outcome: StudyOutcome): string[] {
  const r = study.reference;
  const checks = referenceChecks(study, outcome);
  const search = outcome.configs[0]?.analysis.lambdas;
  const searchStep = search?.mode === 'adaptive' ? `×${search.search.resolution.toFixed(3)}` : 'its grid';
  const lines = [
    `## Reproducing the curves at full batch and ${r.epochs} epochs`,
    '',
    `Full-batch training for ${r.epochs} epochs is the protocol under which the project found an init effect on the fixed extended λ grid. ${referenceEffect(outcome)} ` +
      `The command runs it on that grid again (${study.referenceLambdas.length} λ from ${e2(study.referenceLambdas[0])} to ` +
      `${e2(study.referenceLambdas[study.referenceLambdas.length - 1])}, ${r.seeds} seeds, the same N), and the study's adaptive search must reproduce its λ* curves. ` +
      'Below, log₁₀ of the mean λ* at every N is compared in units of the two SEMs combined (z). Both ran seeds 0, 1, … on the same data and initial weights, so the table also gives ' +
      'the mean over the shared seeds of log₁₀(λ* searched / λ* on the grid), each the sub-grid λ* (the vertex of the parabola through the best λ and its neighbours): ' +
      `the two methods' own difference, which stays below their resolutions (×${gridStep(study.referenceLambdas).toFixed(3)} on the grid, ${searchStep} for the search) where both bracket λ*.`,
    '',
  ];
  for (const c of checks) {
    const zs = c.rows.map((row) => row.z).filter((z): z is number => z !== null);
    const beyond = zs.filter((z) => Math.abs(z) > 2).length;
    lines.push(
      `**f = ${c.initFactor}:** slope ${slopeCell(c.config.group.slope)} (search, ${c.config.seedSteps[c.config.seedSteps.length - 1]} seeds) against ` +
        `${slopeCell(c.reference.slope)} (grid, ${r.seeds} seeds); at ${beyond} of ${zs.length} N the mean λ* differ by more than 2 SEMs ` +
        '(where the curves agree, about one N in twenty does so by chance).',
      '',
      '| N | mean λ* (search) | mean λ* (grid) | z | shared seeds | mean log₁₀(search / grid), sub-grid | grid λ* on an edge |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...c.rows.map((row) =>
        `| ${row.n} | ${e2(row.study.meanLambdaStar)} ± ${e2(row.study.semLambdaStar)} | ${e2(row.reference.meanLambdaStar)} ± ${e2(row.reference.semLambdaStar)} | ${row.z === null ? '—' : num(row.z)} | ` +
        `${row.paired} | ${row.meanLogRatio === null ? '—' : num(row.meanLogRatio)} | ${row.reference.edgeCount}/${row.reference.seeds} |`),
      '',
    );
  }
  lines.push('![λ* against N: the study\'s search and the fixed grid, full batch](figures/reference.svg)', '');
  return lines;
}

function searchLine(outcome: StudyOutcome): string {
  const l = outcome.configs[0]?.analysis.lambdas;
  if (l?.mode !== 'adaptive') return '- λ*: on a fixed grid.';
  const s = l.search;
  return `- λ*: adaptive search from λ = ${s.start.join(', ')}, refined to a resolution of ×${s.resolution.toFixed(3)} (2^(1/4)) inside [${s.bounds.map(String).join(', ')}], at most ${s.maxRounds} rounds.`;
}


/** The README: the answer first, then the table, the figures, the reproduction check and how it was run. */
export function studyReadme(study: Study, outcome: StudyOutcome, runs: readonly RunRecord[], figures: readonly Figure[] = studyFigures(study, outcome)): string {
  const fig = (name: string) => {
    const f = figures.find((x) => x.name === name);
    return f ? [`![${f.caption}](figures/${f.name}.svg)`, '', `*${f.caption}*`, ''] : [];
  };
  const featured = featuredRows(study, outcome);
  const table = [
    '| batch size | epochs | init factor f | seeds (pilot → final) | slope [95 % CI] | CI half-width | λ* at a search bound / on an edge / out of rounds |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...outcome.configs.map((c) =>
      `| ${batchText(study, c.config.batch)} | ${c.config.epochs} | ${c.config.initFactor} | ${c.seedSteps.join(' → ')} | ${slopeCell(c.group.slope)} | ${statusText(c, study)} | ${edgeCell(c.group)} |`),
  ];
  const work = outcome.configs.reduce((s, c) => s + c.analysis.work, 0);
  const points = outcome.configs.reduce((s, c) => s + c.analysis.points, 0);
  const wall = runs.reduce((s, r) => s + r.wallSeconds, 0);
  const trained = runs.reduce((s, r) => s + r.pointsTrained, 0);
  const runLines = runs.length === 0
    ? ['- Wall time: not recorded (no run of the study command trained any of these points).']
    : [
        `- Wall time: ${duration(wall)} on ${listAnd([...new Set(runs.map((r) => `${r.cores} cores`))])} (kernel ${listAnd([...new Set(runs.map((r) => r.kernel))])}), over ${runs.length} run${runs.length === 1 ? '' : 's'} of the command that trained ${trained} points${runs.some((r) => r.stopped) ? ` (${runs.filter((r) => r.stopped).length} of them stopped before the end and resumed)` : ''}; a shared, noisy machine, so read it as an upper bound.`,
      ];
  return [
    '# Does a bad initialization change λ*\'s slope, or does it only need more epochs?',
    '',
    'The thesis found the slope of log λ* against log N to change with the init factor f (−1.31 / −0.79 / −0.11 for f = 0.1 / 1 / 10) and left open ' +
      `whether that is an effect of initialization or of too few epochs. This study trains every combination of f ∈ {${study.initFactors.join(', ')}}, ` +
      `${listAnd(study.epochs.map(String))} epochs and batch size ${listAnd(study.batches.map((b) => batchText(study, b)))}, and fits the slope for each.`,
    '',
    '## The answer',
    '',
    ...answerParagraphs(study, outcome).flatMap((p) => [p, '']),
    `Two slopes "differ" here when they are further apart than their standard errors allow at 5 % over the ${study.initFactors.length * (study.initFactors.length - 1) / 2} pairs of init factors in a row of the table (Bonferroni; Welch's degrees of freedom). ` +
      'The init factors of a row share their seeds (the same data), which correlates their slopes: the test treats them as independent, so if anything it misses differences rather than invents them.',
    '',
    `## Slopes for the ${outcome.configs.length} configurations`,
    '',
    `Each slope is the ordinary least-squares fit of log₁₀(mean λ*) on log₁₀ N over ${study.n.length} N (${study.n[0]} … ${study.n[study.n.length - 1]}), with its 95 % CI. ` +
      `Every configuration started from a pilot of ${study.pilotSeeds} seeds; \`plan\`'s seed planner then sized it for a CI half-width ≤ ${study.targetHalfWidth} (at most ${study.maxSeeds} seeds), ` +
      'and re-planned from all the seeds so far where the measured CI was still wider. The last column counts (N, seed) cells.',
    '',
    ...table,
    '',
    ...fig('slope-vs-epochs'),
    '## λ* against N where the init factor matters most',
    '',
    ...featured.flatMap(({ batch, epochs }) => fig(figureName(batch, epochs))),
    ...referenceSection(study, outcome),
    '## How it was run',
    '',
    `- Protocol: the project's (PROTOCOL.md), L2, with the epochs, batch size and init factor of each row; N = ${study.n.join(', ')}.`,
    searchLine(outcome),
    `- Work: ${points} points, ${(work / 1e9).toFixed(1)} G λ-pattern-epochs (Σ N × epochs over the points the ${outcome.configs.length} configurations asked for), and the reference sweep's ${outcome.reference.points} points.`,
    ...runLines,
    '- Rerun: `npm run study:init-epochs` resumes from its store (`./runs` unless `-- --store` says otherwise) and rewrites this folder; with every point stored it trains nothing and writes the same bytes.',
    '- On Lambda: every configuration\'s final spec, and the reference sweep\'s, is in [specs/](specs/); `lambdastar plan --spec <file>` prints its cost and `lambdastar run --spec <file> --backend lambda --store s3://…` runs it. The study command pointed at that store (`-- --store s3://…`) then trains nothing and writes this folder.',
    '',
  ].join('\n');
}
