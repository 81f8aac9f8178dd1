/**
 * `lambdastar task --dump` against a second, independent implementation: plain loops, Math.tanh,
 * no generated kernels. The dump (data, initial weights and each epoch's pattern order) is all it
 * takes to retrain with mini-batches of any size and compare every metric.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

interface Dump {
  task: { n: number; lambdas: number[]; reg: 'l1' | 'l2'; learningRate: number; epochs: number; batchSize: number; hidden: number; inputDim: number; regularizeBiases: boolean };
  train: { x: number[][]; d: number[] };
  validation: { x: number[][]; d: number[] };
  init: { W1: number[][]; b1: number[]; w2: number[]; b2: number };
  order: number[][];
  results: { lambda: number; trainLoss: number; trainObjective: number; valLoss: number; valError: number; weightNorm: number }[];
}

interface Net {
  W1: number[][];
  b1: number[];
  w2: number[];
  b2: number;
}

const clone = (n: Net): Net => ({ W1: n.W1.map((r) => [...r]), b1: [...n.b1], w2: [...n.w2], b2: n.b2 });

function forward(net: Net, x: number[]): { h: number[]; a: number } {
  const h = net.W1.map((row, j) => Math.tanh(net.b1[j] + row.reduce((s, w, k) => s + w * x[k], 0)));
  return { h, a: net.b2 + h.reduce((s, hj, j) => s + net.w2[j] * hj, 0) };
}

const loss = (a: number, d: number) => Math.max(a, 0) - d * a + Math.log1p(Math.exp(-Math.abs(a)));

function evaluate(net: Net, data: { x: number[][]; d: number[] }) {
  let l = 0;
  let wrong = 0;
  data.x.forEach((x, i) => {
    const { a } = forward(net, x);
    l += loss(a, data.d[i]);
    if ((a >= 0 ? 1 : 0) !== data.d[i]) wrong++;
  });
  return { loss: l / data.x.length, error: wrong / data.x.length };
}

/**
 * Mini-batch gradient descent as PROTOCOL §4 states it: batches are consecutive slices of each
 * epoch's order (the last may be smaller); each step w ← w − η(mean ∇E over the batch + λ∇Ω).
 */
function train(start: Net, dump: Dump, lambda: number): Net {
  const net = clone(start);
  const { x, d } = dump.train;
  const { reg, learningRate: eta, regularizeBiases } = dump.task;
  const batchSize = Math.min(dump.task.batchSize, x.length);
  const dOmega = (w: number) => (reg === 'l2' ? w : Math.sign(w));
  for (const order of dump.order) {
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      const g: Net = { W1: net.W1.map((row) => row.map(() => 0)), b1: net.b1.map(() => 0), w2: net.w2.map(() => 0), b2: 0 };
      for (const i of batch) {
        const { h, a } = forward(net, x[i]);
        const delta = 1 / (1 + Math.exp(-a)) - d[i];
        g.b2 += delta;
        h.forEach((hj, j) => {
          g.w2[j] += delta * hj;
          const dh = delta * net.w2[j] * (1 - hj * hj);
          g.b1[j] += dh;
          x[i].forEach((xk, k) => (g.W1[j][k] += dh * xk));
        });
      }
      const m = batch.length;
      const bias = (b: number, gb: number) => b - eta * (gb / m + (regularizeBiases ? lambda * dOmega(b) : 0));
      net.W1 = net.W1.map((row, j) => row.map((w, k) => w - eta * (g.W1[j][k] / m + lambda * dOmega(w))));
      net.w2 = net.w2.map((w, j) => w - eta * (g.w2[j] / m + lambda * dOmega(w)));
      net.b1 = net.b1.map((b, j) => bias(b, g.b1[j]));
      net.b2 = bias(net.b2, g.b2);
    }
  }
  return net;
}

const cases = ([1, 10, 40] as const).flatMap((batch) =>
  (['l2', 'l1'] as const).flatMap((reg) => [false, true].map((biases) => [batch, reg, biases] as const)),
);

test.each(cases)('task --dump (B = %i, %s, regularizeBiases %s) is complete and a second implementation reproduces its metrics', async (batch, reg, biases) => {
  const file = join(mkdtempSync(join(tmpdir(), 'lambdastar-dump-')), 'task.json');
  const epochs = batch === 40 ? 60 : 6;
  const run = await runCli([
    'task', '--n', '40', '--seed', '3', '--lambdas', '1e-3,3e-2', '--reg', reg, '--batch-size', String(batch), '--epochs', String(epochs),
    '--val-size', '300', '--dump', file, ...(biases ? ['--regularize-biases'] : []),
  ]);
  expect(run.code).toBe(0);
  const dump = JSON.parse(readFileSync(file, 'utf8')) as Dump;
  expect(Object.keys(dump)).toEqual(['task', 'train', 'validation', 'init', 'order', 'results']);
  expect(dump.train.x).toHaveLength(40);
  expect(dump.train.x[0]).toHaveLength(10);
  expect(dump.validation.x).toHaveLength(300);
  expect(dump.init.W1).toHaveLength(15);
  expect(dump.init.W1[0]).toHaveLength(10);
  expect(dump.init.w2).toHaveLength(15);
  expect(dump.init.b1.every((b) => b === 0) && dump.init.b2 === 0).toBe(true);
  expect(dump.order).toHaveLength(epochs);
  for (const o of dump.order) expect([...o].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  // Standardized inputs: mean 0 per dimension over the training set.
  for (let k = 0; k < 10; k++) expect(Math.abs(dump.train.x.reduce((s, x) => s + x[k], 0) / 40)).toBeLessThan(1e-12);

  for (const reported of dump.results) {
    const net = train(dump.init, dump, reported.lambda);
    const tr = evaluate(net, dump.train);
    const va = evaluate(net, dump.validation);
    const weights = [...net.W1.flat(), ...net.w2, ...(biases ? [...net.b1, net.b2] : [])];
    const omega = reg === 'l2' ? 0.5 * weights.reduce((s, w) => s + w * w, 0) : weights.reduce((s, w) => s + Math.abs(w), 0);
    expect(reported.trainLoss).toBeCloseTo(tr.loss, 9);
    expect(reported.valLoss).toBeCloseTo(va.loss, 9);
    expect(reported.valError).toBe(va.error);
    expect(reported.trainObjective).toBeCloseTo(tr.loss + reported.lambda * omega, 9);
    expect(reported.weightNorm).toBeCloseTo(Math.sqrt(weights.reduce((s, w) => s + w * w, 0)), 9);
  }
});
