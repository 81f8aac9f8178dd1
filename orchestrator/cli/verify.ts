/**
 * `lambdastar verify`: check every stored result of a sweep (schema, key, digest; corrupt ones are
 * named, exit 2), then re-train a sample of them here and compare digests bit for bit (exit 1 on a
 * mismatch, shown with where the stored result and the re-run were each produced).
 */
import { openExecutor } from '../executors/open-executor.js';
import { planCells } from '../plan/planner.js';
import { provenanceText } from '../report/provenance.js';
import { loadManifest } from '../sweep/load-sweep.js';
import { cellProgress } from '../search/cell-search.js';
import { readIndex } from '../sweep/load-sweep.js';
import { sample, verifySources } from '../sweep/verify.js';
import type { CloudFlags } from './cloud-flags.js';
import { openStoreFromFlags } from './open-store-from-flags.js';
import { resolveSweep } from './resolve-sweep.js';

export interface VerifyFlags extends Pick<CloudFlags, 'store' | 'stackOutputs' | 'region'> {
  sweep?: string;
  sample: number;
  all?: boolean;
  seed: number;
  concurrency?: number;
  json?: boolean;
}

export async function verifyCommand(flags: VerifyFlags): Promise<void> {
  const store = await openStoreFromFlags(flags);
  const manifest = await loadManifest(store, await resolveSweep(store, flags.sweep));
  const cells = [...planCells(manifest.spec)];
  const index = await readIndex(store, cells.map((c) => c.id), { keepSources: true, collectConflicts: true });
  // The stored results that hold a point this sweep asked for.
  const asked = new Map(cells.map((c) => [c.id, new Set(cellProgress(manifest.spec, (l) => index.valLoss(c.id, l)).asked)]));
  const holding = index.sources.filter((s) => s.task.lambdas.some((l) => asked.get(s.cellId)?.has(l)));
  // Two results that disagree on a point are always re-trained: one of them does not reproduce.
  const disputed = new Set(index.conflicts.flatMap((c) => [c.first, c.second]));
  const sampled = flags.all ? holding : sample(holding, (s) => s.where, flags.sample, flags.seed);
  const chosen = [...new Set([...sampled, ...index.sources.filter((s) => disputed.has(s.where))])];
  const executor = openExecutor({ backend: 'local', concurrency: flags.concurrency });
  let checked;
  try {
    checked = await verifySources(chosen, executor);
  } finally {
    await executor.close();
  }
  const report = { stored: holding.length, conflicts: index.conflicts, ...checked };
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const lines = report.conflicts.map((c) => `CONFLICT ${c.second} and ${c.first} disagree on λ = ${c.lambda}; both re-trained below`);
    for (const m of report.mismatches) {
      lines.push(
        `MISMATCH ${m.where}: stored ${m.storedDigest.slice(0, 16)}… local ${m.localDigest?.slice(0, 16) ?? 'none'}… (${m.detail})`,
        // Where each side ran: a different bundle, Node or platform is the first suspect.
        `  stored by ${provenanceText(m.storedProvenance)}`,
        `  re-run by ${m.localProvenance ? provenanceText(m.localProvenance) : 'none (the local run failed)'}`,
      );
    }
    lines.push(
      `all ${report.stored} stored results of the sweep read back intact; re-trained ${report.checked}: ` +
        `${report.matched} reproduce bit for bit, ${report.mismatches.length} do not`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (report.mismatches.length > 0 || report.conflicts.length > 0) process.exitCode = 1;
}
