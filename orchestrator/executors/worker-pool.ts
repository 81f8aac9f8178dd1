/**
 * The in-process executor: a pool of worker threads, one per core by default, each running the
 * trainer code the Lambda runs (dist/pool-worker.mjs). A worker that dies is replaced and its task
 * reported as failed (the sweep retries it).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LIMITS } from '../../functions/limits.js';
import type { PlannedTask } from '../plan/planner.js';
import type { WorkerReply } from './pool-worker.js';
import type { Executor, TaskOutcome } from './executor.js';
import { checkConcurrency } from './executor.js';

export interface WorkerPoolOptions {
  concurrency?: number;
  /** The worker script (the built dist/pool-worker.mjs). */
  workerUrl: URL;
}

interface Slot {
  worker: Worker;
  pending?: { seq: number; resolve: (o: TaskOutcome) => void; id: string };
}

export class WorkerPoolExecutor implements Executor {
  readonly concurrency: number;
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private seq = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    const cores = availableParallelism();
    const max = LIMITS.threadsPerCore * cores;
    this.concurrency = checkConcurrency(options.concurrency ?? cores, max, `${LIMITS.threadsPerCore} worker threads per core on this machine's ${cores}; more only add memory`);
  }

  batches(tasks: PlannedTask[]): PlannedTask[][] {
    return tasks.map((t) => [t]);
  }

  async runBatch(batch: PlannedTask[]): Promise<TaskOutcome[]> {
    const out: TaskOutcome[] = [];
    for (const t of batch) out.push(await this.runOne(t));
    return out;
  }

  private runOne(t: PlannedTask): Promise<TaskOutcome> {
    const slot = this.idle.pop() ?? this.spawn();
    const seq = ++this.seq;
    return new Promise((resolve) => {
      slot.pending = { seq, id: t.id, resolve };
      slot.worker.postMessage({ seq, id: t.id, task: t.task });
    });
  }

  private spawn(): Slot {
    if (this.closed) throw new Error('the worker pool is closed');
    const slot: Slot = { worker: new Worker(this.options.workerUrl) };
    this.all.add(slot);
    slot.worker.on('message', (reply: WorkerReply) => {
      const p = slot.pending;
      if (!p || p.seq !== reply.seq) return;
      slot.pending = undefined;
      this.idle.push(slot);
      p.resolve(reply.ok ? { id: p.id, ok: true, result: reply.result } : { id: p.id, ok: false, message: reply.message });
    });
    const die = (why: string) => {
      this.all.delete(slot);
      const i = this.idle.indexOf(slot);
      if (i >= 0) this.idle.splice(i, 1);
      const p = slot.pending;
      slot.pending = undefined;
      p?.resolve({ id: p.id, ok: false, message: `worker thread died: ${why}` });
    };
    slot.worker.on('error', (err) => die(err.message));
    slot.worker.on('exit', (code) => die(`exit code ${code}`));
    return slot;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((s) => s.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}
