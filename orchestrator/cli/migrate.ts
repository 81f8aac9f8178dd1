/** `lambdastar migrate`: make a store written by lambdastar 0.1 readable by this version. */
import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import type { CloudFlags } from './cloud-flags.js';
import { addStoreOptions, openStoreFromFlags } from './cloud-flags.js';

export function registerMigrate(program: Command): void {
  const cmd = program
    .command('migrate')
    .description('make a store written by lambdastar 0.1 readable: copy its results under their cells and give its sweeps manifests (nothing is deleted; exit 1 if some objects could not be copied)')
    .option('--json', 'print JSON');
  addStoreOptions(cmd).action(async (flags: Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> & { json?: boolean }) => {
    const store = openStoreFromFlags(flags);
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
  });
}
