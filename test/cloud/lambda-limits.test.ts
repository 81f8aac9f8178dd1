/**
 * The cloud path under what a real account does to it, against the local endpoint that behaves like
 * Lambda (test/helpers/local-lambda.ts): a small concurrency quota, functions killed for time or
 * memory, a budget, a wrong store. The real CLI and executor, through the real SDK.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { taskId } from '../../functions/trainer/ids.js';
import type { Task } from '../../functions/trainer/task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { makeLambdaClient } from '../../orchestrator/aws/clients.js';
import { LambdaExecutor } from '../../orchestrator/executors/lambda-executor.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';
import { fanOut } from '../../orchestrator/sweep/fan-out.js';
import type { FailureRecord } from '../../orchestrator/store/result-store.js';
import { runCli } from '../helpers/cli.js';
import { tinyTask } from '../helpers/fixtures.js';
import type { LocalLambdaOptions } from '../helpers/local-lambda.js';
import { LocalLambda } from '../helpers/local-lambda.js';
import { cloudEnv, freshPrefix, s3Endpoint, TEST_BUCKET, testS3Client } from '../helpers/s3.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-limits-'));
// The function's execution environments (worker threads) inherit this: they write results to the test S3 server.
beforeAll(() => {
  process.env.AWS_ENDPOINT_URL_S3 = s3Endpoint();
});

/** Runs `body` with a fresh endpoint of these options and the CLI's environment pointing at it. */
async function withLambda(options: LocalLambdaOptions, body: (lambda: LocalLambda, env: Record<string, string>, endpoint: string) => Promise<void>): Promise<void> {
  const lambda = new LocalLambda(options);
  const endpoint = await lambda.start();
  try {
    await body(lambda, cloudEnv(endpoint), endpoint);
  } finally {
    await lambda.stop();
  }
}

async function objectsUnder(prefix: string): Promise<number> {
  const out = await testS3Client().send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: `${prefix}/` }));
  return out.KeyCount ?? 0;
}

const planned = (task: Task): PlannedTask => ({ id: taskId(task), task });

/** Runs tasks in one batch on the executor, as the sweep does, and returns what landed and what failed. */
async function fanOutOne(endpoint: string, tasks: PlannedTask[]) {
  process.env.AWS_ENDPOINT_URL_LAMBDA = endpoint;
  const executor = new LambdaExecutor({
    client: makeLambdaClient({ maxAttempts: 1 }),
    functionName: 'lambdastar-trainer',
    concurrency: 4,
    // One batch of all of them, however long they really take; no hedging.
    predictSeconds: () => 0.01,
    targetSeconds: 60,
    hedgeAfterMs: Infinity,
  });
  const done: string[] = [];
  const failed: FailureRecord[] = [];
  const sizes: number[] = [];
  const counting = { ...executor, concurrency: executor.concurrency, batches: (t: PlannedTask[]) => [t], runBatch: (b: PlannedTask[]) => (sizes.push(b.length), executor.runBatch(b)), close: async () => {} };
  await fanOut(tasks, { executor: counting, maxAttempts: 3, hooks: { onResult: async (t) => void done.push(t.id), onFailure: (f) => void failed.push(f) } });
  await executor.close();
  return { done, failed, sizes, usage: executor.usage() };
}

