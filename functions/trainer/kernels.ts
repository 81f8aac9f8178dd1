/**
 * The training hot path, generated as straight-line code for one network shape.
 *
 * Why generated: with D and H known, the per-pattern work (forward pass, back-propagation, update)
 * unrolls into a few hundred statements over local variables, which V8 compiles about 3× faster
 * than the same arithmetic in generic loops (see `npm run bench:trainer`). The generated source is a
 * pure function of (D, H, reg, regularizeBiases) and fixes every operation's order, so results stay
 * bit-identical wherever it runs; JavaScript never contracts a·b + c into an FMA.
 *
 * Update rule (PROTOCOL §4), with g the batch-mean gradient of E, c = 1 − ηλ:
 *   L2 weight: w ← w·c − η·g        L1 weight: w ← w − ηλ·sign(w) − η·g        bias: b ← b − η·g
 * (biases follow the weights' rule when `regularizeBiases` is on).
 */
import type { Layout } from './mlp.js';
import type { Reg } from './task.js';
import { compileWithTables, tanhStatements } from './tanh.js';

/** One online (B = 1) step on pattern i for all `nl` stacked networks. */
export type OnlineStep = (
  p: Float64Array, x: Float64Array, d: Float64Array, i: number,
  nl: number, lambdas: readonly number[], eta: number,
) => void;

/** Adds pattern i's gradient of E (unscaled) for all stacked networks into g. */
export type Accumulate = (p: Float64Array, g: Float64Array, x: Float64Array, d: Float64Array, i: number, nl: number) => void;

/** Applies a batch of `count` accumulated gradients to all stacked networks. */
export type ApplyBatch = (
  p: Float64Array, g: Float64Array, nl: number, lambdas: readonly number[], eta: number, count: number,
) => void;

export interface Kernels {
  online: OnlineStep;
  accumulate: Accumulate;
  applyBatch: ApplyBatch;
}

const cache = new Map<string, Kernels>();

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
const SIGMOID_MINUS_D = `1 / (1 + Math.exp(-a)) - d[i]`;

/** Statements for the forward pass of network block `o` on locals x0…; leaves h0… and delta. */
function forward(lay: Layout): string[] {
  const { dim, hidden } = lay;
  const out: string[] = [];
  for (let j = 0; j < hidden; j++) {
    let s = `p[o + ${lay.b1 + j}]`;
    for (let k = 0; k < dim; k++) s += ` + p[o + ${j * dim + k}] * x${k}`;
    out.push(...tanhStatements(`h${j}`, s));
  }
  let a = `p[o + ${lay.b2}]`;
  for (let j = 0; j < hidden; j++) a += ` + p[o + ${lay.v + j}] * h${j}`;
  out.push(`const a = ${a};`, `const delta = ${SIGMOID_MINUS_D};`);
  return out;
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

  const acc = [...loadPattern(lay), `for (let o = 0, end = nl * ${lay.size}; o < end; o += ${lay.size}) {`];
  acc.push(...forward(lay), `g[o + ${lay.b2}] += delta;`);
  for (let j = 0; j < hidden; j++) {
    acc.push(`{ const dh = delta * p[o + ${lay.v + j}] * (1 - h${j} * h${j});`);
    acc.push(`g[o + ${lay.v + j}] += delta * h${j};`, `g[o + ${lay.b1 + j}] += dh;`);
    for (let k = 0; k < dim; k++) acc.push(`g[o + ${j * dim + k}] += dh * x${k};`);
    acc.push('}');
  }
  acc.push('}');

  // Applied once per batch, so a plain loop over the block is fast enough here.
  const isBias = `(q >= ${lay.b1} && q < ${lay.v}) || q === ${lay.b2}`;
  const apply = [
    `const scale = eta / count;`,
    `for (let l = 0, o = 0; l < nl; l++, o += ${lay.size}) {`,
    perLambda,
    `for (let q = 0; q < ${lay.size}; q++) {`,
    `const step = scale * g[o + q];`,
    regularizeBiases
      ? update('p[o + q]', true, reg, 'step')
      : `if (${isBias}) { ${update('p[o + q]', false, reg, 'step')} } else { ${update('p[o + q]', true, reg, 'step')} }`,
    '}', '}',
  ];

  return {
    online: compileWithTables(['p', 'x', 'd', 'i', 'nl', 'lambdas', 'eta'], online) as OnlineStep,
    accumulate: compileWithTables(['p', 'g', 'x', 'd', 'i', 'nl'], acc) as Accumulate,
    applyBatch: compileWithTables(['p', 'g', 'nl', 'lambdas', 'eta', 'count'], apply) as ApplyBatch,
  };
}
