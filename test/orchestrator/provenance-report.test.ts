/**
 * The report's provenance: results counted by source (executor, bundle, kernel, Node, platform), a warning
 * when several trainer bundles produced the numbers, results without provenance counted as unknown,
 * and readSweep telling the tally of exactly the results that hold the sweep's points.
 */
import { describe, expect, test } from 'vitest';
import type { Provenance } from '../../functions/provenance.js';
import { TRAINER_VERSION, withDefaults } from '../../functions/trainer/task.js';
import { runTask } from '../../functions/trainer/run-task.js';
import { ProvenanceTally, provenanceHtml, provenanceText } from '../../orchestrator/report/provenance.js';
import { MemoryBackend } from '../../orchestrator/store/memory-backend.js';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { readSweep } from '../../orchestrator/sweep/load-sweep.js';
import { tinyManifest, tinyTask } from '../helpers/fixtures.js';

const LOCAL_HASH = 'a'.repeat(64);
const LAMBDA_HASH = 'b'.repeat(64);

function local(at: string, sha256 = LOCAL_HASH): Provenance {
  return { bundle: { file: 'pool-worker.mjs', sha256 }, kernel: 'wasm-simd', node: 'v24.3.0', platform: 'linux', arch: 'x64', executor: { kind: 'local' }, at };
}

function lambda(at: string): Provenance {
  return {
    bundle: { file: 'index.mjs', sha256: LAMBDA_HASH }, kernel: 'wasm-simd', node: 'v24.1.0', platform: 'linux', arch: 'arm64', at,
    executor: { kind: 'lambda', functionName: 'LambdastarStack-TrainerFunction1A2B3C4D-AbCdEfGhIjKl', functionVersion: '$LATEST', memoryMb: 1769, region: 'eu-west-1' },
  };
}

const add = (t: ProvenanceTally, provenance?: Provenance) => t.add({ trainerVersion: TRAINER_VERSION, provenance });

describe('ProvenanceTally', () => {
  test('counts results per source and spans their times, most results first; the time does not split a source', () => {
    const t = new ProvenanceTally();
    add(t, lambda('2025-03-01T10:00:05.000Z'));
    add(t, local('2025-03-01T09:00:00.000Z'));
    add(t, lambda('2025-03-01T10:00:01.5Z'));
    add(t, lambda('2025-03-01T10:00:09Z'));
    add(t);
    expect(t.unknown).toBe(1);
    expect(t.sources.map((s) => [s.executor.kind, s.results, s.first, s.last])).toEqual([
      ['lambda', 3, '2025-03-01T10:00:01.5Z', '2025-03-01T10:00:09Z'],
      ['local', 1, '2025-03-01T09:00:00.000Z', '2025-03-01T09:00:00.000Z'],
    ]);
    expect(t.bundles.map((b) => b.sha256)).toEqual([LAMBDA_HASH, LOCAL_HASH]);
  });

  test('another Node, platform, bundle or kernel is another source', () => {
    const t = new ProvenanceTally();
    const at = '2025-03-01T09:00:00.000Z';
    add(t, local(at));
    add(t, { ...local(at), node: 'v22.0.0' });
    add(t, { ...local(at), arch: 'arm64' });
    add(t, local(at, 'c'.repeat(64)));
    add(t, { ...local(at), kernel: 'js' });
    // Stored before the kernel was recorded: a source of its own, not counted as either kernel.
    const { kernel: _, ...earlier } = local(at);
    add(t, earlier);
    add(t, local('2025-03-02T09:00:00.000Z'));
    expect(t.sources.map((s) => s.results)).toEqual([2, 1, 1, 1, 1, 1]);
    expect(t.sources.map((s) => s.kernel)).toEqual(['wasm-simd', 'wasm-simd', 'wasm-simd', 'wasm-simd', 'js', undefined]);
  });
});

