/**
 * λ-points as the unit of storage, through the real sweep runner, trainer and folder store: what is
 * reused, what is trained, and that an adaptive search resumes from stored points alone.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runTask } from '../../functions/trainer/run-task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { ADAPTIVE_TIE, argminIndex } from '../../orchestrator/analysis/lambda-star.js';
import type { Executor } from '../../orchestrator/executors/executor.js';
import { WorkerPoolExecutor } from '../../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { sweepId } from '../../orchestrator/plan/planner.js';
import { writeReport } from '../../orchestrator/report/write-report.js';
import type { SpecInput } from '../../orchestrator/spec/spec-schema.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import type { ResultStore } from '../../orchestrator/store/result-store.js';
import { readSweep } from '../../orchestrator/sweep/load-sweep.js';
import { runSweep } from '../../orchestrator/sweep/run-sweep.js';
import { instrumented } from '../helpers/executors.js';

const pool: Executor = new WorkerPoolExecutor({ concurrency: 2, workerUrl: poolWorkerUrl() });
afterAll(() => pool.close());

const spec = (raw: SpecInput) => canonicalize(specSchema.parse(raw));
const freshStore = () => openStore(mkdtempSync(join(tmpdir(), 'lambdastar-points-')));

/** The pool, counting the λ it was asked to train. */
function counting() {
  let trained = 0;
  const executor = instrumented(pool, (batch, run) => {
    trained += batch.reduce((s, t) => s + t.task.lambdas.length, 0);
    return run(batch);
  });
  return { executor, trained: () => trained };
}

async function report(store: ResultStore, id: string): Promise<{ analysis: string; csv: string }> {
  const out = mkdtempSync(join(tmpdir(), 'lambdastar-points-report-'));
  await writeReport(store, id, out);
  return { analysis: readFileSync(join(out, 'analysis.json'), 'utf8'), csv: readFileSync(join(out, 'results.csv'), 'utf8') };
}

const base = { n: [12, 24], lambdas: [1e-3, 1e-2, 1e-1], seeds: 2, epochs: 20, valSize: 200 };

describe('points shared by every sweep in a store', () => {
  test('a spec grown by one N, one seed or one λ trains exactly the new points; a renamed spec trains nothing', async () => {
    const store = freshStore();
    const first = counting();
    const s1 = await runSweep({ spec: spec(base), store, executor: first.executor });
    expect([s1.points, s1.pointsTrained, s1.pointsReused]).toEqual([12, 12, 0]);
    expect(first.trained()).toBe(12);

    const grown: [SpecInput, number][] = [
      [{ ...base, n: [12, 24, 48] }, 2 * 3],
      [{ ...base, seeds: 3 }, 2 * 3],
      [{ ...base, lambdas: [1e-3, 3e-3, 1e-2, 1e-1] }, 4],
    ];
    for (const [bigger, fresh] of grown) {
      const c = counting();
      const s = await runSweep({ spec: spec(bigger), store, executor: c.executor });
      expect(c.trained()).toBe(fresh);
      expect(s.pointsTrained).toBe(fresh);
      expect(s.pointsReused).toBe(s.points - fresh);
    }
    const renamed = counting();
    const r = await runSweep({ spec: spec({ ...base, name: 'another name', description: 'said differently' }), store, executor: renamed.executor });
    expect(renamed.trained()).toBe(0);
    expect(r.sweepId).toBe(sweepId(spec(base)));
    expect([r.pointsReused, r.pointsTrained]).toEqual([12, 0]);
  });

  test("the missing λ of a cell are packed into one task: one data pass per cell and round", async () => {
    const store = freshStore();
    await runSweep({ spec: spec({ ...base, lambdas: [1e-3] }), store, executor: pool });
    const tasks: number[][] = [];
    const wrapped = instrumented(pool, (batch, run) => (tasks.push(...batch.map((t) => t.task.lambdas)), run(batch)));
    await runSweep({ spec: spec(base), store, executor: wrapped });
    expect(tasks).toHaveLength(4);
    for (const lambdas of tasks) expect(lambdas).toEqual([1e-2, 1e-1]);
  });

  test('golden: a sweep that reads points another sweep stored gets the same analysis and CSV, bit for bit, as training them itself', async () => {
    const wide = spec({ ...base, lambdas: [1e-4, 1e-3, 1e-2, 1e-1, 1] });
    const narrow = spec(base);
    const shared = freshStore();
    await runSweep({ spec: wide, store: shared, executor: pool });
    const reader = counting();
    await runSweep({ spec: narrow, store: shared, executor: reader.executor });
    expect(reader.trained()).toBe(0);
    const alone = freshStore();
    await runSweep({ spec: narrow, store: alone, executor: pool });
    const [a, b] = [await report(shared, sweepId(narrow)), await report(alone, sweepId(narrow))];
    expect(a.analysis).toBe(b.analysis);
    expect(a.csv).toBe(b.csv);
    // The narrow sweep's answer uses its own grid only, even though the store holds more λ.
    expect(JSON.parse(a.analysis).lambdas).toEqual({ mode: 'grid', grid: [1e-3, 1e-2, 1e-1] });
    expect(a.csv.trim().split('\n')).toHaveLength(1 + 4 * 3);
  });
});

