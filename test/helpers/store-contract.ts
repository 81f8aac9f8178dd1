/**
 * The contract every `ResultStore` adapter must meet; each adapter's test file runs it with a
 * factory that gives a fresh, empty store, raw access to its objects behind the store's back, and a
 * way to make the store's next create of a key lose a race.
 */
import { describe, expect, test } from 'vitest';
import type { WaitOptions } from '../../functions/results.js';
import { CorruptResultError, ResultConflictError, serializeResult, WriteInProgressError } from '../../functions/results.js';
import { cellId } from '../../functions/trainer/ids.js';
import type { TaskResult } from '../../functions/trainer/task.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest, serializeManifest } from '../../orchestrator/store/manifest-io.js';
import type { ResultStore, StoredEntry } from '../../orchestrator/store/result-store.js';
import { CorruptRecordError, StoreLayoutError } from '../../orchestrator/store/result-store.js';
import { relativeKey, tinyManifest, tinyResult } from './fixtures.js';

export interface StoreUnderTest {
  store: ResultStore;
  /** Objects by key relative to the store's prefix, bypassing the store. */
  raw: { write(key: string, body: string): Promise<void>; read(key: string): Promise<string | undefined> };
  /**
   * The store's next create of `key` loses: to another writer whose object `body` lands just before
   * it ('exists'), or to a conditional write still in flight ('in-progress': refused, nothing there).
   */
  race(key: string, race: { mode: 'exists'; body: string } | { mode: 'in-progress' }): void;
}

/** `wait` is handed to the store: its `sleep` stands in for the time another writer takes. */
export type StoreFactory = (wait: WaitOptions) => Promise<StoreUnderTest>;

async function entries(store: ResultStore, cells: Iterable<string>): Promise<StoredEntry[]> {
  const out: StoredEntry[] = [];
  for await (const e of store.readCells(cells)) out.push(e);
  return out;
}

const noWait: WaitOptions = { attempts: 3, sleep: async () => {} };

