/**
 * Provenance on every result: set by the handler (a Lambda function's name, version, memory and
 * region from its runtime variables) and by the local pool, naming the kernels that trained it,
 * checked strictly when read back, absent from old results (or without the kernel, from results
 * stored before it was recorded), and never part of the digest or of what write-once compares.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { makeHandler } from '../../functions/handler.js';
import type { Provenance } from '../../functions/provenance.js';
import { executorFromEnv } from '../../functions/provenance.js';
import type { ObjectIO } from '../../functions/results.js';
import { CorruptResultError, parseResult, serializeResult, writeOnce } from '../../functions/results.js';
import { taskId } from '../../functions/trainer/ids.js';
import { WorkerPoolExecutor } from '../../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { tinyResult, tinyTask } from '../helpers/fixtures.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const LAMBDA_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'lambdastar-Trainer-1A2B3C',
  AWS_LAMBDA_FUNCTION_VERSION: '7',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769',
  AWS_REGION: 'eu-west-1',
};

function bucket(): ObjectIO & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    read: async (key) => objects.get(key),
    createExclusive: async (key, body) => !objects.has(key) && (objects.set(key, body), true),
  };
}

const task = tinyTask(3);
const event = { tasks: [{ id: taskId(task), task }], bucket: 'b', prefix: 'lab' };

async function handled(executor = executorFromEnv(LAMBDA_ENV), io = bucket()) {
  const response = await makeHandler({ io: () => io, executor })(event);
  if (!response.ok) throw new Error(response.message);
  return { io, summary: response.results[0] };
}

function expectWellFormed(p: Provenance | undefined, before: number): asserts p is Provenance {
  expect(p).toBeDefined();
  if (!p) return;
  expect(p.node).toBe(process.version);
  expect(p.platform).toBe(process.platform);
  expect(p.arch).toBe(process.arch);
  // Node 20+ has WebAssembly SIMD: the fast kernels trained it (test/trainer/kernel-fallback.test.ts covers the JS ones).
  expect(p.kernel).toBe('wasm-simd');
  expect(p.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(Date.parse(p.at)).toBeGreaterThanOrEqual(before);
  expect(Date.parse(p.at)).toBeLessThanOrEqual(Date.now());
}

describe('the handler records where it ran', () => {
  test('deployed (Lambda variables set): the function, its version, memory and region, and the hash of the code that ran', async () => {
    const before = Date.now();
    const { io, summary } = await handled();
    const p = summary.result.provenance;
    expectWellFormed(p, before);
    expect(p.executor).toEqual({ kind: 'lambda', functionName: 'lambdastar-Trainer-1A2B3C', functionVersion: '7', memoryMb: 1769, region: 'eu-west-1' });
    // Under vitest the code runs from source: the hash is of the trainer module itself.
    const source = fileURLToPath(new URL('../../functions/trainer/run-task.ts', import.meta.url));
    expect(p.bundle).toEqual({ file: 'run-task.ts', sha256: sha256(source) });
    // Stored with the result, and read back as it was written.
    const key = summary.key ?? '';
    expect(parseResult(io.objects.get(key) ?? '', key).provenance).toEqual(p);
  });

  test('without the Lambda variables it is a local run', async () => {
    expect(executorFromEnv({ AWS_REGION: 'us-east-1' })).toEqual({ kind: 'local' });
    const { summary } = await handled({ kind: 'local' });
    expect(summary.result.provenance?.executor).toEqual({ kind: 'local' });
  });

  test.each([
    ['AWS_LAMBDA_FUNCTION_VERSION', { ...LAMBDA_ENV, AWS_LAMBDA_FUNCTION_VERSION: '' }, /AWS_LAMBDA_FUNCTION_VERSION is not set/],
    ['AWS_REGION', { ...LAMBDA_ENV, AWS_REGION: undefined }, /AWS_REGION is not set/],
    ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE', { ...LAMBDA_ENV, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: 'lots' }, /AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "lots" is not a whole number/],
  ])('a Lambda runtime without a usable %s is named, never recorded blank', (_name, env, message) => {
    expect(() => executorFromEnv(env)).toThrow(message);
  });
});

describe('the local pool records where it ran', () => {
  const pool = new WorkerPoolExecutor({ concurrency: 1, workerUrl: poolWorkerUrl() });
  afterAll(() => pool.close());

  test('local, with the hash of the built pool worker that ran the task', async () => {
    const before = Date.now();
    const [outcome] = await pool.runBatch([{ id: taskId(task), task }]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const p = outcome.result.provenance;
    expectWellFormed(p, before);
    expect(p.executor).toEqual({ kind: 'local' });
    expect(p.bundle).toEqual({ file: 'pool-worker.mjs', sha256: sha256(fileURLToPath(poolWorkerUrl())) });
  });
});

describe('provenance stays outside the numbers', () => {
  test('the same task run as Lambda and locally: the same digest; write-once calls it identical and keeps the stored object', async () => {
    const { io, summary: first } = await handled();
    const key = first.key ?? '';
    const stored = io.objects.get(key);
    const { summary: second } = await handled({ kind: 'local' }, io);
    expect(second.result.digest).toBe(first.result.digest);
    expect(second.result.provenance).not.toEqual(first.result.provenance);
    expect(second.stored).toBe('identical');
    expect(await writeOnce(io, key, { ...second.result, provenance: undefined })).toBe('identical');
    expect(io.objects.get(key)).toBe(stored);
  });

  test('a result stored before provenance was recorded still reads, without one', () => {
    const old = tinyResult(1);
    expect(old.provenance).toBeUndefined();
    const text = serializeResult(old);
    expect(text).not.toContain('provenance');
    expect(parseResult(text, 'old.json')).toEqual(old);
  });

  test('a result stored before the kernel was recorded still reads, without one', async () => {
    const { summary } = await handled();
    const { kernel: _, ...earlier } = summary.result.provenance ?? expect.fail('no provenance');
    const old = { ...summary.result, provenance: earlier };
    const read = parseResult(serializeResult(old), 'old.json');
    expect(read).toEqual(old);
    expect(read.provenance).not.toHaveProperty('kernel');
  });
});

describe('a malformed provenance makes the result corrupt, naming the field', () => {
  const good = async () => (await handled()).summary.result;
  test.each<[string, (p: Record<string, unknown>) => unknown, RegExp]>([
    ['a short bundle hash', (p) => ({ ...p, bundle: { file: 'index.mjs', sha256: 'abc' } }), /result\.provenance\.bundle\.sha256/],
    ['a Lambda executor without its region', (p) => ({ ...p, executor: { kind: 'lambda', functionName: 'f', functionVersion: '1', memoryMb: 1769 } }), /result\.provenance\.executor\.region/],
    ['an unknown executor', (p) => ({ ...p, executor: { kind: 'ec2' } }), /result\.provenance\.executor/],
    ['a time that is not ISO 8601', (p) => ({ ...p, at: 'yesterday' }), /result\.provenance\.at/],
    ['a kernel lambdastar does not have', (p) => ({ ...p, kernel: 'gpu' }), /result\.provenance\.kernel/],
    ['an extra field', (p) => ({ ...p, host: 'lab-7' }), /result\.provenance: unknown field "host"/],
    ['no object at all', () => 'lambda', /result\.provenance/],
  ])('%s', async (_what, change, field) => {
    const result = await good();
    const text = JSON.stringify({ ...result, provenance: change(result.provenance as unknown as Record<string, unknown>) });
    const read = () => parseResult(text, 'cells/x/y.json');
    expect(read).toThrow(CorruptResultError);
    expect(read).toThrow(field);
  });
});
