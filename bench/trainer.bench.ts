/**
 * Trainer speed: pattern-epochs per second per λ on one thread, for the 10-15-1 net at N = 3240,
 * B = 1, 10 and full, with 1 λ alone and 14 λ trained together, for the engine that runs by default
 * (WebAssembly SIMD) and for the JS reference kernels.
 * Targets (issue #12), against an optimized one-λ-at-a-time C implementation of this protocol on
 * this machine class (10 / 23 / 32 M at B = 1 / 10 / full): per λ with 14 together ≥ 1×, 0.5× and
 * 0.4× of it; 1 λ alone no slower than the JS kernels. Each figure is the best of BENCH_REPEATS runs
 * (default 3), as the machine is shared.
 */
import { jsEngine } from '../functions/trainer/js-engine.js';
import { prepareTask, shuffleStream } from '../functions/trainer/run-task.js';
import { withDefaults } from '../functions/trainer/task.js';
import type { TrainerEngine } from '../functions/trainer/trainer-engine.js';
import { wasmEngine } from '../functions/trainer/wasm/wasm-engine.js';
import { THESIS_LAMBDAS } from '../orchestrator/spec/grids.js';

const N = 3240;
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 100);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const C_FIGURE: Record<string, number> = { 'B=1': 10e6, 'B=10': 23e6, 'B=full': 32e6 };
const C_SHARE: Record<string, number> = { 'B=1': 1, 'B=10': 0.5, 'B=full': 0.4 };

function measure(engine: TrainerEngine, batchSize: number, lambdaCount: number): number {
  const task = withDefaults({ n: N, seed: 1, initFactor: 1, reg: 'l2', lambdas: THESIS_LAMBDAS.slice(0, lambdaCount), batchSize, epochs: EPOCHS, valSize: 10 });
  const { lay, init, train, validation } = prepareTask(task);
  let best = 0;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    engine.run({ lay, init, lambdas: task.lambdas, train, validation, opts: task, shuffle: shuffleStream(task) });
    const seconds = (performance.now() - start) / 1000;
    // Each λ trains on every pattern of every epoch: count λ-pattern-epochs.
    best = Math.max(best, (N * EPOCHS * lambdaCount) / seconds);
  }
  return best;
}

const m = (x: number) => `${(x / 1e6).toFixed(2)}M`;

// Compile each engine's kernels (and let V8 tier them up) before timing.
for (const engine of [wasmEngine, jsEngine]) for (const b of [1, 10]) measure(engine, b, 2);

console.log(`trainer: 10-15-1 net, N = ${N}, ${EPOCHS} epochs, one thread, best of ${REPEATS} (pattern-epochs per second per λ)`);
console.log(`${'batch'.padEnd(8)} ${'1 λ'.padStart(9)} ${'14 λ'.padStart(9)}   ${'JS 1 λ'.padStart(9)} ${'JS 14 λ'.padStart(9)}   targets`);
let missed = 0;
for (const [label, b] of [['B=1', 1], ['B=10', 10], ['B=full', N]] as const) {
  const [one, many, jsOne, jsMany] = [measure(wasmEngine, b, 1), measure(wasmEngine, b, 14), measure(jsEngine, b, 1), measure(jsEngine, b, 14)];
  const target = C_SHARE[label] * C_FIGURE[label];
  const okMany = many >= target;
  const okOne = one >= jsOne;
  missed += Number(!okMany) + Number(!okOne);
  console.log(
    `${label.padEnd(8)} ${m(one).padStart(9)} ${m(many).padStart(9)}   ${m(jsOne).padStart(9)} ${m(jsMany).padStart(9)}   ` +
      `14 λ ≥ ${C_SHARE[label]}× C = ${m(target)} ${okMany ? 'ok' : 'MISSED'}; 1 λ ≥ JS ${okOne ? 'ok' : 'MISSED'}; ` +
      `14 λ is ${(many / jsMany).toFixed(1)}× JS`,
  );
}
console.log(missed === 0 ? 'all trainer targets met' : `${missed} trainer target(s) missed`);
