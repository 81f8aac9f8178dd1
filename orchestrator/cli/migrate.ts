/** `lambdastar migrate`: make a store written by lambdastar 0.1 readable by this version. */
import { EXIT } from '../errors.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';

export async function migrateCommand(flags: Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> & { json?: boolean }): Promise<void> {
  const store = await openStoreFromFlags(flags);
  const s = await store.migrateLayout1();
  // Some objects could not be migrated (the rest were): like a sweep with failed tasks.
  if (s.skipped.length > 0) process.exitCode = EXIT.tasksFailed;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  if (s.sweeps.length === 0 && s.skipped.length === 0) {
    process.stdout.write(`no sweeps of lambdastar 0.1 in ${store.location}: nothing to migrate\n`);
    return;
  }
  const lines = s.sweeps.map((w) => `sweep ${w.from} (${w.name ?? 'custom'}) is now sweep ${w.to}`);
  lines.push(`${s.results} results copied under their cells, ${s.alreadyThere} already there, ${s.skipped.length} skipped`);
  for (const why of s.skipped.slice(0, 10)) lines.push(`skipped ${why}`);
  if (s.sweeps.length > 0) lines.push(`the old sweep folders are left as they were; remove them once \`lambdastar status --store ${store.location}\` lists the sweeps`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
