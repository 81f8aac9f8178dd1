/**
 * A local Lambda endpoint for one function, so `@aws-sdk/client-lambda` talks to it exactly as to
 * AWS. `POST /2015-03-31/functions/{name}/invocations` runs the real bundled handler
 * (dist/trainer/index.mjs) in execution environments, each a worker thread: created on first need (a
 * cold start), reused warm, killed past the function's timeout or over its memory. As on Lambda, an
 * invocation beyond the account's concurrency or the scaling ramp is answered 429, a request over the
 * payload limit 413, and a timeout, an out-of-memory kill or a response over the limit is a function
 * error with a log tail. It answers GetAccountSettings, GetFunctionConcurrency and
 * GetFunctionConfiguration too. Faults are injected on a fixed schedule: throttling, function
 * errors, stalls and dropped connections.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Event, Outcome } from './local-lambda-environment.js';
import { Environment } from './local-lambda-environment.js';
import { noopResult } from './noop-result.js';

export interface Faults {
  /** Answer call number `n` (1-based) with 429 TooManyRequestsException. */
  throttle?: (call: number) => boolean;
  /** Destroy the connection of call number `n` without answering. */
  drop?: (call: number) => boolean;
  /** Fail (X-Amz-Function-Error: Unhandled) every invocation whose batch holds this task id. */
  crashOnTask?: string;
  /**
   * Hold the first `count` (default 1) invocations holding this task id in their execution
   * environment until `release` resolves (the function's timeout still applies); each emits 'stalled'.
   */
  stall?: { taskId: string; release: Promise<void>; count?: number };
  /** Answer without running the handler (for the invoke benchmark). */
  noop?: boolean;
}

export interface LocalLambdaOptions {
  /** Execution environments at most when there is no `quota`; more invocations wait for one (default 2). */
  instances?: number;
  /** The function's environment variables. */
  env?: Record<string, string>;
  /** The function's timeout: the handler's context counts down from it, and an invocation past it is killed (default none). */
  timeoutMs?: number;
  /** The function's memory: each environment's heap limit and its budget for typed arrays (default unlimited). */
  memoryMb?: number;
  /** The account's concurrency: invocations executing at once; one more is answered 429 at once. */
  quota?: number;
  /** Scaling: environments may number `initial`, then `step` more per `everyMs` (Lambda: 1000 per 10 s); beyond, 429. */
  ramp?: { initial: number; step: number; everyMs: number };
  /** Milliseconds for the ramp (default performance.now). */
  now?: () => number;
  /** Largest request body in bytes (default 6291456, Lambda's). */
  payloadLimitBytes?: number;
  /** Largest response body in bytes (default payloadLimitBytes + 100: Lambda's 6291556). */
  responseLimitBytes?: number;
  /**
   * What the account and function reads report, or 'denied' to answer them 403 (default: both limits
   * the `quota`, or 1000). `reserved` also caps the function's concurrency, as reserved concurrency does.
   */
  account?: { concurrentExecutions: number; unreservedConcurrentExecutions: number; reserved?: number } | 'denied';
}

const REQUEST_LIMIT = 6_291_456;
const DEFAULT_MEMORY_MB = 1769;
const ACCOUNT_ID = '123456789012';
const JSON_TYPE = { 'content-type': 'application/json' };

export class LocalLambda extends EventEmitter {
  calls = 0;
  /** Invocations answered 429: by the `throttle` fault, the quota or the ramp. */
  throttled = 0;
  dropped = 0;
  crashed = 0;
  coldStarts = 0;
  timedOut = 0;
  outOfMemory = 0;
  /** Requests answered 413 and responses over the limit. */
  tooLarge = 0;
  /** The most invocations executing at once. */
  maxConcurrent = 0;
  /** How many invocations each task id was part of. */
  readonly taskInvocations = new Map<string, number>();
  faults: Faults = {};
  private readonly options: LocalLambdaOptions;
  private server?: Server;
  private readonly environments = new Set<Environment>();
  private idle: Environment[] = [];
  private readonly waiting: ((env: Environment | undefined) => void)[] = [];
  private running = 0;
  private readonly held = new WeakMap<object, number>();
  private startedAt = 0;
  private nodeMajor = 0;

