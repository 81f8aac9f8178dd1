/**
 * A simulated Lambda function on virtual time, answering `send` the way the SDK's LambdaClient does
 * for the commands the executor uses. What it models:
 * - concurrency: an invocation is refused with the SDK's 429 (TooManyRequestsException,
 *   ConcurrentInvocationLimitExceeded) when as many environments are busy as the quota, or as
 *   Lambda's scaling ramp allows by now (1000 at once, 1000 more per 10 s), whichever is less;
 * - environments: a free warm one is reused; otherwise a new one starts cold (200–800 ms, billed);
 *   one that crashed or timed out is discarded;
 * - an invocation runs its handler overhead plus each task's actual seconds, and is billed for it
 *   (with its cold start) whether or not anybody still waits for the answer;
 * - faults, drawn per invocation: a crash (Runtime.ExitError after part of the run), a silent hang
 *   (the connection goes quiet; the environment stays busy, and billed, until the function's
 *   timeout), and the function's own timeout (Sandbox.Timedout at 900 s);
 * - Lambda's payload limits: a request over 6 MB is refused (413, RequestTooLargeException), an
 *   answer over 6 MB fails the invocation (Function.ResponseSizeTooLarge) after it ran;
 * - an aborted request rejects at once with an AbortError, as the SDK does; the function runs on.
 * Latency: `latencyMs` each way for every request.
 */
