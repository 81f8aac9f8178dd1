/** `lambdastar status`: the sweeps in a store and how far each got. */
import type { Command } from 'commander';
import { DEFAULT_STORE } from './options.js';
import { openStoreFromFlags } from './store-flags.js';
import { loadManifest } from '../report/write-report.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('list the sweeps in a store with their done / failed / missing task counts')
    .option('--store <dir|s3://bucket/prefix>', 'where results are kept', DEFAULT_STORE)
    .option('--sweep <id>', 'only this sweep')
    .option('--json', 'print JSON')
    .action(async (flags: { store: string; sweep?: string; json?: boolean }) => {
      const store = openStoreFromFlags(flags.store);
      const ids = flags.sweep ? [flags.sweep] : await store.listSweeps();
      const rows = [];
      for (const id of ids) {
        const manifest = await loadManifest(store, id);
        const have = await store.listResultIds(id);
        const done = manifest.taskIds.filter((t) => have.has(t)).length;
        const failed = (await store.getFailures(id)).length;
        rows.push({ sweepId: id, name: manifest.spec.name ?? null, total: manifest.taskIds.length, done, failed, missing: manifest.taskIds.length - done });
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) process.stdout.write(`no sweeps in ${store.location}\n`);
      for (const r of rows) {
        const state = r.missing === 0 ? 'complete' : r.failed > 0 ? `${r.failed} failed` : 'incomplete';
        process.stdout.write(`${r.sweepId}  ${(r.name ?? 'custom').padEnd(18)} ${r.done}/${r.total} done  ${state}\n`);
      }
    });
}
