/** The port every result store implements (folder, S3, memory); the contract suite tests them all. */
import type { CorruptResultError } from '../../functions/results.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import type { MigrationSummary } from './migrate-layout1.js';

export interface Manifest {
  /** The store layout it was written in (functions/keys.ts). */
  layout: number;
  sweepId: string;
  trainerVersion: string;
  /**
   * The training options the sweep ran, a value or (where it varies one) a list, for people reading
   * the store. Manifests written before lambdastar recorded them hold the protocol's defaults here;
   * the spec is what counts (the checksum covers either form, so both read back).
   */
  protocol: Record<string, unknown>;
  /** The sweep's cells and λ follow from it; its name and description are those of the first run. */
  spec: CanonicalSpec;
  /** sha256 of the rest (canonical JSON): an edit anywhere is reported, never used. */
  checksum: string;
}

import type { FailureKind } from '../executors/executor.js';

export interface FailureRecord {
  taskId: string;
  cellId: string;
  lambdas: number[];
  attempts: number;
  message: string;
  /** Its class, where the backend could tell (Lambda): timeout, memory, payload, invalid, network, crash. */
  kind?: FailureKind;
}

/** One stored result object of a cell: checked and parsed, or named as corrupt. */
export type StoredEntry =
  | { cellId: string; where: string; result: TaskResult; corrupt?: undefined }
  | { cellId: string; where: string; corrupt: CorruptResultError; result?: undefined };

export interface ResultStore {
  /** Where it points, as the user wrote it (for messages). */
  readonly location: string;
  /** Writes the manifest, or checks the stored one is valid and of the same sweep. */
  putManifest(manifest: Manifest): Promise<void>;
  getManifest(sweepId: string): Promise<Manifest | undefined>;
  listSweeps(): Promise<string[]>;
  /**
   * Every result object stored for the given cells, each checked against its key and digest;
   * a corrupt one is yielded as such (never trusted, never changed). Stray files are skipped.
   */
  readCells(cellIds: Iterable<string>): AsyncIterable<StoredEntry>;
  /**
   * Stores a result once: identical → 'identical', different → `ResultConflictError`. `cellId`,
   * when the caller has it, saves hashing the task again (it must be the task's cell id).
   */
  putResult(result: TaskResult, cellId?: string): Promise<'written' | 'identical'>;
  /** Replaces the sweep's record of failed tasks (empty clears it). */
  putFailures(sweepId: string, failures: FailureRecord[]): Promise<void>;
  getFailures(sweepId: string): Promise<FailureRecord[]>;
  /** Where a remote trainer can write results itself; undefined for stores it cannot reach. */
  remoteTarget(): { bucket: string; prefix: string } | undefined;
  /** Before a run writes anything: throws, naming `--store` and the reason, when the store cannot be written. */
  checkWritable(): Promise<void>;
  /** Makes the results and sweeps of a lambdastar 0.1 store readable (see migrate-layout1.ts). */
  migrateLayout1(): Promise<MigrationSummary>;
}

/** A manifest or failure record that cannot be read, or a manifest that does not describe its sweep. */
export class CorruptRecordError extends Error {
  readonly code = 'CORRUPT_RECORD';
  constructor(where: string, what: 'manifest' | 'failure record', detail: string) {
    const fix = what === 'manifest'
      ? "restore it from a backup, or delete it and run the sweep's spec again"
      : 'delete it (the failed tasks run again on the next run)';
    super(`${where}: corrupt ${what} (${detail}); ${fix}`);
  }
}

/** The environment would not let the store write an object (a full disk, a lost connection): named, with the fix. */
export class StoreWriteError extends Error {
  readonly code = 'STORE_WRITE';
}

/** A store this version cannot read: written in another layout. */
export class StoreLayoutError extends Error {
  readonly code = 'STORE_LAYOUT';
}
