import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runTask } from '../../functions/trainer/run-task.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { makeLambdaClient, makeS3Client } from '../../orchestrator/aws/clients.js';
import { LambdaExecutor } from '../../orchestrator/executors/lambda-executor.js';
import type { LambdaExecutorOptions } from '../../orchestrator/executors/lambda-executor.js';
import { planCells, taskFor } from '../../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { S3Backend } from '../../orchestrator/store/s3-backend.js';
import { runSweep } from '../../orchestrator/sweep/run-sweep.js';
import { LocalLambda } from '../helpers/local-lambda.js';
import { freshPrefix, s3Endpoint, TEST_BUCKET } from '../helpers/s3.js';

const lambda = new LocalLambda(2);
const spec = canonicalize(specSchema.parse({ n: [20, 40], lambdas: [1e-3, 1e-2, 1e-1], seeds: 3, epochs: 20, valSize: 200 }));
const planned = [...planCells(spec)].map((c) => ({ ...taskFor(c.cell, spec.lambdas ?? []), cellId: c.id }));

beforeAll(async () => {
  // The handler's S3 client (in the endpoint's worker threads) and ours find the servers here.
  process.env.AWS_ENDPOINT_URL_S3 = s3Endpoint();
  process.env.AWS_ENDPOINT_URL_LAMBDA = await lambda.start();
});
afterAll(() => lambda.stop());

async function sweep(opts: Partial<LambdaExecutorOptions>, maxAttempts = 3) {
  const prefix = freshPrefix('lambda');
  const store = new ObjectResultStore(new S3Backend(makeS3Client(), TEST_BUCKET), prefix, `s3://${TEST_BUCKET}/${prefix}`, { bucket: TEST_BUCKET });
  const before = new Map(lambda.taskInvocations);
  const executor = new LambdaExecutor({
    // As the CLI builds it: the executor, not the SDK, re-sends throttled and failed invocations.
    client: makeLambdaClient({ maxSockets: 16, maxAttempts: 1 }),
    functionName: 'lambdastar-trainer',
    concurrency: 4,
    target: store.remoteTarget(),
    // Two tasks per invocation (the packing floor of 2 s), unless a test packs more; no hedging unless a test asks for it
    // (however long an invocation takes on a loaded machine).
    predictSeconds: () => 1,
    targetSeconds: 1,
    hedgeAfterMs: Infinity,
    ...opts,
  });
  const summary = await runSweep({ spec, store, executor, maxAttempts });
  await executor.close();
  const invocations = (id: string) => (lambda.taskInvocations.get(id) ?? 0) - (before.get(id) ?? 0);
  // What the function stored, read back through the store (each object checked against its key).
  const stored = new Map<string, TaskResult>();
  for await (const e of store.readCells(planned.map((p) => p.cellId))) if (e.result) stored.set(e.result.taskId, e.result);
  return { summary, store, executor, invocations, stored };
}

describe('Lambda executor against a local Invoke endpoint running the real handler', () => {
  test('every result lands in S3 once, under its cell, bit-identical to an in-process run', async () => {
    const { summary, invocations, stored } = await sweep({});
    expect(summary.tasksRun).toBe(planned.length);
    expect(summary.failed).toEqual([]);
    expect(new Set(stored.keys())).toEqual(new Set(planned.map((p) => p.id)));
    for (const p of planned.slice(0, 3)) {
      expect(stored.get(p.id)?.digest).toBe(runTask(p.task, p.id).digest);
      expect(invocations(p.id)).toBe(1);
    }
  });

  test('a throttling storm (every second call 429 for a while) finishes with no lost or duplicated result', async () => {
    const first = lambda.calls;
    lambda.faults = { throttle: (call) => call - first <= 40 && call % 2 === 0 };
    const before = lambda.throttled;
    const { summary, invocations, stored } = await sweep({});
    lambda.faults = {};
    // Six invocations get through, so about as many were turned away on the way.
    expect(lambda.throttled - before).toBeGreaterThanOrEqual(3);
    expect(summary.failed).toEqual([]);
    expect(summary.tasksRun).toBe(planned.length);
    expect(stored.size).toBe(planned.length);
    for (const p of planned) expect(invocations(p.id)).toBe(1);
  });

  test('dropped connections are re-sent by the executor, not re-run task by task', async () => {
    const first = lambda.calls;
    const dropped = lambda.dropped;
    lambda.faults = { drop: (call) => call === first + 2 || call === first + 3 };
    const { summary, invocations } = await sweep({});
    lambda.faults = {};
    expect(lambda.dropped - dropped).toBe(2);
    // The preflight and three invocations of two tasks; the two dropped are sent again.
    expect(lambda.calls - first).toBe(6);
    expect(summary.failed).toEqual([]);
    expect(summary.tasksRun).toBe(planned.length);
    // A dropped call never reaches the function: every task ran exactly once, by the client's retry.
    for (const p of planned) expect(invocations(p.id)).toBe(1);
  });

  test('a handler that crashes on one task: its batch-mates still land, it is recorded as failed after the retries', async () => {
    const victim = planned[1].id;
    lambda.faults = { crashOnTask: victim };
    // Two tasks per invocation, so the victim takes a batch-mate down with it on the first try.
    const { summary, store, invocations, stored } = await sweep({ targetSeconds: 2 }, 3);
    lambda.faults = {};
    expect(summary.failed.map((f) => [f.taskId, f.attempts])).toEqual([[victim, 3]]);
    expect(summary.failed[0].message).toMatch(/function error \(Unhandled\).*the trainer crashed/);
    expect(summary.tasksRun).toBe(planned.length - 1);
    expect(stored.has(victim)).toBe(false);
    // Once with its batch-mate (the batch is split, which costs no attempt), then three times alone.
    expect(invocations(victim)).toBe(4);
    expect(await store.getFailures(summary.sweepId)).toHaveLength(1);
  });

  test('a straggler is hedged: the second invocation wins and nothing is counted twice', async () => {
    const victim = planned[0].id;
    // The first invocation of the victim is held until the sweep is over: only a hedge can finish it.
    let release = () => {};
    lambda.faults = { stall: { taskId: victim, release: new Promise<void>((r) => (release = r)) } };
    const { summary, executor, invocations, stored } = await sweep({ hedgeAfterMs: 400, hedgeFactor: 0 });
    release();
    lambda.faults = {};
    expect(executor.usage().hedges).toBeGreaterThanOrEqual(1);
    expect(invocations(victim)).toBe(2);
    expect(summary.tasksRun).toBe(planned.length);
    expect(stored.size).toBe(planned.length);
    expect(executor.usage().billedMs).toBeGreaterThan(0);
  });
});
