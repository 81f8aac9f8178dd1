/**
 * Runs a task's training and evaluation in the WebAssembly kernels: lays the data, the λ
 * coefficients and the interleaved networks out in the module's memory, draws each epoch's order
 * into it from the task's shuffle stream (as train.ts does), and reads the networks back.
 */
import { allFinite, type Evaluation, type TrainedLambdas, type TrainerEngine, type TrainingRun } from '../trainer-engine.js';
import type { Layout } from '../mlp.js';
import type { Reg } from '../task.js';
import { TANH_TABLES } from '../tanh.js';
import { permute } from '../train.js';
import { TABLES, dataStart, kernelModule } from './kernel-module.js';

type Online = (xPtr: number, dPtr: number, orderPtr: number, n: number, pPtr: number, cPtr: number, pairs: number, eta: number) => void;
type Batch = (
  xPtr: number, dPtr: number, orderPtr: number, n: number, batch: number, pPtr: number, gPtr: number, cPtr: number, pairs: number, eta: number,
) => void;
type Evaluate = (xPtr: number, dPtr: number, n: number, pb: number, outPtr: number) => void;

interface Kernel {
  online: Online;
  batch: Batch;
  evaluate: Evaluate;
}

const kernels = new Map<string, Kernel>();
let sharedMemory: WebAssembly.Memory | undefined;

/** One memory for every shape's kernels (it only grows: one per shape would keep each one's peak). */
function memory(): WebAssembly.Memory {
  if (!sharedMemory) {
    sharedMemory = new WebAssembly.Memory({ initial: 1 });
    new Float64Array(sharedMemory.buffer, TABLES.exp2, TANH_TABLES.exp2.length).set(TANH_TABLES.exp2);
  }
  return sharedMemory;
}

function kernelFor(lay: Layout, reg: Reg, regularizeBiases: boolean): Kernel {
  const key = `${lay.dim}:${lay.hidden}:${reg}:${regularizeBiases}`;
  let k = kernels.get(key);
  if (!k) {
    const module = new WebAssembly.Module(kernelModule(lay, reg, regularizeBiases));
    k = new WebAssembly.Instance(module, { m: { memory: memory() } }).exports as unknown as Kernel;
    kernels.set(key, k);
  }
  return k;
}

/** Byte regions of one run, each 16-byte aligned. */
function regions(run: TrainingRun, pairs: number) {
  let at = dataStart(run.lay.hidden);
  const take = (bytes: number) => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  const { lay, train, validation } = run;
  const r = {
    coef: take(pairs * 16),
    params: take(pairs * lay.size * 16),
    grad: take(lay.size * 16),
    out: take(32),
    order: take(train.n * 4),
    x: take(train.x.length * 8),
    d: take(train.n * 8),
    valX: take(validation.x.length * 8),
    valD: take(validation.n * 8),
  };
  return { ...r, end: at };
}

const PAGE = 65536;

function run(r: TrainingRun): TrainedLambdas {
  const { lay, init, lambdas, train, validation, opts } = r;
  const k = kernelFor(lay, opts.reg, opts.regularizeBiases);
  const nl = lambdas.length;
  const pairs = Math.ceil(nl / 2);
  const at = regions(r, pairs);
  const missing = Math.ceil((at.end - memory().buffer.byteLength) / PAGE);
  if (missing > 0) memory().grow(missing);
  const mem = new Float64Array(memory().buffer);
  const eta = opts.learningRate;
  // An odd λ count fills the last pair's second lane with a copy of the last λ (its result unused).
  const lambdaAt = (q: number, lane: number) => lambdas[Math.min(2 * q + lane, nl - 1)];
  for (let q = 0; q < pairs; q++) {
    for (let lane = 0; lane < 2; lane++) {
      const lambda = lambdaAt(q, lane);
      mem[at.coef / 8 + 2 * q + lane] = opts.reg === 'l2' ? 1 - eta * lambda : eta * lambda;
      const block = at.params / 8 + q * lay.size * 2 + lane;
      for (let p = 0; p < lay.size; p++) mem[block + 2 * p] = init[p];
    }
  }
  mem.fill(0, at.grad / 8, at.grad / 8 + lay.size * 2);
  mem.set(train.x, at.x / 8);
  mem.set(train.d, at.d / 8);
  mem.set(validation.x, at.valX / 8);
  mem.set(validation.d, at.valD / 8);

  const order = new Int32Array(memory().buffer, at.order, train.n);
  const batch = Math.max(1, Math.min(opts.batchSize, train.n));
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    permute(order, r.shuffle);
    if (batch === 1) k.online(at.x, at.d, at.order, train.n, at.params, at.coef, pairs, eta);
    else k.batch(at.x, at.d, at.order, train.n, batch, at.params, at.grad, at.coef, pairs, eta);
  }

  const params = new Float64Array(nl * lay.size);
  for (let l = 0; l < nl; l++) {
    const block = at.params / 8 + (l >> 1) * lay.size * 2 + (l & 1);
    for (let p = 0; p < lay.size; p++) params[l * lay.size + p] = mem[block + 2 * p];
  }
  const finite = lambdas.map((_, l) => allFinite(params, l * lay.size, lay.size));
  const evaluations: TrainedLambdas['evaluations'] = new Array(nl).fill(undefined);
  for (let q = 0; q < pairs; q++) {
    const lanes = [2 * q, 2 * q + 1].filter((l) => l < nl && finite[l]);
    if (lanes.length === 0) continue;
    const pb = at.params + q * lay.size * 16;
    const onTrain = evaluatePair(k, mem, at.x, at.d, train.n, pb, at.out);
    const onValidation = evaluatePair(k, mem, at.valX, at.valD, validation.n, pb, at.out);
    for (const l of lanes) evaluations[l] = { train: onTrain[l & 1], validation: onValidation[l & 1] };
  }
  return { params, evaluations };
}

function evaluatePair(k: Kernel, mem: Float64Array, xPtr: number, dPtr: number, n: number, pb: number, outPtr: number): Evaluation[] {
  k.evaluate(xPtr, dPtr, n, pb, outPtr);
  const o = outPtr / 8;
  return [0, 1].map((lane) => ({ loss: mem[o + lane] / n, error: mem[o + 2 + lane] / n }));
}

/** Whether this engine can run here: WebAssembly with SIMD128 (a module using v128 validates). */
export function wasmSimdAvailable(): boolean {
  try {
    // (module (func (result v128) i32.const 0 i8x16.splat))
    const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
    return typeof WebAssembly === 'object' && WebAssembly.validate(probe);
  } catch {
    return false;
  }
}

export const wasmEngine: TrainerEngine = { kernel: 'wasm-simd', run };
