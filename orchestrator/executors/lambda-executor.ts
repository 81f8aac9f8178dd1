/**
 * The Lambda executor: RequestResponse invocations of the trainer function, concurrency bounded by
 * the sweep runner, tasks packed into invocations by predicted duration, a timeout per invocation,
 * and hedging of stragglers (the first response wins; results are write-once, so the loser's
 * identical writes change nothing and nothing is counted twice).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { TrainerResponse } from '../../functions/handler.js';
import { LIMITS } from '../../functions/limits.js';
import { awsEnvironmentProblem } from '../aws/aws-errors.js';
import { EnvironmentError } from '../errors.js';
import { checkResult } from '../../functions/results.js';
import { packForConcurrency } from '../plan/pack.js';
import type { PlannedTask } from '../plan/planner.js';
import type { BilledUsage, Executor, TaskOutcome } from './executor.js';
import { checkConcurrency } from './executor.js';
import { safeJson } from '../safe-json.js';
import type { Clock } from '../time/clock.js';
import { realClock } from '../time/clock.js';

export interface LambdaExecutorOptions {
  /** The SDK client, or anything answering its `send` the same way (the simulation). */
  client: Pick<LambdaClient, 'send' | 'destroy'>;
  functionName: string;
  concurrency?: number;
  /** Where the trainer writes results itself; without it results come back inline. */
  target?: { bucket: string; prefix: string };
  /** Predicted seconds of one task in the function (from the local calibration). */
  predictSeconds: (task: PlannedTask['task']) => number;
  /** Pack tasks into invocations of about this many predicted seconds. */
  targetSeconds?: number;
  /** Abandon an invocation after this long (ms) and let the sweep retry its tasks. */
  invocationTimeoutMs?: number;
  /** Hedge an invocation still running after max(hedgeAfterMs, hedgeFactor × predicted). */
  hedgeFactor?: number;
  hedgeAfterMs?: number;
  /** Timers and time (default: the real ones). */
  clock?: Clock;
}

const BILLED = /Billed Duration: (\d+(?:\.\d+)?) ms/;

export class LambdaExecutor implements Executor {
  readonly concurrency: number;
  private readonly billed: BilledUsage = {
    invocations: 0, hedges: 0, throttles: 0, billedMs: 0, unbilled: 0, estimatedMs: 0, predictedMs: 0,
    failures: { timeout: 0, memory: 0, payload: 0, invalid: 0, network: 0, crash: 0, stopped: 0 },
  };
  private readonly targetSeconds: number;
  private readonly clock: Clock;

  constructor(private readonly opts: LambdaExecutorOptions) {
    this.clock = opts.clock ?? realClock;
    this.concurrency = checkConcurrency(opts.concurrency ?? 256, LIMITS.lambdaConcurrency, 'raise it with AWS first: the default account limit is 1000');
    this.targetSeconds = opts.targetSeconds ?? 60;
  }

  /** Packs by predicted duration; the target shrinks when that keeps more invocations busy. */
  batches(tasks: PlannedTask[]): PlannedTask[][] {
    return packForConcurrency(tasks, this.opts.predictSeconds, this.targetSeconds, this.concurrency);
  }

  private predictedMs(batch: PlannedTask[]): number {
    return 1000 * batch.reduce((s, t) => s + this.opts.predictSeconds(t.task), 0);
  }

  /** In-flight invocations are never aborted by the sweep's signal: what is running lands. */
  async runBatch(batch: PlannedTask[]): Promise<TaskOutcome[]> {
    const payload = JSON.stringify({
      tasks: batch.map((t) => ({ id: t.id, task: t.task })),
      ...(this.opts.target ? { bucket: this.opts.target.bucket, prefix: this.opts.target.prefix } : { inline: true }),
    });
    const hedgeAfter = Math.max(this.opts.hedgeAfterMs ?? 10_000, (this.opts.hedgeFactor ?? 3) * this.predictedMs(batch));
    const controllers: AbortController[] = [];
    const attempt = () => {
      const c = new AbortController();
      controllers.push(c);
      return this.invoke(payload, c);
    };
    let response: TrainerResponse;
    try {
      response = await this.race(attempt, hedgeAfter);
    } catch (err) {
      // Without credentials or a reachable endpoint no task can run: stop the sweep, not the task.
      const problem = awsEnvironmentProblem(err, `the Lambda function "${this.opts.functionName}"`);
      if (problem) throw new EnvironmentError(`--function: ${problem}`, { cause: err });
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return batch.map((t) => ({ id: t.id, ok: false as const, message: `invocation failed: ${message}` }));
    } finally {
      // The winner is in; stop waiting for any other copy (the function still finishes on its side).
      for (const c of controllers) c.abort();
    }
    return this.outcomes(batch, response);
  }