test('a sweep searched in chunks of cells gets the same points and analysis as in one', async () => {
  const raw = { n: [20, 40, 80], seeds: 2, epochs: 30, valSize: 500, search: { mode: 'adaptive' as const, start: [1e-3, 1e-2, 1e-1, 1] } };
  const [whole, chunked] = [freshStore(), freshStore()];
  const a = await runSweep({ spec: spec(raw), store: whole, executor: pool });
  const b = await runSweep({ spec: spec(raw), store: chunked, executor: pool, chunkCells: 4 });
  expect(b.points).toBe(a.points);
  expect(await report(chunked, b.sweepId)).toEqual(await report(whole, a.sweepId));
});

describe('adaptive search on the real trainer', () => {
  const adaptive = { n: [20, 40], seeds: 2, epochs: 60, valSize: 1000, search: { mode: 'adaptive' as const, start: [1e-3, 1e-2, 1e-1, 1] } };

  test('stopped after every round and resumed: the same points and the same analysis as an uninterrupted run', async () => {
    const straight = freshStore();
    const full = await runSweep({ spec: spec(adaptive), store: straight, executor: pool });
    expect(full.rounds).toBeGreaterThanOrEqual(3);
    const reference = await report(straight, full.sweepId);
    for (let stopAt = 1; stopAt < full.rounds; stopAt++) {
      const store = freshStore();
      // Stop before round stopAt + 1 starts, like Ctrl-C between rounds; then resume with no state but the store.
      const stop = new AbortController();
      const partial = await runSweep({
        spec: spec(adaptive), store, executor: pool, signal: stop.signal,
        onRound: (info) => void (info.round > stopAt && stop.abort()),
      });
      expect(partial.aborted).toBe(true);
      expect(partial.rounds).toBe(stopAt + 1);
      const resumed = await runSweep({ spec: spec(adaptive), store, executor: pool });
      expect(resumed.pointsTrained + partial.pointsTrained).toBe(full.pointsTrained);
      expect(await report(store, full.sweepId)).toEqual(reference);
    }
  });

  test('start grids wholly below and wholly above λ* both end bracketed, within a factor 2 of a dense grid’s argmin; a bound is hit and flagged', async () => {
    const cell = { n: 20, seed: 0, initFactor: 1, reg: 'l2' as const, epochs: 100, valSize: 2000 };
    // 2^(1/4) spacing over the whole range the searches can reach: 1e-6 … 67 (training diverges from ~20 up).
    const dense = Array.from({ length: 105 }, (_, k) => Number((1e-6 * 2 ** (k / 4)).toPrecision(6)));
    const metrics = runTask(withDefaults({ ...cell, lambdas: dense })).metrics;
    const denseStar = dense[argminIndex(metrics.map((m) => ('diverged' in m ? null : m.valLoss)), ADAPTIVE_TIE)];
    const one = { n: [20], seeds: [0], epochs: 100, valSize: 2000 };
    const below = [1e-6, 1e-5];
    const above = [30, 60];
    expect(Math.max(...below)).toBeLessThan(denseStar);
    expect(Math.min(...above)).toBeGreaterThan(denseStar);
    for (const start of [below, above]) {
      const s = spec({ ...one, search: { mode: 'adaptive', start, bounds: [1e-8, 100] } });
      const store = freshStore();
      await runSweep({ spec: s, store, executor: pool });
      const [c] = await readSweep(store, (await store.getManifest(sweepId(s)))!);
      expect(c.outcome).toBe('resolved');
      const star = c.points[argminIndex(c.points.map((m) => ('diverged' in m ? null : m.valLoss)), ADAPTIVE_TIE)].lambda;
      expect(Math.abs(Math.log2(star / denseStar))).toBeLessThanOrEqual(1);
    }
    const capped = spec({ ...one, search: { mode: 'adaptive', start: [1e-5, 1e-4], bounds: [1e-6, 1e-3] } });
    const store = freshStore();
    await runSweep({ spec: capped, store, executor: pool });
    const analysis = JSON.parse((await report(store, sweepId(capped))).analysis);
    expect(analysis.groups[0].points[0]).toMatchObject({ n: 20, boundCount: 1, highEdgeCount: 1 });
    expect(analysis.groups[0].warnings.join(' ')).toMatch(/upper bound of the search \(0\.001\)/);
  });
});
