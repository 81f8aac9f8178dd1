/**
 * The vector exp of wasm/exp.ts against Math.exp, bit for bit on both lanes: every branch edge of
 * e_exp.c, the specials, and a million random arguments over its whole range.
 */
import { describe, expect, test } from 'vitest';
import { expStatements } from '../../functions/trainer/wasm/exp.js';
import { expEdges, random } from './fdlibm-cases.js';
import { mismatches, vectorized } from './float-bits.js';

describe('vector exp', () => {
  const expV = vectorized(expStatements);
  const check = (xs: readonly number[]) => expect(mismatches('exp', xs, expV(xs), Math.exp)).toEqual([]);

  test('matches Math.exp bit for bit at every branch edge, ±0, ±∞ and NaN, in either lane', () => {
    const edges = expEdges();
    check(edges);
    check([0.5, ...edges]);
  });

  test('matches Math.exp bit for bit on a million random arguments over its whole range', () => {
    const xs = random.exp(1_000_000);
    for (let at = 0; at < xs.length; at += 200_000) check([...xs.subarray(at, at + 200_000)]);
  });
});
