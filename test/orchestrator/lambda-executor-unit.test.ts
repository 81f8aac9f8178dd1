/** The Lambda executor against a scripted client on a manual clock: throttles, budget, hedges, classes. */
import { InvokeCommand, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { describe, expect, test } from 'vitest';
import { taskId } from '../../functions/trainer/ids.js';
import { Budget } from '../../orchestrator/cost/budget.js';
import { invocationDollars } from '../../orchestrator/cost/cost-model.js';
import { LambdaExecutor } from '../../orchestrator/executors/lambda-executor.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';
import { tinyTask } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { noopResult } from '../helpers/noop-result.js';

type Answer = { ok: true; ms: number } | { throttle: true } | { reset: true } | { functionError: string; ms: number } | { outsideStore: true } | { hang: true };

const enc = new TextEncoder();
const tail = (ms: number) => Buffer.from(`REPORT RequestId: r\tDuration: ${ms} ms\tBilled Duration: ${ms} ms\n`).toString('base64');

/** A client answering each invocation as `script(call)` says, after the answer's `ms` on the manual clock. */
function scriptedClient(clock: ManualClock, script: (call: number) => Answer) {
  const events: { tasks: { id: string; task: PlannedTask['task'] }[] }[] = [];
  let calls = 0;
  const client = {
    events,
    destroy() {},
    async send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
      if (!(command instanceof InvokeCommand)) throw new Error('unexpected command');
      const event = JSON.parse(String(command.input.Payload)) as (typeof events)[number];
      events.push(event);
      const a = script(++calls);
      if ('throttle' in a) throw new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: { httpStatusCode: 429 }, Reason: 'ConcurrentInvocationLimitExceeded' });
      if ('reset' in a) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if ('outsideStore' in a) return { StatusCode: 200, Payload: enc.encode(JSON.stringify({ ok: false, code: 'OutsideStore', message: 'event.prefix: "x" is outside this function\'s store; use --store s3://b/p' })) };
      return new Promise((resolve, reject) => {
        options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        if ('hang' in a) return;
        clock.after(a.ms, () => {
          if ('functionError' in a) {
            resolve({ StatusCode: 200, FunctionError: 'Unhandled', LogResult: tail(a.ms), Payload: enc.encode(JSON.stringify({ errorType: a.functionError, errorMessage: a.functionError === 'Sandbox.Timedout' ? 'Task timed out after 900.00 seconds' : 'Runtime exited with error: exit status 1' })) });
          } else {
            const results = event.tasks.map(({ id, task }) => ({ id, result: noopResult(id, task) }));
            resolve({ StatusCode: 200, LogResult: tail(a.ms), Payload: enc.encode(JSON.stringify({ ok: true, results, failures: [] })) });
          }
        });
      });
    },
  };
  return client;
}

const batch = (count: number): PlannedTask[] => Array.from({ length: count }, (_, seed) => {
  const task = tinyTask(seed);
  return { id: taskId(task), task };
});

const fn = { memoryMb: 1024, architecture: 'arm64' as const, timeoutMs: 900_000 };

function executor(clock: ManualClock, script: (call: number) => Answer, extra: Partial<ConstructorParameters<typeof LambdaExecutor>[0]> = {}) {
  const client = scriptedClient(clock, script);
  const ex = new LambdaExecutor({ client: client as never, functionName: 'f', concurrency: 4, predictSeconds: () => 1, hedgeAfterMs: Infinity, clock, random: () => 0.5, fn, ...extra });
  return { ex, client };
}

