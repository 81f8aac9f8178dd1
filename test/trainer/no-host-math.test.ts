/**
 * Neither engine calls a host transcendental (V8's C++ Math, which may round differently per CPU):
 * the golden tasks run with them replaced by functions that throw and still give the golden
 * digests; no trainer source names one (module code could keep a reference taken at import time,
 * which replacing them later would not catch); the WebAssembly kernels import only their memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { jsEngine } from '../../functions/trainer/js-engine.js';
import { layout, objectiveAndGradient } from '../../functions/trainer/mlp.js';
import { prepareTask, runTask } from '../../functions/trainer/run-task.js';
import { type Task, withDefaults } from '../../functions/trainer/task.js';
import { kernelModule } from '../../functions/trainer/wasm/kernel-module.js';
import { wasmEngine } from '../../functions/trainer/wasm/wasm-engine.js';

// Copied from determinism.test.ts, with their golden digests (computed when the trainer still called Math).
const golden: { task: Task; digest: string }[] = [
  {
    task: withDefaults({ n: 108, seed: 3, initFactor: 1, reg: 'l2', lambdas: [1e-3, 1e-2], epochs: 50, valSize: 500 }),
    digest: '936a0d3cfb3c26bd030610630bd8b52bb1712a9d7895720cb82ef23b3fb8cc63',
  },
  {
    task: withDefaults({ n: 50, seed: 0, initFactor: 10, reg: 'l1', lambdas: [1e-4, 2e-3], epochs: 40, valSize: 400, batchSize: 10 }),
    digest: '7f2566fec6c88ade82db2b094276addeda92ebfe8b636fa8c0ef1770f9ba2379',
  },
  {
    task: withDefaults({ n: 32, seed: 7, initFactor: 0.1, reg: 'l2', lambdas: [4e-3], epochs: 30, valSize: 300, batchSize: 1000, standardize: false, regularizeBiases: true }),
    digest: '107a2a5e60bb98bfe33c5b63e4cceeb2dec0b5329468aac42d7eb110dafb9283',
  },
];

/** Math's members whose results are not fixed by IEEE 754 (and `random`, which is not deterministic). */
const HOST_MATH = ['exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'pow', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'cbrt', 'hypot', 'random'] as const;

/** Runs `body` with every HOST_MATH member throwing; returns its result and the members it called. */
function withoutHostMath<T>(body: () => T): { result: T; called: string[] } {
  const math = Math as unknown as Record<string, unknown>;
  const saved = HOST_MATH.map((name) => [name, math[name]] as const);
  const called: string[] = [];
  for (const name of HOST_MATH) {
    math[name] = () => {
      called.push(name);
      throw new Error(`Math.${name} called by the trainer`);
    };
  }
  try {
    return { result: body(), called };
  } finally {
    for (const [name, original] of saved) math[name] = original;
  }
}

describe('no host transcendentals in the trainer', () => {
  // First in this file, so each engine compiles its kernels for these shapes with Math replaced.
  test.each([jsEngine, wasmEngine].map((engine) => [engine.kernel, engine] as const))(
    'the golden tasks give their golden digests with Math.exp, log, log1p, tanh, pow… throwing (%s kernels)',
    (_kernel, engine) => {
      const { result: digests, called } = withoutHostMath(() => golden.map(({ task }) => runTask(task, 'no-host-math', engine).digest));
      expect(called).toEqual([]);
      expect(digests).toEqual(golden.map((g) => g.digest));
    },
  );

  test('the reference objective and gradient (mlp.ts) need no host transcendental either, and give the same bits', () => {
    const { lay, train, init } = prepareTask(golden[0].task);
    const run = () => objectiveAndGradient(init, lay, train, 1e-3, 'l2', false);
    const { result, called } = withoutHostMath(run);
    expect(called).toEqual([]);
    expect(result).toEqual(run());
  });

  test('no trainer source names a host transcendental or uses ** (V8\'s pow), outside comments', () => {
    const root = 'functions/trainer';
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('fdlibm.ts');
    // Any use of Math other than the members IEEE 754 fixes exactly (`Math[name]`, `const m = Math`, Math.exp…).
    const hostMath = /\bMath\b(?!\s*\.\s*(?:abs|ceil|floor|round|trunc|sign|min|max|sqrt|imul|fround|clz32)\b)/;
    const offending: string[] = [];
    for (const file of files) {
      const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      code.split('\n').forEach((line) => {
        if (hostMath.test(line) || line.includes('**')) offending.push(`${file}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  test('the WebAssembly kernel modules import nothing but their memory', () => {
    for (const reg of ['l1', 'l2'] as const) {
      for (const regularizeBiases of [false, true]) {
        const module = new WebAssembly.Module(kernelModule(layout(4, 5), reg, regularizeBiases));
        expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'm', name: 'memory', kind: 'memory' }]);
      }
    }
  });
});
