/** `lambdastar status`: the sweeps in a store and how far each got. */
import type { Command } from 'commander';
import { loadManifest } from '../report/write-report.js';
import type { CloudFlags } from './cloud-flags.js';
import { addStoreOptions, openStoreFromFlags } from './cloud-flags.js';

interface StatusFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  json?: boolean;
}

export function registerStatus(program: Command): void {
  const cmd = program
    .command('status')
    .description('list the sweeps in a store with their done / failed / missing task counts')
    .option('--sweep <id>', 'only this sweep')
    .option('--json', 'print JSON');
  addStoreOptions(cmd).action(async (flags: StatusFlags) => {
    const store = openStoreFromFlags(flags);
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
