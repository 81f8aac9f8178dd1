/**
 * The Lambda executor: RequestResponse invocations of the trainer function, tasks packed into
 * invocations by predicted duration and payload size, and everything Lambda does to a large run
 * handled by class (invocation-failure.ts):
 * - throttled (429): re-sent after a jittered back-off, never a failed attempt; the concurrency
 *   cap adapts (concurrency-gate.ts) and follows Lambda's scaling ramp;
 * - network or service errors: re-sent with back-off, a few times, then a failed attempt;
 * - timeout, out of memory, payload over the limit: returned with their kind, so the sweep splits
 *   the batch (fan-out.ts); an invalid event is a bug, never retried; an event outside the
 *   function's store stops the run;
 * - stragglers are hedged (the first response wins; results are write-once, so the loser's
 *   identical writes change nothing and nothing is counted twice);
 * - a budget (`--max-cost`) is checked before every invocation, hedges included.
 * Billing is read from the log tails; where none comes back (a hedge that lost, an abandoned
 * invocation) it is estimated and counted as such.
 */
import { DEFAULT_TARGET_SECONDS } from './lambda-defaults.js';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { TrainerResponse } from '../../functions/handler.js';
import { LIMITS } from '../../functions/limits.js';
import { checkResult } from '../../functions/results.js';
import { awsEnvironmentProblem } from '../aws/aws-errors.js';
import type { Budget } from '../cost/budget.js';
import type { Architecture } from '../cost/cost-model.js';
import { invocationDollars } from '../cost/cost-model.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { packForConcurrency } from '../plan/pack.js';
import type { PlannedTask } from '../plan/planner.js';
import { safeJson } from '../safe-json.js';
import type { Clock } from '../time/clock.js';
import { realClock, sleep } from '../time/clock.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import type { BilledUsage, Executor, FailureKind, Pace, TaskOutcome } from './executor.js';
import { checkConcurrency } from './executor.js';
import { classifyFunctionError, classifySendError, classifyTaskCode } from './invocation-failure.js';

export interface LambdaExecutorOptions {
  /** The SDK client, or anything answering its `send` the same way (the simulation). */
  client: Pick<LambdaClient, 'send' | 'destroy'>;
  functionName: string;
  concurrency?: number;
  /** Where the trainer writes results itself; without it results come back inline. */
  target?: { bucket: string; prefix: string };
  /** Predicted seconds of one task in the function (from the local calibration). */
  predictSeconds: (task: PlannedTask['task']) => number;
  /** Pack tasks into invocations of about this many predicted seconds (default 30). */
  targetSeconds?: number;
  /** Abandon an invocation after this long (ms) and let the sweep retry its tasks. */
  invocationTimeoutMs?: number;
  /** Hedge an invocation still running max(hedgeAfterMs, hedgeFactor × predicted) after it was sent (default 10 s, 2×). */
  hedgeFactor?: number;
  hedgeAfterMs?: number;
  /** Timers and time (default: the real ones). */
  clock?: Clock;
  /** Jitter for back-off, in [0, 1) (default Math.random; the simulation seeds it). */
  random?: () => number;
  /** The function as deployed: prices its invocations, and bounds the estimate for one that hung. */
  fn?: { memoryMb: number; architecture: Architecture; timeoutMs?: number };
  /** Checked before every invocation starts. */
  budget?: Budget;
  /** Lambda's scaling ramp: environments added per step (and at once), and the step (default 1000 per 10 s). */
  ramp?: { step: number; everyMs: number };
}

const BILLED = /Billed Duration: (\d+(?:\.\d+)?) ms/;
/** A network or service error is re-sent this many times before it counts as a failed attempt. */
const NETWORK_TRIES = 3;
/** Headroom under Lambda's 6 MB: the packer keeps each event's predicted request and response below it. */
const PAYLOAD_BUDGET_BYTES = 5_000_000;
/** Bytes a task's answer adds per λ (its metrics) and per task (ids, digest, key), measured on real responses. */
const RESPONSE_BYTES = { perLambda: 160, perTask: 400 };

/** Why an invocation did not answer with results, with its class. */
class InvocationFailed extends Error {
  constructor(readonly kind: FailureKind, message: string) {
    super(message);
  }
}

/** The budget would be passed: the invocation was not started. */
class BudgetReached extends Error {}

const LOST = Symbol('another copy answered');
const ABANDONED = Symbol('no answer in time');

/** One copy of an invocation; `race.winnerMs`: how long the copy that answered took (shared by all copies). */
interface Copy {
  controller: AbortController;
  race: { winnerMs?: number };
}

