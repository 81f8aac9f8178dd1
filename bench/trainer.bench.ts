/**
 * Trainer speed: pattern-epochs per second per λ on one thread, for the 10-15-1 net at N = 3240,
 * B = 1, 10 and full, with 1 λ alone and 14 λ trained together, for the engine that runs by default
 * (WebAssembly SIMD) and for the JS reference kernels.
 * Targets (issue #12), against an optimized one-λ-at-a-time C implementation of this protocol: per
 * λ with 14 together ≥ 1×, 0.5× and 0.4× of it at B = 1 / 10 / full; 1 λ alone no slower than the
 * JS kernels. The issue quotes C at 10 / 23 / 32 M from the machine it was filed on. Each target is
 * judged three ways: against "C here", bench/c-reference/trainer.c (the same protocol, optimized C,
 * one λ at a time) timed in this run; against the quoted C scaled to this machine by the issue's
 * baseline trainer, rebuilt from git and timed here (bench/issue-baseline.ts); and against the
 * quoted figures as they stand.
 * Each figure is the best of BENCH_REPEATS runs (default 5), as the machine is shared; each verdict
 * against C, the median of the rounds' ratios.
 */
import { jsEngine } from '../functions/trainer/js-engine.js';
import { trainingRun } from '../functions/trainer/run-task.js';
import { withDefaults } from '../functions/trainer/task.js';
import type { TrainerEngine, TrainingRun } from '../functions/trainer/trainer-engine.js';
import { wasmEngine } from '../functions/trainer/wasm/wasm-engine.js';
import { THESIS_LAMBDAS } from '../orchestrator/spec/grids.js';
import { buildReference, referenceGroup, runReference } from './c-reference.js';
import { QUOTED_BASELINE_14, issueBaseline } from './issue-baseline.js';

const N = 3240;
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 100);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const C_FIGURE: Record<string, number> = { 'B=1': 10e6, 'B=10': 23e6, 'B=full': 32e6 };
const C_SHARE: Record<string, number> = { 'B=1': 1, 'B=10': 0.5, 'B=full': 0.4 };
const baseline = await issueBaseline();

function runFor(batchSize: number, lambdaCount: number): TrainingRun {
  return trainingRun(withDefaults({ n: N, seed: 1, initFactor: 1, reg: 'l2', lambdas: THESIS_LAMBDAS.slice(0, lambdaCount), batchSize, epochs: EPOCHS, valSize: 10 }));
}

/** λ-pattern-epochs per second (each λ trains on every pattern of every epoch). */
const rate = (lambdaCount: number, seconds: number) => (N * EPOCHS * lambdaCount) / seconds;

function timeEngine(engine: TrainerEngine, batchSize: number, lambdaCount: number): number {
  const run = runFor(batchSize, lambdaCount);
  const start = performance.now();
  engine.run(run);
  return rate(lambdaCount, (performance.now() - start) / 1000);
}

/** The C reference's λ: the middle of the grid. */
const C_LAMBDA = THESIS_LAMBDAS[7];

/**
 * How far the C reference's training loss is from the project's, relative: it trains the same
 * networks (test/bench checks it to 1e-9 over a few epochs), but libm's exp is not the project's
 * and C may fuse and reassociate, so rounding differs, and 100 epochs of B = 1 steps amplify that
 * more than a batch mean does.
 */
function lossGap(cLoss: number, batchSize: number): number {
  const project = jsEngine.run({ ...runFor(batchSize, 1), lambdas: [C_LAMBDA] }).evaluations[0]?.train.loss ?? Number.NaN;
  return Math.abs(cLoss - project) / project;
}

