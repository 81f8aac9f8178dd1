/**
 * The trainer as a Lambda function. Event: `{ tasks: [{ id, task }], bucket, prefix }` writes each
 * result under the store `prefix` in `bucket` (functions/keys.ts) and returns it; `{ tasks, inline:
 * true }` only returns the results. The orchestrator needs the metrics either way: an adaptive
 * search decides its next λ from them. A bad event is answered with `{ code, message }` naming the
 * field, never a stack trace. An event without tasks only checks that the function may write where
 * it asks (the orchestrator's preflight, before it writes anything). Each result carries its
 * provenance: deployed, the function's name, version, memory and region (functions/provenance.ts).
 *
 * The function guards itself rather than trusting IAM alone: deployed, it writes only to the store
 * the stack names (LAMBDASTAR_BUCKET, LAMBDASTAR_PREFIX), and it starts no task it cannot finish in
 * the time left, returning those as `WouldTimeOut` failures for the orchestrator to retry alone.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { prefixProblem, resultKey } from './keys.js';
import { LIMITS } from './limits.js';
import type { ExecutorInfo } from './provenance.js';
import { executorFromEnv, provenanceHere } from './provenance.js';
import type { ObjectIO } from './results.js';
import { writeOnce } from './results.js';
import { s3CompatibleOptions, s3ObjectIO } from './s3-object-io.js';
import { cellId, taskId } from './trainer/ids.js';
import { runTask } from './trainer/run-task.js';
import type { TaskResult } from './trainer/task.js';
import { describeIssue, taskSchema } from './trainer/validation.js';
import { taskCost } from './trainer/work.js';

const eventSchema = z
  .strictObject({
    tasks: z.array(z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, { error: 'must be the task id from the planner' }), task: taskSchema }))
      .max(LIMITS.tasksPerEvent, { error: `must hold at most ${LIMITS.tasksPerEvent} tasks; pack smaller batches` }),
    bucket: z.string().min(1).optional(),
    prefix: z
      .string()
      .superRefine((p, ctx) => {
        const problem = prefixProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    inline: z.boolean().optional(),
  })
  .refine((e) => e.inline === true || e.bucket !== undefined, {
    error: 'needs "bucket" (and "prefix") to store results, or "inline": true to return them',
    path: ['bucket'],
  });

export type TrainerEvent = z.input<typeof eventSchema>;

export interface TaskSummary {
  id: string;
  result: TaskResult;
  /** Where it was stored, when the event named a bucket. */
  key?: string;
  stored?: 'written' | 'identical';
}

export interface TaskFailure {
  id: string;
  code: string;
  message: string;
}

export type TrainerResponse =
  | { ok: true; results: TaskSummary[]; failures: TaskFailure[] }
  | { ok: false; code: string; message: string };

/** The one store a deployed function may write, from its environment; unset, any store. */
export interface StoreScope {
  bucket?: string;
  prefix?: string;
}

/** What the handler uses of Lambda's context object. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export interface HandlerDeps {
  /** Object I/O for a bucket. */
  io(bucket: string): ObjectIO;
  /** Runs one task; injectable so tests can make a task fail. */
  run?: (task: z.output<typeof taskSchema>, id: string) => TaskResult;
  scope?: StoreScope;
  /** Milliseconds of a task's work; measured as tasks run (injectable so tests need no clock). */
  now?: () => number;
  /** What runs the handler, recorded in each result's provenance (default local). */
  executor?: ExecutorInfo;
}

/**
 * Work units per second no trainer run reaches: about 4× the measured speed on one vCPU. Before any
 * task of an invocation has run, only a task that could not finish even at this speed is refused.
 */
const FASTEST_UNITS_PER_SECOND = 2e9;
/** Time kept back for the last result's S3 write and the response. */
const RESERVE_MS = 2000;

/** Why the event may not write where it asks, or undefined when it may. */
function outsideScope(scope: StoreScope, bucket: string | undefined, prefix: string): string | undefined {
  const home = `s3://${scope.bucket ?? bucket}/${scope.prefix ?? prefix}`;
  if (scope.bucket !== undefined && bucket !== scope.bucket) {
    return `event.bucket: "${bucket}" is not this function's results bucket; use --store ${home}`;
  }
  if (scope.prefix !== undefined && prefix !== scope.prefix) {
    return `event.prefix: "${prefix}" is outside this function's store; use --store ${home}`;
  }
  return undefined;
}

/** Seconds per work unit: measured from the tasks run so far, or the fastest possible before any. */
class Pace {
  private units = 0;
  private ms = 0;
  msFor(units: number): number {
    return this.units > 0 ? (units * this.ms) / this.units : (units / FASTEST_UNITS_PER_SECOND) * 1000;
  }
  add(units: number, ms: number): void {
    this.units += units;
    this.ms += ms;
  }
}

export function makeHandler(deps: HandlerDeps): (event: unknown, context?: InvocationContext) => Promise<TrainerResponse> {
  const run = deps.run ?? runTask;
  const now = deps.now ?? (() => performance.now());
  const executor: ExecutorInfo = deps.executor ?? { kind: 'local' };
  return async (event, context) => {
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) return { ok: false, code: 'InvalidEvent', message: describeIssue(parsed.error, 'event') };
    const { tasks, bucket, prefix = '', inline } = parsed.data;
    const outside = inline ? undefined : outsideScope(deps.scope ?? {}, bucket, prefix);
    // Its own code: the whole run points at the wrong store, and the orchestrator stops at once.
    if (outside) return { ok: false, code: 'OutsideStore', message: outside };
    for (const [i, { id, task }] of tasks.entries()) {
      if (taskId(task) !== id) {
        return { ok: false, code: 'InvalidEvent', message: `event.tasks[${i}].id: does not match its task (expected ${taskId(task)}); plan again` };
      }
    }
    const results: TaskSummary[] = [];
    const failures: TaskFailure[] = [];
    const pace = new Pace();
    for (const { id, task } of tasks) {
      const units = taskCost(task);
      const left = context ? context.getRemainingTimeInMillis() - RESERVE_MS : Infinity;
      const needs = pace.msFor(units);
      if (needs > left) {
        failures.push({ id, code: 'WouldTimeOut', message: `not started: needs about ${(needs / 1000).toFixed(1)} s, ${(Math.max(0, left) / 1000).toFixed(1)} s left in this invocation` });
        continue;
      }
      try {
        const started = now();
        const trained = run(task, id);
        pace.add(units, now() - started);
        const result: TaskResult = { ...trained, provenance: provenanceHere(executor) };
        const summary: TaskSummary = { id, result };
        if (!inline && bucket !== undefined) {
          summary.key = resultKey(prefix, cellId(task), id);
          summary.stored = await writeOnce(deps.io(bucket), summary.key, result);
        }
        results.push(summary);
      } catch (err) {
        const e = err as { code?: string; name?: string; message?: string };
        failures.push({ id, code: e.code ?? e.name ?? 'TaskError', message: e.message ?? String(err) });
      }
    }
    return { ok: true, results, failures };
  };
}

/** The store the stack lets this function write (both set on deploy; unset in local runs). */
function scopeFromEnv(env: NodeJS.ProcessEnv): StoreScope {
  return { bucket: env.LAMBDASTAR_BUCKET || undefined, prefix: env.LAMBDASTAR_PREFIX };
}

const s3 = new S3Client(s3CompatibleOptions());
export const handler = makeHandler({ io: (bucket) => s3ObjectIO(s3, bucket), scope: scopeFromEnv(process.env), executor: executorFromEnv(process.env) });
