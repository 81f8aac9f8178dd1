/**
 * The init-epochs study (issue #13): does a bad weight initialization change λ*'s slope, or only
 * need more epochs? 3 init factors × 3 epoch counts × 2 batch sizes, each configuration its own
 * sweep on the thesis' initial N grid, λ* searched adaptively to 2^(1/4), and seeds sized by the
 * planner for a slope CI half-width ≤ 0.1 (capped at 40).
 */
import { INITIAL_N } from '../spec/grids.js';
import { PRESETS } from '../spec/presets.js';
import type { CanonicalSpec, SpecInput } from '../spec/spec-schema.js';
import { canonicalize, specSchema } from '../spec/spec-schema.js';

export interface StudyConfig {
  initFactor: number;
  epochs: number;
  /** 'full': one batch of every pattern (B = the largest N). */
  batch: 1 | 'full';
}

export interface Study {
  name: string;
  n: number[];
  initFactors: number[];
  epochs: number[];
  batches: StudyConfig['batch'][];
  /** Seeds every configuration starts with: the planner's pilot. */
  pilotSeeds: number;
  targetHalfWidth: number;
  maxSeeds: number;
  /** Planning rounds after the pilot: each re-plans from every seed run so far. */
  maxPlanRounds: number;
  /** The adaptive search of every configuration. */
  search: NonNullable<SpecInput['search']>;
  /** The fixed λ grid of the reference sweep the study's curves are checked against. */
  referenceLambdas: number[];
  /** The configurations (by init factor) the reference sweep repeats on the fixed grid, and its seeds. */
  reference: { epochs: number; batch: StudyConfig['batch']; initFactors: number[]; seeds: number };
  /** Validation patterns per task, when not the protocol's (tests shrink it). */
  valSize?: number;
}

const adaptive = PRESETS['thesis-fig2-adaptive'].search;
if (!adaptive) throw new Error('thesis-fig2-adaptive has no adaptive search');

export const INIT_EPOCHS: Study = {
  name: 'init-epochs',
  n: INITIAL_N,
  initFactors: [0.1, 1, 10],
  epochs: [100, 500, 2000],
  batches: [1, 'full'],
  pilotSeeds: 5,
  targetHalfWidth: 0.1,
  maxSeeds: 40,
  maxPlanRounds: 3,
  search: adaptive,
  referenceLambdas: PRESETS['thesis-fig2-ext'].lambdas as number[],
  reference: { epochs: 500, batch: 'full', initFactors: [0.1, 10], seeds: 10 },
};

/** Every configuration, in table order: batch size, then epochs, then init factor. */
export function studyConfigs(study: Study): StudyConfig[] {
  return study.batches.flatMap((batch) => study.epochs.flatMap((epochs) => study.initFactors.map((initFactor) => ({ initFactor, epochs, batch }))));
}

export const batchSize = (study: Pick<Study, 'n'>, batch: StudyConfig['batch']): number => (batch === 'full' ? Math.max(...study.n) : batch);

/** "1", or "full (3240)": a batch size as the documents print it. */
export const batchText = (study: Pick<Study, 'n'>, b: StudyConfig['batch']): string => (b === 'full' ? `full (${batchSize(study, b)})` : String(b));

export const configLabel = (c: StudyConfig): string => `f=${c.initFactor} epochs=${c.epochs} B=${c.batch}`;

/** A configuration's sweep with `seeds` seeds (seeds 0 … seeds−1: a larger count reuses every point of a smaller one), as a spec file says it. */
export function configSpecInput(study: Study, c: StudyConfig, seeds: number): SpecInput {
  return {
    name: `${study.name} ${configLabel(c)}`,
    description: `${study.name}: L2, init factor ${c.initFactor}, ${c.epochs} epochs, batch size ${c.batch === 'full' ? 'full' : c.batch}, adaptive λ* search`,
    n: study.n,
    search: study.search,
    seeds,
    initFactors: [c.initFactor],
    regs: ['l2'],
    epochs: c.epochs,
    batchSize: batchSize(study, c.batch),
    ...(study.valSize !== undefined && { valSize: study.valSize }),
  };
}

export const configSpec = (study: Study, c: StudyConfig, seeds: number): CanonicalSpec => canonicalize(specSchema.parse(configSpecInput(study, c, seeds)));

/** The reference sweep: the configurations of `study.reference` on the fixed λ grid, as a spec file says it. */
export function referenceSpecInput(study: Study): SpecInput {
  const r = study.reference;
  return {
    name: `${study.name} reference`,
    description: `${study.name}: the fixed extended λ grid at ${r.epochs} epochs, batch size ${r.batch}, init factors ${r.initFactors.join(', ')}`,
    n: study.n,
    lambdas: study.referenceLambdas,
    seeds: r.seeds,
    initFactors: r.initFactors,
    regs: ['l2'],
    epochs: r.epochs,
    batchSize: batchSize(study, r.batch),
    ...(study.valSize !== undefined && { valSize: study.valSize }),
  };
}

export const referenceSpec = (study: Study): CanonicalSpec => canonicalize(specSchema.parse(referenceSpecInput(study)));
