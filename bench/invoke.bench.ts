/**
 * Lambda fan-out overhead: 10,000 no-op invocations through a local Invoke endpoint (the test one,
 * answering without training) at concurrency 256, through the real @aws-sdk/client-lambda and the
 * Lambda executor. Prints invocations per second and the orchestrator's peak memory.
 * Bar (issue #4): ≥ 1,000 invocations/s.
 */
import pLimit from 'p-limit';
import { makeLambdaClient } from '../orchestrator/aws/clients.js';
import { LambdaExecutor } from '../orchestrator/executors/lambda-executor.js';
import { taskId } from '../functions/trainer/ids.js';
import { withDefaults } from '../functions/trainer/task.js';
import { LocalLambda } from '../test/helpers/local-lambda.js';

const TOTAL = Number(process.env.BENCH_INVOCATIONS ?? 10_000);
const CONCURRENCY = 256;

process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const server = new LocalLambda(1);
server.faults = { noop: true };
process.env.AWS_ENDPOINT_URL_LAMBDA = await server.start();

const executor = new LambdaExecutor({
  client: makeLambdaClient({ maxSockets: CONCURRENCY * 2 }),
  functionName: 'noop',
  concurrency: CONCURRENCY,
  predictSeconds: () => 0.01,
});
const taskOf = (seed: number) => {
  const task = withDefaults({ n: 2, seed, initFactor: 1, reg: 'l2', lambdas: [1] });
  return { id: taskId(task), task };
};
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const limit = pLimit(CONCURRENCY);
const run = async (count: number) => {
  let ok = 0;
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const [o] = await executor.runBatch([taskOf(i)]);
        if (o.ok) ok++;
      }),
    ),
  );
  return ok;
};
await run(500); // warm up sockets and JIT
const before = executor.usage().invocations;
const started = performance.now();
const ok = await run(TOTAL);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
await executor.close();
await server.stop();
const rate = TOTAL / seconds;
console.log(`invoke: ${TOTAL} no-op invocations at concurrency ${CONCURRENCY}: ${ok} ok in ${seconds.toFixed(2)} s`);
console.log(`${rate.toFixed(0)} invocations/s (bar ≥ 1000: ${rate >= 1000 ? 'ok' : 'MISSED'}), ${executor.usage().invocations - before} sent, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (client and endpoint in one process)`);
