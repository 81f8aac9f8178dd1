import { InvokeCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, test } from 'vitest';
import { deriveRng } from '../../functions/trainer/rng.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { classifyFunctionError, classifySendError } from '../../orchestrator/executors/invocation-failure.js';
import { capacityBound, LAMBDA_SCALING, lowerBound, rampLimit } from '../../scripts/simulate/lower-bound.js';
import type { SimulationOptions, SimulationReport } from '../../scripts/simulate/simulation.js';
import { simulate } from '../../scripts/simulate/simulation.js';
import type { LambdaModel } from '../../scripts/simulate/simulated-lambda.js';
import { SimulatedLambda } from '../../scripts/simulate/simulated-lambda.js';
import { SimulationStuckError, VirtualClock } from '../../scripts/simulate/virtual-clock.js';

const scaling = { ...LAMBDA_SCALING, quota: 5000 };

describe('the lower bound, by hand', () => {
  test('below the burst the ramp never binds: cold start + work ÷ concurrency, or the longest task', () => {
    // W = 100 s on 2 slots after a 0.5 s cold start: 50.5 s; the longest task, 40.5 s.
    expect(lowerBound([10, 20, 30, 40], 2, 0.5, scaling)).toEqual({ seconds: 50.5, criticalPathSeconds: 40.5, capacitySeconds: 50.5, rampSeconds: 0 });
    expect(lowerBound([1, 1, 90], 2, 0.5, scaling).seconds).toBe(90.5);
  });

  test('above it, the ramp adds 1000 environments per 10 s', () => {
    // 3000 wanted: 1000 for 10 s (10,000 s of work), 2000 for 10 s (20,000), then 3000 for the 70,000 left.
    expect(capacityBound(100_000, 0, 3000, scaling)).toBeCloseTo(20 + 70_000 / 3000, 9);
    expect(lowerBound([100_000 / 4], 3000, 0, scaling).rampSeconds).toBe(20);
    // The quota caps it: 1000 for 10 s, then 1500.
    expect(capacityBound(100_000, 0, 3000, { ...scaling, quota: 1500 })).toBeCloseTo(10 + 90_000 / 1500, 9);
    expect(rampLimit(25, scaling)).toBe(3000);
  });

  test('no tasks, no bound', () => {
    expect(() => lowerBound([], 10, 0, scaling)).toThrow(RangeError);
  });
});

describe('the virtual clock', () => {
  test('fires timers in time order, ties in the order set, and not once cancelled', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const work = (async () => {
      clock.after(20, () => seen.push(`b@${clock.now()}`));
      clock.after(10, () => seen.push(`a@${clock.now()}`));
      clock.after(20, () => seen.push(`c@${clock.now()}`));
      clock.after(15, () => seen.push('cancelled'))();
      await new Promise<void>((resolve) => clock.after(30, resolve));
    })();
    await clock.run(work);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(30);
  });

  test('says when work waits on something no timer will ever bring', async () => {
    await expect(new VirtualClock().run(new Promise(() => {}))).rejects.toThrow(SimulationStuckError);
  });
});

