/** A worker thread of the in-process pool: runs tasks with the same code the Lambda runs. */
import { parentPort } from 'node:worker_threads';
import { provenanceHere } from '../../functions/provenance.js';
import { runTask } from '../../functions/trainer/run-task.js';
import type { Task, TaskResult } from '../../functions/trainer/task.js';

export interface WorkerRequest {
  seq: number;
  id: string;
  task: Task;
}

export type WorkerReply = { seq: number; ok: true; result: TaskResult } | { seq: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('pool-worker.mjs must run in a worker thread');
port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { seq: req.seq, ok: true, result: { ...runTask(req.task, req.id), provenance: provenanceHere({ kind: 'local' }) } };
  } catch (err) {
    reply = { seq: req.seq, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