interface Row {
  one: number;
  many: number;
  jsOne: number;
  jsMany: number;
  /** C's best rate; `ratio`, the median over rounds of 14 λ's rate ÷ C's in the same round. */
  c?: { rate: number; ratio: number; lossGap: number };
  /**
   * The issue's baseline, 14 λ: its best rate here, and the median over rounds of 14 λ's rate ÷
   * the quoted C scaled to this machine by the baseline of the same round.
   */
  issue?: { baseline: number; ratio: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/**
 * One batch size's row. The contenders take turns, once each per round, and each keeps its best
 * round: on a shared machine a slow spell then hits all of them, not whichever ran during it. The
 * verdict against C rests on each round's ratio (adjacent runs share the machine's mood; two
 * best-of figures may come from different moods), the median of them.
 */
async function measureRow(label: string, batchSize: number): Promise<Row> {
  const { lay } = runFor(batchSize, 1);
  const built = buildReference(lay.dim, lay.hidden, referenceGroup(batchSize));
  const row: Row = { one: 0, many: 0, jsOne: 0, jsMany: 0 };
  let cLoss = Number.NaN;
  const cRates: number[] = [];
  const ratios: number[] = [];
  const baselineRates: number[] = [];
  const scaledRatios: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    row.one = Math.max(row.one, timeEngine(wasmEngine, batchSize, 1));
    const many = timeEngine(wasmEngine, batchSize, 14);
    row.many = Math.max(row.many, many);
    if (!('missing' in baseline)) {
      const base = baseline.rate(N, batchSize, EPOCHS, THESIS_LAMBDAS.slice(0, 14));
      baselineRates.push(base);
      scaledRatios.push(many / ((C_FIGURE[label] * base) / QUOTED_BASELINE_14[label]));
    }
    row.jsOne = Math.max(row.jsOne, timeEngine(jsEngine, batchSize, 1));
    row.jsMany = Math.max(row.jsMany, timeEngine(jsEngine, batchSize, 14));
    if ('binary' in built) {
      const { seconds, lambdas } = await runReference(built.binary, { ...runFor(batchSize, 1), lambdas: [C_LAMBDA] });
      cRates.push(rate(1, seconds));
      ratios.push(many / rate(1, seconds));
      cLoss = lambdas[0].trainLoss;
    }
  }
  if (cRates.length > 0) row.c = { rate: Math.max(...cRates), ratio: median(ratios), lossGap: lossGap(cLoss, batchSize) };
  if (baselineRates.length > 0) row.issue = { baseline: Math.max(...baselineRates), ratio: median(scaledRatios) };
  return row;
}

const m = (x: number) => `${(x / 1e6).toFixed(2)}M`;

// Compile each engine's kernels, and the baseline's (and let V8 tier them up) before timing.
for (const b of [1, 10]) {
  for (const engine of [wasmEngine, jsEngine]) timeEngine(engine, b, 2);
  if (!('missing' in baseline)) baseline.rate(N, b, 2, THESIS_LAMBDAS.slice(0, 2));
}

console.log(`trainer: 10-15-1 net, N = ${N}, ${EPOCHS} epochs, one thread, best of ${REPEATS} (pattern-epochs per second per λ)`);
console.log(
  `${'batch'.padEnd(8)} ${'1 λ'.padStart(9)} ${'14 λ'.padStart(9)}   ${'JS 1 λ'.padStart(9)} ${'JS 14 λ'.padStart(9)}   ` +
    `${'C here'.padStart(9)} ${'baseline'.padStart(9)}   targets`,
);
const missed = { here: 0, scaled: 0, quoted: 0 };
let measuredHere = false;
const notes: string[] = [];
for (const [label, b] of [['B=1', 1], ['B=10', 10], ['B=full', N]] as const) {
  const { one, many, jsOne, jsMany, c, issue } = await measureRow(label, b);
  const share = C_SHARE[label];
  const quoted = share * C_FIGURE[label];
  const okOne = one >= jsOne;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const targets: string[] = [];
  measuredHere ||= c !== undefined;
  if (c) {
    missed.here += Number(c.ratio < share) + Number(!okOne);
    targets.push(`${c.ratio.toFixed(2)}× C here ≥ ${share} ${verdict(c.ratio >= share)}`);
    notes.push(`${label}: C's training loss within ${c.lossGap.toExponential(1)} (relative) of the project's`);
  }
  if (issue) {
    missed.scaled += Number(issue.ratio < share) + Number(!okOne);
    const scaledC = (C_FIGURE[label] * issue.baseline) / QUOTED_BASELINE_14[label];
    targets.push(`${issue.ratio.toFixed(2)}× the issue's C scaled here (≈ ${m(scaledC)}) ≥ ${share} ${verdict(issue.ratio >= share)}`);
  }
  missed.quoted += Number(many < quoted) + Number(!okOne);
  targets.push(`≥ ${share}× quoted C = ${m(quoted)} ${verdict(many >= quoted)}`);
  console.log(
    `${label.padEnd(8)} ${m(one).padStart(9)} ${m(many).padStart(9)}   ${m(jsOne).padStart(9)} ${m(jsMany).padStart(9)}   ` +
      `${(c ? m(c.rate) : '–').padStart(9)} ${(issue ? m(issue.baseline) : '–').padStart(9)}   ` +
      `14 λ ${targets.join(', ')}; 1 λ ≥ JS ${verdict(okOne)}; 14 λ is ${(many / jsMany).toFixed(1)}× JS`,
  );
}
for (const note of notes) console.log(note);
const summary = (n: number) => (n === 0 ? 'all trainer targets met' : `${n} target(s) missed`);
console.log(`against C measured here (median of rounds): ${measuredHere ? summary(missed.here) : 'no C reference (no working cc), nothing judged'}`);
console.log(
  `against the issue's C scaled to this machine by its baseline (quoted ${Object.values(QUOTED_BASELINE_14).map(m).join(' / ')} at 14 λ there; ` +
    `median of rounds): ${'missing' in baseline ? baseline.missing : summary(missed.scaled)}`,
);
console.log(`against the issue's C figures as quoted (another machine): ${summary(missed.quoted)}`);