  /** `new LocalLambda(options)`, or `new LocalLambda(instances, { env, timeoutMs })` as before. */
  constructor(options?: number | LocalLambdaOptions, config: Pick<LocalLambdaOptions, 'env' | 'timeoutMs'> = {}) {
    super();
    this.options = typeof options === 'number' ? { ...config, instances: options } : { ...options };
  }

  async start(): Promise<string> {
    this.nodeMajor = (JSON.parse(readFileSync(resolve('functions/lambda-runtime.json'), 'utf8')) as { nodeMajor: number }).nodeMajor;
    this.startedAt = this.now();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
    await Promise.all([...this.environments].map((e) => e.kill()));
  }

  private now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const fn = /^\/(2015-03-31|2019-09-30)\/functions\/([^/]+)\/(invocations|concurrency|configuration)$/.exec(path);
    const name = fn ? decodeURIComponent(fn[2]) : '';
    const route = `${req.method} ${fn ? `${fn[1]} ${fn[3]}` : path}`;
    if (route === 'POST 2015-03-31 invocations') return this.invoke(req, res, Buffer.concat(chunks));
    if (route === 'GET /2016-08-19/account-settings') return this.read(res, 'GetAccountSettings', name);
    if (route === 'GET 2019-09-30 concurrency') return this.read(res, 'GetFunctionConcurrency', name);
    if (route === 'GET 2015-03-31 configuration') return this.read(res, 'GetFunctionConfiguration', name);
    send(res, 404, { 'x-amzn-errortype': 'ResourceNotFoundException' }, { Type: 'User', message: `Function not found: ${req.url}` });
  }

  private async invoke(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const call = ++this.calls;
    const id = `r${call}`;
    const requestId = { 'x-amzn-requestid': id };
    const throttle = (reason: string) => {
      this.throttled++;
      send(res, 429, { ...requestId, 'x-amzn-errortype': 'TooManyRequestsException' }, { Reason: reason, Type: 'User', message: 'Rate Exceeded.' });
    };
    if (this.faults.throttle?.(call)) return throttle('ReservedFunctionConcurrentInvocationLimitExceeded');
    if (this.faults.drop?.(call)) {
      this.dropped++;
      req.socket.destroy();
      return;
    }
    const limit = this.options.payloadLimitBytes ?? REQUEST_LIMIT;
    if (body.length > limit) {
      this.tooLarge++;
      const message = `Request must be smaller than ${limit} bytes for the InvokeFunction operation`;
      return send(res, 413, { ...requestId, 'x-amzn-errortype': 'RequestTooLargeException' }, { Type: 'User', message });
    }
    let event: Event;
    try {
      event = JSON.parse(body.toString('utf8')) as Event;
    } catch {
      return send(res, 400, { ...requestId, 'x-amzn-errortype': 'InvalidRequestContentException' }, { Type: 'User', message: 'Could not parse request body into json' });
    }
    const taskIds = (event?.tasks ?? []).map((t) => t.id);
    const count = () => taskIds.forEach((t) => this.taskInvocations.set(t, (this.taskInvocations.get(t) ?? 0) + 1));
    const headers = { ...requestId, 'x-amz-executed-version': '$LATEST' };
    if (this.faults.noop) {
      count();
      const results = (event?.tasks ?? []).map(({ id: t, task }) => ({ id: t, result: noopResult(t, task) }));
      return send(res, 200, { ...headers, 'x-amz-log-result': logTail(id, { ms: 1 }) }, { ok: true, results, failures: [] });
    }
    if (this.faults.crashOnTask && taskIds.includes(this.faults.crashOnTask)) {
      count();
      this.crashed++;
      const failed = { ...headers, 'x-amz-function-error': 'Unhandled', 'x-amz-log-result': logTail(id, { ms: 5 }) };
      return send(res, 200, failed, { errorType: 'Error', errorMessage: 'the trainer crashed', trace: [] });
    }
    const acquired = await this.acquire();
    if (typeof acquired === 'string') return throttle(acquired);
    count();
    const { env, cold } = acquired;
    await env.ready;
    const outcome = await env.invoke(event, this.options.timeoutMs, this.hold(taskIds));
    this.release(env);
    this.reply(res, headers, outcome, cold ? env.initMs : undefined);
  }

  private reply(res: ServerResponse, headers: Record<string, string>, outcome: Outcome, initMs: number | undefined): void {
    const id = headers['x-amzn-requestid'];
    const memoryMb = this.options.memoryMb ?? DEFAULT_MEMORY_MB;
    const failed = (errorType: string, errorMessage: string, report: Report) =>
      send(res, 200, { ...headers, 'x-amz-function-error': 'Unhandled', 'x-amz-log-result': logTail(id, { memoryMb, initMs, ...report }) }, { errorType, errorMessage });
    if (outcome.kind === 'timeout') {
      this.timedOut++;
      const ms = this.options.timeoutMs ?? 0;
      const message = `Task timed out after ${(ms / 1000).toFixed(2)} seconds`;
      return failed('Sandbox.Timedout', `RequestId: ${id} Error: ${message}`, { ms, billedMs: ms, status: 'timeout', line: `${id} ${message}` });
    }
    if (outcome.kind === 'died') {
      const [errorType, exit] = outcome.outOfMemory ? ['Runtime.OutOfMemory', 'signal: killed'] : ['Runtime.ExitError', `exit status ${outcome.code}`];
      if (outcome.outOfMemory) this.outOfMemory++;
      const message = `RequestId: ${id} Error: Runtime exited with error: ${exit}`;
      return failed(errorType, message, { ms: outcome.ms, usedMb: outcome.outOfMemory ? memoryMb : undefined, status: 'error', errorType, line: message });
    }
    if (outcome.kind === 'error') return failed(outcome.errorType, outcome.errorMessage, { ms: outcome.ms, usedMb: outcome.usedMb });
    const text = JSON.stringify(outcome.response);
    const limit = this.options.responseLimitBytes ?? (this.options.payloadLimitBytes ?? REQUEST_LIMIT) + 100;
    if (Buffer.byteLength(text) > limit) {
      this.tooLarge++;
      const message = `Response payload size exceeded maximum allowed payload size (${limit} bytes).`;
      return failed('Function.ResponseSizeTooLarge', message, { ms: outcome.ms, usedMb: outcome.usedMb });
    }
    send(res, 200, { ...headers, 'x-amz-log-result': logTail(id, { ms: outcome.ms, memoryMb, usedMb: outcome.usedMb, initMs }) }, text);
  }

  /** The most invocations the function may execute at once, and why one more is refused. */
  private limit(): { n: number; reason: string } | undefined {
    const reserved = this.options.account === 'denied' ? undefined : this.options.account?.reserved;
    if (reserved !== undefined) return { n: reserved, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    return this.options.quota === undefined ? undefined : { n: this.options.quota, reason: 'ConcurrentInvocationLimitExceeded' };
  }

  /** Environments the ramp allows now. */
  private allowance(): number {
    const ramp = this.options.ramp;
    return ramp ? ramp.initial + ramp.step * Math.floor((this.now() - this.startedAt) / ramp.everyMs) : Infinity;
  }

  /** An execution environment for one invocation, or why it is throttled. */
  private async acquire(): Promise<{ env: Environment; cold: boolean } | string> {
    const limit = this.limit();
    if (limit && this.running >= limit.n) return limit.reason;
    let env = this.idle.pop();
    // Only without a limit: every environment is busy, and the next one to come free is taken.
    if (!env && this.environments.size >= (limit?.n ?? this.options.instances ?? 2)) env = await new Promise((r) => this.waiting.push(r));
    let cold = false;
    if (!env) {
      if (this.environments.size >= this.allowance()) return 'ConcurrentInvocationLimitExceeded';
      env = this.spawn();
      cold = true;
    }
    this.running++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
    return { env, cold };
  }

  private release(env: Environment): void {
    this.running--;
    const alive = this.environments.has(env);
    const next = this.waiting.shift();
    if (next) next(alive ? env : undefined);
    else if (alive) this.idle.push(env);
  }

  private spawn(): Environment {
    this.coldStarts++;
    const { env, timeoutMs, memoryMb } = this.options;
    const workerData = { handlerUrl: pathToFileURL(resolve('dist/trainer/index.mjs')).href, timeoutMs, memoryMb };
    // The variables Lambda's runtime sets, so results record a Lambda executor as deployed ones do.
    const runtime = { AWS_LAMBDA_FUNCTION_NAME: 'lambdastar-local', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb ?? 1769), AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' };
    const environment = new Environment(workerData, { ...process.env, ...runtime, ...env }, memoryMb, (e) => {
      this.environments.delete(e);
      this.idle = this.idle.filter((i) => i !== e);
    });
    this.environments.add(environment);
    return environment;
  }

  /** The `stall` fault's hold on this invocation, if it is one of those held. */
  private hold(taskIds: string[]): Promise<void> | undefined {
    const stall = this.faults.stall;
    if (!stall || !taskIds.includes(stall.taskId)) return undefined;
    const held = this.held.get(stall) ?? 0;
    if (held >= (stall.count ?? 1)) return undefined;
    this.held.set(stall, held + 1);
    this.emit('stalled', stall.taskId);
    return stall.release;
  }

  private read(res: ServerResponse, action: string, name: string): void {
    const quota = this.options.quota ?? 1000;
    const account = this.options.account ?? { concurrentExecutions: quota, unreservedConcurrentExecutions: quota };
    const arn = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${name}`;
    if (account === 'denied') {
      const on = name ? ` on resource: ${arn}` : '';
      return send(res, 403, { 'x-amzn-errortype': 'AccessDeniedException' }, { Message: `User: arn:aws:iam::${ACCOUNT_ID}:user/x is not authorized to perform: lambda:${action}${on}` });
    }
    if (action === 'GetAccountSettings') {
      const AccountLimit = { ConcurrentExecutions: account.concurrentExecutions, UnreservedConcurrentExecutions: account.unreservedConcurrentExecutions, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, TotalCodeSize: 80_530_636_800 };
      return send(res, 200, {}, { AccountLimit, AccountUsage: { FunctionCount: 1, TotalCodeSize: 1 } });
    }
    if (action === 'GetFunctionConcurrency') return send(res, 200, {}, account.reserved === undefined ? {} : { ReservedConcurrentExecutions: account.reserved });
    const { timeoutMs, memoryMb = DEFAULT_MEMORY_MB } = this.options;
    // Lambda's timeout is whole seconds; without one the endpoint never times out, as at Lambda's maximum.
    const Timeout = timeoutMs === undefined ? 900 : Math.max(1, Math.ceil(timeoutMs / 1000));
    const runtime = { Runtime: `nodejs${this.nodeMajor}.x`, Handler: 'index.handler', Architectures: ['arm64'], PackageType: 'Zip' };
    send(res, 200, {}, { FunctionName: name, FunctionArn: arn, Timeout, MemorySize: memoryMb, ...runtime, State: 'Active', LastUpdateStatus: 'Successful', Version: '$LATEST' });
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...JSON_TYPE, ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

interface Report {
  ms: number;
  billedMs?: number;
  memoryMb?: number;
  usedMb?: number;
  initMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
  /** A line the runtime logs before END. */
  line?: string;
}

/** The base64 log tail Lambda returns with LogType: Tail. */
function logTail(id: string, r: Report): string {
  const fields = [
    `Duration: ${r.ms.toFixed(2)} ms`,
    `Billed Duration: ${r.billedMs ?? Math.max(1, Math.ceil(r.ms))} ms`,
    `Memory Size: ${r.memoryMb ?? DEFAULT_MEMORY_MB} MB`,
    `Max Memory Used: ${r.usedMb ?? 90} MB`,
    ...(r.initMs === undefined ? [] : [`Init Duration: ${r.initMs.toFixed(2)} ms`]),
    ...(r.status ? [`Status: ${r.status}`] : []),
    ...(r.errorType ? [`Error Type: ${r.errorType}`] : []),
  ];
  const text = `START RequestId: ${id} Version: $LATEST\n${r.line ? `${r.line}\n` : ''}END RequestId: ${id}\nREPORT RequestId: ${id}\t${fields.join('\t')}\t\n`;
  return Buffer.from(text).toString('base64');
}
