/**
 * The training hot path, generated as straight-line code for one network shape.
 *
 * Why generated: with D and H known, the per-pattern work (forward pass, back-propagation, update)
 * unrolls into a few hundred statements over local variables, which V8 runs about twice as fast as
 * the same arithmetic in generic loops (see `npm run bench:trainer`). The generated source is a
 * pure function of (D, H, reg, regularizeBiases) and fixes every operation's order, so results stay
 * bit-identical wherever it runs; JavaScript never contracts a·b + c into an FMA. exp and log1p are
 * fdlibm.ts's, passed in as helpers: Math's are V8's C++, which rounds differently on arm64.
 *
 * Update rule (PROTOCOL §4), with g the batch-mean gradient of E, c = 1 − ηλ:
 *   L2 weight: w ← w·c − η·g        L1 weight: w ← w − ηλ·sign(w) − η·g        bias: b ← b − η·g
 * (biases follow the weights' rule when `regularizeBiases` is on).
 */
import type { Layout } from './mlp.js';
import type { Reg } from './task.js';
import { exp, log1p } from './fdlibm.js';
import { compileWithTables, tanhStatements } from './tanh.js';

/** One online (B = 1) step on pattern i for all `nl` stacked networks. */
export type OnlineStep = (
  p: Float64Array, x: Float64Array, d: Float64Array, i: number,
  nl: number, lambdas: readonly number[], eta: number,
) => void;

/**
 * One mini-batch step — patterns order[start…end) — for all `nl` stacked networks. `g` is one
 * network's worth of zeros on entry and is left zeroed.
 */
export type BatchStep = (
  p: Float64Array, g: Float64Array, x: Float64Array, d: Float64Array, order: Int32Array, start: number, end: number,
  nl: number, lambdas: readonly number[], eta: number,
) => void;

/** Σ cross-entropy and the misclassified count of the network at offset `o` over patterns 0…n−1. */
export type Evaluate = (p: Float64Array, o: number, x: Float64Array, d: Float64Array, n: number) => { loss: number; wrong: number };

export interface Kernels {
  online: OnlineStep;
  batch: BatchStep;
}

/** What the generated code calls by name. */
const HELPERS = { exp, log1p } as const;

const cache = new Map<string, Kernels>();
const evaluators = new Map<string, Evaluate>();

/**
 * The evaluation pass for one network shape: the same operations in the same order as `logit` and
 * `crossEntropy` in mlp.ts (so the same bits), without their per-call overhead.
 */
export function evaluatorFor(lay: Layout): Evaluate {
  const key = `${lay.dim}:${lay.hidden}`;
  let e = evaluators.get(key);
  if (!e) {
    const body = [
      'let loss = 0;',
      'let wrong = 0;',
      'for (let i = 0; i < n; i++) {',
      ...loadPattern(lay),
      ...forwardLogit(lay),
      'loss += (a > 0 ? a + log1p(exp(-a)) : log1p(exp(a))) - d[i] * a;',
      'if ((a >= 0 ? 1 : 0) !== d[i]) wrong++;',
      '}',
      'return { loss, wrong };',
    ];
    e = compileWithTables(['p', 'o', 'x', 'd', 'n'], body, HELPERS) as Evaluate;
    evaluators.set(key, e);
  }
  return e;
}

export function kernelsFor(lay: Layout, reg: Reg, regularizeBiases: boolean): Kernels {
  const key = `${lay.dim}:${lay.hidden}:${reg}:${regularizeBiases}`;
  let k = cache.get(key);
  if (!k) {
    k = build(lay, reg, regularizeBiases);
    cache.set(key, k);
  }
  return k;
}

// exp(−a) may overflow to Infinity for a ≪ 0, giving exactly 0: no branch needed.
const SIGMOID_MINUS_D = `1 / (1 + exp(-a)) - d[i]`;

/** Statements for the forward pass of network block `o` on locals x0…; leaves h0… and the logit a. */
function forwardLogit(lay: Layout): string[] {
  const { dim, hidden } = lay;
  const out: string[] = [];
  for (let j = 0; j < hidden; j++) {
    let s = `p[o + ${lay.b1 + j}]`;
    for (let k = 0; k < dim; k++) s += ` + p[o + ${j * dim + k}] * x${k}`;
    out.push(...tanhStatements(`h${j}`, s));
  }
  let a = `p[o + ${lay.b2}]`;
  for (let j = 0; j < hidden; j++) a += ` + p[o + ${lay.v + j}] * h${j}`;
  out.push(`const a = ${a};`);
  return out;
}