describe('the cloud path under Lambda\'s limits', () => {
  test('quick with a quota of 10, 256 asked for and the account unreadable: a warning, throttles counted, 0 failed, the S3 report identical to a local run', async () => {
    await withLambda({ quota: 10, account: 'denied', instances: 10 }, async (lambda, env) => {
      const prefix = freshPrefix('quota');
      const cloud = await runCli(['run', '--preset', 'quick', '--backend', 'lambda', '--function', 'lambdastar-trainer', '--store', `s3://${TEST_BUCKET}/${prefix}`, '--concurrency', '256', '--out', join(dir, 'quota-report'), '--no-progress'], { env });
      expect(cloud.code).toBe(0);
      expect(cloud.stderr).toMatch(/lambda: warning: cannot read GetAccountSettings \(the account's concurrency\) \(AccessDeniedException\)/);
      expect(cloud.stdout).toMatch(/48 cells · 1056 points: 0 reused, 1056 trained now · 48 tasks in 1 round\(s\) · 0 failed/);
      const throttled = Number(/(\d+) throttled and re-sent/.exec(cloud.stdout)?.[1]);
      expect(throttled).toBeGreaterThan(0);
      expect(lambda.throttled).toBeGreaterThanOrEqual(throttled);
      expect(lambda.maxConcurrent).toBeLessThanOrEqual(10);
      const local = await runCli(['run', '--preset', 'quick', '--store', join(dir, 'local-runs'), '--out', join(dir, 'local-report'), '--no-progress']);
      expect(local.code).toBe(0);
      expect(readFileSync(join(dir, 'quota-report', 'analysis.json'), 'utf8')).toBe(readFileSync(join(dir, 'local-report', 'analysis.json'), 'utf8'));
    });
  });

  test('with the account readable, the concurrency is capped at the quota before the run, said in one line', async () => {
    await withLambda({ quota: 10, account: { concurrentExecutions: 1000, unreservedConcurrentExecutions: 10 } }, async (lambda, env) => {
      const spec = join(dir, 'small.json');
      writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 }));
      const run = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', `s3://${TEST_BUCKET}/${freshPrefix('capped')}`, '--concurrency', '256', '--no-report', '--no-progress'], { env });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^lambda: concurrency capped at 10 \(asked for 256\): the account allows 1000 concurrent executions, 10 unreserved; ask AWS for a higher quota/m);
      expect(run.stderr).toMatch(/^lambda: function f: 1769 MB, arm64, timeout 900 s$/m);
      expect(lambda.maxConcurrent).toBeLessThanOrEqual(10);
    });
  });

  test('a function with reserved concurrency 0 (turned off) is an environment error before anything runs, exit 3', async () => {
    await withLambda({ quota: 10, account: { concurrentExecutions: 1000, unreservedConcurrentExecutions: 1000, reserved: 0 } }, async (lambda, env) => {
      const spec = join(dir, 'off.json');
      writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 1, epochs: 5, valSize: 50 }));
      const prefix = freshPrefix('off');
      const run = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', `s3://${TEST_BUCKET}/${prefix}`, '--no-report', '--no-progress'], { env });
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^lambdastar: --function: f has reserved concurrency 0, so Lambda throttles every invocation .*delete-function-concurrency --function-name f\) or set it above 0$/m);
      expect(lambda.coldStarts).toBe(0);
      expect(await objectsUnder(prefix)).toBe(0);
    });
  });

  test('--max-cost stops the run like an interrupt (exit 130), saying what is left at what cost; a resume finishes it', async () => {
    await withLambda({ quota: 4 }, async (_lambda, env) => {
      const store = `s3://${TEST_BUCKET}/${freshPrefix('budget')}`;
      const spec = join(dir, 'budget.json');
      writeFileSync(spec, JSON.stringify({ n: [100, 200, 400, 800], lambdas: [1e-4, 1e-3, 1e-2, 1e-1], seeds: 3, epochs: 2000, valSize: 200 }));
      // A budget of 40 % of what plan predicts (packed for this run's concurrency): some invocations run, not all.
      const plan = JSON.parse((await runCli(['plan', '--spec', spec, '--concurrency', '4', '--json'])).stdout) as { lambda: { min: { lambdaDollars: number; requestDollars: number } } };
      const budget = (0.4 * (plan.lambda.min.lambdaDollars + plan.lambda.min.requestDollars)).toPrecision(2);
      const stopped = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--max-cost', budget, '--no-report', '--no-progress'], { env });
      expect(stopped.code).toBe(130);
      // The CLI prints the number it parsed: toPrecision's "0.00020" comes back as 0.0002.
      const shown = String(Number(budget)).replace('.', '\\.');
      expect(stopped.stdout).toMatch(new RegExp(`^budget: --max-cost \\$${shown} reached \\(\\$[\\d.]+ spent\\); left to do: \\d+ tasks \\(\\d+ points\\) of this round, predicted ≈ \\$[\\d.]+$`, 'm'));
      expect(stopped.stdout).toMatch(/^stopped: run the same command again, with a higher --max-cost, to resume$/m);
      const trained = Number(/(\d+) trained now/.exec(stopped.stdout)?.[1]);
      expect(trained).toBeGreaterThan(0);
      expect(trained).toBeLessThan(48);
      const resumed = await runCli(['run', '--spec', spec, '--backend', 'lambda', '--function', 'f', '--store', store, '--no-report', '--no-progress'], { env });
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(new RegExp(`12 cells · 48 points: ${trained} reused, ${48 - trained} trained now`));
    });
  });

  test('a wrong --store is refused by the function at the preflight: exit 2, one line naming the store to use, nothing written', async () => {
    const home = freshPrefix('home');
    await withLambda({ env: { LAMBDASTAR_BUCKET: TEST_BUCKET, LAMBDASTAR_PREFIX: home } }, async (lambda, env) => {
      const wrong = freshPrefix('wrong');
      const run = await runCli(['run', '--preset', 'quick', '--backend', 'lambda', '--function', 'f', '--store', `s3://${TEST_BUCKET}/${wrong}`, '--no-progress'], { env });
      expect(run.code).toBe(2);
      // What was read of the function (two lines), then the error in one.
      expect(run.stderr.split('\n').filter((l) => l.startsWith('lambdastar:'))).toHaveLength(1);
      expect(run.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^lambdastar: --store: the function refuses this store: event\\.prefix: "${wrong}" is outside this function's store; use --store s3://${TEST_BUCKET}/${home}$`));
      expect(await objectsUnder(wrong)).toBe(0);
      expect(lambda.calls).toBe(1);
    });
  });

  test('a sweep whose largest task would outlast the function\'s timeout is refused before anything runs, with the largest n that fits', async () => {
    await withLambda({ timeoutMs: 1000 }, async (lambda, env) => {
      const store = freshPrefix('too-long');
      const run = await runCli(['run', '--preset', 'quick', '--backend', 'lambda', '--function', 'f', '--store', `s3://${TEST_BUCKET}/${store}`, '--no-progress'], { env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^lambdastar: --preset: a task with n = 1280, epochs = \d+ and 22 λ is predicted to take \d+ s, over 80 % of the function's 1 s timeout; the largest n that fits is \d+: lower n or epochs/m);
      expect(await objectsUnder(store)).toBe(0);
      expect(lambda.calls).toBe(0);
    });
  });

  test('a batch the function times out on is split; its tasks that fit finish, the one that cannot fails alone, naming the timeout', async () => {
    // Takes several seconds, though the handler's first estimate (at 4× this trainer's speed) fits it in 4 s.
    const long = withDefaults({ n: 1000, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 16_000, valSize: 10 });
    await withLambda({ timeoutMs: 4000 }, async (lambda, _env, endpoint) => {
      const tasks = [planned(long), planned(tinyTask(1)), planned(tinyTask(2))];
      const { done, failed, usage } = await fanOutOne(endpoint, tasks);
      expect(done.sort()).toEqual([tasks[1].id, tasks[2].id].sort());
      expect(failed.map((f) => [f.taskId, f.kind, f.attempts])).toEqual([[tasks[0].id, 'timeout', 1]]);
      expect(failed[0].message).toMatch(/the task alone runs past the function's timeout: raise the stack's timeoutSeconds, or lower n or epochs/);
      expect(usage.failures.timeout).toBeGreaterThanOrEqual(1);
      expect(lambda.timedOut).toBeGreaterThanOrEqual(1);
    });
  });

  test('a batch that exhausts the function\'s memory is split; its tasks that fit finish, the one that cannot fails alone, naming memory', async () => {
    const big = withDefaults({ n: 2_000_000, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3], epochs: 1, valSize: 10 });
    await withLambda({ memoryMb: 64 }, async (lambda, _env, endpoint) => {
      const tasks = [planned(big), planned(tinyTask(1)), planned(tinyTask(2))];
      const { done, failed, sizes } = await fanOutOne(endpoint, tasks);
      expect(done.sort()).toEqual([tasks[1].id, tasks[2].id].sort());
      expect(failed.map((f) => [f.taskId, f.kind, f.attempts])).toEqual([[tasks[0].id, 'memory', 1]]);
      expect(failed[0].message).toMatch(/Runtime\.OutOfMemory.*the task alone runs out of the function's memory/);
      // 3 → 2 + 1 → 1 + 1: each split of a failing batch, ending with the big task alone.
      expect(sizes).toEqual([3, 2, 1, 1, 1]);
      expect(lambda.outOfMemory).toBe(3);
    });
  });
});
