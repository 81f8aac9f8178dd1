/**
 * The WebAssembly SIMD engine against the JS reference: identical bits (equal digests) on the golden
 * tasks, on every combination of batch mode × regularizer × bias regularization × λ count parity, on
 * randomized small tasks and on diverging ones.
 */
import { describe, expect, test } from 'vitest';
import { jsEngine } from '../../functions/trainer/js-engine.js';
import { deriveRng } from '../../functions/trainer/rng.js';
import { runTask } from '../../functions/trainer/run-task.js';
import type { Reg, Task, TaskResult } from '../../functions/trainer/task.js';
import { isDiverged, withDefaults } from '../../functions/trainer/task.js';
import { wasmEngine, wasmSimdAvailable } from '../../functions/trainer/wasm/wasm-engine.js';

/** The task in one line, to paste back into `withDefaults` (or a task file) to reproduce it. */
const json = (task: Task) => JSON.stringify(task);

/** Runs `task` on both engines and asserts identical digests, naming the task (and both metric lists) on failure. */
function expectSameBits(task: Task): { js: TaskResult; wasm: TaskResult } {
  const js = runTask(task, 'wasm-kernels', jsEngine);
  const wasm = runTask(task, 'wasm-kernels', wasmEngine);
  expect(
    wasm.digest,
    `WASM and JS digests differ for task ${json(task)}\n  JS:   ${JSON.stringify(js.metrics)}\n  WASM: ${JSON.stringify(wasm.metrics)}`,
  ).toBe(js.digest);
  return { js, wasm };
}

// Copied from determinism.test.ts.
const golden: Task[] = [
  withDefaults({ n: 108, seed: 3, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-2], epochs: 50, valSize: 500 }),
  withDefaults({ n: 50, seed: 0, initFactor: 10, reg: 'l1', lambdas: [1e-4, 2e-3], epochs: 40, valSize: 400, batchSize: 10 }),
  withDefaults({ n: 32, seed: 7, initFactor: 0.1, reg: 'l2', lambdas: [4e-3], epochs: 30, valSize: 300, batchSize: 1000, standardize: false, regularizeBiases: true }),
];

/** 1, 2, 3 and 5 λ: odd counts leave the last f64x2 pair half-filled, even ones fill it. */
const LAMBDA_LISTS: number[][] = [[1e-3], [1e-4, 1e-2], [1e-5, 1e-3, 3e-2], [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]];

interface GridCase {
  name: string;
  task: Task;
}

/** Every batch mode × reg × regularizeBiases × λ count, each small and with its own data and layout. */
function grid(): GridCase[] {
  const cases: GridCase[] = [];
  const batchModes = [
    { label: 'B = 1 (online)', batch: () => 1 },
    // n = 37 leaves a short last batch of 7.
    { label: 'B = 10 (mini-batch)', batch: () => 10 },
    // Exactly n for some tasks, far above it for others.
    { label: 'full batch (B ≥ n)', batch: (n: number, i: number) => (i % 2 === 0 ? n : 1000) },
  ];
  let i = 0;
  for (const mode of batchModes) {
    for (const reg of ['l1', 'l2'] as Reg[]) {
      for (const regularizeBiases of [false, true]) {
        for (const lambdas of LAMBDA_LISTS) {
          const n = [37, 24, 60, 45][i % 4];
          const task = withDefaults({
            n,
            seed: 100 + i,
            initFactor: [1, 0.1, 10][i % 3],
            reg,
            lambdas,
            epochs: 12,
            valSize: 150,
            batchSize: mode.batch(n, i),
            inputDim: 1 + (i % 5),
            hidden: 3 + (i % 7),
            standardize: i % 3 !== 2,
            regularizeBiases,
          });
          cases.push({ name: `${mode.label}, ${reg.toUpperCase()}, regularizeBiases ${regularizeBiases ? 'on' : 'off'}, ${lambdas.length} λ`, task });
          i++;
        }
      }
    }
  }
  return cases;
}