import {
  GetAccountSettingsCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaServiceException,
  RequestTooLargeException, TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import type { Rng } from '../../functions/trainer/rng.js';
import type { Task } from '../../functions/trainer/task.js';
import { noopResult } from '../../test/helpers/noop-result.js';
import type { Scaling } from './lower-bound.js';
import { rampLimit } from './lower-bound.js';
import type { VirtualClock } from './virtual-clock.js';

export interface LambdaModel {
  scaling: Scaling;
  coldStartMs: readonly [number, number];
  /** One-way latency of a request and of its answer. */
  latencyMs: number;
  /** The handler's own time per invocation (reading the event, answering), billed. */
  handlerMs: number;
  timeoutMs: number;
  memoryMb: number;
  /** Shares of admitted invocations that crash, and that hang. */
  crashRate: number;
  hangRate: number;
  /** False: the account and function reads are denied (403), as for credentials without lambda:Get*. */
  accountReadable: boolean;
}

/** What Lambda saw and billed: the ground truth the executor's own counts are checked against. */
export interface LambdaTally {
  /** Invoke requests that reached Lambda, throttled ones included. */
  requests: number;
  throttles: number;
  coldStarts: number;
  crashes: number;
  hangs: number;
  timeouts: number;
  /** Requests or answers over the payload limit. */
  oversized: number;
  /** Requests the caller aborted before their answer came. */
  aborted: number;
  /** Σ billed duration of every invocation that ran, answered or not. */
  billedMs: number;
  peakBusy: number;
}

interface InvokeOutput {
  StatusCode: number;
  FunctionError?: string;
  Payload: Uint8Array;
  LogResult: string;
}

const encoder = new TextEncoder();
/** Lambda's limits on a synchronous invocation's request and response, in bytes. */
const REQUEST_LIMIT = 6_291_456;
const RESPONSE_LIMIT = 6_291_556;

function abortError(): Error {
  const err = new Error('Request aborted');
  err.name = 'AbortError';
  return err;
}

function logTail(billedMs: number, initMs: number): string {
  const init = initMs > 0 ? `\tInit Duration: ${initMs.toFixed(2)} ms` : '';
  const text = `REPORT RequestId: r1\tDuration: ${(billedMs - initMs).toFixed(2)} ms\tBilled Duration: ${Math.ceil(billedMs)} ms\tMemory Size: 1769 MB\tMax Memory Used: 90 MB${init}\n`;
  return Buffer.from(text).toString('base64');
}

export class SimulatedLambda {
  readonly tally: LambdaTally = { requests: 0, throttles: 0, coldStarts: 0, crashes: 0, hangs: 0, timeouts: 0, oversized: 0, aborted: 0, billedMs: 0, peakBusy: 0 };
  private busy = 0;
  private warm = 0;
  private firstAt?: number;

  /** `secondsOf`: a task's actual duration by id (undefined: not a task of this sweep). */
  constructor(
    private readonly clock: VirtualClock,
    private readonly model: LambdaModel,
    private readonly rng: Rng,
    private readonly secondsOf: (id: string) => number | undefined,
  ) {}

  /** The SDK's `send(command, { abortSignal })`; typed loosely so it stands in for every overload of it. */
  send(command: unknown, options?: unknown): Promise<any> {
    const signal = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    if (command instanceof InvokeCommand) {
      const p = command.input.Payload;
      return this.invoke(typeof p === 'string' ? p : p instanceof Uint8Array ? Buffer.from(p).toString('utf8') : '', signal);
    }
    const read = command instanceof GetAccountSettingsCommand || command instanceof GetFunctionConcurrencyCommand || command instanceof GetFunctionConfigurationCommand;
    if (read && !this.model.accountReadable) {
      const action = (command as object).constructor.name.replace(/Command$/, '');
      const message = `User: arn:aws:iam::123456789012:user/sim is not authorized to perform: lambda:${action}`;
      return this.refuse(new LambdaServiceException({ name: 'AccessDeniedException', $fault: 'client', message, $metadata: { httpStatusCode: 403 } }));
    }
    if (command instanceof GetAccountSettingsCommand) {
      const q = this.model.scaling.quota;
      return this.answer({ AccountLimit: { ConcurrentExecutions: q, UnreservedConcurrentExecutions: q } });
    }
    if (command instanceof GetFunctionConcurrencyCommand) return this.answer({});
    if (command instanceof GetFunctionConfigurationCommand) {
      return this.answer({ Timeout: this.model.timeoutMs / 1000, MemorySize: this.model.memoryMb, Architectures: ['arm64'] });
    }
    return Promise.reject(new Error(`the simulated Lambda does not answer ${(command as object).constructor.name}`));
  }

  destroy(): void {}

  private answer<T>(value: T): Promise<T> {
    return new Promise((resolve) => this.clock.after(2 * this.model.latencyMs, () => resolve(value)));
  }

  private refuse(err: Error): Promise<never> {
    return new Promise((_, reject) => this.clock.after(2 * this.model.latencyMs, () => reject(err)));
  }

  private invoke(payload: string, signal: AbortSignal | undefined): Promise<InvokeOutput> {
    return new Promise((resolve, reject) => {
      let done = false;
      const settle = (f: () => void) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        f();
      };
      const onAbort = () => {
        if (!done) this.tally.aborted++;
        settle(() => reject(abortError()));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const reply = (f: () => void) => this.clock.after(this.model.latencyMs, () => settle(f));
      // A request aborted on its way never reaches the function.
      this.clock.after(this.model.latencyMs, () => {
        if (!done) this.arrive(payload, reply, resolve, reject);
      });
    });
  }

  private arrive(payload: string, reply: (f: () => void) => void, resolve: (out: InvokeOutput) => void, reject: (err: unknown) => void): void {
    const now = this.clock.now();
    this.tally.requests++;
    this.firstAt ??= now;
    if (Buffer.byteLength(payload) > REQUEST_LIMIT) {
      this.tally.oversized++;
      const message = `Request must be smaller than ${REQUEST_LIMIT} bytes for the InvokeFunction operation`;
      return reply(() => reject(new RequestTooLargeException({ message, $metadata: { httpStatusCode: 413 }, Type: 'User' })));
    }
    if (this.busy >= rampLimit((now - this.firstAt) / 1000, this.model.scaling)) {
      this.tally.throttles++;
      const err = new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 }, Reason: 'ConcurrentInvocationLimitExceeded' });
      return reply(() => reject(err));
    }
    this.busy++;
    this.tally.peakBusy = Math.max(this.tally.peakBusy, this.busy);
    let initMs = 0;
    if (this.warm > 0) this.warm--;
    else {
      this.tally.coldStarts++;
      const [lo, hi] = this.model.coldStartMs;
      initMs = lo + (hi - lo) * this.rng.uniform();
    }
    const { tasks, bad } = this.read(payload);
    const runMs = this.model.handlerMs + 1000 * tasks.reduce((s, t) => s + (this.secondsOf(t.id) ?? 0), 0);
    const fate = this.rng.uniform();
    const { timeoutMs } = this.model;
    // Where the run ends, whether the environment survives it, and what the caller gets (if anything).
    const end = (ms: number, reuse: boolean, answer?: () => InvokeOutput) => {
      this.clock.after(initMs + ms, () => {
        this.busy--;
        if (reuse) this.warm++;
        this.tally.billedMs += Math.ceil(initMs + ms);
        // Built only for a caller still waiting.
        if (answer) reply(() => resolve(answer()));
      });
    };
    const failed = (ms: number, errorType: string, errorMessage: string) => () => ({
      StatusCode: 200, FunctionError: 'Unhandled', Payload: encoder.encode(JSON.stringify({ errorType, errorMessage })), LogResult: logTail(initMs + ms, initMs),
    });
    if (fate < this.model.hangRate) {
      this.tally.hangs++;
      return end(timeoutMs, false);
    }
    if (fate < this.model.hangRate + this.model.crashRate) {
      this.tally.crashes++;
      const ms = runMs * this.rng.uniform();
      return end(ms, false, failed(ms, 'Runtime.ExitError', 'RequestId: r1 Error: Runtime exited with error: exit status 1'));
    }
    if (runMs > timeoutMs) {
      this.tally.timeouts++;
      return end(timeoutMs, false, failed(timeoutMs, 'Sandbox.Timedout', `RequestId: r1 Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`));
    }
    const body = () => (bad
      ? { ok: false, code: 'InvalidEvent', message: bad }
      : { ok: true, results: tasks.map((t) => ({ id: t.id, result: noopResult(t.id, t.task) })), failures: [] });
    end(runMs, true, () => {
      const bytes = encoder.encode(JSON.stringify(body()));
      if (bytes.length <= RESPONSE_LIMIT) return { StatusCode: 200, Payload: bytes, LogResult: logTail(initMs + runMs, initMs) };
      this.tally.oversized++;
      return failed(runMs, 'Function.ResponseSizeTooLarge', `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT} bytes).`)();
    });
  }

  /** The event's tasks, or why the handler would refuse it. */
  private read(payload: string): { tasks: { id: string; task: Task }[]; bad?: string } {
    let event: { tasks?: { id: string; task: Task }[] };
    try {
      event = JSON.parse(payload) as typeof event;
    } catch {
      return { tasks: [], bad: 'the event is not JSON' };
    }
    const tasks = event.tasks ?? [];
    const unknown = tasks.find((t) => this.secondsOf(t.id) === undefined);
    return unknown ? { tasks: [], bad: `unknown task ${unknown.id}` } : { tasks };
  }
}
