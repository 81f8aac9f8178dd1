/**
 * Runs a study, resumably: every configuration's pilot, then planning rounds that add seeds where
 * the planner says the target needs them, then the reference sweep. The stored points are the only
 * state — a second run trains nothing and reaches the same seeds, hence the same documents.
 */
import type { Analysis, GroupAnalysis } from '../analysis/analysis-types.js';
import { analyze } from '../analysis/analyze.js';
import type { Executor } from '../executors/executor.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { ResultStore } from '../store/result-store.js';
import { loadManifest, readSweep } from '../sweep/load-sweep.js';
import type { SweepSummary } from '../sweep/run-sweep.js';
import { runSweep } from '../sweep/run-sweep.js';
import type { Study, StudyConfig } from './init-epochs.js';
import { configLabel, configSpec, referenceSpec, studyConfigs } from './init-epochs.js';
import type { SeedStatus } from './seed-rounds.js';
import { nextSeeds } from './seed-rounds.js';
import { sharedExecutor } from './shared-executor.js';

export interface ConfigOutcome {
  config: StudyConfig;
  /** The seed counts run, pilot first. */
  seedSteps: number[];
  status: SeedStatus;
  halfWidth: number | null;
  floor: number | null;
  analysis: Analysis;
  group: GroupAnalysis;
}

export interface StudyOutcome {
  configs: ConfigOutcome[];
  reference: Analysis;
  /** Points this run trained (0 when everything was in the store). */
  pointsTrained: number;
}

export interface RunStudyOptions {
  store: ResultStore;
  executor: Executor;
  /** Sweeps run side by side (default 3). */
  parallelSweeps?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export class StudyIncompleteError extends Error {
  readonly code = 'TASKS_FAILED';
}

async function analysisOf(store: ResultStore, sweepId: string): Promise<Analysis> {
  const manifest = await loadManifest(store, sweepId);
  return analyze(manifest, await readSweep(store, manifest));
}

export async function runStudy(study: Study, opts: RunStudyOptions): Promise<StudyOutcome> {
  const { store, signal } = opts;
  const log = opts.log ?? (() => {});
  const executor = sharedExecutor(opts.executor);
  let pointsTrained = 0;

  const sweep = async (spec: CanonicalSpec): Promise<Analysis> => {
    const summary: SweepSummary = await runSweep({ spec, store, executor, signal });
    pointsTrained += summary.pointsTrained;
    if (summary.aborted) throw new StudyIncompleteError(`${spec.name}: stopped; run the study again to resume`);
    if (summary.failed.length > 0) throw new StudyIncompleteError(`${spec.name}: ${summary.failed.length} tasks failed; run the study again to retry them`);
    log(`${spec.name}: ${spec.seeds.length} seeds, ${summary.points} points (${summary.pointsTrained} trained) in ${(summary.wallMs / 1000).toFixed(0)} s`);
    return analysisOf(store, summary.sweepId);
  };

  /** Runs `jobs` with at most `parallelSweeps` at once, in order of start. */
  const inParallel = async <T>(jobs: (() => Promise<T>)[]): Promise<T[]> => {
    const out: T[] = new Array(jobs.length);
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.parallelSweeps ?? 3, jobs.length) }, lane));
    return out;
  };

  const limits = { target: study.targetHalfWidth, maxSeeds: study.maxSeeds };
  const configs = studyConfigs(study);
  const state = configs.map((config) => ({ config, seedSteps: [study.pilotSeeds], done: null as ConfigOutcome | null }));
  for (let round = 0; state.some((s) => s.done === null); round++) {
    const open = state.filter((s) => s.done === null);
    const analyses = await inParallel(open.map((s) => () => sweep(configSpec(study, s.config, s.seedSteps[s.seedSteps.length - 1]))));
    open.forEach((s, i) => {
      const analysis = analyses[i];
      const group = analysis.groups[0];
      if (!group) throw new StudyIncompleteError(`${configLabel(s.config)}: no λ* in any cell`);
      const seeds = s.seedSteps[s.seedSteps.length - 1];
      const step = nextSeeds(group, study.n, seeds, limits, study.maxPlanRounds - round);
      if ('next' in step) {
        s.seedSteps.push(step.next);
        log(`${configLabel(s.config)}: half-width ${group.slope?.ci95 ? ((group.slope.ci95[1] - group.slope.ci95[0]) / 2).toFixed(3) : '—'} at ${seeds} seeds; the planner asks for ${step.next}`);
      } else {
        s.done = { config: s.config, seedSteps: s.seedSteps, status: step.done, halfWidth: step.halfWidth, floor: step.floor, analysis, group };
      }
    });
  }
  const reference = await sweep(referenceSpec(study));
  return { configs: state.map((s) => s.done as ConfigOutcome), reference, pointsTrained };
}
