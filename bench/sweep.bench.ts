/**
 * Local sweep throughput: runs a preset (default thesis-fig2-ext) on the worker pool at full
 * concurrency and at concurrency 1, and prints wall time, worker utilization and the speed-up.
 * Bars: ≥ 1.8× the throughput of --concurrency 1 on 2 cores (issue #3); thesis-fig2-ext at full
 * concurrency within 1.3× the 55 s an optimized C implementation needs on 2 cores (issue #12).
 * BENCH_PRESET and BENCH_SEEDS shrink the workload for a quick look.
 */
import { availableParallelism } from 'node:os';
import { WorkerPoolExecutor } from '../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../orchestrator/paths.js';
import { PRESETS } from '../orchestrator/spec/presets.js';
import { canonicalize, specSchema } from '../orchestrator/spec/spec-schema.js';
import { MemoryBackend } from '../orchestrator/store/memory-backend.js';
import { ObjectResultStore } from '../orchestrator/store/object-result-store.js';
import { runSweep } from '../orchestrator/sweep/run-sweep.js';
import { instrumented } from '../test/helpers/executors.js';

const presetName = process.env.BENCH_PRESET ?? 'thesis-fig2-ext';
const raw = { ...PRESETS[presetName], ...(process.env.BENCH_SEEDS ? { seeds: Number(process.env.BENCH_SEEDS) } : {}) };
const spec = canonicalize(specSchema.parse(raw));

/** The pool, counting the time its workers spent training (from each result's wall time). */
function timedPool(concurrency: number) {
  const pool = new WorkerPoolExecutor({ concurrency, workerUrl: poolWorkerUrl() });
  let busyMs = 0;
  const executor = instrumented(pool, async (batch, run) => {
    const outcomes = await run(batch);
    for (const o of outcomes) if (o.ok) busyMs += o.result.wallMs;
    return outcomes;
  });
  return { executor, busySeconds: () => busyMs / 1000, close: () => pool.close() };
}

async function measure(concurrency: number) {
  const store = new ObjectResultStore(new MemoryBackend(), '', 'memory:');
  const { executor, busySeconds, close } = timedPool(concurrency);
  const started = performance.now();
  const summary = await runSweep({ spec, store, executor });
  const wall = (performance.now() - started) / 1000;
  await close();
  return { wall, tasks: summary.tasksRun, utilization: busySeconds() / (wall * concurrency) };
}

const cores = availableParallelism();
console.log(`sweep: ${presetName}, ${spec.seeds.length} seeds, on ${cores} cores`);
const full = await measure(cores);
console.log(`concurrency ${cores}: ${full.tasks} tasks in ${full.wall.toFixed(1)} s, worker utilization ${(100 * full.utilization).toFixed(1)} %`);
if (presetName === 'thesis-fig2-ext' && !process.env.BENCH_SEEDS) {
  const bar = 1.3 * 55;
  console.log(`thesis-fig2-ext in ${full.wall.toFixed(1)} s (bar ≤ 1.3 × 55 s = ${bar.toFixed(1)} s on 2 cores: ${full.wall <= bar ? 'ok' : 'MISSED'})`);
}
const one = await measure(1);
console.log(`concurrency 1: ${one.tasks} tasks in ${one.wall.toFixed(1)} s, worker utilization ${(100 * one.utilization).toFixed(1)} %`);
const speedup = one.wall / full.wall;
console.log(`speed-up ${speedup.toFixed(2)}× (bar ≥ 1.8× on 2 cores: ${speedup >= 1.8 ? 'ok' : 'MISSED'})`);
