/**
 * The bars of λ-points storage and the adaptive search (issue #8):
 * 1. thesis-fig2-adaptive against the 22-point extended grid: no cell on an edge or at a bound,
 *    λ* resolved to 2^(1/4), at most half the λ-pattern-epochs, a slope inside the grid's CI.
 * 2. Growing `quick` by one N after a full run trains only that N's points.
 * 3. Reading 10,000 stored points back for a report from S3: requests grow with the results
 *    written (not with points × sweeps), and memory stays small.
 * BENCH_STORE=<folder> reuses a store (e.g. the one `npm run reproduce` filled) instead of a fresh one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { metricsDigest } from '../functions/trainer/digest.js';
import { TRAINER_VERSION } from '../functions/trainer/task.js';
import type { Analysis } from '../orchestrator/analysis/analysis-types.js';
import { analyze } from '../orchestrator/analysis/analyze.js';
import { makeS3Client } from '../orchestrator/aws/clients.js';
import { WorkerPoolExecutor } from '../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../orchestrator/paths.js';
import { planCells, sweepId, taskFor } from '../orchestrator/plan/planner.js';
import { readSweep } from '../orchestrator/sweep/load-sweep.js';
import { PRESETS } from '../orchestrator/spec/presets.js';
import type { SpecInput } from '../orchestrator/spec/spec-schema.js';
import { canonicalize, specSchema } from '../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../orchestrator/store/manifest-io.js';
import { ObjectResultStore } from '../orchestrator/store/object-result-store.js';
import { openStore } from '../orchestrator/store/open-store.js';
import type { ResultStore } from '../orchestrator/store/result-store.js';
import { S3Backend } from '../orchestrator/store/s3-backend.js';
import { startS3rver } from '../test/helpers/s3rver.js';
import { progressFor } from '../orchestrator/sweep/progress.js';
import { runSweep } from '../orchestrator/sweep/run-sweep.js';

const spec = (raw: SpecInput) => canonicalize(specSchema.parse(raw));
// BENCH_PARTS=read (or search, grow) runs only those parts.
const parts = new Set((process.env.BENCH_PARTS ?? 'search,grow,read').split(','));
const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');
const pool = new WorkerPoolExecutor({ workerUrl: poolWorkerUrl() });
const folder = process.env.BENCH_STORE ?? mkdtempSync(join(tmpdir(), 'lambdastar-bench-adaptive-'));
const store = openStore(folder);

async function sweep(name: string, raw: SpecInput): Promise<{ analysis: Analysis; trained: number; points: number }> {
  const s = spec(raw);
  const summary = await runSweep({ spec: s, store, executor: pool, progress: progressFor(process.stderr) });
  const manifest = await store.getManifest(sweepId(s));
  if (!manifest) throw new Error(`${name}: no manifest`);
  return { analysis: analyze(manifest, await readSweep(store, manifest)), trained: summary.pointsTrained, points: summary.points };
}

/** 1. The adaptive search against the extended grid. */
async function searchBench(): Promise<void> {
  const ext = (await sweep('thesis-fig2-ext', PRESETS['thesis-fig2-ext'])).analysis;
  const adaptive = (await sweep('thesis-fig2-adaptive', PRESETS['thesis-fig2-adaptive'])).analysis;
  const [g, x] = [adaptive.groups[0], ext.groups[0]];
  const edges = g.points.reduce((s, p) => s + p.edgeCount, 0);
  const bounds = g.points.reduce((s, p) => s + p.boundCount, 0);
  const resolution = Math.max(...g.points.map((p) => p.resolution ?? Infinity));
  const ratio = adaptive.work / ext.work;
  const ci = x.slope?.ci95 ?? [NaN, NaN];
  const inside = g.slope !== null && g.slope.value >= ci[0] && g.slope.value <= ci[1];
  console.log('thesis-fig2-adaptive against thesis-fig2-ext (22-point grid), 140 cells:');
  console.log(`  work: ${(adaptive.work / 1e9).toFixed(3)} G vs ${(ext.work / 1e9).toFixed(3)} G λ-pattern-epochs: ratio ${ratio.toFixed(3)} (bar ≤ 0.5: ${ok(ratio <= 0.5)})`);
  console.log(`  points: ${adaptive.points} (${(adaptive.points / adaptive.cells.planned).toFixed(1)} per cell) vs ${ext.points}`);
  console.log(`  cells on an edge: ${edges}, at a bound: ${bounds} (bar 0: ${ok(edges === 0 && bounds === 0 && adaptive.cells.incomplete.length === 0)})`);
  console.log(`  worst resolution: ×${resolution.toFixed(4)} (bar ≤ 2^(1/4) = ×${(2 ** 0.25).toFixed(4)}: ${ok(resolution <= 2 ** 0.25 * (1 + 1e-6))})`);
  console.log(
    `  slope: adaptive ${g.slope?.value.toFixed(3)} [${g.slope?.ci95?.map((v) => v.toFixed(3)).join(', ')}], ` +
      `grid ${x.slope?.value.toFixed(3)} [${ci.map((v) => v.toFixed(3)).join(', ')}] (bar: inside the grid's CI: ${ok(inside)})`,
  );
}

