/** Manifest and failure records as stored text, shared by every store adapter. */
import { z } from 'zod';
import { canonicalJson } from '../../functions/trainer/ids.js';
import type { FailureRecord, Manifest } from './result-store.js';
import { ManifestConflictError } from './result-store.js';

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

const manifestShape = z.object({
  sweepId: z.string(),
  trainerVersion: z.string(),
  protocol: z.record(z.string(), z.unknown()),
  spec: z.object({ n: z.array(z.number()), lambdas: z.array(z.number()) }).passthrough(),
  taskIds: z.array(z.string()),
});

export function parseManifest(text: string, where: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${where}: corrupt manifest (not valid JSON); restore it or start the sweep in a fresh --store`);
  }
  const parsed = manifestShape.safeParse(json);
  if (!parsed.success) throw new Error(`${where}: corrupt manifest (${parsed.error.issues[0]?.path.join('.')}); restore it or use a fresh --store`);
  return parsed.data as unknown as Manifest;
}

/** Throws unless `stored` says the same as `incoming`. */
export function checkSameManifest(stored: Manifest, incoming: Manifest, where: string): void {
  if (canonicalJson(stored) !== canonicalJson(incoming)) throw new ManifestConflictError(where);
}

export function serializeFailures(f: FailureRecord[]): string {
  return `${JSON.stringify(f, null, 2)}\n`;
}

export function parseFailures(text: string, where: string): FailureRecord[] {
  try {
    return z.array(z.object({ taskId: z.string(), attempts: z.number(), message: z.string() })).parse(JSON.parse(text));
  } catch {
    throw new Error(`${where}: corrupt failure record; delete it (the failed tasks run again on resume)`);
  }
}
