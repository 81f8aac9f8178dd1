import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import type { Provenance } from '../../functions/provenance.js';
import { jsEngine } from '../../functions/trainer/js-engine.js';
import { runTask } from '../../functions/trainer/run-task.js';
import type { Task, TaskResult } from '../../functions/trainer/task.js';
import { TRAINER_VERSION, withDefaults } from '../../functions/trainer/task.js';
import { wasmEngine } from '../../functions/trainer/wasm/wasm-engine.js';

const tasks: Task[] = [
  withDefaults({ n: 108, seed: 3, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-2], epochs: 50, valSize: 500 }),
  withDefaults({ n: 50, seed: 0, initFactor: 10, reg: 'l1', lambdas: [1e-4, 2e-3], epochs: 40, valSize: 400, batchSize: 10 }),
  withDefaults({ n: 32, seed: 7, initFactor: 0.1, reg: 'l2', lambdas: [4e-3], epochs: 30, valSize: 300, batchSize: 1000, standardize: false, regularizeBiases: true }),
];

// Pinned so that any change to the numerics is noticed; a deliberate change bumps TRAINER_VERSION
// and these values together (the version they belong to is pinned with them).
const GOLDEN_VERSION = '1.0.0';
const GOLDEN = [
  '936a0d3cfb3c26bd030610630bd8b52bb1712a9d7895720cb82ef23b3fb8cc63',
  '7f2566fec6c88ade82db2b094276addeda92ebfe8b636fa8c0ef1770f9ba2379',
  '107a2a5e60bb98bfe33c5b63e4cceeb2dec0b5329468aac42d7eb110dafb9283',
];

function inWorker(task: Task): Promise<TaskResult> {
  const worker = new Worker(resolve('dist/pool-worker.mjs'));
  return new Promise((res, rej) => {
    worker.once('message', (reply: { ok: boolean; result?: TaskResult; message?: string }) => {
      void worker.terminate();
      if (reply.ok && reply.result) res(reply.result);
      else rej(new Error(reply.message));
    });
    worker.once('error', rej);
    worker.postMessage({ seq: 1, id: 'x', task });
  });
}

describe('determinism', () => {
  // Both engines, named: the JS kernels are the reference, the WebAssembly SIMD kernels must match them bit for bit.
  test.each([jsEngine, wasmEngine].map((engine) => [engine.kernel, engine] as const))('golden digests, tied to the trainer version (%s kernels)', (_kernel, engine) => {
    expect(TRAINER_VERSION, 'TRAINER_VERSION changed: recompute the golden digests for it').toBe(GOLDEN_VERSION);
    expect(tasks.map((t) => runTask(t, undefined, engine).digest), 'the numerics changed: bump TRAINER_VERSION and the goldens together').toEqual(GOLDEN);
  });

  test('the same task gives the same digest in-process, in a worker thread and in the bundled Lambda handler', async () => {
    const { handler } = (await import(pathToFileURL(resolve('dist/trainer/index.mjs')).href)) as {
      handler: (e: unknown) => Promise<{ ok: boolean; results: { result: TaskResult }[]; failures: unknown[] }>;
    };
    const { taskId } = await import('../../functions/trainer/ids.js');
    for (const task of tasks) {
      const local = runTask(task).digest;
      const worker = await inWorker(task);
      expect(worker.digest).toBe(local);
      const response = await handler({ tasks: [{ id: taskId(task), task }], inline: true });
      expect(response).toMatchObject({ ok: true, failures: [] });
      const bundled = response.results[0].result;
      expect(bundled.digest).toBe(local);
      // Both bundles trained with the WebAssembly SIMD kernels (generated at run time; there is no .wasm file to ship).
      expect(worker.provenance).toMatchObject<Partial<Provenance>>({ bundle: expect.objectContaining({ file: 'pool-worker.mjs' }), kernel: 'wasm-simd' });
      expect(bundled.provenance).toMatchObject<Partial<Provenance>>({ bundle: expect.objectContaining({ file: 'index.mjs' }), kernel: 'wasm-simd' });
    }
  });
});
