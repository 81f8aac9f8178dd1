/**
 * Runs a study, resumably: every configuration's pilot, then planning rounds that add seeds where
 * the planner says the target needs them, then the reference sweep. The stored points are the only
 * state — a second run trains nothing and reaches the same seeds, hence the same documents.
 */
import pLimit from 'p-limit';
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
import { halfWidthOf, nextSeeds } from './seed-rounds.js';
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
  /** Called after each sweep, also when it stopped or failed: the caller counts what was trained. */
  onSweep?: (summary: SweepSummary) => void;
  signal?: AbortSignal;
}

export class StudyIncompleteError extends Error {
  readonly code = 'TASKS_FAILED';
}

async function analysisOf(store: ResultStore, sweepId: string): Promise<Analysis> {
  const manifest = await loadManifest(store, sweepId);
  return analyze(manifest, await readSweep(store, manifest));
}

/**
 * Runs `jobs`, at most `width` at once, and waits for every started one to settle before it throws
 * the first error: a stopped or failed sweep never cuts short the tasks the others have running.
 */
async function settleAll<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const limit = pLimit(width);
  const settled = await Promise.allSettled(jobs.map((job) => limit(job)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

export async function runStudy(study: Study, opts: RunStudyOptions): Promise<StudyOutcome> {
  const { store, signal } = opts;
  const log = opts.log ?? (() => {});
  const executor = sharedExecutor(opts.executor);
  let pointsTrained = 0;

  const sweep = async (spec: CanonicalSpec): Promise<Analysis> => {
    // A stop asked before this sweep began: nothing of it starts.
    if (signal?.aborted) throw new StudyIncompleteError(`${spec.name}: stopped; run the study again to resume`);
    const summary: SweepSummary = await runSweep({ spec, store, executor, signal });
    pointsTrained += summary.pointsTrained;
    opts.onSweep?.(summary);
    if (summary.aborted) throw new StudyIncompleteError(`${spec.name}: stopped; run the study again to resume`);
    if (summary.failed.length > 0) {
      const why = summary.failed[0].message;
      throw new StudyIncompleteError(`${spec.name}: ${summary.failed.length} tasks failed (first: ${why}); run the study again to retry them`);
    }
    log(`${spec.name}: ${spec.seeds.length} seeds, ${summary.points} points (${summary.pointsTrained} trained) in ${(summary.wallMs / 1000).toFixed(0)} s`);
    return analysisOf(store, summary.sweepId);
  };

  const width = opts.parallelSweeps ?? 3;
  const limits = { target: study.targetHalfWidth, maxSeeds: study.maxSeeds };
  const state = studyConfigs(study).map((config) => ({ config, seedSteps: [study.pilotSeeds], done: null as ConfigOutcome | null }));
  for (let round = 0; state.some((s) => s.done === null); round++) {
    const open = state.filter((s) => s.done === null);
    const analyses = await settleAll(open.map((s) => () => sweep(configSpec(study, s.config, s.seedSteps[s.seedSteps.length - 1]))), width);
    open.forEach((s, i) => {
      const analysis = analyses[i];
      const group = analysis.groups[0];
      if (!group) throw new StudyIncompleteError(`${configLabel(s.config)}: no cell has a λ* (every λ diverged); widen the search bounds or lower the learning rate`);
      const seeds = s.seedSteps[s.seedSteps.length - 1];
      const step = nextSeeds(group, study.n, seeds, limits, study.maxPlanRounds - round);
      if ('next' in step) {
        s.seedSteps.push(step.next);
        log(`${configLabel(s.config)}: half-width ${halfWidthOf(group)?.toFixed(3) ?? '—'} at ${seeds} seeds; the planner asks for ${step.next}`);
      } else {
        s.done = { config: s.config, seedSteps: s.seedSteps, status: step.done, halfWidth: step.halfWidth, floor: step.floor, analysis, group };
      }
    });
  }
  const reference = await sweep(referenceSpec(study));
  return { configs: state.map((s) => s.done as ConfigOutcome), reference, pointsTrained };
}