/** Copies of one invocation at most: the first and two hedges (so a hedge that hangs too is not waited on until the invocation timeout). */
const MAX_COPIES = 3;
/** Hedging defaults, chosen with `npm run simulate` (README). */
export const DEFAULT_HEDGE_FACTOR = 2;
export const DEFAULT_HEDGE_AFTER_MS = 10_000;

export class LambdaExecutor implements Executor {
  readonly concurrency: number;
  private readonly billed: BilledUsage = {
    invocations: 0, hedges: 0, throttles: 0, billedMs: 0, unbilled: 0, estimatedMs: 0, predictedMs: 0,
    failures: { timeout: 0, memory: 0, payload: 0, invalid: 0, network: 0, crash: 0, stopped: 0 },
  };
  private readonly targetSeconds: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly gate: ConcurrencyGate;

  constructor(private readonly opts: LambdaExecutorOptions) {
    this.concurrency = checkConcurrency(opts.concurrency ?? 256, LIMITS.lambdaConcurrency, 'raise it with AWS first: the default account limit is 1000');
    this.targetSeconds = opts.targetSeconds ?? DEFAULT_TARGET_SECONDS;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.gate = new ConcurrencyGate({ max: this.concurrency, clock: this.clock, rampStep: opts.ramp?.step, rampEveryMs: opts.ramp?.everyMs });
    // Without the function's memory and architecture every invocation would cost $0: the budget would never stop anything.
    if (opts.budget && !opts.fn) throw new TypeError('LambdaExecutor: a budget needs `fn` (memory and architecture) to price invocations');
  }

  /** Packs by predicted duration and payload bytes; the target shrinks when that keeps more invocations busy. */
  batches(tasks: PlannedTask[]): PlannedTask[][] {
    return packForConcurrency(tasks, this.opts.predictSeconds, this.targetSeconds, this.concurrency, {
      bytesOf: (t) => JSON.stringify(t).length * 2 + RESPONSE_BYTES.perTask + RESPONSE_BYTES.perLambda * t.task.lambdas.length,
      maxBytes: PAYLOAD_BUDGET_BYTES,
    });
  }

  private predictedMs(batch: PlannedTask[]): number {
    return 1000 * batch.reduce((s, t) => s + this.opts.predictSeconds(t.task), 0);
  }

  private dollars(ms: number): number {
    return this.opts.fn ? invocationDollars(ms, this.opts.fn.memoryMb, this.opts.fn.architecture) : 0;
  }

  private event(tasks: { id: string; task: PlannedTask['task'] }[]): string {
    return JSON.stringify({
      tasks,
      ...(this.opts.target ? { bucket: this.opts.target.bucket, prefix: this.opts.target.prefix } : { inline: true }),
    });
  }

  /**
   * One invocation without tasks, before anything is written: the function exists, answers, and may
   * write to the store the run names. A wrong `--store` or `--function` is said here, once.
   */
  async preflight(): Promise<void> {
    try {
      await this.invoke(this.event([]), 0, { controller: new AbortController(), race: {} });
    } catch (err) {
      throw this.fatal(err) ?? new EnvironmentError(`--function: the function "${this.opts.functionName}" did not answer a preflight invocation: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The error that ends the run, when `err` is one: no credentials or endpoint, no such function, the wrong store. */
  private fatal(err: unknown): Error | undefined {
    if (err instanceof UsageError || err instanceof EnvironmentError) return err;
    const problem = awsEnvironmentProblem(err, `the Lambda function "${this.opts.functionName}"`);
    if (problem) return new EnvironmentError(`--function: ${problem}`, { cause: err });
    const e = (err ?? {}) as { name?: string; message?: string };
    if (e.name === 'ResourceNotFoundException') {
      return new UsageError(`--function: no function "${this.opts.functionName}" in this region; pass the FunctionName output of \`cdk deploy\` (or --stack-outputs), and --region`, { cause: err });
    }
    if (e.name === 'AccessDeniedException' || e.name === 'UnrecognizedClientException' || e.name === 'InvalidSignatureException') {
      return new EnvironmentError(`--function: not allowed to invoke "${this.opts.functionName}" (${e.name}); check the credentials and their lambda:InvokeFunction permission`, { cause: err });
    }
    return undefined;
  }

