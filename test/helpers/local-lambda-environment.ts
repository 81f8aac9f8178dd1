/** One execution environment of the local Lambda endpoint (local-lambda.ts): a worker thread running the handler. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Task } from '../../functions/trainer/task.js';

export interface Event {
  tasks?: { id: string; task: Task }[];
}

export type Outcome =
  | { kind: 'ok'; response: unknown; ms: number; usedMb: number }
  | { kind: 'error'; errorType: string; errorMessage: string; ms: number; usedMb: number }
  | { kind: 'timeout' }
  | { kind: 'died'; outOfMemory: boolean; code: number; ms: number };

/** The worker's exit code when over its memory (local-lambda-worker.mjs). */
const OUT_OF_MEMORY_EXIT = 137;

/** One execution environment: a worker thread running the handler, one invocation at a time. */
export class Environment {
  /** Resolves once the handler is loaded, or the worker died trying. */
  readonly ready: Promise<void>;
  initMs = 0;
  private readonly worker: Worker;
  private death?: { outOfMemory: boolean; code: number };
  private onDeath?: () => void;
  private seq = 0;
  private readonly started = performance.now();

  constructor(workerData: object, env: NodeJS.ProcessEnv, memoryMb: number | undefined, private readonly gone: (e: Environment) => void) {
    const resourceLimits = memoryMb === undefined ? undefined : { maxOldGenerationSizeMb: memoryMb };
    this.worker = new Worker(pathToFileURL(resolve('test/helpers/local-lambda-worker.mjs')), { workerData, env, resourceLimits });
    this.worker.on('error', (err: Error & { code?: string }) => this.died(err.code === 'ERR_WORKER_OUT_OF_MEMORY', 1));
    this.worker.on('exit', (code) => this.died(code === OUT_OF_MEMORY_EXIT, code));
    this.ready = new Promise((r) => {
      this.worker.once('message', () => {
        this.initMs = performance.now() - this.started;
        r();
      });
      this.onDeath = () => r();
    });
  }

  /** Runs the handler once `hold` resolves; past `timeoutMs` (counted from now) the environment is killed. */
  invoke(event: Event, timeoutMs: number | undefined, hold: Promise<void> | undefined): Promise<Outcome> {
    const started = performance.now();
    const seq = ++this.seq;
    return new Promise<Outcome>((done) => {
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.onDeath = undefined;
        done(outcome);
      };
      const onMessage = (m: { seq: number; ok: boolean; response: unknown; errorType: string; errorMessage: string; ms: number; usedMb: number }) => {
        if (m.seq !== seq) return;
        const { response, errorType, errorMessage, ms, usedMb } = m;
        finish(m.ok ? { kind: 'ok', response, ms, usedMb } : { kind: 'error', errorType, errorMessage, ms, usedMb });
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        finish({ kind: 'timeout' });
        void this.kill();
      }, timeoutMs);
      const dead = () => finish({ kind: 'died', ...(this.death ?? { outOfMemory: false, code: 0 }), ms: performance.now() - started });
      if (this.death) return dead();
      this.onDeath = dead;
      this.worker.on('message', onMessage);
      void (hold ?? Promise.resolve()).then(() => {
        if (!this.death) this.worker.postMessage({ seq, event });
      });
    });
  }

  async kill(): Promise<void> {
    this.death ??= { outOfMemory: false, code: 1 };
    this.gone(this);
    await this.worker.terminate();
  }

  private died(outOfMemory: boolean, code: number): void {
    if (this.death) return;
    this.death = { outOfMemory, code };
    this.initMs ||= performance.now() - this.started;
    this.gone(this);
    this.onDeath?.();
  }
}

