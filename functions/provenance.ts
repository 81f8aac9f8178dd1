/**
 * Where and how a result was produced: the trainer bundle that ran it, the kernels it trained with,
 * Node, the platform, the executor (a local process or a Lambda function) and the time. Stored
 * beside the numbers and outside their digest, so that results from different machines stay
 * bit-comparable.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { defaultEngine } from './trainer/engines.js';
import { TRAINER_URL } from './trainer/run-task.js';
import { KERNELS } from './trainer/kernel-setting.js';

const nonEmpty = z.string().min(1);

const executorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local') }),
  z.strictObject({
    kind: z.literal('lambda'),
    functionName: nonEmpty,
    functionVersion: nonEmpty,
    memoryMb: z.number().int().positive(),
    region: nonEmpty,
  }),
]);

/** A result's provenance as stored; checked strictly when a result carries one. */
export const provenanceSchema = z.strictObject({
  /** The file the trainer code was loaded from (its name) and the sha256 of its bytes. */
  bundle: z.strictObject({ file: nonEmpty, sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** The engine that trained it (functions/trainer/engines.ts); absent from results stored before it was recorded. */
  kernel: z.enum(KERNELS).optional(),
  node: nonEmpty,
  platform: nonEmpty,
  arch: nonEmpty,
  executor: executorSchema,
  /** When the result was produced (ISO 8601, UTC). */
  at: z.iso.datetime(),
});

export type Provenance = z.infer<typeof provenanceSchema>;
export type ExecutorInfo = Provenance['executor'];

/** A Lambda variable the runtime always sets, or an error naming it (never a silent blank). */
function lambdaVar(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set, though AWS_LAMBDA_FUNCTION_NAME is: not a Lambda runtime lambdastar can describe`);
  return value;
}

/** The executor this process runs as: the Lambda function its runtime variables name, else local. */
export function executorFromEnv(env: NodeJS.ProcessEnv): ExecutorInfo {
  const functionName = env.AWS_LAMBDA_FUNCTION_NAME;
  if (!functionName) return { kind: 'local' };
  const memory = lambdaVar(env, 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE');
  const memoryMb = Number(memory);
  if (!Number.isInteger(memoryMb) || memoryMb <= 0) throw new Error(`AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "${memory}" is not a whole number of MB`);
  return { kind: 'lambda', functionName, functionVersion: lambdaVar(env, 'AWS_LAMBDA_FUNCTION_VERSION'), memoryMb, region: lambdaVar(env, 'AWS_REGION') };
}

let bundle: Provenance['bundle'] | undefined;

/**
 * The file the trainer code ran from: esbuild writes ESM bundles, so the trainer module's URL is
 * the bundle (dist/pool-worker.mjs, the Lambda's index.mjs) or the CLI chunk holding the trainer.
 * Hashed once per process or worker.
 */
function runningBundle(): Provenance['bundle'] {
  if (!bundle) {
    const file = fileURLToPath(TRAINER_URL);
    bundle = { file: basename(file), sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  }
  return bundle;
}

/**
 * The provenance of a result produced now, in this process, by `executor`, trained (as runTask does
 * by default) by this process's engine.
 */
export function provenanceHere(executor: ExecutorInfo, at: Date = new Date()): Provenance {
  return {
    bundle: runningBundle(),
    kernel: defaultEngine().kernel,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    executor,
    at: at.toISOString(),
  };
}
