/**
 * The scalar fdlibm ports against V8's Math.exp/log/log1p on this (x86-64) machine: the same bits
 * at every branch edge of each algorithm, at the specials, and on a million random arguments each
 * from distributions that reach every branch (and the ranges the trainer uses).
 */
import { describe, expect, test } from 'vitest';
import { exp, log, log1p } from '../../functions/trainer/fdlibm.js';
import { expEdges, log1pEdges, logEdges, random } from './fdlibm-cases.js';
import { mismatches } from './float-bits.js';

function check(name: string, port: (x: number) => number, reference: (x: number) => number, xs: ArrayLike<number>) {
  const got = Float64Array.from(xs as ArrayLike<number>, port);
  expect(mismatches(name, xs, got, reference)).toEqual([]);
}

describe('fdlibm ports are bit for bit V8\'s Math on x86-64', () => {
  test('exp at every branch edge, ±0, ±∞, NaN and subnormals', () => check('exp', exp, Math.exp, expEdges()));
  test('log at every branch edge, ±0, ±∞, NaN and subnormals', () => check('log', log, Math.log, logEdges()));
  test('log1p at every branch edge, ±0, ±∞, NaN and subnormals', () => check('log1p', log1p, Math.log1p, log1pEdges()));

  test('exp on a million random arguments over its whole range and the trainer\'s logits', () => {
    check('exp', exp, Math.exp, random.exp(1_000_000));
  });

  test('log on a million random arguments over every exponent, near 1, and the polar method\'s (0, 1)', () => {
    check('log', log, Math.log, random.log(1_000_000));
  });

  test('log1p on a million random arguments over every exponent, (−1, 1), 2^k − 1 ± 2^-20 and softplus\'s (0, 1]', () => {
    check('log1p', log1p, Math.log1p, random.log1p(1_000_000));
  });
});
