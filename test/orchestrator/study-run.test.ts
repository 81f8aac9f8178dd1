/**
 * The study command end to end on a small study: pilot, planned seeds, reference, the documents;
 * then again from the store alone, which must train nothing and write the same bytes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPoolExecutor } from '../../orchestrator/executors/worker-pool.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { sweepId } from '../../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import type { Study } from '../../orchestrator/study/init-epochs.js';
import { INIT_EPOCHS, studyConfigs } from '../../orchestrator/study/init-epochs.js';
import type { StudyOutcome } from '../../orchestrator/study/run-study.js';
import { runStudy } from '../../orchestrator/study/run-study.js';
import { readRuns, writeStudy } from '../../orchestrator/study/write-study.js';

const SMALL: Study = {
  ...INIT_EPOCHS,
  name: 'small-study',
  n: [8, 16, 32, 64, 128],
  initFactors: [0.1, 10],
  epochs: [5, 20],
  pilotSeeds: 3,
  // Tight enough that some configuration asks the planner for more seeds.
  targetHalfWidth: 0.05,
  maxSeeds: 5,
  maxPlanRounds: 1,
  referenceLambdas: [1e-3, 1e-2, 1e-1, 1],
  reference: { epochs: 20, batch: 'full', initFactors: [0.1, 10], seeds: 3 },
  valSize: 200,
};

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length), await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

describe('study: a small study end to end', () => {
  let root: string;
  let first: StudyOutcome;
  let docs: Map<string, Buffer>;
  const logs: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lambdastar-study-'));
    const executor = new WorkerPoolExecutor({ workerUrl: poolWorkerUrl() });
    try {
      first = await runStudy(SMALL, { store: openStore(join(root, 'store')), executor, log: (l) => logs.push(l) });
    } finally {
      await executor.close();
    }
    const runs = [{ started: '2026-01-01T00:00:00.000Z', wallSeconds: 75, pointsTrained: first.pointsTrained, cores: 2, kernel: 'wasm-simd' }];
    await writeStudy(SMALL, first, runs, join(root, 'docs'));
    docs = await files(join(root, 'docs'));
  }, 600_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('runs every configuration from the pilot, and more seeds only where the planner asked', () => {
    expect(first.configs.map((c) => c.config)).toEqual(studyConfigs(SMALL));
    for (const c of first.configs) {
      expect(c.seedSteps[0]).toBe(SMALL.pilotSeeds);
      expect(c.seedSteps.length).toBeLessThanOrEqual(1 + SMALL.maxPlanRounds);
      expect(Math.max(...c.seedSteps)).toBeLessThanOrEqual(SMALL.maxSeeds);
      // The analysis is of the last seed count: every N has that many seeds with a λ*.
      expect(c.group.points.every((p) => p.seeds === c.seedSteps[c.seedSteps.length - 1])).toBe(true);
      if (c.status === 'reached') expect(c.halfWidth).toBeLessThanOrEqual(SMALL.targetHalfWidth);
      else expect(['floor', 'cap', 'rounds']).toContain(c.status);
    }
    expect(first.configs.some((c) => c.seedSteps.length > 1)).toBe(true);
    expect(first.reference.groups.map((g) => g.initFactor)).toEqual([0.1, 10]);
    expect(first.pointsTrained).toBeGreaterThan(0);
  });

  it('writes the README with the answer first, a row per configuration, and every figure it links', () => {
    const readme = docs.get('/README.md')?.toString() ?? '';
    const headings = readme.split('\n').filter((l) => l.startsWith('## '));
    expect(headings[0]).toBe('## The answer');
    expect(readme).toMatch(/\*\*In short:\*\* batch size 1: [^;]+; batch size full: /);
    const rows = readme.split('\n').filter((l) => /^\| (1|full \(128\)) \| (5|20) \|/.test(l));
    expect(rows).toHaveLength(studyConfigs(SMALL).length);
    for (const link of readme.matchAll(/\]\((figures\/[^)]+\.svg)\)/g)) expect(docs.has(`/${link[1]}`), link[1]).toBe(true);
    expect(docs.has('/figures/slope-vs-epochs.svg')).toBe(true);
    expect(docs.has('/figures/reference.svg')).toBe(true);
    expect(readme).toContain('Wall time: 75.0 s on 2 cores (kernel wasm-simd)');
  });

  it('writes each configuration\'s final spec and the reference\'s, which run as the same sweeps', () => {
    const specs = [...docs.keys()].filter((k) => k.startsWith('/specs/'));
    expect(specs).toHaveLength(first.configs.length + 1);
    const ids = new Set([...first.configs.map((c) => c.analysis.sweepId), first.reference.sweepId]);
    for (const k of specs) {
      const spec = canonicalize(specSchema.parse(JSON.parse(docs.get(k)?.toString() ?? '')));
      expect(ids.has(sweepId(spec)), k).toBe(true);
    }
  });

  it('rebuilds from the store alone: nothing trained, the same bytes', async () => {
    const executor = new WorkerPoolExecutor({ workerUrl: poolWorkerUrl() });
    let again: StudyOutcome;
    try {
      again = await runStudy(SMALL, { store: openStore(join(root, 'store')), executor });
    } finally {
      await executor.close();
    }
    expect(again.pointsTrained).toBe(0);
    expect(again.configs.map((c) => c.seedSteps)).toEqual(first.configs.map((c) => c.seedSteps));
    await writeStudy(SMALL, again, await readRuns(join(root, 'docs')), join(root, 'docs'));
    const rebuilt = await files(join(root, 'docs'));
    expect([...rebuilt.keys()].sort()).toEqual([...docs.keys()].sort());
    for (const [k, v] of docs) expect(rebuilt.get(k)?.equals(v), k).toBe(true);
  }, 600_000);
});
