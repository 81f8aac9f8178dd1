/** Manifest and failure records as stored text, shared by every store adapter. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FAILURE_KINDS } from '../executors/executor.js';
import { canonicalJson } from '../../functions/trainer/ids.js';
import { STORE_LAYOUT } from '../../functions/keys.js';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';
import { describeIssue } from '../../functions/trainer/validation.js';
import { checkPlanSize, sweepId } from '../plan/planner.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { canonicalSpecSchema } from '../spec/spec-schema.js';
import type { FailureRecord, Manifest } from './result-store.js';
import { CorruptRecordError, StoreLayoutError } from './result-store.js';

/** The manifest of a sweep: its spec, and what it ran with, sealed by a checksum over the rest. */
export function buildManifest(spec: CanonicalSpec): Manifest {
  const body = { layout: STORE_LAYOUT, sweepId: sweepId(spec), trainerVersion: TRAINER_VERSION, protocol: protocolOf(spec), spec };
  return { ...body, checksum: checksumOf(body) };
}

/** The training options the sweep runs: each one's value, or its list where the sweep varies it. */
function protocolOf(spec: CanonicalSpec): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec.options).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
}

/** sha256 of a manifest's canonical JSON without its checksum: any edit, labels too, is seen. */
function checksumOf(m: Omit<Manifest, 'checksum'>): string {
  return createHash('sha256').update(canonicalJson(m)).digest('hex');
}

export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

const manifestSchema = z.strictObject({
  layout: z.literal(STORE_LAYOUT),
  sweepId: z.string(),
  trainerVersion: z.string(),
  protocol: z.record(z.string(), z.unknown()),
  spec: canonicalSpecSchema,
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Parses a manifest and checks it describes sweep `expectedId`: its spec must hash to that id, so
 * an edited spec (a dropped N, a shortened grid) is reported, never used to shrink a sweep.
 */
export function parseManifest(text: string, where: string, expectedId: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(where, 'manifest', text.length === 0 ? 'empty' : 'not valid JSON, perhaps truncated');
  }
  const version = (json as { trainerVersion?: unknown } | null)?.trainerVersion;
  if (typeof version === 'string' && version !== TRAINER_VERSION) {
    throw new StoreLayoutError(
      `${where}: this sweep was run by trainer ${version}, and this lambdastar runs trainer ${TRAINER_VERSION}; ` +
        'read it with the lambdastar version that wrote it, or run its spec again (new points are trained)',
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new CorruptRecordError(where, 'manifest', describeIssue(parsed.error, 'manifest'));
  const m = parsed.data as Manifest;
  if (m.sweepId !== expectedId) throw new CorruptRecordError(where, 'manifest', `it names sweep ${m.sweepId}, not ${expectedId}`);
  if (sweepId(m.spec) !== m.sweepId) throw new CorruptRecordError(where, 'manifest', 'its spec does not match its sweep id (edited?)');
  const { checksum, ...body } = m;
  if (checksumOf(body) !== checksum) throw new CorruptRecordError(where, 'manifest', 'its checksum does not match its content (edited?)');
  // The limits a spec is held to hold for a stored one too, however it came to be there.
  try {
    checkPlanSize(m.spec);
  } catch (err) {
    throw new CorruptRecordError(where, 'manifest', err instanceof Error ? err.message : String(err));
  }
  return m;
}

export function serializeFailures(f: FailureRecord[]): string {
  return `${JSON.stringify(f, null, 2)}\n`;
}

const id = z.string().regex(/^[0-9a-f]{16}$/);
const failuresSchema = z.array(
  z.strictObject({
    taskId: id, cellId: id, lambdas: z.array(z.number()), attempts: z.number().int().min(1), message: z.string(),
    kind: z.enum(FAILURE_KINDS).optional(),
  }),
);

export function parseFailures(text: string, where: string): FailureRecord[] {
  try {
    return failuresSchema.parse(JSON.parse(text));
  } catch {
    throw new CorruptRecordError(where, 'failure record', 'not a list of failed tasks');
  }
}
