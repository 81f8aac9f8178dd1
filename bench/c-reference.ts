/**
 * The C yardstick of issue #12 measured on this machine: builds bench/c-reference/trainer.c with
 * the system's C compiler (-Ofast -march=native) and times it on exactly the tasks the project's
 * trainer is timed on, one λ at a time. The targets quote "about 10 / 23 / 32 M" from the machine
 * the issue was filed on, which this shared machine does not reproduce, so the benchmarks print
 * the figure measured in the same run beside the quoted one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { trainingRun } from '../functions/trainer/run-task.js';
import type { Task } from '../functions/trainer/task.js';
import type { TrainingRun } from '../functions/trainer/trainer-engine.js';
import { TANH, TANH_TABLES } from '../functions/trainer/tanh.js';
import { epochOrders } from '../functions/trainer/train.js';
import { packageRoot } from '../orchestrator/paths.js';

const SOURCE = join(packageRoot(), 'bench', 'c-reference', 'trainer.c');
const FLAGS = ['-Ofast', '-march=native'];

/** Patterns the C runs at a time in a mini-batch: the whole batch up to 16, so none is padding. */
export function referenceGroup(batchSize: number): number {
  return batchSize > 1 && batchSize <= 16 ? batchSize : 8;
}

let compiler: string | { missing: string } | undefined;

/** The C compiler's identity (its --version), or why there is none. */
function compilerVersion(): string | { missing: string } {
  if (compiler === undefined) {
    try {
      compiler = execFileSync('cc', ['--version'], { encoding: 'utf8' });
    } catch (e) {
      compiler = { missing: `no C reference: no C compiler (cc: ${(e as Error).message.split('\n')[0]})` };
    }
  }
  return compiler;
}

/**
 * The compiled reference for one network shape and batch group, or the reason there is none. Built
 * once into the temporary folder, keyed by the source, the flags and the compiler.
 */
export function buildReference(dim: number, hidden: number, group = 8): { binary: string } | { missing: string } {
  const version = compilerVersion();
  if (typeof version !== 'string') return version;
  const defines = [`-DDIM=${dim}`, `-DHID=${hidden}`, `-DG=${group}`];
  const [c2, c3, c4, c5, c6] = TANH.taylor;
  const constants = { CLAMP: TANH.clamp, INV_LN2X64: TANH.invLn2x64, LN2BY64_HI: TANH.ln2by64Hi, LN2BY64_LO: TANH.ln2by64Lo, C2: c2, C3: c3, C4: c4, C5: c5, C6: c6 };
  // JS prints the shortest decimal that reads back as the same double, and C reads it back so.
  const header = [
    ...Object.entries(constants).map(([name, value]) => `#define TANH_${name} ${value}\n`),
    `static const double EXP2_64THS[64] = {${[...TANH_TABLES.exp2].join(', ')}};\n`,
  ].join('');
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update([...FLAGS, ...defines, version, header].join('\n')).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'lambdastar-c-reference');
  const binary = join(dir, `trainer-${hash}`);
  if (existsSync(binary)) return { binary };
  const include = join(dir, `include-${hash}`);
  mkdirSync(include, { recursive: true });
  writeFileSync(join(include, 'tanh-constants.h'), header);
  const partial = `${binary}.${process.pid}`;
  try {
    execFileSync('cc', [...FLAGS, ...defines, `-I${include}`, '-o', partial, SOURCE, '-lm'], { stdio: 'pipe' });
    renameSync(partial, binary);
  } catch (e) {
    compiler = { missing: `no C reference: cc failed (${(e as Error).message.split('\n')[0]})` };
    return compiler;
  }
  return { binary };
}

export interface ReferenceResult {
  /** Seconds spent training and evaluating every λ (input and output excluded). */
  seconds: number;
  /** Per λ: mean training and validation cross-entropy and the trained parameters (mlp.ts's layout). */
  lambdas: { trainLoss: number; valLoss: number; params: Float64Array }[];
}

/** Numbers this process's input files. */
let inputs = 0;

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

/**
 * Every task of `tasks` trained by the C reference, `concurrency` processes at a time, in the
 * order given (a sweep plans longest first): the wall time, as a sweep's is measured, and within it
 * the seconds C itself spent training and evaluating. This process generates each task's data and
 * writes its input meanwhile (a sweep's workers generate theirs too): about 6 s of one core for
 * thesis-fig2-ext, which C's wall time includes.
 */
export async function referenceSweep(tasks: readonly Task[], concurrency: number): Promise<{ wallSeconds: number; cSeconds: number } | { missing: string }> {
  const binaries = new Map<string, { binary: string } | { missing: string }>();
  const keyOf = (task: Task) => `${task.inputDim}:${task.hidden}:${referenceGroup(task.batchSize)}`;
  for (const task of tasks) {
    if (!binaries.has(keyOf(task))) binaries.set(keyOf(task), buildReference(task.inputDim, task.hidden, referenceGroup(task.batchSize)));
  }
  for (const built of binaries.values()) if ('missing' in built) return built;
  const limit = pLimit(concurrency);
  let cSeconds = 0;
  const started = performance.now();
  await Promise.all(
    tasks.map((task) =>
      limit(async () => {
        const run = trainingRun(task);
        const { binary } = binaries.get(keyOf(task)) as { binary: string };
        const { seconds } = await runReference(binary, run);
        cSeconds += seconds; // not `cSeconds += await …`, which reads cSeconds before the wait
      }),
    ),
  );
  return { wallSeconds: (performance.now() - started) / 1000, cSeconds };
}
