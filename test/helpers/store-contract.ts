/**
 * The contract every `ResultStore` adapter must meet; each adapter's test file runs it with a
 * factory that gives a fresh, empty store and a way to corrupt an object behind the store's back.
 */
import { describe, expect, test } from 'vitest';
import { CorruptResultError, ResultConflictError } from '../../functions/results.js';
import type { ResultStore } from '../../orchestrator/store/result-store.js';
import { ManifestConflictError, MissingResultError } from '../../orchestrator/store/result-store.js';
import { tinyManifest, tinyResult } from './fixtures.js';

export interface StoreUnderTest {
  store: ResultStore;
  /** Overwrites the stored object of a result with `body`, bypassing the store. */
  corruptResult(sweepId: string, taskId: string, body: string): Promise<void>;
}

export function storeContract(name: string, fresh: () => Promise<StoreUnderTest>): void {
  describe(`ResultStore contract: ${name}`, () => {
    test('manifest: written once, read back equal, an identical rewrite is fine, a different one fails', async () => {
      const { store } = await fresh();
      const m = tinyManifest();
      expect(await store.getManifest(m.sweepId)).toBeUndefined();
      await store.putManifest(m);
      expect(await store.getManifest(m.sweepId)).toEqual(m);
      await store.putManifest(structuredClone(m));
      await expect(store.putManifest({ ...m, taskIds: m.taskIds.slice(1) })).rejects.toBeInstanceOf(ManifestConflictError);
      expect(await store.listSweeps()).toEqual([m.sweepId]);
    });

    test('results: written once, listed, read back bit for bit; identical again is skipped; different is a loud error', async () => {
      const { store } = await fresh();
      const m = tinyManifest();
      await store.putManifest(m);
      const r = tinyResult(0);
      expect(await store.listResultIds(m.sweepId)).toEqual(new Set());
      expect(await store.putResult(m.sweepId, r)).toBe('written');
      expect(await store.putResult(m.sweepId, structuredClone(r))).toBe('identical');
      expect(await store.listResultIds(m.sweepId)).toEqual(new Set([r.taskId]));
      expect(await store.getResult(m.sweepId, r.taskId)).toEqual(r);
      const tampered = { ...r, metrics: r.metrics.map((x) => ({ ...x, valLoss: x.valLoss + 1e-12 })), digest: 'f'.repeat(64) };
      await expect(store.putResult(m.sweepId, tampered)).rejects.toBeInstanceOf(ResultConflictError);
      expect(await store.getResult(m.sweepId, r.taskId)).toEqual(r);
    });

    test('a missing result is an error naming it', async () => {
      const { store } = await fresh();
      await expect(store.getResult('abc', '0123456789abcdef')).rejects.toBeInstanceOf(MissingResultError);
    });

    test.each([
      ['truncated', (s: string) => s.slice(0, s.length / 2)],
      ['empty', () => ''],
      ['wrong shape', () => '{"taskId": 3}'],
      ['tampered (digest no longer matches)', (s: string) => s.replace(/"valLoss":([0-9.e-]+)/, '"valLoss":0.123')],
    ])('a %s result object is reported by name, never trusted', async (_kind, mangle) => {
      const { store, corruptResult } = await fresh();
      const m = tinyManifest();
      await store.putManifest(m);
      const r = tinyResult(1);
      await store.putResult(m.sweepId, r);
      const original = JSON.stringify(r);
      await corruptResult(m.sweepId, r.taskId, mangle(original));
      const err = await store.getResult(m.sweepId, r.taskId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorruptResultError);
      expect((err as Error).message).toContain(`${r.taskId}.json`);
      await expect(store.putResult(m.sweepId, r)).rejects.toBeInstanceOf(CorruptResultError);
    });

    test('failure records: replaced as a whole, empty by default', async () => {
      const { store } = await fresh();
      expect(await store.getFailures('abc')).toEqual([]);
      await store.putFailures('abc', [{ taskId: '0123456789abcdef', attempts: 2, message: 'boom' }]);
      expect(await store.getFailures('abc')).toEqual([{ taskId: '0123456789abcdef', attempts: 2, message: 'boom' }]);
      await store.putFailures('abc', []);
      expect(await store.getFailures('abc')).toEqual([]);
    });
  });
}