  /** In-flight invocations are never aborted by the sweep's signal: what is running lands. */
  async runBatch(batch: PlannedTask[]): Promise<TaskOutcome[]> {
    const predictedMs = this.predictedMs(batch);
    const payload = this.event(batch.map((t) => ({ id: t.id, task: t.task })));
    const hedgeAfter = Math.max(this.opts.hedgeAfterMs ?? DEFAULT_HEDGE_AFTER_MS, (this.opts.hedgeFactor ?? DEFAULT_HEDGE_FACTOR) * predictedMs);
    const copies: Copy[] = [];
    const race: Copy['race'] = {};
    const attempt = (onSent: () => void) => {
      const copy: Copy = { controller: new AbortController(), race };
      copies.push(copy);
      return this.invoke(payload, predictedMs, copy, onSent);
    };
    try {
      const response = await this.race(attempt, hedgeAfter, copies);
      this.billed.predictedMs += predictedMs;
      return this.outcomes(batch, response);
    } catch (err) {
      const fatal = this.fatal(err);
      if (fatal) throw fatal;
      if (err instanceof BudgetReached) return this.failed(batch, 'stopped', 'not started: the budget was reached');
      if (err instanceof InvocationFailed) return this.failed(batch, err.kind, err.message);
      return this.failed(batch, 'crash', `invocation failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    } finally {
      // The race is decided; stop waiting for any other copy (the function still finishes, and bills, on its side).
      // With no answer from any copy, the others may hang as the first did: abandoned, not lost.
      for (const c of copies) c.controller.abort(race.winnerMs === undefined ? ABANDONED : LOST);
    }
  }

  /**
   * The first answer of an invocation's copies: one is sent; each time the newest has run
   * `hedgeAfter` ms since it was sent, another (up to MAX_COPIES). The first success wins; the first
   * failure decides too (the fan-out splits or retries at once, rather than wait on a copy that may
   * have hung), except a hedge the budget refused, which leaves the others running.
   */
  private race(attempt: (onSent: () => void) => Promise<TrainerResponse>, hedgeAfter: number, copies: Copy[]): Promise<TrainerResponse> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let cancelHedge: (() => void) | undefined;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        cancelHedge?.();
        f();
      };
      let launched = 0;
      const launch = (hedge: boolean) => {
        const index = ++launched;
        let sent = false;
        const onSent = () => {
          if (settled) return;
          // A copy re-sent (throttled, or after a network error) is still one hedge.
          if (hedge && !sent) this.billed.hedges++;
          sent = true;
          // Only the newest copy times the next hedge: an older copy's re-send must not push it back.
          if (index !== launched) return;
          // Timed from when this copy went out, not from waiting at the gate or backing off.
          cancelHedge?.();
          cancelHedge = undefined;
          if (!Number.isFinite(hedgeAfter) || copies.length >= MAX_COPIES) return;
          cancelHedge = this.clock.after(hedgeAfter, () => {
            if (settled) return;
            launch(true);
          });
        };
        attempt(onSent).then(
          (r) => finish(() => resolve(r)),
          (err: unknown) => {
            if (hedge && err instanceof BudgetReached) return;
            finish(() => reject(err));
          },
        );
      };
      launch(false);
    });
  }

  private failed(batch: PlannedTask[], kind: FailureKind, message: string): TaskOutcome[] {
    this.billed.failures[kind]++;
    return batch.map((t) => ({ id: t.id, ok: false as const, message, kind }));
  }

  private outcomes(batch: PlannedTask[], response: TrainerResponse): TaskOutcome[] {
    if (!response.ok) return this.failed(batch, 'invalid', `${response.code}: ${response.message}`);
    const byId = new Map<string, TaskOutcome>();
    for (const r of response.results) {
      try {
        // The orchestrator decides the next λ from these numbers: check them as if read from the store.
        const result = checkResult(r.result, `the function's result for task ${r.id}`);
        if (result.taskId !== r.id) throw new Error(`the function answered task ${r.id} with the result of ${result.taskId}`);
        byId.set(r.id, { id: r.id, ok: true, result, storedRemotely: r.stored !== undefined });
      } catch (err) {
        byId.set(r.id, { id: r.id, ok: false, message: err instanceof Error ? err.message : String(err), kind: 'crash' });
      }
    }
    const kinds = new Set<FailureKind>();
    for (const f of response.failures) {
      const kind = classifyTaskCode(f.code);
      kinds.add(kind);
      byId.set(f.id, { id: f.id, ok: false, message: `${f.code}: ${f.message}`, kind });
    }
    for (const kind of kinds) this.billed.failures[kind]++;
    return batch.map((t) => byId.get(t.id) ?? { id: t.id, ok: false as const, message: 'missing from the function\'s response', kind: 'crash' as const });
  }

  /** Full-jitter exponential back-off, in ms. */
  private backoff(tries: number): number {
    return this.random() * Math.min(20_000, 200 * 2 ** tries);
  }

