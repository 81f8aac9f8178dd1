/**
 * Results as stored objects: one JSON text per task, parsed back with a schema so a corrupt or
 * truncated object is named, never trusted; and the write-once rule every store follows.
 */
import { z } from 'zod';
import { metricsDigest } from './trainer/digest.js';
import type { TaskResult } from './trainer/task.js';
import { describeIssue, taskSchema } from './trainer/validation.js';

const metricSchema = z.strictObject({
  lambda: z.number(),
  trainLoss: z.number(),
  trainObjective: z.number(),
  valLoss: z.number(),
  valError: z.number(),
  weightNorm: z.number(),
});

const resultSchema = z.strictObject({
  taskId: z.string().min(1),
  task: taskSchema,
  trainerVersion: z.string().min(1),
  metrics: z.array(metricSchema).min(1),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  wallMs: z.number().nonnegative(),
});

/** A stored object that is not a valid result. */
export class CorruptResultError extends Error {
  readonly code = 'CORRUPT_RESULT';
  constructor(readonly where: string, detail: string) {
    super(`${where}: corrupt result (${detail}); delete it so the task runs again`);
  }
}

/** A result whose numbers differ from the one already stored under the same task id. */
export class ResultConflictError extends Error {
  readonly code = 'RESULT_CONFLICT';
  constructor(readonly where: string, stored: string, incoming: string) {
    super(
      `${where}: a different result is already stored (digest ${stored.slice(0, 12)}… vs ${incoming.slice(0, 12)}…); ` +
        'the trainer is not reproducing it — run `lambdastar verify` and keep the stored object',
    );
  }
}

function serializeResult(result: TaskResult): string {
  return `${JSON.stringify(result)}\n`;
}

export function parseResult(text: string, where: string): TaskResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CorruptResultError(where, text.length === 0 ? 'empty' : 'not valid JSON, perhaps truncated');
  }
  const parsed = resultSchema.safeParse(json);
  if (!parsed.success) throw new CorruptResultError(where, describeIssue(parsed.error, 'result'));
  if (parsed.data.metrics.length !== parsed.data.task.lambdas.length) {
    throw new CorruptResultError(where, 'metrics do not match the task\'s λ list');
  }
  if (metricsDigest(parsed.data.metrics) !== parsed.data.digest) throw new CorruptResultError(where, 'its digest does not match its metrics');
  return parsed.data;
}

/** The minimal object I/O a write-once store needs. */
export interface ObjectIO {
  /** The object's text, or undefined when there is none. */
  read(key: string): Promise<string | undefined>;
  /** Writes unless an object exists (where the backend can tell); false when it already existed. */
  createExclusive(key: string, body: string): Promise<boolean>;
}

/**
 * Creates `key` with `body` unless an object is there, and returns that object's text (undefined
 * when this call created it). Reads first: not every S3-compatible server honours If-None-Match.
 */
export async function createOrRead(io: ObjectIO, key: string, body: string): Promise<string | undefined> {
  const existing = await io.read(key);
  if (existing !== undefined) return existing;
  if (await io.createExclusive(key, body)) return undefined;
  return (await io.read(key)) ?? '';
}

/**
 * Stores `result` under `key` unless an identical one is there; a different one is a loud error.
 * Returns 'written' or 'identical'.
 */
export async function writeOnce(
  io: ObjectIO,
  key: string,
  result: TaskResult,
  where: string = key,
): Promise<'written' | 'identical'> {
  const existing = await createOrRead(io, key, serializeResult(result));
  if (existing === undefined) return 'written';
  const stored = parseResult(existing, where);
  if (stored.digest !== result.digest) throw new ResultConflictError(where, stored.digest, result.digest);
  return 'identical';
}
