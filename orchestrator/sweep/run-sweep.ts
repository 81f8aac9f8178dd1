/**
 * Runs a sweep: asks the store which of the sweep's points exist, trains only the missing ones
 * (a cell's missing λ packed into one task), and — for an adaptive search — repeats round by
 * round until every cell has ended. Each round is one fan-out of every open cell's new points.
 * Resumable at any point: the stored points are the only state.
 *
 * Cells are searched in chunks, so memory stays flat in the size of the sweep; each chunk's stored
 * results are read and checked before anything of it runs.
 */
import type { Executor } from '../executors/executor.js';
import type { PlannedCell, PlannedTask } from '../plan/planner.js';
import { cellCount, planCells, taskFor } from '../plan/planner.js';
import type { CellProgress } from '../search/cell-search.js';
import { cellProgress } from '../search/cell-search.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { buildManifest } from '../store/manifest-io.js';
import type { FailureRecord, ResultStore } from '../store/result-store.js';
import { fanOut } from './fan-out.js';
import type { PointIndex } from './point-index.js';
import { readIndex } from './load-sweep.js';

export interface RoundInfo {
  /** 1-based; rounds after the first extend or refine adaptive searches. */
  round: number;
  tasks: number;
  points: number;
  /** Cells still searching (this chunk): one task each. */
  cellsOpen: number;
  chunk: number;
  chunks: number;
}

export interface ProgressSink {
  round(info: RoundInfo): void;
  /** One task finished (ok or failed for good), carrying `points` λ. */
  tick(points: number, ok: boolean): void;
  finish(): void;
}

export interface RunSweepOptions {
  spec: CanonicalSpec;
  store: ResultStore;
  executor: Executor;
  /** Attempts per task before it is recorded as failed (default 2: one retry). */
  maxAttempts?: number;
  progress?: ProgressSink;
  /** Stops starting tasks; those running finish and are stored. */
  signal?: AbortSignal;
  /** Cells searched together (default 4096); bounds memory for huge sweeps. */
  chunkCells?: number;
  /** Called with each round's tasks before they run (the CLI prices them). */
  onRound?: (info: RoundInfo, tasks: PlannedTask[]) => void;
  /** Called when the run stops early, with the tasks of the round in progress that did not finish (the CLI prices what is left). */
  onStopped?: (unfinished: PlannedTask[]) => void;
}

export interface SweepSummary {
  sweepId: string;
  cells: number;
  /** Cells whose grid is complete or whose search has ended. */
  cellsDone: number;
  /** Points of the sweep's answer so far: asked by its grid or search, and known. */
  points: number;
  /** Of those, found in the store (trained by an earlier run or another sweep). */
  pointsReused: number;
  /** Of those, trained by this run. */
  pointsTrained: number;
  rounds: number;
  tasksRun: number;
  failed: FailureRecord[];
  aborted: boolean;
  /** Cells a stopped run never reached (later chunks): more work than its round's unfinished tasks. */
  cellsNotStarted: number;
  wallMs: number;
}