describe('the simulated Lambda answers as the SDK does, so the executor classifies its faults', () => {
  const model: LambdaModel = {
    scaling: { ...LAMBDA_SCALING, quota: 1 }, coldStartMs: [200, 800], latencyMs: 10, handlerMs: 30, timeoutMs: 900_000, memoryMb: 1769, crashRate: 0, hangRate: 0,
    accountReadable: true,
  };
  const task = withDefaults({ n: 8, seed: 0, initFactor: 1, reg: 'l2', lambdas: [1e-3] });
  const invoke = (tasks: { id: string }[]) =>
    new InvokeCommand({ FunctionName: 'f', Payload: JSON.stringify({ tasks: tasks.map((t) => ({ ...t, task })), inline: true }) });
  /** Sends `commands` to a fresh simulated function with `faults` and `seconds` per task; settles them all on virtual time. */
  async function send(faults: Partial<LambdaModel>, seconds: number, commands: InvokeCommand[], signal?: AbortSignal) {
    const clock = new VirtualClock();
    const lambda = new SimulatedLambda(clock, { ...model, ...faults }, deriveRng([1]), () => seconds);
    return clock.run(Promise.allSettled(commands.map((c) => lambda.send(c, { abortSignal: signal }))));
  }
  const text = (out: { Payload: Uint8Array }) => JSON.parse(Buffer.from(out.Payload).toString('utf8')) as { errorType?: string; errorMessage?: string };
  const billed = (out: { LogResult: string }) => /Billed Duration: (\d+) ms/.exec(Buffer.from(out.LogResult, 'base64').toString('utf8'))?.[1];

  test('an answer carries noop results and the billed duration in its log tail', async () => {
    const [r] = await send({}, 1.5, [invoke([{ id: 'a' }, { id: 'b' }])]);
    const out = (r as PromiseFulfilledResult<{ Payload: Uint8Array; LogResult: string }>).value;
    expect(text(out)).toMatchObject({ ok: true, results: [{ id: 'a', result: { taskId: 'a' } }, { id: 'b' }], failures: [] });
    // 2 × 1.5 s + 30 ms of handler + a cold start of 200–800 ms.
    expect(Number(billed(out))).toBeGreaterThanOrEqual(3230);
    expect(Number(billed(out))).toBeLessThanOrEqual(3830);
  });

  test('past the quota: a 429 the classifier reads as throttled', async () => {
    const [, second] = await send({}, 1, [invoke([{ id: 'a' }]), invoke([{ id: 'b' }])]);
    const err = (second as PromiseRejectedResult).reason as { name: string; Reason: string; $metadata: { httpStatusCode: number } };
    expect(err).toMatchObject({ name: 'TooManyRequestsException', Reason: 'ConcurrentInvocationLimitExceeded', $metadata: { httpStatusCode: 429 } });
    expect(classifySendError(err)).toBe('throttled');
  });

  test.each([
    ['a crash', { crashRate: 1 }, 1, 'Runtime.ExitError', 'crash'],
    ['the function timeout', {}, 1000, 'Sandbox.Timedout', 'timeout'],
  ] as const)('%s: a function error the classifier reads by its type', async (_, faults, seconds, errorType, kind) => {
    const [r] = await send(faults, seconds, [invoke([{ id: 'a' }])]);
    const out = (r as PromiseFulfilledResult<{ FunctionError: string; Payload: Uint8Array; LogResult: string }>).value;
    expect(out.FunctionError).toBe('Unhandled');
    const body = text(out);
    expect(body.errorType).toBe(errorType);
    expect(classifyFunctionError(body.errorType, body.errorMessage)).toBe(kind);
    expect(billed(out)).toBeDefined();
  });

  test('a hang answers only the abort, with an AbortError', async () => {
    const clock = new VirtualClock();
    const lambda = new SimulatedLambda(clock, { ...model, hangRate: 1 }, deriveRng([1]), () => 1);
    const controller = new AbortController();
    clock.after(60_000, () => controller.abort());
    const sent = lambda.send(invoke([{ id: 'a' }]), { abortSignal: controller.signal });
    await expect(clock.run(sent)).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.now()).toBe(60_000);
    expect(lambda.tally).toMatchObject({ hangs: 1, aborted: 1 });
  });

  test('over 6 MB: a request refused with 413, read as a payload failure', async () => {
    const [r] = await send({}, 1, [new InvokeCommand({ FunctionName: 'f', Payload: 'x'.repeat(6_291_457) })]);
    const err = (r as PromiseRejectedResult).reason as { name: string };
    expect(err.name).toBe('RequestTooLargeException');
    expect(classifySendError(err)).toBe('payload');
  });

  test('over 6 MB: an answer that fails the invocation after it ran, read as a payload failure', async () => {
    // 3000 results of 22 λ each: about 7 MB.
    const many = Array.from({ length: 3000 }, (_, i) => ({ id: `t${i}` }));
    const wide = withDefaults({ ...task, lambdas: Array.from({ length: 22 }, (_, i) => 10 ** (i / 4 - 5)) });
    const command = new InvokeCommand({ FunctionName: 'f', Payload: JSON.stringify({ tasks: many.map((t) => ({ ...t, task: wide })), inline: true }) });
    const [r] = await send({}, 0.001, [command]);
    const body = text((r as PromiseFulfilledResult<{ Payload: Uint8Array }>).value);
    expect(body.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(classifyFunctionError(body.errorType, body.errorMessage)).toBe('payload');
  });
});

describe('npm run simulate, small: 3000 tasks, concurrency 100 on a quota of 50 it cannot read, 5 % crashes, 1 % hangs', () => {
  const options: SimulationOptions = { tasks: 3000, concurrency: 100, quota: 50, crashRate: 0.05, hangRate: 0.01, seed: 7, accountReadable: false };
  let report: SimulationReport;
  beforeAll(async () => {
    report = await simulate(options);
  });

  test('every task has exactly one result', () => {
    expect(report.tasks).toBe(3000);
    expect(report).toMatchObject({ lost: 0, duplicated: 0, failedForGood: 0 });
  });

  test('the quota throttles, and no 429 costs a task an attempt', () => {
    expect(report.runConcurrency).toBe(100);
    expect(report.facts.join('\n')).toMatch(/cannot read GetAccountSettings/);
    expect(report.lambda.throttles).toBeGreaterThan(0);
    expect(report.usage.throttles).toBeGreaterThan(0);
    expect(report.lambda.peakBusy).toBeLessThanOrEqual(50);
  });

  test('crashes and hangs happened and were got past: hedged, split or retried', () => {
    expect(report.lambda.crashes).toBeGreaterThan(0);
    expect(report.lambda.hangs).toBeGreaterThan(0);
    expect(report.usage.hedges).toBeGreaterThan(0);
    expect(report.usage.failures.crash).toBeGreaterThan(0);
  });

  test('no faster than the lower bound; billed no less than the fault-free estimate', () => {
    expect(report.wallSeconds).toBeGreaterThanOrEqual(report.lowerBoundSeconds);
    expect(report.billed.dollars).toBeGreaterThan(report.estimate.dollars);
  });

  test('a quota the run can read caps its concurrency before it starts', async () => {
    const readable = await simulate({ ...options, accountReadable: true });
    expect(readable.runConcurrency).toBe(50);
    expect(readable).toMatchObject({ lost: 0, duplicated: 0 });
    expect(readable.lambda.throttles).toBeLessThan(report.lambda.throttles);
  });

  test('the same seed gives the same report, another seed another', async () => {
    expect(JSON.stringify(await simulate(options))).toBe(JSON.stringify(report));
    expect((await simulate({ ...options, seed: 8 })).wallSeconds).not.toBe(report.wallSeconds);
  });
});
