import { SWEEP_ID } from '../../functions/keys.js';
import type { ResultStore } from '../store/result-store.js';
import { UsageError } from '../errors.js';

/** The sweep id given (checked to be one, so it never becomes a path), or the store's only sweep. */
export async function resolveSweep(store: ResultStore, given: string | undefined): Promise<string> {
  if (given !== undefined) {
    if (!SWEEP_ID.test(given)) throw new UsageError(`--sweep: "${given}" is not a sweep id (12 hex digits, as \`lambdastar status\` lists them)`);
    return given;
  }
  const sweeps = await store.listSweeps();
  if (sweeps.length === 1) return sweeps[0];
  if (sweeps.length === 0) throw new UsageError(`--store: no sweeps in ${store.location}; run one first or check the path`);
  throw new UsageError(`--sweep: ${store.location} holds ${sweeps.length} sweeps (${sweeps.join(', ')}); name one with --sweep`);
}