/** 50 small tasks from a fixed seed of the project RNG, covering the option space at random. */
function randomTasks(count: number): Task[] {
  const rng = deriveRng([0x7761736d, 0x6b65726e]);
  const int = (lo: number, hi: number) => lo + rng.below(hi - lo + 1);
  const pick = <T>(xs: readonly T[]): T => xs[rng.below(xs.length)];
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + rng.uniform() * (Math.log(hi) - Math.log(lo)));
  const tasks: Task[] = [];
  for (let t = 0; t < count; t++) {
    const n = int(2, 80);
    const batchSize = pick([() => 1, () => int(2, n), () => n + int(0, 100)])();
    const lambdaSet = new Set<number>();
    const wanted = int(1, 6);
    while (lambdaSet.size < wanted) lambdaSet.add(logUniform(1e-5, 1e-1));
    tasks.push(
      withDefaults({
        n,
        seed: rng.nextUint32(),
        initFactor: pick([0.1, 1, 10]),
        reg: pick(['l1', 'l2'] as const),
        lambdas: [...lambdaSet].sort((a, b) => a - b),
        epochs: int(1, 15),
        valSize: int(1, 100),
        batchSize,
        inputDim: int(1, 12),
        hidden: int(1, 20),
        standardize: rng.below(2) === 1,
        learningRate: 0.01 + rng.uniform() * 0.49,
        regularizeBiases: rng.below(2) === 1,
      }),
    );
  }
  return tasks;
}

/**
 * Tasks whose training blows up (η = 50, init factor 10; with L2, 1 − ηλ < −1 makes the larger λ
 * grow without bound), in every batch mode: f64x2 pairs with one finite and one diverged lane, fully
 * diverged pairs, and a half-filled diverged pair.
 */
const diverging: { name: string; task: Task }[] = [
  {
    name: 'online, L2, one pair: finite λ next to a diverged λ',
    task: withDefaults({ n: 30, seed: 5, initFactor: 10, reg: 'l2', lambdas: [1e-4, 0.1], epochs: 10, valSize: 50, learningRate: 50, inputDim: 4, hidden: 6 }),
  },
  {
    name: 'online, L2, a single diverged λ (odd count)',
    task: withDefaults({ n: 30, seed: 5, initFactor: 10, reg: 'l2', lambdas: [0.1], epochs: 10, valSize: 50, learningRate: 50, inputDim: 4, hidden: 6 }),
  },
  {
    name: 'online, L2, 3 λ: a mixed pair, then a diverged half-filled pair',
    task: withDefaults({ n: 30, seed: 6, initFactor: 10, reg: 'l2', lambdas: [1e-4, 0.1, 0.2], epochs: 10, valSize: 50, learningRate: 50, inputDim: 4, hidden: 6, regularizeBiases: true }),
  },
  {
    name: 'mini-batch B = 7, L2, 4 λ with the largest diverging',
    task: withDefaults({ n: 30, seed: 5, initFactor: 10, reg: 'l2', lambdas: [1e-4, 1e-2, 10, 100], epochs: 20, valSize: 50, learningRate: 50, inputDim: 4, hidden: 6, batchSize: 7 }),
  },
  {
    name: 'full batch, L2, 2 λ with the larger diverging',
    task: withDefaults({ n: 30, seed: 5, initFactor: 10, reg: 'l2', lambdas: [1e-4, 1e15], epochs: 20, valSize: 50, learningRate: 50, inputDim: 4, hidden: 6, batchSize: 1000 }),
  },
];

