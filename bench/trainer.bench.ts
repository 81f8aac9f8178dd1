/**
 * Trainer speed: pattern-epochs per second per λ on one thread, for the 10-15-1 net at N = 3240,
 * 500 epochs, B = 1, 10 and full, with 1 λ alone and 14 λ trained together.
 * Bars (issue #2): ≥ 1.5 M/s for 1 λ and ≥ 2.5 M/s per λ for 14 together, at B = 10.
 */
import { trainAll } from '../functions/trainer/train.js';
import { prepareTask } from '../functions/trainer/run-task.js';
import { streamFor } from '../functions/trainer/rng.js';
import { withDefaults } from '../functions/trainer/task.js';
import { THESIS_LAMBDAS } from '../orchestrator/spec/grids.js';

const N = 3240;
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 500);

function measure(batchSize: number, lambdaCount: number): number {
  const task = withDefaults({ n: N, seed: 1, initFactor: 1, reg: 'l2', lambdas: THESIS_LAMBDAS.slice(0, lambdaCount), batchSize, epochs: EPOCHS, valSize: 10 });
  const prep = prepareTask(task);
  const params = new Float64Array(prep.lay.size * lambdaCount);
  for (let l = 0; l < lambdaCount; l++) params.set(prep.init, l * prep.lay.size);
  const start = performance.now();
  trainAll(params, prep.lay, task.lambdas, prep.train, task, streamFor(1, 'shuffle', N));
  const seconds = (performance.now() - start) / 1000;
  // Each λ trains on every pattern of every epoch: count λ-pattern-epochs.
  return (N * EPOCHS * lambdaCount) / seconds;
}

// Warm the kernels up once so the JIT has compiled them before timing.
measure(10, 1);

console.log(`trainer: 10-15-1 net, N = ${N}, ${EPOCHS} epochs, one thread (pattern-epochs per second per λ)`);
console.log(`${'batch'.padEnd(8)} ${'1 λ'.padStart(10)} ${'14 λ'.padStart(10)}`);
const rows: Record<string, [number, number]> = {};
for (const [label, b] of [['B=1', 1], ['B=10', 10], ['B=full', N]] as const) {
  const one = measure(b, 1);
  const many = measure(b, 14);
  rows[label] = [one, many];
  console.log(`${label.padEnd(8)} ${(one / 1e6).toFixed(2).padStart(9)}M ${(many / 1e6).toFixed(2).padStart(9)}M`);
}
const [one, many] = rows['B=10'];
console.log(`bars at B=10: 1 λ ${(one / 1e6).toFixed(2)}M ≥ 1.5M ${one >= 1.5e6 ? 'ok' : 'MISSED'}; 14 λ ${(many / 1e6).toFixed(2)}M ≥ 2.5M ${many >= 2.5e6 ? 'ok' : 'MISSED'}`);
