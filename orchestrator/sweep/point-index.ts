/**
 * The points of some cells, gathered from stored results (pure: no I/O). Every λ of a result is a
 * point of its cell, whichever sweep trained it. Two results that disagree on a point are an
 * error: the trainer trains each λ independently of its batch-mates, so they must agree bit for bit.
 */
import type { Provenance } from '../../functions/provenance.js';
import type { LambdaMetrics, Task, TaskResult } from '../../functions/trainer/task.js';
import { isDiverged } from '../../functions/trainer/task.js';

/** One stored result object the index read. */
export interface PointSource {
  /** How the object is named in messages. */
  where: string;
  taskId: string;
  cellId: string;
  task: Task;
  digest: string;
  metrics: LambdaMetrics[];
  /** Where it was produced; undefined for results stored before lambdastar recorded it. */
  provenance?: Provenance;
}

export class PointConflictError extends Error {
  readonly code = 'POINT_CONFLICT';
  constructor(lambda: number, first: string, second: string) {
    super(
      `${second}: disagrees with ${first} on λ = ${lambda} (the same point trained twice gave different numbers); ` +
        'run `lambdastar verify` to find the one that does not reproduce, and move it out of the store',
    );
  }
}

interface Entry {
  metrics: LambdaMetrics;
  /** The object it was read from, for messages. */
  where: string;
}

const sameBits = (a: LambdaMetrics, b: LambdaMetrics) =>
  (Object.keys(a) as (keyof LambdaMetrics)[]).every((k) => Object.is(a[k], b[k])) && Object.keys(a).length === Object.keys(b).length;

/** Two stored objects of one cell that disagree on a point. */
export interface PointConflict {
  cellId: string;
  lambda: number;
  first: string;
  second: string;
}

export class PointIndex {
  private readonly cells = new Map<string, Map<number, Entry>>();
  /** The result objects read (kept only with `keepSources`: `verify` re-trains them). */
  readonly sources: PointSource[] = [];
  /** Disagreements found (kept only with `collectConflicts`; otherwise the first one throws). */
  readonly conflicts: PointConflict[] = [];

  constructor(private readonly opts: { keepSources?: boolean; collectConflicts?: boolean } = {}) {}

  /** Adds every λ of `result` (of cell `cellId`) as a point. */
  add(cellId: string, result: TaskResult, where: string): void {
    if (this.opts.keepSources) {
      this.sources.push({ where, taskId: result.taskId, cellId, task: result.task, digest: result.digest, metrics: result.metrics, provenance: result.provenance });
    }
    let points = this.cells.get(cellId);
    if (!points) this.cells.set(cellId, (points = new Map()));
    for (const metrics of result.metrics) {
      const known = points.get(metrics.lambda);
      if (known && !sameBits(known.metrics, metrics)) {
        if (!this.opts.collectConflicts) throw new PointConflictError(metrics.lambda, known.where, where);
        this.conflicts.push({ cellId, lambda: metrics.lambda, first: known.where, second: where });
      }
      if (!known) points.set(metrics.lambda, { metrics, where });
    }
  }

  /** A point's metrics, or undefined when it has not been trained. */
  metrics(cellId: string, lambda: number): LambdaMetrics | undefined {
    return this.cells.get(cellId)?.get(lambda)?.metrics;
  }

  /** A point's validation loss: undefined when not trained, null when its training diverged. */
  valLoss(cellId: string, lambda: number): number | null | undefined {
    const m = this.metrics(cellId, lambda);
    return m === undefined ? undefined : isDiverged(m) ? null : m.valLoss;
  }
}