export function storeContract(name: string, fresh: StoreFactory): void {
  describe(`ResultStore contract: ${name}`, () => {
    test('manifest: written once and read back equal; the same sweep under another name is accepted; an edited one is corrupt', async () => {
      const { store, raw } = await fresh(noWait);
      const m = tinyManifest();
      expect(await store.getManifest(m.sweepId)).toBeUndefined();
      await store.putManifest(m);
      expect(await store.getManifest(m.sweepId)).toEqual(m);
      await store.putManifest(structuredClone(m));
      // Names are labels: the stored manifest (with the first name) stays.
      await store.putManifest({ ...m, spec: { ...m.spec, name: 'renamed' } });
      expect((await store.getManifest(m.sweepId))?.spec.name).toBe('tiny');
      expect(await store.listSweeps()).toEqual([m.sweepId]);

      const edited = { ...m, spec: { ...m.spec, n: [10] } };
      await raw.write(`sweeps/${m.sweepId}/manifest.json`, serializeManifest(edited));
      const err = await store.getManifest(m.sweepId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptRecordError);
      expect((err as Error).message).toMatch(new RegExp(`sweeps/${m.sweepId}/manifest.json: corrupt manifest \\(its spec does not match its sweep id`));
    });

    test('point lookup: every stored result of the cells asked for, each under its cell; other cells and stray files are not read', async () => {
      const { store, raw } = await fresh(noWait);
      const a = tinyResult(0, [1e-3, 1e-1]);
      const a2 = tinyResult(0, [1e-2]);
      const b = tinyResult(1, [1e-3]);
      for (const r of [a, a2, b]) expect(await store.putResult(r)).toBe('written');
      await raw.write(`cells/${cellId(a.task)}/${a.taskId}.json.tmp-123-abcd`, 'half a wri');
      await raw.write(`cells/${cellId(a.task)}/notes.txt`, 'not a result');
      const got = await entries(store, [cellId(a.task), 'feedfacefeedface']);
      expect(got.map((e) => e.cellId)).toEqual([cellId(a.task), cellId(a.task)]);
      expect(got.map((e) => e.result?.taskId).sort()).toEqual([a.taskId, a2.taskId].sort());
      expect(got.find((e) => e.result?.taskId === a.taskId)?.result).toEqual(a);
      expect(got.every((e) => e.where.endsWith(`cells/${cellId(a.task)}/${e.result?.taskId}.json`))).toBe(true);
      expect((await entries(store, [cellId(b.task)])).map((e) => e.result)).toEqual([b]);
    });

    test('write-once: the same result again is "identical"; a different one under its key is a loud error and changes nothing', async () => {
      const { store, raw } = await fresh(noWait);
      const r = tinyResult(0);
      expect(await store.putResult(r)).toBe('written');
      expect(await store.putResult(structuredClone(r))).toBe('identical');
      const changed = { ...r, metrics: r.metrics.map((m) => ({ ...m, valLoss: (m as { valLoss: number }).valLoss + 1e-12 })) };
      const withDigest = { ...changed, digest: (await import('../../functions/trainer/digest.js')).metricsDigest(changed.metrics) };
      await expect(store.putResult(withDigest)).rejects.toBeInstanceOf(ResultConflictError);
      expect(await raw.read(relativeKey(r))).toBe(serializeResult(r));
    });

    test('conditional create lost to another writer of the same result: read back, compared, "identical"', async () => {
      const { store, race } = await fresh(noWait);
      const r = tinyResult(2);
      race(relativeKey(r), { mode: 'exists', body: serializeResult(r) });
      expect(await store.putResult(r)).toBe('identical');
    });

    test('conditional create lost to another writer of different numbers: a conflict, and the other object stays', async () => {
      const { store, race, raw } = await fresh(noWait);
      const r = tinyResult(3);
      const { metricsDigest } = await import('../../functions/trainer/digest.js');
      const otherMetrics = r.metrics.map((m) => ({ ...m, valLoss: 0.5 }));
      const other = serializeResult({ ...r, metrics: otherMetrics, digest: metricsDigest(otherMetrics) });
      race(relativeKey(r), { mode: 'exists', body: other });
      await expect(store.putResult(r)).rejects.toBeInstanceOf(ResultConflictError);
      expect(await raw.read(relativeKey(r))).toBe(other);
    });

    test('a write still in progress elsewhere (409): the store waits for the object, then compares; never "corrupt"', async () => {
      const r = tinyResult(4);
      let naps = 0;
      let target: StoreUnderTest | undefined;
      // The other writer finishes while the store waits for the second time.
      const wait: WaitOptions = { attempts: 5, sleep: async () => void (++naps === 2 && (await target?.raw.write(relativeKey(r), serializeResult(r)))) };
      target = await fresh(wait);
      target.race(relativeKey(r), { mode: 'in-progress' });
      expect(await target.store.putResult(r)).toBe('identical');
      expect(naps).toBe(2);
    });

    test('a write in progress whose object never appears: a named "in progress" error, not corruption', async () => {
      const { store, race } = await fresh(noWait);
      const r = tinyResult(5);
      race(relativeKey(r), { mode: 'in-progress' });
      const err = await store.putResult(r).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WriteInProgressError);
      expect((err as Error).message).toContain(relativeKey(r));
    });

    const corruptions: [string, (r: TaskResult, text: string) => { key?: (r: TaskResult) => string; body: string }][] = [
      ['truncated', (_r, t) => ({ body: t.slice(0, t.length / 2) })],
      ['empty', () => ({ body: '' })],
      ['wrong shape', () => ({ body: '{"taskId": 3}' })],
      ['edited metric (digest no longer matches)', (_r, t) => ({ body: t.replace(/"valLoss":([0-9.e-]+)/, '"valLoss":0.123') })],
      ['edited task field (n 10 → 50)', (_r, t) => ({ body: t.replace('"n":10', '"n":50') })],
      ['stored under another cell', (r, t) => ({ key: () => `cells/${cellId({ ...r.task, seed: 99 })}/${r.taskId}.json`, body: t })],
    ];
    test.each(corruptions)('a %s object is read as corrupt, named, never trusted or replaced', async (_kind, mangle) => {
      const { store, raw } = await fresh(noWait);
      const r = tinyResult(6);
      const { key = relativeKey, body } = mangle(r, serializeResult(r));
      await raw.write(key(r), body);
      const cell = key(r).split('/')[1];
      const got = await entries(store, [cell]);
      expect(got).toHaveLength(1);
      expect(got[0].corrupt).toBeInstanceOf(CorruptResultError);
      expect(got[0].corrupt?.message).toContain(key(r));
      if (key === relativeKey) await expect(store.putResult(r)).rejects.toBeInstanceOf(CorruptResultError);
      expect(await raw.read(key(r))).toBe(body);
    });

    test('failure records: replaced as a whole, empty by default', async () => {
      const { store } = await fresh(noWait);
      const id = tinyManifest().sweepId;
      const f = { taskId: '0123456789abcdef', cellId: 'fedcba9876543210', lambdas: [1e-3], attempts: 2, message: 'boom' };
      expect(await store.getFailures(id)).toEqual([]);
      await store.putFailures(id, [f]);
      expect(await store.getFailures(id)).toEqual([f]);
      await store.putFailures(id, []);
      expect(await store.getFailures(id)).toEqual([]);
    });

    test('a store of lambdastar 0.1 (layout 1) or of a newer layout is refused with what to do, never misread', async () => {
      const legacy = await fresh(noWait);
      await legacy.raw.write('0123456789ab/manifest.json', '{}');
      await expect(legacy.store.listSweeps()).rejects.toThrow(/holds 1 sweep\(s\) in the layout of lambdastar 0\.1 .*run `lambdastar migrate --store/);
      const newer = await fresh(noWait);
      await newer.raw.write('lambdastar-store.json', '{"layout": 3}');
      const err = await newer.store.getManifest(tinyManifest().sweepId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreLayoutError);
      expect((err as Error).message).toMatch(/written in store layout 3, which this lambdastar \(layout 2\) cannot read/);
    });

    test('a sweep id that is not one is never turned into a key', async () => {
      const { store } = await fresh(noWait);
      const m = buildManifest(canonicalize(specSchema.parse({ n: [10], lambdas: [1], seeds: 1 })));
      await expect(store.getManifest('../other/x')).rejects.toThrow(/not a sweep id/);
      await expect(store.putFailures('../../etc', [])).rejects.toThrow(/not a sweep id/);
      expect(m.sweepId).toMatch(/^[0-9a-f]{12}$/);
    });
  });
}
