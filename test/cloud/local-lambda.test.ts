/**
 * The local Lambda endpoint behaves as AWS Lambda where the orchestrator can tell: concurrency quota
 * and scaling ramp (429), cold and warm execution environments, timeouts and out-of-memory kills,
 * payload limits, and the account and function reads, all through the real SDK client and handler.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { describe, expect, test } from 'vitest';
import type { TrainerEvent, TrainerResponse } from '../../functions/handler.js';
import { taskBytes } from '../../functions/limits.js';
import { taskId } from '../../functions/trainer/ids.js';
import type { Task } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { tinyTask } from '../helpers/fixtures.js';
import type { LocalLambdaOptions } from '../helpers/local-lambda.js';
import { LocalLambda } from '../helpers/local-lambda.js';

const FUNCTION = 'lambdastar-trainer';

/** Runs `body` against a fresh endpoint and a real SDK client that does not retry. */
async function withLambda(options: LocalLambdaOptions, body: (lambda: LocalLambda, client: LambdaClient) => Promise<void>): Promise<void> {
  const lambda = new LocalLambda(options);
  const client = new LambdaClient({ endpoint: await lambda.start(), region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  try {
    await body(lambda, client);
  } finally {
    client.destroy();
    await lambda.stop();
  }
}

function event(...tasks: Task[]): TrainerEvent {
  return { tasks: tasks.map((task) => ({ id: taskId(task), task })), inline: true };
}

function invoke(client: LambdaClient, e: TrainerEvent): Promise<InvokeCommandOutput> {
  return client.send(new InvokeCommand({ FunctionName: FUNCTION, Payload: JSON.stringify(e), LogType: 'Tail' }));
}

function payload(out: InvokeCommandOutput): TrainerResponse & { errorType?: string; errorMessage?: string } {
  return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as never;
}

function logOf(out: InvokeCommandOutput): string {
  return Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
}

/** Resolves once `n` invocations are held by the `stall` fault (each in its execution environment). */
function stalls(lambda: LocalLambda, n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    lambda.on('stalled', () => ++seen === n && resolve());
  });
}

/** A `stall` fault for `count` invocations of the task, and its release. */
function stallOn(task: Task, count = 1): { stall: { taskId: string; release: Promise<void>; count: number }; release: () => void } {
  let release = () => {};
  const promise = new Promise<void>((r) => (release = r));
  return { stall: { taskId: taskId(task), release: promise, count }, release };
}

const a = tinyTask(1);
const b = tinyTask(2);

