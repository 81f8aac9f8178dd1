/**
 * `lambdastar task --dump` against a second, independent implementation: plain loops, Math.tanh,
 * no generated kernels. Full-batch training needs no batch order, so the dump (data and initial
 * weights) is all it takes to retrain and compare every metric.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

interface Dump {
  task: { n: number; lambdas: number[]; reg: 'l1' | 'l2'; learningRate: number; epochs: number; batchSize: number; hidden: number; inputDim: number };
  train: { x: number[][]; d: number[] };
  validation: { x: number[][]; d: number[] };
  init: { W1: number[][]; b1: number[]; w2: number[]; b2: number };
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

function trainFullBatch(start: Net, dump: Dump, lambda: number): Net {
  const net = clone(start);
  const { x, d } = dump.train;
  const n = x.length;
  const r = (w: number) => (dump.task.reg === 'l2' ? w : Math.sign(w));
  for (let epoch = 0; epoch < dump.task.epochs; epoch++) {
    const g: Net = { W1: net.W1.map((row) => row.map(() => 0)), b1: net.b1.map(() => 0), w2: net.w2.map(() => 0), b2: 0 };
    x.forEach((xi, i) => {
      const { h, a } = forward(net, xi);
      const delta = 1 / (1 + Math.exp(-a)) - d[i];
      g.b2 += delta;
      h.forEach((hj, j) => {
        g.w2[j] += delta * hj;
        const dh = delta * net.w2[j] * (1 - hj * hj);
        g.b1[j] += dh;
        xi.forEach((xk, k) => (g.W1[j][k] += dh * xk));
      });
    });
    const eta = dump.task.learningRate;
    net.W1 = net.W1.map((row, j) => row.map((w, k) => w - eta * (g.W1[j][k] / n + lambda * r(w))));
    net.w2 = net.w2.map((w, j) => w - eta * (g.w2[j] / n + lambda * r(w)));
    net.b1 = net.b1.map((b, j) => b - eta * (g.b1[j] / n));
    net.b2 -= eta * (g.b2 / n);
  }
  return net;
}

test.each([['l2'], ['l1']])('task --dump (%s) is complete and a second implementation reproduces its metrics', async (reg) => {
  const file = join(mkdtempSync(join(tmpdir(), 'lambdastar-dump-')), 'task.json');
  const run = await runCli(['task', '--n', '40', '--seed', '3', '--lambdas', '1e-3,3e-2', '--reg', reg, '--batch-size', '40', '--epochs', '60', '--val-size', '300', '--dump', file]);
  expect(run.code).toBe(0);
  const dump = JSON.parse(readFileSync(file, 'utf8')) as Dump;
  expect(Object.keys(dump)).toEqual(['task', 'train', 'validation', 'init', 'results']);
  expect(dump.train.x).toHaveLength(40);
  expect(dump.train.x[0]).toHaveLength(10);
  expect(dump.validation.x).toHaveLength(300);
  expect(dump.init.W1).toHaveLength(15);
  expect(dump.init.W1[0]).toHaveLength(10);
  expect(dump.init.w2).toHaveLength(15);
  expect(dump.init.b1.every((b) => b === 0) && dump.init.b2 === 0).toBe(true);
  // Standardized inputs: mean 0 per dimension over the training set.
  for (let k = 0; k < 10; k++) expect(Math.abs(dump.train.x.reduce((s, x) => s + x[k], 0) / 40)).toBeLessThan(1e-12);

  for (const reported of dump.results) {
    const net = trainFullBatch(dump.init, dump, reported.lambda);
    const tr = evaluate(net, dump.train);
    const va = evaluate(net, dump.validation);
    const weights = [...net.W1.flat(), ...net.w2];
    const omega = reg === 'l2' ? 0.5 * weights.reduce((s, w) => s + w * w, 0) : weights.reduce((s, w) => s + Math.abs(w), 0);
    expect(reported.trainLoss).toBeCloseTo(tr.loss, 9);
    expect(reported.valLoss).toBeCloseTo(va.loss, 9);
    expect(reported.valError).toBe(va.error);
    expect(reported.trainObjective).toBeCloseTo(tr.loss + reported.lambda * omega, 9);
    expect(reported.weightNorm).toBeCloseTo(Math.sqrt(weights.reduce((s, w) => s + w * w, 0)), 9);
  }
});
