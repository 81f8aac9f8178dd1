/** Reads the stored points of some cells: every result object checked, the first corrupt one named. */
import type { ResultStore, StoredEntry } from '../store/result-store.js';
import { PointIndex } from './point-index.js';

/** A store holding corrupt objects: named (the first, and how many), never used or changed. */
export class CorruptStoreError extends Error {
  readonly code = 'CORRUPT_STORE';
  constructor(readonly corrupt: Extract<StoredEntry, { corrupt: Error }>[]) {
    const more = corrupt.length > 1 ? ` (and ${corrupt.length - 1} more corrupt object(s))` : '';
    super(`${corrupt[0].corrupt.message}${more}`);
  }
}

/**
 * Every stored result of `cellIds`, as a `PointIndex` (full metrics, and with `keepSources` the
 * objects they came from). Throws `CorruptStoreError` when any object is corrupt, and
 * `PointConflictError` when two disagree on a point.
 */
export async function readIndex(store: ResultStore, cellIds: Iterable<string>, keepSources = true): Promise<PointIndex> {
  const index = new PointIndex(keepSources);
  const corrupt: Extract<StoredEntry, { corrupt: Error }>[] = [];
  for await (const e of store.readCells(cellIds)) {
    if (e.corrupt) corrupt.push(e);
    else index.add(e.cellId, e.result, e.where);
  }
  if (corrupt.length > 0) throw new CorruptStoreError(corrupt);
  return index;
}