  /**
   * One copy of an invocation, answered: re-sent while throttled (never counted as a failure) and a
   * few times after network errors; rejects with `InvocationFailed`, `BudgetReached`, or an error
   * that ends the run.
   */
  private async invoke(payload: string, predictedMs: number, copy: Copy, onSent: () => void = () => {}): Promise<TrainerResponse> {
    const { controller } = copy;
    let networkTries = 0;
    let throttles = 0;
    let waitMs = 0;
    for (;;) {
      if (waitMs > 0) await sleep(this.clock, waitMs, controller.signal);
      if (controller.signal.aborted) throw new InvocationFailed('network', 'not sent again: another copy answered');
      const reserved = this.dollars(predictedMs);
      if (this.opts.budget && !this.opts.budget.reserve(reserved)) throw new BudgetReached();
      const started = await this.gate.acquire();
      let cost = 0;
      try {
        if (controller.signal.aborted) throw new InvocationFailed('network', 'not sent: another copy answered');
        this.billed.invocations++;
        onSent();
        const cancelTimeout = this.clock.after(this.opts.invocationTimeoutMs ?? 960_000, () => controller.abort(ABANDONED));
        let out;
        try {
          out = await this.opts.client.send(
            new InvokeCommand({ FunctionName: this.opts.functionName, InvocationType: 'RequestResponse', LogType: 'Tail', Payload: payload }),
            { abortSignal: controller.signal },
          );
        } catch (err) {
          if (controller.signal.aborted) {
            // Lambda bills a copy we stopped waiting for until it ends on its side, and never past the
            // function's timeout: estimate it. One abandoned may have hung, so the timeout; one that
            // lost runs the same batch, so about as long as the copy that answered took (or its prediction).
            const elapsed = this.clock.now() - started;
            const abandoned = controller.signal.reason === ABANDONED;
            const timeoutMs = this.opts.fn?.timeoutMs;
            const estimate = abandoned
              ? (timeoutMs ?? elapsed)
              : Math.min(Math.max(elapsed, copy.race.winnerMs ?? predictedMs), timeoutMs ?? Infinity);
            this.billed.unbilled++;
            this.billed.estimatedMs += estimate;
            cost = this.dollars(estimate);
            throw new InvocationFailed('network', abandoned ? `no answer after ${((this.clock.now() - started) / 1000).toFixed(0)} s (abandoned)` : 'another copy answered');
          }
          const fatal = this.fatal(err);
          if (fatal) throw fatal;
          const kind = classifySendError(err);
          const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
          if (kind === 'throttled') {
            this.billed.invocations--;
            this.billed.throttles++;
            this.gate.throttled(started);
            waitMs = this.backoff(++throttles);
            continue;
          }
          if (kind === 'network' && ++networkTries < NETWORK_TRIES) {
            this.billed.failures.network++;
            waitMs = this.backoff(networkTries);
            continue;
          }
          throw new InvocationFailed(kind, `invocation failed: ${message}`);
        } finally {
          cancelTimeout();
        }
        this.gate.succeeded();
        copy.race.winnerMs ??= this.clock.now() - started;
        const billedMs = out.LogResult ? BILLED.exec(Buffer.from(out.LogResult, 'base64').toString('utf8')) : null;
        if (billedMs) {
          this.billed.billedMs += Number(billedMs[1]);
          cost = this.dollars(Number(billedMs[1]));
        } else {
          this.billed.unbilled++;
          this.billed.estimatedMs += predictedMs;
          cost = this.dollars(predictedMs);
        }
        const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
        if (out.FunctionError) {
          const body = safeJson(text) as { errorType?: string; errorMessage?: string } | undefined;
          const kind = classifyFunctionError(body?.errorType, body?.errorMessage);
          throw new InvocationFailed(kind, `function error (${out.FunctionError}): ${body?.errorType ?? ''} ${body?.errorMessage ?? text.slice(0, 200)}`.trim());
        }
        const parsed = safeJson(text) as TrainerResponse | undefined;
        if (!parsed || typeof parsed !== 'object' || !('ok' in parsed)) throw new InvocationFailed('crash', `unreadable response: ${text.slice(0, 200)}`);
        if (!parsed.ok && parsed.code === 'OutsideStore') throw new UsageError(`--store: the function refuses this store: ${parsed.message}`);
        return parsed;
      } finally {
        this.gate.release();
        this.opts.budget?.settle(reserved, cost);
      }
    }
  }

  usage(): BilledUsage {
    return { ...this.billed, failures: { ...this.billed.failures } };
  }

  pace(): Pace {
    return { inFlight: this.gate.inFlight, cap: this.gate.cap, throttles: this.billed.throttles };
  }

  async close(): Promise<void> {
    this.opts.client.destroy();
  }
}
