/**
 * One simulated sweep: the real packer, fan-out, retries and Lambda executor, run against the
 * simulated function on virtual time. Every figure follows from the options; the same seed gives
 * the same report.
 */
import { deriveRng } from '../../functions/trainer/rng.js';
import { readFunctionFacts } from '../../orchestrator/aws/function-limits.js';
import { estimateCost, lambdaDollars, PRICES, taskSeconds } from '../../orchestrator/cost/cost-model.js';
import type { BilledUsage, Executor } from '../../orchestrator/executors/executor.js';
import { LambdaExecutor } from '../../orchestrator/executors/lambda-executor.js';
import { fanOut } from '../../orchestrator/sweep/fan-out.js';
import type { LowerBound } from './lower-bound.js';
import { LAMBDA_SCALING, lowerBound } from './lower-bound.js';
import type { LambdaModel, LambdaTally } from './simulated-lambda.js';
import { SimulatedLambda } from './simulated-lambda.js';
import { VirtualClock } from './virtual-clock.js';
import { CALIBRATION, MEMORY_MB, workload } from './workload.js';

export interface SimulationOptions {
  tasks: number;
  /** Requested concurrency (the executor's `concurrency`). */
  concurrency: number;
  /** The account's concurrent executions. */
  quota: number;
  crashRate: number;
  hangRate: number;
  seed: number;
  /** Executor settings; undefined: the executor's own default. */
  targetSeconds?: number;
  hedgeFactor?: number;
  hedgeAfterSeconds?: number;
  invocationTimeoutSeconds?: number;
  /** False: the account's and the function's limits cannot be read (403), so the executor paces by throttles alone. */
  accountReadable?: boolean;
}

const FUNCTION = 'lambdastar-simulated';

export const DEFAULTS: SimulationOptions = { tasks: 100_000, concurrency: 1000, quota: 1000, crashRate: 0.01, hangRate: 0.001, seed: 1 };

const MODEL: Omit<LambdaModel, 'scaling' | 'crashRate' | 'hangRate' | 'accountReadable'> = {
  coldStartMs: [200, 800], latencyMs: 10, handlerMs: 30, timeoutMs: 900_000, memoryMb: MEMORY_MB,
};

export interface Money {
  gbSeconds: number;
  dollars: number;
}

export interface SimulationReport {
  tasks: number;
  concurrency: number;
  quota: number;
  crashRate: number;
  hangRate: number;
  seed: number;
  /** The concurrency the run used: the requested, capped by what the account allows when it can be read. */
  runConcurrency: number;
  /** What the pre-run read of the account and the function said. */
  facts: string[];
  /** What was passed to the executor; null: its default. */
  executorOptions: { targetSeconds: number | null; hedgeFactor: number | null; hedgeAfterSeconds: number | null; invocationTimeoutSeconds: number | null };
  wallSeconds: number;
  lowerBoundSeconds: number;
  /** wall ÷ bound. */
  ratio: number;
  bound: LowerBound;
  batches: number;
  /** Batches the fan-out ran beyond those packed: halves of split batches and tasks retried alone. */
  reruns: number;
  /** Σ actual ÷ Σ predicted task seconds: how far the tail model alone moves the bill from the estimate. */
  actualOverPredicted: number;
  /** The executor's own account. */
  usage: BilledUsage;
  /** What the simulated Lambda saw and billed. */
  lambda: LambdaTally;
  /** Lambda's bill (compute of every invocation that ran, and its requests), and the estimate before the run. */
  billed: Money;
  estimate: Money & { invocations: number; wallSeconds: number };
  /** The executor's billed and estimated ms, priced: what it believes it spent. */
  executorBelieved: Money;
  /** Tasks without a result (failed for good included), tasks with more than one. */
  lost: number;
  duplicated: number;
  failedForGood: number;
  /** A few failure messages, with counts. */
  failureMessages: Record<string, number>;
  timersFired: number;
}

const sum = (xs: Iterable<number>) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

const money = (ms: number, requests: number): Money => {
  const gbSeconds = (ms / 1000) * (MEMORY_MB / 1024);
  return { gbSeconds, dollars: lambdaDollars(gbSeconds, 'arm64') + requests * PRICES.request };
};

