/**
 * The C yardstick of issue #12 measured on this machine: builds bench/c-reference/trainer.c with
 * the system's C compiler (-O3 -march=native) and times it on exactly the task the project's
 * trainer is timed on, one λ at a time. The targets quote "about 10 / 23 / 32 M" from the machine
 * the issue was filed on; this shared machine runs the same code at a fraction of that, so the
 * bench prints the figure measured in the same run beside the quoted one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { prepareTask, shuffleStream } from '../functions/trainer/run-task.js';
import type { Task } from '../functions/trainer/task.js';
import type { TrainingRun } from '../functions/trainer/trainer-engine.js';
import { epochOrders } from '../functions/trainer/train.js';
import { packageRoot } from '../orchestrator/paths.js';

const SOURCE = join(packageRoot(), 'bench', 'c-reference', 'trainer.c');

/** The compiled reference for one network shape, or the reason there is none (no C compiler). */
export function buildReference(dim: number, hidden: number): { binary: string } | { missing: string } {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(`${dim}-${hidden}`).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'lambdastar-c-reference');
  const binary = join(dir, `trainer-${hash}`);
  if (existsSync(binary)) return { binary };
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync('cc', ['-Ofast', '-march=native', `-DDIM=${dim}`, `-DHID=${hidden}`, '-o', partial, SOURCE, '-lm'], { stdio: 'pipe' });
    renameSync(partial, binary);
  } catch (e) {
    return { missing: `no C reference: cc failed (${(e as Error).message.split('\n')[0]})` };
  }
  return { binary };
}

export interface ReferenceResult {
  /** Seconds spent training and evaluating every λ (input and output excluded). */
  seconds: number;
  /** Per λ: mean training and validation cross-entropy and the trained parameters (mlp.ts's layout). */
  lambdas: { trainLoss: number; valLoss: number; params: Float64Array }[];
}

/** `run`'s λ trained one after another by the C reference, from the epoch orders the project draws. */
export async function runReference(binary: string, run: TrainingRun): Promise<ReferenceResult> {
  const { lay, init, train, validation, opts, lambdas } = run;
  const orders = epochOrders(train.n, opts.epochs, run.shuffle);
  const batch = Math.max(1, Math.min(opts.batchSize, train.n));
  const header = new Int32Array([lay.dim, lay.hidden, train.n, validation.n, opts.epochs, batch, opts.reg === 'l2' ? 1 : 0, opts.regularizeBiases ? 1 : 0, lambdas.length]);
  const parts = [header, new Float64Array([opts.learningRate, ...lambdas]), init, train.x, train.d, validation.x, validation.d, ...orders];
  const input = join(tmpdir(), `lambdastar-c-reference-${process.pid}-${inputs++}.bin`);
  writeFileSync(input, Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  try {
    const { stdout } = await promisify(execFile)(binary, [input], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const out = stdout.trim().split('\n').map(Number);
    const stride = lay.size + 2;
    return {
      seconds: out[0],
      lambdas: lambdas.map((_, l) => {
        const at = 1 + l * stride;
        return { trainLoss: out[at], valLoss: out[at + 1], params: Float64Array.from(out.slice(at + 2, at + stride)) };
      }),
    };
  } finally {
    rmSync(input, { force: true });
  }
}

let inputs = 0;

/**
 * Every task of `tasks` trained by the C reference, `concurrency` processes at a time, in the
 * order given (a sweep plans longest first): the wall time, as a sweep's is measured, with this
 * process generating each task's data and writing its input as the sweep's workers do; and within
 * it, the seconds C itself spent training and evaluating.
 */
export async function referenceSweep(tasks: readonly Task[], concurrency: number): Promise<{ wallSeconds: number; cSeconds: number } | { missing: string }> {
  const limit = pLimit(concurrency);
  let cSeconds = 0;
  let missing: string | undefined;
  const started = performance.now();
  await Promise.all(
    tasks.map((task) =>
      limit(async () => {
        const { lay, init, train, validation } = prepareTask(task);
        const built = buildReference(lay.dim, lay.hidden);
        if ('missing' in built) return void (missing = built.missing);
        const { seconds } = await runReference(built.binary, { lay, init, lambdas: task.lambdas, train, validation, opts: task, shuffle: shuffleStream(task) });
        cSeconds += seconds; // not `cSeconds += await …`, which reads cSeconds before the wait

      }),
    ),
  );
  return missing === undefined ? { wallSeconds: (performance.now() - started) / 1000, cSeconds } : { missing };
}