/** 2. Growing quick by one N. */
async function growBench(): Promise<void> {
  const quick = PRESETS.quick;
  await sweep('quick', quick);
  const grown = await sweep('quick + N = 2560', { ...quick, n: [...(quick.n as number[]), 2560] });
  const expected = (quick.seeds as number) * (quick.lambdas as number[]).length;
  console.log(`quick grown by N = 2560: trained ${grown.trained} of the sweep's ${grown.points} points (bar: exactly the new N's ${expected}: ${ok(grown.trained === expected)})`);
}

/** An S3 store whose client counts its requests. */
function countedStore(prefix: string): { store: ResultStore; requests: () => number } {
  const client: S3Client = makeS3Client({ maxSockets: 64 });
  let requests = 0;
  client.middlewareStack.add((next) => async (args) => {
    requests++;
    return next(args);
  }, { step: 'initialize' });
  return { store: new ObjectResultStore(new S3Backend(client, 'bench'), prefix, `s3://bench/${prefix}`), requests: () => requests };
}

function cellsSpec(cells: number, lambdas: number[]): SpecInput {
  return { n: Array.from({ length: cells / 10 }, (_, i) => 10 + 2 * i), lambdas, seeds: 10, epochs: 1 };
}

/** Stores `cells × lambdas` made-up points, `perTask` λ to a result object (no training). */
async function fill(prefix: string, cells: number, lambdas: number[], perTask: number) {
  const s = spec(cellsSpec(cells, lambdas));
  const { store } = countedStore(prefix);
  await store.putManifest(buildManifest(s));
  let objects = 0;
  const writes: Promise<unknown>[] = [];
  for (const { cell } of planCells(s)) {
    for (let i = 0; i < lambdas.length; i += perTask) {
      const { id, task } = taskFor(cell, lambdas.slice(i, i + perTask));
      const metrics = task.lambdas.map((lambda) => ({ lambda, trainLoss: 0.3, trainObjective: 0.31, valLoss: 0.5 + Math.abs(Math.log10(lambda) + 2), valError: 0.2, weightNorm: 1 }));
      writes.push(store.putResult({ taskId: id, task, trainerVersion: TRAINER_VERSION, metrics, digest: metricsDigest(metrics), wallMs: 0 }));
      objects++;
      if (writes.length >= 64) await Promise.all(writes.splice(0));
    }
  }
  await Promise.all(writes);
  return { spec: s, objects };
}

async function readBack(prefix: string, s: ReturnType<typeof spec>) {
  const { store, requests } = countedStore(prefix);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  const manifest = buildManifest(s);
  const cells = await readSweep(store, manifest);
  const a = analyze(manifest, cells);
  clearInterval(sampler);
  gc();
  // What the report holds once the reading is done: the points and the analysis, no object texts.
  const retained = process.memoryUsage().heapUsed - before;
  return { points: a.points, requests: requests(), peakMb: (peak - before) / 2 ** 20, retainedMb: retained / 2 ** 20 };
}

/** 3. Reading 10,000 points back from S3, every object checked. */
async function readBench(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const server = await startS3rver('bench');
  process.env.AWS_ENDPOINT_URL_S3 = server.endpoint;
  const lambdas20 = Array.from({ length: 20 }, (_, i) => Number((1e-4 * 10 ** (i / 5)).toPrecision(6)));
  console.log('reading a stored sweep back from S3 (s3rver), every object checked:');
  for (const [label, cells, perTask] of [['10,000 points in 500 objects', 500, 20], ['10,000 points in 1,000 objects', 500, 10], ['40,000 points in 2,000 objects', 2000, 20]] as const) {
    const prefix = `p${cells}-${perTask}`;
    const { spec: s, objects } = await fill(prefix, cells, lambdas20, perTask);
    const r = await readBack(prefix, s);
    // A second sweep over the same cells (half the λ) reads the same objects again, no more.
    const second = await readBack(prefix, spec(cellsSpec(cells, lambdas20.filter((_, i) => i % 2 === 0))));
    console.log(
      `  ${label} (${cells} cells): ${r.points} points read with ${r.requests} requests (${(r.requests / objects).toFixed(2)} per object written), ` +
        `heap retained +${r.retainedMb.toFixed(1)} MB (${((r.retainedMb * 2 ** 20) / r.points).toFixed(0)} B per point; peak with garbage +${r.peakMb.toFixed(0)} MB); ` +
        `a second sweep of ${second.points} of those points: ${second.requests} requests`,
    );
  }
  await server.stop();
}

console.log(`store: ${folder}`);
if (parts.has('search')) await searchBench();
if (parts.has('grow')) await growBench();
await pool.close();
if (!process.env.BENCH_STORE) rmSync(folder, { recursive: true, force: true });
if (parts.has('read')) await readBench();
