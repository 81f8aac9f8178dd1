/** Maps `--backend` to an executor. */
import { makeLambdaClient } from '../aws/clients.js';
import { UsageError } from '../errors.js';
import type { Budget } from '../cost/budget.js';
import type { Architecture, Calibration } from '../cost/cost-model.js';
import { taskSeconds } from '../cost/cost-model.js';
import { poolWorkerUrl } from '../paths.js';
import type { Executor } from './executor.js';
import { LambdaExecutor } from './lambda-executor.js';
import { WorkerPoolExecutor } from './worker-pool.js';

export interface ExecutorChoice {
  backend: string;
  concurrency?: number;
  lambda?: {
    functionName: string;
    region?: string;
    memoryMb: number;
    architecture: Architecture;
    /** The function's timeout, when known: bounds the billing estimate of an invocation that hung. */
    timeoutSeconds?: number;
    calibration: Calibration;
    budget?: Budget;
    /** Where the function writes results; inline when the store is not S3. */
    target?: { bucket: string; prefix: string };
    targetSeconds?: number;
    invocationTimeoutMs?: number;
  };
}

export function openExecutor(choice: ExecutorChoice): Executor {
  switch (choice.backend) {
    case 'local':
      return new WorkerPoolExecutor({ concurrency: choice.concurrency, workerUrl: poolWorkerUrl() });
    case 'lambda': {
      const l = choice.lambda;
      if (!l) throw new UsageError('--backend lambda: needs --function or --stack-outputs');
      const concurrency = choice.concurrency ?? 256;
      return new LambdaExecutor({
        // One attempt per send: the executor re-sends by class, and must see every 429 to pace itself.
        client: makeLambdaClient({ region: l.region, maxSockets: concurrency * 2, maxAttempts: 1 }),
        functionName: l.functionName,
        concurrency,
        target: l.target,
        predictSeconds: (task) => taskSeconds(task, l.calibration, l.memoryMb),
        targetSeconds: l.targetSeconds,
        invocationTimeoutMs: l.invocationTimeoutMs,
        fn: { memoryMb: l.memoryMb, architecture: l.architecture, timeoutMs: l.timeoutSeconds === undefined ? undefined : l.timeoutSeconds * 1000 },
        budget: l.budget,
      });
    }
    default:
      throw new UsageError(`--backend: unknown backend "${choice.backend}"; use local or lambda`);
  }
}