/** Runs one simulated sweep to the end and reports it. */
export async function simulate(o: SimulationOptions): Promise<SimulationReport> {
  const clock = new VirtualClock();
  const work = workload(o.tasks, deriveRng([o.seed, 0x51a1, 1]));
  const scaling = { ...LAMBDA_SCALING, quota: o.quota };
  const model = { ...MODEL, scaling, crashRate: o.crashRate, hangRate: o.hangRate, accountReadable: o.accountReadable ?? true };
  const lambda = new SimulatedLambda(clock, model, deriveRng([o.seed, 0x51a1, 2]), (id) => work.actual.get(id));
  const jitter = deriveRng([o.seed, 0x51a1, 3]);
  const bound = lowerBound([...work.actual.values()], o.concurrency, MODEL.coldStartMs[0] / 1000, scaling);

  // As `run --backend lambda` does: what the account and the function allow, read first.
  const facts = await clock.run(readFunctionFacts(lambda, FUNCTION, o.concurrency));
  const fn = { memoryMb: facts.memoryMb ?? MEMORY_MB, architecture: facts.architecture ?? 'arm64', timeoutMs: 1000 * (facts.timeoutSeconds ?? 900) };
  const executor = new LambdaExecutor({
    client: lambda,
    functionName: FUNCTION,
    concurrency: facts.concurrency,
    predictSeconds: (task) => taskSeconds(task, CALIBRATION, fn.memoryMb),
    targetSeconds: o.targetSeconds,
    hedgeFactor: o.hedgeFactor,
    hedgeAfterMs: o.hedgeAfterSeconds === undefined ? undefined : o.hedgeAfterSeconds * 1000,
    invocationTimeoutMs: o.invocationTimeoutSeconds === undefined ? undefined : o.invocationTimeoutSeconds * 1000,
    clock,
    random: () => jitter.uniform(),
    fn,
    ramp: { step: scaling.step, everyMs: scaling.everySeconds * 1000 },
  });
  const batches = executor.batches(work.tasks);
  const estimate = estimateCost(batches, CALIBRATION, { memoryMb: fn.memoryMb, architecture: fn.architecture, concurrency: facts.concurrency });

  const results = new Map<string, number>();
  const failureMessages: Record<string, number> = {};
  let failedForGood = 0;
  let runs = 0;
  // The executor as the fan-out sees it, its batches counted.
  const counted: Executor = {
    concurrency: executor.concurrency,
    batches: (tasks) => executor.batches(tasks),
    runBatch: (batch) => {
      runs++;
      return executor.runBatch(batch);
    },
    close: () => executor.close(),
  };
  const run = async () => {
    await executor.preflight?.();
    await fanOut(work.tasks, {
      executor: counted,
      maxAttempts: 3,
      hooks: {
        onResult: async (task, result) => {
          if (result.taskId !== task.id) throw new Error(`task ${task.id} was given the result of ${result.taskId}`);
          results.set(task.id, (results.get(task.id) ?? 0) + 1);
        },
        onFailure: (f) => {
          failedForGood++;
          const key = f.message.slice(0, 120);
          failureMessages[key] = (failureMessages[key] ?? 0) + 1;
        },
      },
    });
  };
  // A runaway (an executor that never stops re-sending) ends the run instead of hanging it.
  await clock.run(run(), 1000 * (100 * bound.seconds + 3600));
  const wallSeconds = clock.now() / 1000;
  await executor.close();

  let lost = 0;
  let duplicated = 0;
  for (const t of work.tasks) {
    const n = results.get(t.id) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicated++;
  }
  const usage = executor.usage();
  const t = lambda.tally;
  return {
    tasks: work.tasks.length,
    concurrency: o.concurrency,
    quota: o.quota,
    crashRate: o.crashRate,
    hangRate: o.hangRate,
    seed: o.seed,
    runConcurrency: facts.concurrency,
    facts: facts.lines,
    executorOptions: {
      targetSeconds: o.targetSeconds ?? null,
      hedgeFactor: o.hedgeFactor ?? null,
      hedgeAfterSeconds: o.hedgeAfterSeconds ?? null,
      invocationTimeoutSeconds: o.invocationTimeoutSeconds ?? null,
    },
    wallSeconds,
    lowerBoundSeconds: bound.seconds,
    ratio: wallSeconds / bound.seconds,
    bound,
    batches: batches.length,
    reruns: runs - batches.length,
    actualOverPredicted: sum(work.actual.values()) / sum(work.predicted.values()),
    usage,
    lambda: t,
    billed: money(t.billedMs, t.requests - t.throttles),
    estimate: { gbSeconds: estimate.gbSeconds, dollars: estimate.lambdaDollars + estimate.requestDollars, invocations: estimate.invocations, wallSeconds: estimate.wallSeconds },
    executorBelieved: money(usage.billedMs + usage.estimatedMs, usage.invocations),
    lost,
    duplicated,
    failedForGood,
    failureMessages,
    timersFired: clock.fired,
  };
}
