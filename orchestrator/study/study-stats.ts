/**
 * The study's statistics (pure): per row of the table, whether the init factors' slopes differ
 * beyond their standard errors, and the study's λ* curves against the reference sweep's.
 */
import type { GroupAnalysis, PointSummary } from '../analysis/analysis-types.js';
import type { LineFit } from '../analysis/stats.js';
import { mean, studentTQuantile } from '../analysis/stats.js';
import type { Study, StudyConfig } from './init-epochs.js';
import type { ConfigOutcome, StudyOutcome } from './run-study.js';

/** The configurations of one row of the table: a batch size and an epoch count, every init factor. */
export const rowConfigs = (outcome: StudyOutcome, batch: StudyConfig['batch'], epochs: number) =>
  outcome.configs.filter((c) => c.config.batch === batch && c.config.epochs === epochs);

export interface InitEffect {
  batch: StudyConfig['batch'];
  epochs: number;
  /** The pair of init factors whose slopes differ most, in units of their combined standard error. */
  pair: [ConfigOutcome, ConfigOutcome];
  z: number;
  /** |z| above which one of the three pairs differs at 5 % overall (Bonferroni over the pairs). */
  critical: number;
  significant: boolean;
  spread: number;
}

/** Per batch size and epoch count: do the init factors' slopes differ beyond their statistics? */
export function initEffects(study: Study, outcome: StudyOutcome): InitEffect[] {
  const out: InitEffect[] = [];
  for (const batch of study.batches) {
    for (const epochs of study.epochs) {
      // A slope through N whose λ* sit mostly at a bound of the search is no power law's: it is left out of the comparison.
      const row = rowConfigs(outcome, batch, epochs).filter((c) => c.group.slope?.se && c.group.edgeDominatedN.length * 2 < c.group.points.length);
      if (row.length < 2) continue;
      const pairs = row.flatMap((a, i) => row.slice(i + 1).map((b) => [a, b] as [ConfigOutcome, ConfigOutcome]));
      const zOf = ([a, b]: [ConfigOutcome, ConfigOutcome]) => {
        const [sa, sb] = [a.group.slope as LineFit, b.group.slope as LineFit];
        return Math.abs(sa.value - sb.value) / Math.hypot(sa.se ?? 0, sb.se ?? 0);
      };
      const pair = pairs.reduce((best, p) => (zOf(p) > zOf(best) ? p : best));
      const critical = studentTQuantile(1 - 0.025 / pairs.length, welchDf(...(pair.map((c) => c.group.slope) as [LineFit, LineFit])));
      const slopes = row.map((c) => (c.group.slope as LineFit).value);
      const z = zOf(pair);
      out.push({ batch, epochs, pair, z, critical, significant: z > critical, spread: Math.max(...slopes) - Math.min(...slopes) });
    }
  }
  return out;
}

/** Welch–Satterthwaite degrees of freedom of the difference of two fitted slopes. */
export function welchDf(a: LineFit, b: LineFit): number {
  const [va, vb] = [(a.se ?? 0) ** 2, (b.se ?? 0) ** 2];
  const [da, db] = [a.points - 2, b.points - 2];
  return (va + vb) ** 2 / (va ** 2 / da + vb ** 2 / db);
}

export interface ReferenceRow {
  n: number;
  study: PointSummary;
  reference: PointSummary;
  /** Seeds both have a λ* for (the same data and initial weights in both). */
  paired: number;
  /** Mean over those seeds of log₁₀(sub-grid λ* searched / sub-grid λ* on the grid): the two methods' difference, seed by seed. */
  meanLogRatio: number | null;
  /** (log₁₀ of the study's mean λ* − the reference's) over their combined SEM: the curves against their statistics; null when both SEMs are 0. */
  z: number | null;
}

export interface ReferenceCheck {
  initFactor: number;
  config: ConfigOutcome;
  reference: GroupAnalysis;
  rows: ReferenceRow[];
}

/** Sub-grid λ* per seed in seed order (PROTOCOL §7: free of most of a grid's rounding), when every one of `seeds` seeds has one (else the pairing is unknown). */
const perSeed = (p: PointSummary, seeds: number) => (p.subgridLambdaStars.length === seeds ? p.subgridLambdaStars : null);

/** The SEM of log₁₀(mean λ*), by the delta method. */
const logSem = (p: PointSummary) => (p.semLambdaStar === null ? null : p.semLambdaStar / (p.meanLambdaStar * Math.LN10));

/**
 * The reference sweep's λ* curves against the study's at the same protocol, N by N: the mean λ*
 * against their SEMs (the curves' statistics), and, since both ran seeds 0, 1, … on the same data
 * and initial weights, the two methods' mean difference seed by seed.
 */
export function referenceChecks(study: Study, outcome: StudyOutcome): ReferenceCheck[] {
  const r = study.reference;
  return r.initFactors.flatMap((initFactor) => {
    const config = outcome.configs.find((c) => c.config.initFactor === initFactor && c.config.epochs === r.epochs && c.config.batch === r.batch);
    const reference = outcome.reference.groups.find((g) => g.initFactor === initFactor);
    if (!config || !reference) return [];
    const studySeeds = config.seedSteps[config.seedSteps.length - 1];
    const rows = config.group.points.flatMap((s): ReferenceRow[] => {
      const p = reference.points.find((q) => q.n === s.n);
      if (!p) return [];
      const [a, b] = [perSeed(s, studySeeds), perSeed(p, r.seeds)];
      const k = a && b ? Math.min(a.length, b.length) : 0;
      const d = Array.from({ length: k }, (_, i) => Math.log10((a as number[])[i] / (b as number[])[i]));
      const se = Math.hypot(logSem(s) ?? NaN, logSem(p) ?? NaN);
      const z = Number.isFinite(se) && se > 0 ? (Math.log10(s.meanLambdaStar) - Math.log10(p.meanLambdaStar)) / se : null;
      return [{ n: s.n, study: s, reference: p, paired: k, meanLogRatio: k > 0 ? mean(d) : null, z }];
    });
    return [{ initFactor, config, reference, rows }];
  });
}

/** The (batch, epochs) where the init factors' slopes differ most, and its longest-trained counterpart. */
export function featuredRows(study: Study, outcome: StudyOutcome): { batch: StudyConfig['batch']; epochs: number }[] {
  const effects = initEffects(study, outcome);
  if (effects.length === 0) return [];
  const most = effects.reduce((best, e) => (e.z > best.z ? e : best));
  const longest = Math.max(...study.epochs);
  return most.epochs === longest ? [most] : [most, { batch: most.batch, epochs: longest }];
}

