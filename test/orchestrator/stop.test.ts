/**
 * Stopping a sweep: by the user (one Ctrl-C stops new work, what runs lands; a second ends at once)
 * and by the environment (a full disk stops the run with the store named, and leaves no debris).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseResult } from '../../functions/results.js';
import type { Executor } from '../../orchestrator/executors/executor.js';
import { WorkerPoolExecutor } from '../../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { MemoryBackend } from '../../orchestrator/store/memory-backend.js';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import type { ObjectBackend } from '../../orchestrator/store/object-backend.js';
import { StoreWriteError } from '../../orchestrator/store/result-store.js';
import { runSweep } from '../../orchestrator/sweep/run-sweep.js';
import { CLI, errorLines, runCli } from '../helpers/cli.js';
import { instrumented } from '../helpers/executors.js';

const pool: Executor = new WorkerPoolExecutor({ concurrency: 2, workerUrl: poolWorkerUrl() });
afterAll(() => pool.close());
const spec = canonicalize(specSchema.parse({ n: [10, 20, 30, 40], lambdas: [1e-3, 1e-2], seeds: 3, epochs: 5, valSize: 50 }));

/** The pool, counting the tasks it starts and calling `onStart` with each count. */
function watched(onStart: (started: number) => void): { executor: Executor; started: () => number } {
  let started = 0;
  const executor = instrumented(pool, (batch, run) => {
    started += batch.length;
    onStart(started);
    return run(batch);
  });
  return { executor, started: () => started };
}

describe('a stop requested by the user', () => {
  test('no task starts after the signal; those running finish and are stored; a resume trains the rest', async () => {
    const backend = new MemoryBackend();
    const store = new ObjectResultStore(backend, '', 'memory:');
    const stop = new AbortController();
    const w = watched((n) => n === 3 && stop.abort());
    const summary = await runSweep({ spec, store, executor: w.executor, signal: stop.signal });
    expect(summary.aborted).toBe(true);
    expect(w.started()).toBe(3);
    expect(summary.tasksRun).toBe(3);
    const stored = [...backend.objects.keys()].filter((k) => k.startsWith('cells/'));
    expect(stored).toHaveLength(3);
    const resumed = await runSweep({ spec, store, executor: pool });
    expect([resumed.pointsReused, resumed.pointsTrained]).toEqual([6, 24 - 6]);
  });
});

/** A backend whose disk fills up after `room` result objects; `onFull` hears the first refusal. */
class FillingBackend implements ObjectBackend {
  constructor(readonly inner: MemoryBackend, private room: number, private readonly onFull: () => void) {}
  read(key: string) {
    return this.inner.read(key);
  }
  async createExclusive(key: string, body: string) {
    if (key.startsWith('cells/') && this.room-- <= 0) {
      if (this.room === -1) this.onFull();
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return this.inner.createExclusive(key, body);
  }
  put(key: string, body: string) {
    return this.inner.put(key, body);
  }
  listNames(dir: string) {
    return this.inner.listNames(dir);
  }
  listFolders(dir: string) {
    return this.inner.listFolders(dir);
  }
}

describe('a store that fills up', () => {
  test('stops the run at once with one error naming the store and the object; nothing more starts; a resume with space completes', async () => {
    const memory = new MemoryBackend();
    let startedWhenFull = -1;
    const w = watched(() => {});
    const full = new ObjectResultStore(new FillingBackend(memory, 4, () => (startedWhenFull = w.started())), '', './runs');
    const err = await runSweep({ spec, store: full, executor: w.executor }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreWriteError);
    expect((err as Error).message).toMatch(/^--store \.\/runs: could not write \.\/runs\/cells\/[0-9a-f]{16}\/[0-9a-f]{16}\.json \(ENOSPC: no space left on device, write\); free some space and run again — everything stored is intact$/);
    // Nothing starts once the disk is full, but for a task whose slot freed in the same instant.
    expect(startedWhenFull).toBeGreaterThanOrEqual(5);
    expect(w.started() - startedWhenFull).toBeLessThanOrEqual(pool.concurrency - 1);
    expect(w.started()).toBeLessThan(12);
    const roomy = new ObjectResultStore(memory, '', './runs');
    const resumed = await runSweep({ spec, store: roomy, executor: pool });
    expect(resumed.failed).toEqual([]);
    expect(resumed.points).toBe(24);
  });
});

describe('Ctrl-C and SIGTERM through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambdastar-stop-'));
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify({ n: [300, 400, 500, 600], lambdas: [1e-3, 1e-2], seeds: 6, epochs: 200, valSize: 1000 }));
  const resultFiles = (store: string) => {
    const cells = join(store, 'cells');
    return existsSync(cells) ? readdirSync(cells).flatMap((c) => readdirSync(join(cells, c)).map((f) => join(cells, c, f))) : [];
  };

  /** Starts a run and resolves once `results` objects are stored (an event the run cannot skip). */
  function startRun(store: string, results: number) {
    const child = spawn(process.execPath, [CLI, 'run', '--spec', specFile, '--store', store, '--concurrency', '1', '--no-progress', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (resultFiles(store).filter((f) => f.endsWith('.json')).length >= results) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
      void exited.then(() => (clearInterval(timer), reject(new Error(`the run ended first: ${stderr}`))));
    });
    return { child, ready, exited, out: () => stdout, err: () => stderr };
  }

  test.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s: the running task lands, nothing new starts, a partial report, exit %i; the next run resumes', async (signal, code) => {
    const store = join(dir, `store-${signal}`);
    const run = startRun(store, 2);
    await run.ready;
    run.child.kill(signal);
    expect(await run.exited).toBe(code);
    expect(run.err()).toContain(`${signal}: stopping — no new tasks start`);
    const summary = JSON.parse(run.out()) as { aborted: boolean; cells: number; tasksRun: number; reportDir: string };
    expect(summary.aborted).toBe(true);
    const stored = resultFiles(store);
    for (const f of stored) expect(() => parseResult(readFileSync(f, 'utf8'), f)).not.toThrow();
    expect(stored.length).toBe(summary.tasksRun);
    expect(stored.length).toBeLessThan(24);
    expect(readFileSync(join(summary.reportDir, 'report.html'), 'utf8')).toContain('This report is partial: the run was stopped');
    const resumed = await runCli(['run', '--spec', specFile, '--store', store, '--json', '--no-report', '--no-progress']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ pointsReused: stored.length * 2, pointsTrained: (24 - stored.length) * 2 });
  });

  test('a second Ctrl-C ends at once; what is stored stays intact and the next run completes', async () => {
    const store = join(dir, 'store-twice');
    const run = startRun(store, 1);
    await run.ready;
    run.child.kill('SIGINT');
    await new Promise<void>((r) => {
      const check = () => (run.err().includes('stopping') ? r() : setTimeout(check, 5));
      check();
    });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(errorLines(run.err()).at(-1)).toMatch(/SIGINT again: stopping now/);
    expect(run.out()).toBe('');
    // What is stored is whole, and no temporary file is left behind.
    const files = resultFiles(store);
    expect(files.filter((f) => !f.endsWith('.json'))).toEqual([]);
    for (const f of files) expect(() => parseResult(readFileSync(f, 'utf8'), f)).not.toThrow();
    const resumed = await runCli(['run', '--spec', specFile, '--store', store, '--json', '--no-report', '--no-progress']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ points: 48 });
  });
});
