/**
 * A sweep read back from its store: its manifest, and its cells with the points it asked for —
 * every result object checked on the way, the first corrupt one named, never used.
 */
import { SWEEP_ID } from '../../functions/keys.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { UsageError } from '../errors.js';
import { planCells } from '../plan/planner.js';
import type { Manifest, ResultStore, StoredEntry } from '../store/result-store.js';
import { PointIndex } from './point-index.js';
import type { SweepCell } from './sweep-cells.js';
import { sweepCell } from './sweep-cells.js';

type Corrupt = Extract<StoredEntry, { corrupt: Error }>;

/** A store holding corrupt objects: named (the first, and how many), never used or changed. */
export class CorruptStoreError extends Error {
  readonly code = 'CORRUPT_STORE';
  constructor(readonly corrupt: Corrupt[]) {
    const more = corrupt.length > 1 ? ` (and ${corrupt.length - 1} more corrupt object(s))` : '';
    super(`${corrupt[0].corrupt.message}${more}`);
  }
}

export class UnknownSweepError extends Error {
  readonly code = 'UNKNOWN_SWEEP';
  constructor(store: ResultStore, sweepId: string, known: string[]) {
    super(`--sweep: no sweep "${sweepId}" in ${store.location}; known: ${known.join(', ') || 'none (run one first)'}`);
  }
}

export async function loadManifest(store: ResultStore, sweepId: string): Promise<Manifest> {
  if (!SWEEP_ID.test(sweepId)) throw new UsageError(`--sweep: "${sweepId}" is not a sweep id (12 hex digits, as \`lambdastar status\` lists them)`);
  const manifest = await store.getManifest(sweepId);
  if (!manifest) throw new UnknownSweepError(store, sweepId, await store.listSweeps());
  return manifest;
}

export interface IndexOptions {
  /** Keep the result objects read (`verify` re-trains them). */
  keepSources?: boolean;
  /** Collect objects that disagree on a point in `index.conflicts` instead of throwing. */
  collectConflicts?: boolean;
}

/**
 * Every stored result of `cellIds`, as a `PointIndex`. Throws `CorruptStoreError` when any object
 * is corrupt, and `PointConflictError` when two disagree on a point (unless collecting them).
 */
export async function readIndex(store: ResultStore, cellIds: Iterable<string>, opts: IndexOptions = {}): Promise<PointIndex> {
  const index = new PointIndex(opts);
  const corrupt: Corrupt[] = [];
  for await (const e of store.readCells(cellIds)) {
    if (e.corrupt) corrupt.push(e);
    else index.add(e.cellId, e.result, e.where);
  }
  if (corrupt.length > 0) throw new CorruptStoreError(corrupt);
  return index;
}

/** What a stored result tells a collector: its λ and where it was produced. */
type Held = Pick<TaskResult, 'trainerVersion' | 'provenance'> & { lambdas: readonly number[] };

export interface ReadSweepOptions {
  /** Told of each stored result that holds a point of the sweep, once (a `ProvenanceTally`). */
  provenance?: { add(result: Pick<TaskResult, 'trainerVersion' | 'provenance'>): void };
}

/**
 * The sweep's cells, in plan order, each with the points its grid or search asked for. Read cell by
 * cell: points that other sweeps stored in the same cells are checked, then dropped, so memory
 * holds this sweep's points only (no object texts, no other sweeps' λ).
 */
export async function readSweep(store: ResultStore, manifest: Manifest, opts: ReadSweepOptions = {}): Promise<SweepCell[]> {
  const cells = [...planCells(manifest.spec)];
  const byId = new Map(cells.map((c) => [c.id, c]));
  const done = new Map<string, SweepCell>();
  const corrupt: Corrupt[] = [];
  let current: { id: string; index: PointIndex; held: Held[] } | undefined;
  const finish = () => {
    const planned = current && byId.get(current.id);
    if (current && planned) {
      const cell = sweepCell(manifest.spec, planned, current.index);
      done.set(current.id, cell);
      // Which λ the sweep asks depends on the cell's points (a search): known only now.
      const asked = new Set(cell.points.map((p) => p.lambda));
      for (const r of current.held) if (r.lambdas.some((l) => asked.has(l))) opts.provenance?.add(r);
    }
    current = undefined;
  };
  // Entries arrive cell by cell (readCells yields each cell's objects together).
  for await (const e of store.readCells(cells.map((c) => c.id))) {
    if (current?.id !== e.cellId) {
      finish();
      current = { id: e.cellId, index: new PointIndex({ keepSources: false }), held: [] };
    }
    if (e.corrupt) corrupt.push(e);
    else {
      current.index.add(e.cellId, e.result, e.where);
      if (opts.provenance) current.held.push({ lambdas: e.result.task.lambdas, trainerVersion: e.result.trainerVersion, provenance: e.result.provenance });
    }
  }
  finish();
  if (corrupt.length > 0) throw new CorruptStoreError(corrupt);
  const empty = new PointIndex({ keepSources: false });
  return cells.map((c) => done.get(c.id) ?? sweepCell(manifest.spec, c, empty));
}
