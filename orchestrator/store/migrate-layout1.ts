/**
 * Makes a store written by lambdastar 0.1 (layout 1: `<sweepId>/manifest.json`, `<sweepId>/results/
 * <taskId>.json`) readable: every result is stored again under its cell (the same bytes' content,
 * checked like any read), and every sweep gets a manifest of the current layout. Nothing is deleted
 * or overwritten; the old folders stay where they are.
 */
import { z } from 'zod';
import { isLayout1SweepFolder, layout1, taskIdOfResultName } from '../../functions/keys.js';
import { CorruptResultError, parseResult } from '../../functions/results.js';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';
import { canonicalSpecSchema } from '../spec/spec-schema.js';
import { NotAFileError } from './folder-backend.js';
import type { ObjectBackend } from './object-backend.js';
import type { Manifest } from './result-store.js';
import { safeJson } from '../safe-json.js';

export interface MigrationSummary {
  /** Sweep ids: old → new (names and descriptions no longer change a sweep's id). */
  sweeps: { from: string; to: string; name: string | null }[];
  results: number;
  alreadyThere: number;
  /** Objects not migrated, each with why. */
  skipped: string[];
}

const layout1Manifest = z.object({ sweepId: z.string(), trainerVersion: z.string(), spec: z.unknown() });

export interface MigrationTarget {
  putResult: (r: ReturnType<typeof parseResult>) => Promise<'written' | 'identical'>;
  putManifest: (spec: Manifest['spec']) => Promise<string>;
  describe: (key: string) => string;
}

export async function migrateLayout1(backend: ObjectBackend, prefix: string, target: MigrationTarget): Promise<MigrationSummary> {
  const summary: MigrationSummary = { sweeps: [], results: 0, alreadyThere: 0, skipped: [] };
  for (const folder of (await backend.listFolders(prefix)).filter(isLayout1SweepFolder).sort()) {
    try {
      await migrateSweep(backend, prefix, folder, target, summary);
    } catch (err) {
      // A manifest or results folder that is not what it should be: this sweep is skipped, named.
      if (!(err instanceof NotAFileError)) throw err;
      summary.skipped.push(err.message);
    }
  }
  return summary;
}

async function migrateSweep(backend: ObjectBackend, prefix: string, folder: string, target: MigrationTarget, summary: MigrationSummary): Promise<void> {
  const key = layout1.manifestKey(prefix, folder);
  const text = await backend.read(key);
  const parsed = layout1Manifest.safeParse(text === undefined ? undefined : safeJson(text));
  if (!parsed.success) {
    summary.skipped.push(`${target.describe(key)}: no readable manifest`);
    return;
  }
  if (parsed.data.trainerVersion !== TRAINER_VERSION) {
    summary.skipped.push(`${target.describe(key)}: trainer ${parsed.data.trainerVersion}, not ${TRAINER_VERSION}; its results cannot be reused`);
    return;
  }
  const { taskIds: _ids, ...oldSpec } = (parsed.data.spec ?? {}) as Record<string, unknown>;
  const spec = canonicalSpecSchema.safeParse(oldSpec);
  if (!spec.success) {
    summary.skipped.push(`${target.describe(key)}: its spec is not one this version reads`);
    return;
  }
  for await (const name of backend.listNames(layout1.resultsFolder(prefix, folder))) {
    const taskId = taskIdOfResultName(name);
    if (taskId === undefined) continue;
    const resultKey = layout1.resultKey(prefix, folder, name);
    const where = target.describe(resultKey);
    try {
      const result = parseResult((await backend.read(resultKey)) ?? '', where);
      if (result.taskId !== taskId) throw new CorruptResultError(where, `it holds task ${result.taskId}`);
      if ((await target.putResult(result)) === 'written') summary.results++;
      else summary.alreadyThere++;
    } catch (err) {
      if (err instanceof NotAFileError || err instanceof CorruptResultError) summary.skipped.push(err.message);
      else throw err;
    }
  }
  const to = await target.putManifest(spec.data as Manifest['spec']);
  summary.sweeps.push({ from: folder, to, name: (spec.data.name as string | undefined) ?? null });
}
