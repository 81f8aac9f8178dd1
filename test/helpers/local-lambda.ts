/**
 * A local Lambda Invoke endpoint: `POST /2015-03-31/functions/{name}/invocations`, answered by the
 * real bundled handler (dist/trainer/index.mjs) in worker threads, so `@aws-sdk/client-lambda`
 * talks to it exactly as to AWS. Faults are injected on a fixed schedule: 429 throttling, function
 * errors, delays and dropped connections.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Task } from '../../functions/trainer/task.js';
import { noopResult } from './noop-result.js';

export interface Faults {
  /** Answer call number `n` (1-based) with 429 TooManyRequestsException. */
  throttle?: (call: number) => boolean;
  /** Destroy the connection of call number `n` without answering. */
  drop?: (call: number) => boolean;
  /** Fail (X-Amz-Function-Error: Unhandled) every invocation whose batch holds this task id. */
  crashOnTask?: string;
  /** Hold the first invocation holding this task id until `release` resolves. */
  stall?: { taskId: string; release: Promise<void> };
  /** Answer without running the handler (for the invoke benchmark). */
  noop?: boolean;
}

interface Event {
  tasks?: { id: string; task: Task }[];
}

export class LocalLambda {
  calls = 0;
  throttled = 0;
  dropped = 0;
  crashed = 0;
  /** How many invocations each task id was part of. */
  readonly taskInvocations = new Map<string, number>();
  faults: Faults = {};
  private server?: Server;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: ((w: Worker) => void)[] = [];
  private seq = 0;
  private stalled = new Set<string>();

  constructor(
    private readonly instances = 2,
    /** The function's configuration: its environment, and a timeout that sets the context's time left. */
    private readonly config: { env?: Record<string, string>; timeoutMs?: number } = {},
  ) {}

  async start(): Promise<string> {
    const handlerUrl = pathToFileURL(resolve('dist/trainer/index.mjs')).href;
    const workerUrl = pathToFileURL(resolve('test/helpers/local-lambda-worker.mjs'));
    await Promise.all(
      Array.from({ length: this.instances }, async () => {
        const w = new Worker(workerUrl, { workerData: { handlerUrl, timeoutMs: this.config.timeoutMs }, env: { ...process.env, ...this.config.env } });
        await new Promise<void>((r) => w.once('message', () => r()));
        this.workers.push(w);
        this.idle.push(w);
      }),
    );
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !/^\/2015-03-31\/functions\/[^/]+\/invocations/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${req.url}` }));
      return;
    }
    const call = ++this.calls;
    if (this.faults.throttle?.(call)) {
      this.throttled++;
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException', 'x-amzn-requestid': `r${call}` });
      res.end(JSON.stringify({ Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }));
      return;
    }
    if (this.faults.drop?.(call)) {
      this.dropped++;
      req.socket.destroy();
      return;
    }
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Event;
    const ids = (event.tasks ?? []).map((t) => t.id);
    for (const id of ids) this.taskInvocations.set(id, (this.taskInvocations.get(id) ?? 0) + 1);
    const headers = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': `r${call}` };
    if (this.faults.noop) {
      res.writeHead(200, { ...headers, 'x-amz-log-result': logTail(call, 1) });
      res.end(JSON.stringify({ ok: true, results: (event.tasks ?? []).map(({ id, task }) => ({ id, result: noopResult(id, task) })), failures: [] }));
      return;
    }
    if (this.faults.crashOnTask && ids.includes(this.faults.crashOnTask)) {
      this.crashed++;
      res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled', 'x-amz-log-result': logTail(call, 5) });
      res.end(JSON.stringify({ errorType: 'Error', errorMessage: 'the trainer crashed', trace: [] }));
      return;
    }
    const stall = this.faults.stall;
    if (stall && ids.includes(stall.taskId) && !this.stalled.has(stall.taskId)) {
      this.stalled.add(stall.taskId);
      await stall.release;
    }
    const reply = await this.run(event);
    if (res.destroyed) return;
    if (reply.ok) {
      res.writeHead(200, { ...headers, 'x-amz-log-result': logTail(call, reply.ms) });
      res.end(JSON.stringify(reply.response));
    } else {
      res.writeHead(200, { ...headers, 'x-amz-function-error': 'Unhandled', 'x-amz-log-result': logTail(call, reply.ms) });
      res.end(JSON.stringify({ errorType: reply.errorType, errorMessage: reply.errorMessage }));
    }
  }

  private async run(event: Event): Promise<{ ok: boolean; response?: unknown; errorType?: string; errorMessage?: string; ms: number }> {
    const worker = this.idle.pop() ?? (await new Promise<Worker>((r) => this.queue.push(r)));
    const seq = ++this.seq;
    try {
      return await new Promise((r) => {
        const onMessage = (m: { seq: number }) => {
          if (m.seq !== seq) return;
          worker.off('message', onMessage);
          r(m as never);
        };
        worker.on('message', onMessage);
        worker.postMessage({ seq, event });
      });
    } finally {
      const next = this.queue.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }
}

/** The base64 log tail Lambda returns with LogType: Tail. */
function logTail(call: number, ms: number): string {
  const text = `START RequestId: r${call}\nEND RequestId: r${call}\nREPORT RequestId: r${call}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(ms))} ms\tMemory Size: 1769 MB\tMax Memory Used: 90 MB\n`;
  return Buffer.from(text).toString('base64');
}