/** The forward pass and δ = y − d. */
function forward(lay: Layout): string[] {
  return [...forwardLogit(lay), `const delta = ${SIGMOID_MINUS_D};`];
}

function loadPattern(lay: Layout): string[] {
  const out = [`const xo = i * ${lay.dim};`];
  for (let k = 0; k < lay.dim; k++) out.push(`const x${k} = x[xo + ${k}];`);
  return out;
}

/** `target = w − step` for a parameter, regularized or not; `step` is η·g already. */
function update(target: string, regularized: boolean, reg: Reg, step: string): string {
  if (!regularized) return `${target} = ${target} - ${step};`;
  if (reg === 'l2') return `${target} = ${target} * c - ${step};`;
  return `{ const w = ${target}; ${target} = w - el * (w > 0 ? 1 : w < 0 ? -1 : 0) - ${step}; }`;
}

function build(lay: Layout, reg: Reg, regularizeBiases: boolean): Kernels {
  const { dim, hidden } = lay;
  const perLambda = reg === 'l2' ? `const c = 1 - eta * lambdas[l];` : `const el = eta * lambdas[l];`;

  const online = [...loadPattern(lay), `for (let l = 0, o = 0; l < nl; l++, o += ${lay.size}) {`, perLambda];
  online.push(...forward(lay), `const ed = eta * delta;`);
  online.push(update(`p[o + ${lay.b2}]`, regularizeBiases, reg, 'ed'));
  for (let j = 0; j < hidden; j++) {
    online.push(`{ const v = p[o + ${lay.v + j}]; const edh = ed * v * (1 - h${j} * h${j});`);
    online.push(update(`p[o + ${lay.v + j}]`, true, reg, `ed * h${j}`));
    online.push(update(`p[o + ${lay.b1 + j}]`, regularizeBiases, reg, 'edh'));
    for (let k = 0; k < dim; k++) online.push(update(`p[o + ${j * dim + k}]`, true, reg, `edh * x${k}`));
    online.push('}');
  }
  online.push('}');

  // Mini-batches loop over λ outside the batch's patterns: one network's block and gradient stay in
  // L1 cache while the batch's few patterns are re-read from it (reading each once for all λ would
  // keep every λ's gradient live at once, which spills out of L1 at 14 λ).
  const batch = [
    `const scale = eta / (end - start);`,
    `for (let l = 0, o = 0; l < nl; l++, o += ${lay.size}) {`,
    perLambda,
    `for (let b = start; b < end; b++) {`,
    `const i = order[b];`,
    ...loadPattern(lay),
    ...forward(lay),
    `g[${lay.b2}] += delta;`,
  ];
  for (let j = 0; j < hidden; j++) {
    batch.push(`{ const dh = delta * p[o + ${lay.v + j}] * (1 - h${j} * h${j});`);
    batch.push(`g[${lay.v + j}] += delta * h${j};`, `g[${lay.b1 + j}] += dh;`);
    for (let k = 0; k < dim; k++) batch.push(`g[${j * dim + k}] += dh * x${k};`);
    batch.push('}');
  }
  batch.push('}');
  // Apply the batch mean, one loop per parameter range, clearing g for the next λ as it goes.
  const range = (from: number, to: number, regularized: boolean) => [
    `for (let q = ${from}; q < ${to}; q++) {`,
    `const step = scale * g[q]; g[q] = 0;`,
    update('p[o + q]', regularized, reg, 'step'),
    '}',
  ];
  batch.push(
    ...range(0, lay.b1, true),
    ...range(lay.b1, lay.v, regularizeBiases),
    ...range(lay.v, lay.b2, true),
    ...range(lay.b2, lay.size, regularizeBiases),
    '}',
  );

  return {
    online: compileWithTables(['p', 'x', 'd', 'i', 'nl', 'lambdas', 'eta'], online, HELPERS) as OnlineStep,
    batch: compileWithTables(['p', 'g', 'x', 'd', 'order', 'start', 'end', 'nl', 'lambdas', 'eta'], batch, HELPERS) as BatchStep,
  };
}