describe('the Lambda executor, by class', () => {
  test('a throttled invocation is re-sent after a back-off; it is not an invocation, a failure or an attempt', async () => {
    const clock = new ManualClock();
    const { ex } = executor(clock, (call) => (call <= 3 ? { throttle: true } : { ok: true, ms: 1000 }));
    const outcome = ex.runBatch(batch(2));
    await clock.advance(60_000);
    expect((await outcome).every((o) => o.ok)).toBe(true);
    const u = ex.usage();
    expect([u.invocations, u.throttles, u.billedMs]).toEqual([1, 3, 1000]);
    expect(Object.values(u.failures).every((n) => n === 0)).toBe(true);
    // Throttled with one invocation in flight: the cap falls to what was running.
    expect(ex.pace()).toEqual({ inFlight: 0, cap: 1, throttles: 3 });
  });

  test('the function timing out is a timeout: the tasks come back with that kind, to be split', async () => {
    const clock = new ManualClock();
    const { ex } = executor(clock, () => ({ functionError: 'Sandbox.Timedout', ms: 900_000 }));
    const outcome = ex.runBatch(batch(2));
    await clock.advance(900_000);
    expect((await outcome).map((o) => !o.ok && o.kind)).toEqual(['timeout', 'timeout']);
    expect(ex.usage().failures.timeout).toBe(1);
  });

  test('an event outside the function\'s store stops the run with the flag to fix, at the preflight', async () => {
    const clock = new ManualClock();
    const { ex, client } = executor(clock, () => ({ outsideStore: true }));
    await expect(ex.preflight()).rejects.toThrow(/^--store: the function refuses this store: event\.prefix: "x" is outside/);
    expect(client.events).toEqual([{ tasks: [], inline: true }]);
  });

  test('a budget without the function\'s memory and architecture is refused (it could price nothing)', () => {
    expect(() => new LambdaExecutor({ client: scriptedClient(new ManualClock(), () => ({ ok: true, ms: 1 })) as never, functionName: 'f', predictSeconds: () => 1, budget: new Budget(1, () => {}) }))
      .toThrow(/a budget needs `fn`/);
  });

  test('no invocation starts once billed plus in-flight cost would pass the budget; the run is told once', async () => {
    const clock = new ManualClock();
    const perCall = invocationDollars(1000, fn.memoryMb, fn.architecture);
    let reached = 0;
    // Room for two invocations of a one-second batch, not three.
    const budget = new Budget(perCall * 2.5, () => reached++);
    const { ex, client } = executor(clock, () => ({ ok: true, ms: 1000 }), { budget });
    const outcomes = [ex.runBatch(batch(1)), ex.runBatch(batch(1)), ex.runBatch(batch(1))];
    await clock.advance(5000);
    const kinds = (await Promise.all(outcomes)).map(([o]) => (o.ok ? 'ok' : o.kind));
    expect(kinds).toEqual(['ok', 'ok', 'stopped']);
    expect([client.events.length, reached]).toEqual([2, 1]);
    expect(budget.spent).toBeCloseTo(perCall * 2, 12);
  });

  test('a straggler is hedged; the copy that lost is billed by estimate: as long as it ran, at least as long as the winner took', async () => {
    const clock = new ManualClock();
    const { ex } = executor(clock, (call) => (call === 1 ? { hang: true } : { ok: true, ms: 1000 }), { hedgeAfterMs: 5000, hedgeFactor: 0 });
    const outcome = ex.runBatch(batch(2));
    await clock.advance(10_000);
    expect((await outcome).every((o) => o.ok)).toBe(true);
    const u = ex.usage();
    expect([u.invocations, u.hedges, u.billedMs, u.unbilled]).toEqual([2, 1, 1000, 1]);
    // The lost copy had run 6 s when the hedge answered after 1 s.
    expect(u.estimatedMs).toBe(6000);
  });

  test('a hedge that hangs too is hedged again, up to three copies', async () => {
    const clock = new ManualClock();
    const { ex, client } = executor(clock, (call) => (call <= 2 ? { hang: true } : { ok: true, ms: 1000 }), { hedgeAfterMs: 5000, hedgeFactor: 0 });
    const outcome = ex.runBatch(batch(1));
    await clock.advance(12_000);
    expect((await outcome)[0].ok).toBe(true);
    expect([client.events.length, ex.usage().hedges]).toEqual([3, 2]);
  });

  test('when every copy hangs, the batch is abandoned at the invocation timeout and goes back to be split; every copy is billed up to the function\'s timeout', async () => {
    const clock = new ManualClock();
    const { ex, client } = executor(clock, () => ({ hang: true }), { hedgeAfterMs: 5000, hedgeFactor: 0, invocationTimeoutMs: 60_000 });
    const outcome = ex.runBatch(batch(2));
    await clock.advance(61_000);
    expect((await outcome).map((o) => !o.ok && o.kind)).toEqual(['network', 'network']);
    const u = ex.usage();
    expect([client.events.length, u.hedges, u.unbilled]).toEqual([3, 2, 3]);
    // No copy answered: each may hang as the first did, and Lambda bills each up to the function's timeout.
    expect(u.estimatedMs).toBe(3 * fn.timeoutMs);
  });

  test('a hedge re-sent after a network error is counted once', async () => {
    const clock = new ManualClock();
    // The original hangs; the hedge's first send meets a reset connection, its second answers.
    const { ex, client } = executor(clock, (call) => (call === 1 ? { hang: true } : call === 2 ? { reset: true } : { ok: true, ms: 1000 }), { hedgeAfterMs: 5000, hedgeFactor: 0 });
    const outcome = ex.runBatch(batch(1));
    await clock.advance(9000);
    expect((await outcome)[0].ok).toBe(true);
    expect([client.events.length, ex.usage().hedges]).toEqual([3, 1]);
  });

  test('a copy that fails decides at once: the batch goes back to be split, not held until a hung copy is abandoned', async () => {
    const clock = new ManualClock();
    const { ex } = executor(clock, (call) => (call === 1 ? { hang: true } : { functionError: 'Runtime.ExitError', ms: 500 }), { hedgeAfterMs: 5000, hedgeFactor: 0 });
    let settled = false;
    const outcome = ex.runBatch(batch(2)).then((o) => ((settled = true), o));
    await clock.advance(5600);
    expect(settled).toBe(true);
    expect((await outcome).map((o) => !o.ok && o.kind)).toEqual(['crash', 'crash']);
  });

  test('the hedge clock starts when a copy is sent, not while it waits for a slot', async () => {
    const clock = new ManualClock();
    // One slot: the second batch waits 20 s behind the first, then answers in 1 s; nothing is hedged.
    const { ex, client } = executor(clock, (call) => ({ ok: true, ms: call === 1 ? 20_000 : 1000 }), { concurrency: 1, hedgeAfterMs: 5000, hedgeFactor: 0 });
    const first = ex.runBatch(batch(1));
    const second = ex.runBatch(batch(2));
    await clock.advance(30_000);
    await Promise.all([first, second]);
    expect([client.events.length, ex.usage().hedges]).toEqual([2, 0]);
  });
});
