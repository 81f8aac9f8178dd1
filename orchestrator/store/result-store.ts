/** The port every result store implements (folder, S3, memory); the contract suite tests them all. */
import type { TaskResult } from '../../functions/trainer/task.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';

export interface Manifest {
  sweepId: string;
  trainerVersion: string;
  /** The protocol's defaults at the time of the sweep, for the report. */
  protocol: Record<string, unknown>;
  spec: CanonicalSpec;
  taskIds: string[];
}

export interface FailureRecord {
  taskId: string;
  attempts: number;
  message: string;
}

export interface ResultStore {
  /** Where it points, as the user wrote it (for messages). */
  readonly location: string;
  /** Writes the manifest, or checks that the stored one is identical (a different one is an error). */
  putManifest(manifest: Manifest): Promise<void>;
  getManifest(sweepId: string): Promise<Manifest | undefined>;
  listSweeps(): Promise<string[]>;
  /** Ids of the tasks that have a stored result (the object exists; its content is checked on read). */
  listResultIds(sweepId: string): Promise<Set<string>>;
  /** A stored result; a missing one is an error, a corrupt one a `CorruptResultError` naming it. */
  getResult(sweepId: string, taskId: string): Promise<TaskResult>;
  /** Stores a result once: identical → 'identical', different → `ResultConflictError`. */
  putResult(sweepId: string, result: TaskResult): Promise<'written' | 'identical'>;
  /** Replaces the sweep's record of failed tasks (empty clears it). */
  putFailures(sweepId: string, failures: FailureRecord[]): Promise<void>;
  getFailures(sweepId: string): Promise<FailureRecord[]>;
  /** Where a remote trainer can write results itself; undefined for stores it cannot reach. */
  remoteTarget(sweepId: string): { bucket: string; prefix: string } | undefined;
}

export class ManifestConflictError extends Error {
  readonly code = 'MANIFEST_CONFLICT';
  constructor(where: string) {
    super(`${where}: a different manifest is stored for this sweep id; the store is inconsistent — use a fresh --store`);
  }
}

export class MissingResultError extends Error {
  readonly code = 'MISSING_RESULT';
  constructor(where: string) {
    super(`${where}: no result stored; run the sweep (it resumes) before reading it`);
  }
}
