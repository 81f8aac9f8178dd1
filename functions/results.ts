/**
 * Results as stored objects: one JSON text per trained task, parsed back with a schema and checked
 * against the key it is stored under, so a corrupt, edited or misplaced object is named, never
 * trusted; and the write-once rule every store follows.
 */
import { z } from 'zod';
import { provenanceSchema } from './provenance.js';
import { metricsDigest } from './trainer/digest.js';
import { cellId, taskId } from './trainer/ids.js';
import type { TaskResult } from './trainer/task.js';
import { TRAINER_VERSION } from './trainer/task.js';
import { describeIssue, taskSchema } from './trainer/validation.js';

const metricSchema = z.union([
  z.strictObject({
    lambda: z.number(),
    trainLoss: z.number(),
    trainObjective: z.number(),
    valLoss: z.number(),
    valError: z.number(),
    weightNorm: z.number(),
  }),
  z.strictObject({ lambda: z.number(), diverged: z.literal(true) }),
]);

const resultSchema = z.strictObject({
  taskId: z.string().min(1),
  task: taskSchema,
  trainerVersion: z.string().min(1),
  metrics: z.array(metricSchema).min(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  wallMs: z.number().nonnegative(),
  provenance: provenanceSchema.optional(),
});

/** A stored object that is not a valid result, or not the result its key says it is. */
export class CorruptResultError extends Error {
  readonly code = 'CORRUPT_RESULT';
  constructor(readonly where: string, readonly detail: string) {
    super(`${where}: corrupt result (${detail}); move it out of the store so its points are trained again`);
  }
}

/** A result whose numbers differ from the one already stored under the same key. */
export class ResultConflictError extends Error {
  readonly code = 'RESULT_CONFLICT';
  constructor(readonly where: string, stored: string, incoming: string) {
    super(
      `${where}: a different result is already stored (digest ${stored.slice(0, 12)}… vs ${incoming.slice(0, 12)}…); ` +
        'the trainer is not reproducing it — run `lambdastar verify` and keep the stored object',
    );
  }
}

/** Another writer holds the key and its object did not appear in time. */
export class WriteInProgressError extends Error {
  readonly code = 'WRITE_IN_PROGRESS';
  constructor(readonly where: string) {
    super(`${where}: another process is writing this object and it has not appeared yet; run again in a minute`);
  }
}

export function serializeResult(result: TaskResult): string {
  return `${JSON.stringify(result)}\n`;
}

/** What the key of a stored result says it holds. */
export interface ResultIdentity {
  cellId: string;
  taskId: string;
}

/**
 * Parses a stored result and checks it: the schema, the trainer version, its λ list against its
 * metrics, its ids against its own task and against `expected` (the ids its key names), and its
 * digest against its metrics. Anything else is a `CorruptResultError` naming `where`.
 */
export function parseResult(text: string, where: string, expected?: ResultIdentity): TaskResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptResultError(where, text.length === 0 ? 'empty' : 'not valid JSON, perhaps truncated');
  }
  return checkResult(json, where, expected);
}

/** `parseResult` for a value already parsed from JSON (an invocation's response). */
export function checkResult(json: unknown, where: string, expected?: ResultIdentity): TaskResult {
  const parsed = resultSchema.safeParse(json);
  if (!parsed.success) throw new CorruptResultError(where, describeIssue(parsed.error, 'result'));
  const r = parsed.data;
  if (r.trainerVersion !== TRAINER_VERSION) {
    throw new CorruptResultError(where, `written by trainer ${r.trainerVersion}, not this lambdastar's ${TRAINER_VERSION}`);
  }
  if (r.metrics.length !== r.task.lambdas.length || r.metrics.some((m, i) => m.lambda !== r.task.lambdas[i])) {
    throw new CorruptResultError(where, "its metrics do not match its task's λ list");
  }
  const ownId = taskId(r.task);
  if (r.taskId !== ownId) throw new CorruptResultError(where, `its task id ${r.taskId} does not match its task (${ownId})`);
  if (expected && (expected.taskId !== ownId || expected.cellId !== cellId(r.task))) {
    throw new CorruptResultError(where, 'it holds another task than its name says (an edited task field, or a file moved between cells)');
  }
  if (metricsDigest(r.metrics) !== r.digest) throw new CorruptResultError(where, 'its digest does not match its metrics');
  return r;
}

/** The minimal object I/O a write-once store needs. */
export interface ObjectIO {
  /** The object's text, or undefined when there is none. */
  read(key: string): Promise<string | undefined>;
  /**
   * Writes unless an object exists or another conditional write to the key is in progress (where
   * the backend can tell); false in both of those cases.
   */
  createExclusive(key: string, body: string): Promise<boolean>;
}

/** How long to wait for an object another writer is still creating. */
export interface WaitOptions {
  /** Reads after a lost create before giving up (default 8, with delays doubling from 50 ms). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Creates `key` with `body` unless an object is there, and returns that object's text (undefined
 * when this call created it). Reads first: not every S3-compatible server honours If-None-Match.
 * A lost create means someone else is writing the key: read it back, waiting while it is in flight.
 */
export async function createOrRead(io: ObjectIO, key: string, body: string, wait: WaitOptions = {}, where = key): Promise<string | undefined> {
  const existing = await io.read(key);
  if (existing !== undefined) return existing;
  if (await io.createExclusive(key, body)) return undefined;
  const sleep = wait.sleep ?? sleepMs;
  const attempts = wait.attempts ?? 8;
  for (let attempt = 0, delay = 50; attempt < attempts; attempt++, delay *= 2) {
    const text = await io.read(key);
    if (text !== undefined) return text;
    await sleep(delay);
  }
  throw new WriteInProgressError(where);
}

/**
 * Stores `result` under `key` unless an identical one is there; a different one is a loud error.
 * Identical means the same digest: a result produced elsewhere (another provenance) leaves the stored
 * object, and its provenance, as it is. Returns 'written' or 'identical'.
 */
export async function writeOnce(
  io: ObjectIO,
  key: string,
  result: TaskResult,
  where: string = key,
  wait: WaitOptions = {},
): Promise<'written' | 'identical'> {
  const existing = await createOrRead(io, key, serializeResult(result), wait, where);
  if (existing === undefined) return 'written';
  const stored = parseResult(existing, where, { cellId: cellId(result.task), taskId: result.taskId });
  if (stored.digest !== result.digest) throw new ResultConflictError(where, stored.digest, result.digest);
  return 'identical';
}
