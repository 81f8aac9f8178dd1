/** Maps `--backend` to an executor. */
import type { Executor } from './executor.js';
import { WorkerPoolExecutor } from './worker-pool.js';
import { poolWorkerUrl } from '../paths.js';
import { UsageError } from '../cli/errors.js';

export interface ExecutorFlags {
  backend: string;
  concurrency?: number;
}

/** Test hook: task ids the pool's workers fail on purpose (comma-separated). */
const FAIL_ENV = 'LAMBDASTAR_TEST_FAIL_TASKS';

export function openExecutor(flags: ExecutorFlags): Executor {
  switch (flags.backend) {
    case 'local':
      return new WorkerPoolExecutor({
        concurrency: flags.concurrency,
        workerUrl: poolWorkerUrl(),
        workerData: { failTaskIds: process.env[FAIL_ENV]?.split(',').filter(Boolean) ?? [] },
      });
    default:
      throw new UsageError(`--backend: unknown backend "${flags.backend}"; use local or lambda`);
  }
}