describe('provenanceHtml', () => {
  test('one bundle: a table per source with its count, no warning, the unknown results counted', () => {
    const t = new ProvenanceTally();
    for (let i = 0; i < 4; i++) add(t, local(`2025-03-01T09:00:0${i}.000Z`));
    add(t);
    add(t);
    const html = provenanceHtml(t);
    expect(html).toMatch(/^<section id="provenance"><h2>Provenance<\/h2>/);
    expect(html).toMatch(/<\/section>$/);
    expect(html.match(/<table/g)).toHaveLength(1);
    expect(html).toContain('Source 1 of 1: 4 results');
    expect(html).toContain('One trainer bundle (pool-worker.mjs aaaaaaaaaaaa) produced all 4 results that record their provenance.');
    expect(html).toContain('2 results: unknown (written before provenance was recorded).');
    expect(html).toContain('2025-03-01 09:00:00Z – 2025-03-01 09:00:03Z');
    expect(html).toContain(`<th style="text-align:left;width:6em;vertical-align:top">trainer</th><td style="text-align:left;white-space:normal;overflow-wrap:anywhere;word-break:break-word">${TRAINER_VERSION} · bundle pool-worker.mjs aaaaaaaaaaaa · kernel wasm-simd</td>`);
    expect(html).not.toContain('class="warn"');
  });

  test('a local and a Lambda bundle: both named, no warning; two builds of one bundle: a warning', () => {
    const t = new ProvenanceTally();
    for (let i = 0; i < 3; i++) add(t, lambda('2025-03-01T10:00:00.000Z'));
    add(t, local('2025-03-01T09:00:00.000Z'));
    const html = provenanceHtml(t);
    expect(html.match(/<table/g)).toHaveLength(2);
    expect(html).toContain('Source 1 of 2: 3 results');
    expect(html).toContain('Source 2 of 2: 1 result<');
    expect(html).toContain('<p>2 trainer bundles produced these 4 results (index.mjs bbbbbbbbbbbb, pool-worker.mjs aaaaaaaaaaaa): one per kind of executor, as each is built on its own.</p>');
    const rebuilt = { ...local('2025-03-02T09:00:00.000Z'), bundle: { file: 'pool-worker.mjs', sha256: 'c'.repeat(64) } };
    add(t, rebuilt);
    expect(provenanceHtml(t)).toMatch(/<p class="warn">⚠ 3 trainer bundles produced these 5 results \(.*\): pool-worker\.mjs in more than one build\./);
    expect(html).toContain('lambda LambdastarStack-TrainerFunction1A2B3C4D-AbCdEfGhIjKl:$LATEST · 1769 MB · eu-west-1');
    expect(html).not.toContain('unknown');
  });

  test('fits a narrow page: hashes cut to 12 hex digits, long names allowed to wrap, tables no wider than 500 px', () => {
    const t = new ProvenanceTally();
    add(t, lambda('2025-03-01T10:00:00.000Z'));
    add(t, local('2025-03-01T09:00:00.000Z'));
    const html = provenanceHtml(t);
    expect(html).not.toMatch(/[0-9a-f]{13}/);
    expect(html).toMatch(/<td style="[^"]*overflow-wrap:anywhere/);
    expect(html.match(/<table style="[^"]*max-width:500px/g)).toHaveLength(2);
  });

  test('the kernel is named in a source\'s trainer row when its results record it', () => {
    const t = new ProvenanceTally();
    add(t, { ...local('2025-03-01T09:00:00.000Z'), kernel: 'js' });
    const { kernel: _, ...earlier } = local('2025-03-01T08:00:00.000Z');
    add(t, earlier);
    const rows = [...provenanceHtml(t).matchAll(/>trainer<\/th><td [^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(rows).toEqual([`${TRAINER_VERSION} · bundle pool-worker.mjs aaaaaaaaaaaa`, `${TRAINER_VERSION} · bundle pool-worker.mjs aaaaaaaaaaaa · kernel js`]);
  });

  test('nothing stored yet, or only old results', () => {
    expect(provenanceHtml(new ProvenanceTally())).toContain('No stored result holds a point of this sweep yet.');
    const old = new ProvenanceTally();
    add(old);
    const html = provenanceHtml(old);
    expect(html).toContain('1 result: unknown (written before provenance was recorded).');
    expect(html).not.toContain('<table');
    expect(html).not.toContain('trainer bundle');
  });
});

test('provenanceText: one line for verify', () => {
  expect(provenanceText(local('2025-03-01T09:00:00.123Z'))).toBe('local · bundle pool-worker.mjs aaaaaaaaaaaa · kernel wasm-simd · Node v24.3.0 · linux/x64 · 2025-03-01 09:00:00Z');
  expect(provenanceText({ ...local('2025-03-01T09:00:00.123Z'), kernel: 'js' })).toContain(' · kernel js · ');
  const { kernel: _, ...earlier } = local('2025-03-01T09:00:00.123Z');
  expect(provenanceText(earlier)).toBe('local · bundle pool-worker.mjs aaaaaaaaaaaa · Node v24.3.0 · linux/x64 · 2025-03-01 09:00:00Z');
  expect(provenanceText(null)).toBe('unknown (written before provenance was recorded)');
});

test('readSweep tells the tally of each stored result holding a point of the sweep, once, and of no other', async () => {
  // tinyManifest: N 10 and 20, λ 1e-3 and 1e-1, one seed.
  const store = new ObjectResultStore(new MemoryBackend(), 'lab', 'memory:');
  const manifest = tinyManifest();
  await store.putManifest(manifest);
  const at = '2025-03-01T09:00:00.000Z';
  await store.putResult({ ...runTask(tinyTask(0)), provenance: local(at) });
  await store.putResult({ ...runTask(tinyTask(0, [1e-3])), provenance: lambda(at) });
  await store.putResult(runTask(withDefaults({ ...tinyTask(0), n: 20 })));
  // Another sweep's λ in the same cell, and another seed: not points of this sweep.
  await store.putResult({ ...runTask(tinyTask(0, [0.5])), provenance: lambda(at) });
  await store.putResult({ ...runTask(tinyTask(1)), provenance: lambda(at) });
  const tally = new ProvenanceTally();
  const cells = await readSweep(store, manifest, { provenance: tally });
  expect(cells.map((c) => c.points.length)).toEqual([2, 2]);
  expect(tally.sources.map((s) => [s.executor.kind, s.results])).toEqual([['lambda', 1], ['local', 1]]);
  expect(tally.unknown).toBe(1);
  // Without a collector, the same cells.
  expect(await readSweep(store, manifest)).toEqual(cells);
});