  /** The first successful response of the invocation and, past `hedgeAfter` ms, one hedge. */
  private race(attempt: () => Promise<TrainerResponse>, hedgeAfter: number): Promise<TrainerResponse> {
    return new Promise((resolve, reject) => {
      let pending = 0;
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        cancelHedge?.();
        f();
      };
      const launch = () => {
        pending++;
        attempt().then(
          (r) => finish(() => resolve(r)),
          (err: unknown) => {
            if (--pending === 0) finish(() => reject(err));
          },
        );
      };
      // A hedge after `hedgeAfter` ms; none when it is not finite (setTimeout would fire at once).
      const cancelHedge = Number.isFinite(hedgeAfter)
        ? this.clock.after(hedgeAfter, () => {
            if (settled) return;
            this.billed.hedges++;
            launch();
          })
        : undefined;
      launch();
    });
  }

  private outcomes(batch: PlannedTask[], response: TrainerResponse): TaskOutcome[] {
    if (!response.ok) return batch.map((t) => ({ id: t.id, ok: false as const, message: `${response.code}: ${response.message}` }));
    const byId = new Map<string, TaskOutcome>();
    for (const r of response.results) {
      try {
        // The orchestrator decides the next λ from these numbers: check them as if read from the store.
        const result = checkResult(r.result, `the function's result for task ${r.id}`);
        if (result.taskId !== r.id) throw new Error(`the function answered task ${r.id} with the result of ${result.taskId}`);
        byId.set(r.id, { id: r.id, ok: true, result, storedRemotely: r.stored !== undefined });
      } catch (err) {
        byId.set(r.id, { id: r.id, ok: false, message: err instanceof Error ? err.message : String(err) });
      }
    }
    for (const f of response.failures) byId.set(f.id, { id: f.id, ok: false, message: `${f.code}: ${f.message}` });
    return batch.map((t) => byId.get(t.id) ?? { id: t.id, ok: false as const, message: 'missing from the function\'s response' });
  }

  private async invoke(payload: string, controller: AbortController): Promise<TrainerResponse> {
    const cancelTimeout = this.clock.after(this.opts.invocationTimeoutMs ?? 960_000, () => controller.abort(new Error('invocation timed out')));
    try {
      this.billed.invocations++;
      const out = await this.opts.client.send(
        new InvokeCommand({ FunctionName: this.opts.functionName, InvocationType: 'RequestResponse', LogType: 'Tail', Payload: payload }),
        { abortSignal: controller.signal },
      );
      const billed = out.LogResult ? BILLED.exec(Buffer.from(out.LogResult, 'base64').toString('utf8')) : null;
      if (billed) this.billed.billedMs += Number(billed[1]);
      else this.billed.unbilled++;
      const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      if (out.FunctionError) {
        const body = safeJson(text) as { errorType?: string; errorMessage?: string } | undefined;
        throw new Error(`function error (${out.FunctionError}): ${body?.errorType ?? ''} ${body?.errorMessage ?? text.slice(0, 200)}`.trim());
      }
      const parsed = safeJson(text) as TrainerResponse | undefined;
      if (!parsed || typeof parsed !== 'object' || !('ok' in parsed)) throw new Error(`unreadable response: ${text.slice(0, 200)}`);
      return parsed;
    } finally {
      cancelTimeout();
    }
  }

  usage(): BilledUsage {
    return { ...this.billed, failures: { ...this.billed.failures } };
  }

  async close(): Promise<void> {
    this.opts.client.destroy();
  }
}
