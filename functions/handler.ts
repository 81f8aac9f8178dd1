/**
 * The trainer as a Lambda function. Event: `{ tasks: [{ id, task }], bucket, prefix }` writes each
 * result under the store `prefix` in `bucket` (functions/keys.ts) and returns it; `{ tasks, inline:
 * true }` only returns the results. The orchestrator needs the metrics either way: an adaptive
 * search decides its next λ from them. A bad event is answered with `{ code, message }` naming the
 * field, never a stack trace.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { resultKey } from './keys.js';
import type { ObjectIO } from './results.js';
import { writeOnce } from './results.js';
import { s3CompatibleOptions, s3ObjectIO } from './s3-object-io.js';
import { cellId, taskId } from './trainer/ids.js';
import { runTask } from './trainer/run-task.js';
import type { TaskResult } from './trainer/task.js';
import { describeIssue, taskSchema } from './trainer/validation.js';

const eventSchema = z
  .strictObject({
    tasks: z.array(z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, { error: 'must be the task id from the planner' }), task: taskSchema }))
      .min(1, { error: 'must hold at least one task' }),
    bucket: z.string().min(1).optional(),
    prefix: z.string().optional(),
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

export interface HandlerDeps {
  /** Object I/O for a bucket. */
  io(bucket: string): ObjectIO;
  /** Runs one task; injectable so tests can make a task fail. */
  run?: (task: z.output<typeof taskSchema>, id: string) => TaskResult;
}

export function makeHandler(deps: HandlerDeps): (event: unknown) => Promise<TrainerResponse> {
  const run = deps.run ?? runTask;
  return async (event) => {
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) return { ok: false, code: 'InvalidEvent', message: describeIssue(parsed.error, 'event') };
    const { tasks, bucket, prefix = '', inline } = parsed.data;
    for (const [i, { id, task }] of tasks.entries()) {
      if (taskId(task) !== id) {
        return { ok: false, code: 'InvalidEvent', message: `event.tasks[${i}].id: does not match its task (expected ${taskId(task)}); plan again` };
      }
    }
    const results: TaskSummary[] = [];
    const failures: TaskFailure[] = [];
    for (const { id, task } of tasks) {
      try {
        const result = run(task, id);
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

const s3 = new S3Client(s3CompatibleOptions());
export const handler = makeHandler({ io: (bucket) => s3ObjectIO(s3, bucket) });