export async function runSweep(opts: RunSweepOptions): Promise<SweepSummary> {
  const started = Date.now();
  const { spec, store, executor, progress, signal } = opts;
  const manifest = buildManifest(spec);
  const total = cellCount(spec);
  const chunkCells = opts.chunkCells ?? 4096;
  const chunks = Math.max(1, Math.ceil(total / chunkCells));
  const summary: SweepSummary = {
    sweepId: manifest.sweepId, cells: total, cellsDone: 0, points: 0, pointsReused: 0, pointsTrained: 0,
    rounds: 0, tasksRun: 0, failed: [], aborted: false, cellsNotStarted: 0, wallMs: 0,
  };
  let cellsReached = 0;
  // Everything read before anything is written: a corrupt failure record or stored object stops the
  // run with nothing written (for a sweep of several chunks, every chunk's objects are checked first).
  const hadFailures = (await store.getFailures(manifest.sweepId)).length > 0;
  if (chunks > 1) await checkAllCells(store, spec, chunkCells);
  await executor.preflight?.();
  let manifestWritten = false;
  let chunkIndex = 0;
  let chunk: PlannedCell[] = [];
  const runChunk = async () => {
    const known = await readIndex(store, chunk.map((c) => c.id));
    if (!manifestWritten) {
      await store.putManifest(manifest);
      manifestWritten = true;
    }
    chunkIndex++;
    cellsReached += chunk.length;
    await searchChunk(chunk, known, chunkIndex);
    chunk = [];
  };

  const searchChunk = async (cells: PlannedCell[], known: PointIndex, chunkNo: number) => {
    const failedCells = new Set<string>();
    const state = (c: PlannedCell): CellProgress => cellProgress(spec, (l) => known.valLoss(c.id, l));
    for (let round = 1; ; round++) {
      const tasks: PlannedTask[] = [];
      const cellOfTask = new Map<string, string>();
      for (const c of cells) {
        if (failedCells.has(c.id)) continue;
        const s = state(c);
        if (s.outcome !== undefined) continue;
        const t = taskFor(c.cell, s.missing);
        tasks.push(t);
        cellOfTask.set(t.id, c.id);
      }
      if (tasks.length === 0 || signal?.aborted) break;
      summary.rounds = Math.max(summary.rounds, round);
      const points = tasks.reduce((s, t) => s + t.task.lambdas.length, 0);
      const info = { round, tasks: tasks.length, points, cellsOpen: tasks.length, chunk: chunkNo, chunks };
      opts.onRound?.(info, tasks);
      progress?.round(info);
      const settled = new Set<string>();
      await fanOut(tasks, {
        executor,
        maxAttempts: opts.maxAttempts ?? 2,
        signal,
        hooks: {
          onResult: async (planned, result, storedRemotely) => {
            const cell = cellOfTask.get(planned.id) as string;
            if (!storedRemotely) await store.putResult(result, cell);
            known.add(cell, result, `task ${planned.id} of this run`);
            summary.pointsTrained += result.metrics.length;
            summary.tasksRun++;
          },
          onFailure: (f) => {
            summary.failed.push(f);
            failedCells.add(f.cellId);
          },
          onSettled: (planned, ok) => {
            settled.add(planned.id);
            progress?.tick(planned.task.lambdas.length, ok);
          },
        },
      });
      if (signal?.aborted) opts.onStopped?.(tasks.filter((t) => !settled.has(t.id)));
    }
    for (const c of cells) {
      const s = state(c);
      if (s.outcome !== undefined) summary.cellsDone++;
      summary.points += s.asked.filter((l) => known.valLoss(c.id, l) !== undefined).length;
    }
  };

  try {
    for (const c of planCells(spec)) {
      if (signal?.aborted) break;
      chunk.push(c);
      if (chunk.length >= chunkCells) await runChunk();
    }
    if (chunk.length > 0 && !signal?.aborted) await runChunk();
    if (!manifestWritten) await store.putManifest(manifest);
    if (summary.failed.length > 0 || hadFailures) {
      await store.putFailures(manifest.sweepId, summary.failed);
    }
  } finally {
    progress?.finish();
  }
  // Every point trained here is one the sweep asked for; the rest of its known points were stored.
  summary.pointsReused = summary.points - summary.pointsTrained;
  summary.aborted = signal?.aborted ?? false;
  if (summary.aborted) summary.cellsNotStarted = total - cellsReached;
  summary.wallMs = Date.now() - started;
  return summary;
}

/** Reads (and checks) every stored object of the sweep's cells, a chunk at a time, keeping nothing. */
async function checkAllCells(store: ResultStore, spec: CanonicalSpec, chunkCells: number): Promise<void> {
  let ids: string[] = [];
  for (const c of planCells(spec)) {
    ids.push(c.id);
    if (ids.length >= chunkCells) {
      await readIndex(store, ids);
      ids = [];
    }
  }
  await readIndex(store, ids);
}
