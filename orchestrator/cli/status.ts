/** `lambdastar status`: the sweeps in a store and how far each got, from their stored points. */
import { planCells } from '../plan/planner.js';
import { loadManifest } from '../sweep/load-sweep.js';
import { cellProgress } from '../search/cell-search.js';
import type { Manifest } from '../store/result-store.js';
import { PointIndex } from '../sweep/point-index.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';
import { resolveSweep } from './resolve-sweep.js';

export interface StatusFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  json?: boolean;
}

interface StatusRow {
  sweepId: string;
  name: string | null;
  mode: 'grid' | 'adaptive';
  cells: number;
  /** Cells whose grid is complete or whose search has ended. */
  done: number;
  /** Cells with points still to train. */
  open: number;
  /** Cells holding a corrupt object (counted neither done nor open). */
  corrupt: number;
  /** Tasks that failed on the sweep's last run. */
  failed: number;
  points: number;
}

/**
 * How far one sweep got. Cells are read once for all the sweeps listed, so points shared by several
 * sweeps cost one read.
 */
function statusRow(manifest: Manifest, index: PointIndex, corruptCells: Set<string>, failed: number): StatusRow {
  const row: StatusRow = {
    sweepId: manifest.sweepId, name: manifest.spec.name ?? null, mode: manifest.spec.search ? 'adaptive' : 'grid',
    cells: 0, done: 0, open: 0, corrupt: 0, failed, points: 0,
  };
  for (const { id } of planCells(manifest.spec)) {
    row.cells++;
    if (corruptCells.has(id)) {
      row.corrupt++;
      continue;
    }
    const p = cellProgress(manifest.spec, (l) => index.valLoss(id, l));
    row.points += p.asked.length - p.missing.length;
    if (p.outcome !== undefined) row.done++;
    else row.open++;
  }
  return row;
}

function state(r: StatusRow): string {
  if (r.corrupt > 0) return `${r.corrupt} cell(s) with corrupt objects — see \`lambdastar verify\``;
  if (r.open === 0) return 'complete';
  return r.failed > 0 ? `${r.failed} task(s) failed` : 'incomplete';
}

export async function statusCommand(flags: StatusFlags): Promise<void> {
  const store = await openStoreFromFlags(flags);
  const ids = flags.sweep !== undefined ? [await resolveSweep(store, flags.sweep)] : await store.listSweeps();
  const manifests = [];
  for (const id of ids) manifests.push(await loadManifest(store, id));
  const cells = new Set<string>();
  for (const m of manifests) for (const c of planCells(m.spec)) cells.add(c.id);
  const index = new PointIndex({ collectConflicts: true });
  const corruptCells = new Set<string>();
  for await (const e of store.readCells(cells)) {
    if (e.corrupt) corruptCells.add(e.cellId);
    else index.add(e.cellId, e.result, e.where);
  }
  // Two objects disagreeing on a point make their cell as untrustworthy as a corrupt object.
  for (const c of index.conflicts) corruptCells.add(c.cellId);
  const rows: StatusRow[] = [];
  for (const m of manifests) rows.push(statusRow(m, index, corruptCells, (await store.getFailures(m.sweepId)).length));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) process.stdout.write(`no sweeps in ${store.location}\n`);
  for (const r of rows) {
    process.stdout.write(`${r.sweepId}  ${(r.name ?? 'custom').padEnd(22)} ${r.mode.padEnd(8)} ${r.done}/${r.cells} cells done  ${String(r.points).padStart(6)} points  ${state(r)}\n`);
  }
}
