import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseResult } from '../../functions/results.js';
import type { Executor } from '../../orchestrator/executors/executor.js';
import { WorkerPoolExecutor } from '../../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { planCells } from '../../orchestrator/plan/planner.js';
import { writeReport } from '../../orchestrator/report/write-report.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import { runSweep } from '../../orchestrator/sweep/run-sweep.js';
import { CLI, runCli } from '../helpers/cli.js';
import { instrumented } from '../helpers/executors.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-sweep-'));
const pool: Executor = new WorkerPoolExecutor({ concurrency: 2, workerUrl: poolWorkerUrl() });
afterAll(() => pool.close());

function specFile(name: string, body: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

/** The pool, with every task of one cell failing (an executor fault, injected at the port). */
function failingOn(cellN: number, seed: number): { executor: Executor; attempts: () => number } {
  let attempts = 0;
  const executor = instrumented(pool, async (batch, run) => {
    const hit = batch.filter((t) => t.task.n === cellN && t.task.seed === seed);
    attempts += hit.length;
    const outcomes = await run(batch.filter((t) => !hit.includes(t)));
    return batch.map((t) => (hit.includes(t) ? { id: t.id, ok: false as const, message: 'injected failure' } : outcomes.shift()!));
  });
  return { executor, attempts: () => attempts };
}

/** Every result object under a folder store's cells. */
function resultFiles(store: string): string[] {
  const cells = join(store, 'cells');
  if (!existsSync(cells)) return [];
  return readdirSync(cells).flatMap((c) => readdirSync(join(cells, c)).map((f) => join(cells, c, f)));
}

describe('sweeps', () => {
  test('a task that fails is retried once, then recorded; the sweep finishes and the report lists it; a rerun completes it', async () => {
    const spec = canonicalize(specSchema.parse({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 }));
    const store = openStore(join(dir, 'fail-store'));
    const twin = openStore(join(dir, 'fail-twin'));
    await runSweep({ spec, store: twin, executor: pool });
    const victim = [...planCells(spec)].find((c) => c.cell.n === 20 && c.cell.seed === 1)!;
    const failing = failingOn(20, 1);
    const summary = await runSweep({ spec, store, executor: failing.executor });
    expect(failing.attempts()).toBe(2);
    expect(summary.failed).toEqual([{ taskId: expect.any(String), cellId: victim.id, lambdas: [1e-3, 1e-2], attempts: 2, message: 'injected failure' }]);
    expect(summary.cellsDone).toBe(3);
    expect(await store.getFailures(summary.sweepId)).toEqual(summary.failed);
    const out = join(dir, 'fail-report');
    const { analysis } = await writeReport(store, summary.sweepId, out);
    expect(analysis.cells.incomplete).toEqual([victim.id]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Failed tasks');
    expect(html).toContain(victim.id);

    const rerun = await runSweep({ spec, store, executor: pool });
    expect([rerun.pointsReused, rerun.pointsTrained, rerun.failed.length]).toEqual([6, 2, 0]);
    expect(await store.getFailures(summary.sweepId)).toEqual([]);
    const [a, b] = [join(dir, 'fail-a'), join(dir, 'fail-b')];
    await writeReport(store, summary.sweepId, a);
    await writeReport(twin, summary.sweepId, b);
    expect(readFileSync(join(a, 'analysis.json'), 'utf8')).toBe(readFileSync(join(b, 'analysis.json'), 'utf8'));
  });

  test('resume after SIGKILL: no point lost, none trained twice, no partial file, analysis identical to an uninterrupted run', async () => {
    const spec = specFile('kill', { n: [60, 120, 240], lambdas: [1e-3, 1e-2, 1e-1], seeds: 6, epochs: 150, valSize: 2000 });
    const killed = join(dir, 'killed-store');
    const child = spawn(process.execPath, [CLI, 'run', '--spec', spec, '--store', killed, '--no-report', '--no-progress', '--concurrency', '2'], { stdio: 'ignore' });
    // Kill once four results are stored: polled by file count, an event the child cannot miss.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (resultFiles(killed).filter((f) => f.endsWith('.json')).length >= 4) {
          child.kill('SIGKILL');
          clearInterval(timer);
          resolve();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run finished before it could be killed'));
      });
    });
    await new Promise((r) => child.on('close', r));
    const survivors = resultFiles(killed).filter((f) => /[0-9a-f]{16}\.json$/.test(f));
    for (const f of survivors) expect(() => parseResult(readFileSync(f, 'utf8'), f)).not.toThrow();
    expect(survivors.length).toBeGreaterThanOrEqual(4);
    expect(survivors.length).toBeLessThan(18);

    const resumed = await runCli(['run', '--spec', spec, '--store', killed, '--json']);
    expect(resumed.code).toBe(0);
    const s = JSON.parse(resumed.stdout) as { sweepId: string; cells: number; pointsReused: number; pointsTrained: number };
    expect(s.cells).toBe(18);
    expect(s.pointsReused).toBe(survivors.length * 3);
    expect(s.pointsTrained).toBe((18 - survivors.length) * 3);
    expect(resultFiles(killed).filter((f) => !/[0-9a-f]{16}\.json$/.test(f))).toEqual([]);

    const clean = join(dir, 'clean-store');
    expect((await runCli(['run', '--spec', spec, '--store', clean, '--json'])).code).toBe(0);
    const report = (store: string) => join(store, 'sweeps', s.sweepId, 'report');
    expect(readFileSync(join(report(killed), 'analysis.json'), 'utf8')).toBe(readFileSync(join(report(clean), 'analysis.json'), 'utf8'));
    expect(readFileSync(join(report(killed), 'results.csv'), 'utf8')).toBe(readFileSync(join(report(clean), 'results.csv'), 'utf8'));
  });
});