describe('the local Lambda endpoint', () => {
  test('a result produced by the bundled handler records the Lambda function, memory, region, bundle and kernel that ran it', async () => {
    await withLambda({ memoryMb: 512 }, async (_lambda, client) => {
      const reply = payload(await invoke(client, event(a)));
      if (!reply.ok) throw new Error(reply.message);
      expect(reply.results[0].result.provenance).toMatchObject({
        executor: { kind: 'lambda', functionName: 'lambdastar-local', functionVersion: '$LATEST', memoryMb: 512, region: 'us-east-1' },
        bundle: { file: 'index.mjs', sha256: createHash('sha256').update(readFileSync('dist/trainer/index.mjs')).digest('hex') },
        kernel: 'wasm-simd',
        node: process.version,
      });
    });
  });

  test('beyond the concurrency quota an invocation is refused at once with 429 TooManyRequestsException', async () => {
    await withLambda({ quota: 2 }, async (lambda, client) => {
      const { stall, release } = stallOn(a, 2);
      lambda.faults = { stall };
      const held = stalls(lambda, 2);
      const running = [invoke(client, event(a)), invoke(client, event(a))];
      await held;
      const refused = await invoke(client, event(b)).catch((err: unknown) => err);
      expect(refused).toMatchObject({ name: 'TooManyRequestsException', Reason: 'ConcurrentInvocationLimitExceeded', $metadata: { httpStatusCode: 429 } });
      release();
      for (const out of await Promise.all(running)) expect(payload(out).ok).toBe(true);
      expect(await invoke(client, event(b)).then((out) => payload(out).ok)).toBe(true);
      expect([lambda.throttled, lambda.maxConcurrent, lambda.coldStarts]).toEqual([1, 2, 2]);
    });
  });

  test('reserved concurrency caps the function below the account quota', async () => {
    await withLambda({ quota: 10, account: { concurrentExecutions: 10, unreservedConcurrentExecutions: 9, reserved: 1 } }, async (lambda, client) => {
      const { stall, release } = stallOn(a);
      lambda.faults = { stall };
      const held = stalls(lambda, 1);
      const running = invoke(client, event(a));
      await held;
      await expect(invoke(client, event(b))).rejects.toMatchObject({ name: 'TooManyRequestsException', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
      release();
      expect(payload(await running).ok).toBe(true);
    });
  });

  test('environments grow no faster than the scaling ramp (on an injected clock)', async () => {
    let clock = 0;
    await withLambda({ ramp: { initial: 1, step: 1, everyMs: 10_000 }, now: () => clock, instances: 10 }, async (lambda, client) => {
      const { stall, release } = stallOn(a);
      lambda.faults = { stall };
      const held = stalls(lambda, 1);
      const running = invoke(client, event(a));
      await held;
      // The one environment allowed is busy, and a second may not be created yet.
      await expect(invoke(client, event(b))).rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      clock = 9_999;
      await expect(invoke(client, event(b))).rejects.toMatchObject({ name: 'TooManyRequestsException' });
      clock = 10_000;
      expect(payload(await invoke(client, event(b))).ok).toBe(true);
      release();
      expect(payload(await running).ok).toBe(true);
      expect([lambda.throttled, lambda.coldStarts, lambda.maxConcurrent]).toEqual([2, 2, 2]);
    });
  });

  test('an environment starts cold once, then is reused warm; a second is started only while the first is busy', async () => {
    await withLambda({}, async (lambda, client) => {
      const first = await invoke(client, event(a));
      expect(logOf(first)).toMatch(/REPORT RequestId: r1\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\t.*Init Duration: [\d.]+ ms/);
      for (let i = 0; i < 3; i++) {
        const out = await invoke(client, event(b));
        expect(payload(out).ok).toBe(true);
        expect(logOf(out)).not.toContain('Init Duration');
      }
      expect(lambda.coldStarts).toBe(1);
      const { stall, release } = stallOn(a);
      lambda.faults = { stall };
      const held = stalls(lambda, 1);
      const running = invoke(client, event(a));
      await held;
      expect(payload(await invoke(client, event(b))).ok).toBe(true);
      release();
      await running;
      expect([lambda.coldStarts, lambda.maxConcurrent]).toEqual([2, 2]);
    });
  });

  test('a task running past the timeout is killed: Sandbox.Timedout, billed the timeout; the next invocation starts a cold environment', async () => {
    // The handler starts no task it cannot finish at 4× this trainer's speed with 2 s to spare: this one
    // fits 4 s by that estimate (about 1.4 s), and takes several seconds.
    const long = withDefaults({ n: 1000, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 16_000, valSize: 10 });
    await withLambda({ timeoutMs: 4000 }, async (lambda, client) => {
      const out = await invoke(client, event(long));
      expect(out.FunctionError).toBe('Unhandled');
      expect(payload(out)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r1 Error: Task timed out after 4.00 seconds' });
      expect(logOf(out)).toMatch(/REPORT RequestId: r1\tDuration: 4000\.00 ms\tBilled Duration: 4000 ms\t.*Status: timeout/);
      const next = await invoke(client, event(a));
      expect(payload(next).ok).toBe(true);
      expect(logOf(next)).toContain('Init Duration');
      expect([lambda.timedOut, lambda.coldStarts]).toEqual([1, 2]);
    });
  });

  test('a stalled invocation times out as well, however short the timeout', async () => {
    await withLambda({ timeoutMs: 300 }, async (lambda, client) => {
      lambda.faults = { stall: stallOn(a).stall };
      const out = await invoke(client, event(a));
      expect(payload(out)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r1 Error: Task timed out after 0.30 seconds' });
      // Under 2 s the handler starts no task at all (it keeps 2 s for the result's write).
      const next = payload(await invoke(client, event(b)));
      expect(next.ok && next.failures.map((f) => f.code)).toEqual(['WouldTimeOut']);
      expect([lambda.timedOut, lambda.coldStarts]).toEqual([1, 2]);
    });
  });

  test('a task over the function memory is killed: Runtime.OutOfMemory; small tasks run within it', async () => {
    const big = withDefaults({ n: 2_000_000, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 1, valSize: 10 });
    expect(taskBytes({ ...big, lambdaCount: 1 })).toBeGreaterThan(4 * 64 * 1024 ** 2);
    await withLambda({ memoryMb: 64 }, async (lambda, client) => {
      expect(payload(await invoke(client, event(a))).ok).toBe(true);
      const out = await invoke(client, event(big));
      expect(out.FunctionError).toBe('Unhandled');
      expect(payload(out)).toEqual({ errorType: 'Runtime.OutOfMemory', errorMessage: 'RequestId: r2 Error: Runtime exited with error: signal: killed' });
      expect(logOf(out)).toMatch(/REPORT RequestId: r2\t.*Memory Size: 64 MB\t.*Status: error\tError Type: Runtime.OutOfMemory/);
      expect(payload(await invoke(client, event(b))).ok).toBe(true);
      expect([lambda.outOfMemory, lambda.coldStarts]).toEqual([1, 2]);
    });
  });

  test('payload limits: 413 RequestTooLargeException for a large request, Function.ResponseSizeTooLarge for a large response', async () => {
    await withLambda({ payloadLimitBytes: 20_000 }, async (lambda, client) => {
      const tasks = (count: number) => Array.from({ length: count }, (_, seed) => tinyTask(seed));
      const large = event(...tasks(100));
      expect(JSON.stringify(large).length).toBeGreaterThan(20_000);
      await expect(invoke(client, large)).rejects.toMatchObject({
        name: 'RequestTooLargeException',
        message: 'Request must be smaller than 20000 bytes for the InvokeFunction operation',
        $metadata: { httpStatusCode: 413 },
      });
      const small = event(...tasks(40));
      expect(JSON.stringify(small).length).toBeLessThan(20_000);
      const out = await invoke(client, small);
      expect(out.FunctionError).toBe('Unhandled');
      expect(payload(out)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (20100 bytes).' });
      expect(lambda.tooLarge).toBe(2);
    });
  });

  test('the account and function reads report the configuration', async () => {
    const account = { concurrentExecutions: 50, unreservedConcurrentExecutions: 40, reserved: 10 };
    await withLambda({ quota: 50, memoryMb: 512, timeoutMs: 60_000, account }, async (_lambda, client) => {
      const settings = await client.send(new GetAccountSettingsCommand({}));
      expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 50, UnreservedConcurrentExecutions: 40 });
      expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: FUNCTION }))).ReservedConcurrentExecutions).toBe(10);
      const config = await client.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }));
      expect(config).toMatchObject({ FunctionName: FUNCTION, Timeout: 60, MemorySize: 512, Architectures: ['arm64'], Runtime: 'nodejs24.x', Handler: 'index.handler' });
    });
    await withLambda({ quota: 7 }, async (_lambda, client) => {
      expect((await client.send(new GetAccountSettingsCommand({}))).AccountLimit).toMatchObject({ ConcurrentExecutions: 7, UnreservedConcurrentExecutions: 7 });
      expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: FUNCTION }))).ReservedConcurrentExecutions).toBeUndefined();
      expect(await client.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION }))).toMatchObject({ Timeout: 900, MemorySize: 1769 });
    });
  });

  test.each([
    ['GetAccountSettings', () => new GetAccountSettingsCommand({})],
    ['GetFunctionConcurrency', () => new GetFunctionConcurrencyCommand({ FunctionName: FUNCTION })],
    ['GetFunctionConfiguration', () => new GetFunctionConfigurationCommand({ FunctionName: FUNCTION })],
  ])('%s without the permission: 403 AccessDeniedException', async (action, command) => {
    await withLambda({ account: 'denied' }, async (_lambda, client) => {
      await expect(client.send(command() as GetAccountSettingsCommand)).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(`is not authorized to perform: lambda:${action}`),
        $metadata: { httpStatusCode: 403 },
      });
    });
  });
});