describe('WASM SIMD engine = JS reference engine (identical bits)', () => {
  test('the WASM engine is the WebAssembly SIMD path: SIMD is available, it is named wasm-simd and instantiates a WebAssembly module', () => {
    expect(wasmSimdAvailable(), 'this Node has no WebAssembly SIMD: the comparison would be meaningless').toBe(true);
    expect(wasmEngine.kernel).toBe('wasm-simd');
    expect(jsEngine.kernel).toBe('js');
    expect(wasmEngine.run).not.toBe(jsEngine.run);

    // A layout no other task in this file uses, so its kernel module is not cached yet.
    const task = withDefaults({ n: 8, seed: 1, initFactor: 1, reg: 'l1', lambdas: [1e-3], epochs: 1, valSize: 4, inputDim: 13, hidden: 23 });
    const wa = WebAssembly as unknown as { Instance: new (m: unknown, i: unknown) => unknown };
    const Original = wa.Instance;
    let instantiated = 0;
    wa.Instance = class extends (Original as new (m: unknown, i: unknown) => object) {
      constructor(m: unknown, i: unknown) {
        super(m, i);
        instantiated++;
      }
    };
    try {
      runTask(task, 'wasm-kernels', jsEngine);
      expect(instantiated, 'the JS engine must not touch WebAssembly').toBe(0);
      runTask(task, 'wasm-kernels', wasmEngine);
      expect(instantiated, 'the WASM engine must instantiate its kernel module').toBeGreaterThan(0);
    } finally {
      wa.Instance = Original;
    }
  });

  golden.forEach((task, i) => {
    test(`same digest on golden task ${i + 1} of determinism.test.ts`, () => {
      expectSameBits(task);
    });
  });

  for (const { name, task } of grid()) {
    test(`same digest, no divergence: ${name}`, () => {
      const { js } = expectSameBits(task);
      expect(js.metrics.some(isDiverged), `grid task diverged, so it compares no numbers: ${json(task)}`).toBe(false);
    });
  }

  const random = randomTasks(50);
  /** The JS results of the random tasks, kept by their tests for the coverage check below. */
  const randomResults = new Map<Task, TaskResult>();

  test('the random tasks cover online, mini-batch and full batch, L1 and L2, biases on and off, odd and even λ counts', () => {
    const seen = (f: (t: Task) => string) => new Set(random.map(f));
    expect(seen((t) => (t.batchSize === 1 ? 'online' : t.batchSize < t.n ? 'mini-batch' : 'full batch'))).toEqual(new Set(['online', 'mini-batch', 'full batch']));
    expect(seen((t) => t.reg)).toEqual(new Set(['l1', 'l2']));
    expect(seen((t) => String(t.regularizeBiases))).toEqual(new Set(['true', 'false']));
    expect(seen((t) => String(t.standardize))).toEqual(new Set(['true', 'false']));
    expect(seen((t) => (t.lambdas.length % 2 === 0 ? 'even' : 'odd'))).toEqual(new Set(['even', 'odd']));
  });

  random.forEach((task, i) => {
    test(`same digest on random task ${i} (${summary(task)})`, () => {
      randomResults.set(task, expectSameBits(task).js);
    });
  });

  test('the random tasks mostly train to finite metrics, so their digests compare numbers', () => {
    const metrics = random.flatMap((task) => (randomResults.get(task) ?? runTask(task, 'wasm-kernels', jsEngine)).metrics);
    expect(metrics.filter((m) => !isDiverged(m)).length).toBeGreaterThan(metrics.length / 2);
  });

  for (const { name, task } of diverging) {
    test(`same digest when training diverges: ${name}`, () => {
      const { js, wasm } = expectSameBits(task);
      expect(js.metrics.some(isDiverged), `expected a diverged λ in ${json(task)}`).toBe(true);
      expect(wasm.metrics.map(isDiverged)).toEqual(js.metrics.map(isDiverged));
    });
  }

  // Found by mutating the kernel (review of #12): each fails if one comparison is changed.
  test('same digest when a logit is exactly 0 (misclassified counts a ≥ 0 as class 1)', () => {
    const task = withDefaults({ n: 4, seed: 1, initFactor: 5e-324, reg: 'l2', lambdas: [1e-3], epochs: 1, valSize: 3, learningRate: 5e-324, inputDim: 2, hidden: 2 });
    expect(expectSameBits(task).js.metrics[0]).toMatchObject({ valError: 2 / 3 });
  });

  test('same digest when a pre-activation is NaN (the tanh clamp passes NaN through)', () => {
    const task = withDefaults({
      n: 2, seed: 2439925208, initFactor: 0.0019989073557843194, reg: 'l1', lambdas: [1000, 1e10], epochs: 1, valSize: 1,
      inputDim: 6, hidden: 1, separation: 0, sigma: 1e300, standardize: false, learningRate: 0.19482227651895206,
    });
    expectSameBits(task);
  });

  test('the largest shapes the limits allow compile (one local per temporary would pass V8\'s 50 000 locals)', () => {
    const task = withDefaults({ n: 3, seed: 1, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-2, 0.1], epochs: 1, valSize: 2, inputDim: 40, hidden: 1000, batchSize: 2 });
    expectSameBits(task);
  });

  test('the diverging tasks include a pair of λ with one finite and one diverged lane', () => {
    const mixedPair = diverging.some(({ task }) => {
      const flags = runTask(task, 'wasm-kernels', jsEngine).metrics.map(isDiverged);
      return flags.some((d, l) => l % 2 === 0 && l + 1 < flags.length && d !== flags[l + 1]);
    });
    expect(mixedPair).toBe(true);
  });
});

function summary(t: Task): string {
  const b = t.batchSize === 1 ? 'B=1' : t.batchSize >= t.n ? 'full batch' : `B=${t.batchSize}`;
  return `n=${t.n} D=${t.inputDim} H=${t.hidden} ${b} ${t.reg} ${t.lambdas.length} λ biases=${t.regularizeBiases} std=${t.standardize} f=${t.initFactor}`;
}
