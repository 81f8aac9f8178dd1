/**
 * The vector log1p of wasm/log1p.ts against Math.log1p, bit for bit on both lanes: every branch
 * edge of s_log1p.c, the specials, and a million random arguments over every branch (in both lane
 * positions, as the kernels use lane 0 and lane 1 for two λ).
 */
import { describe, expect, test } from 'vitest';
import { log1pStatements } from '../../functions/trainer/wasm/log1p.js';
import { log1pEdges, random } from './fdlibm-cases.js';
import { mismatches, vectorized } from './float-bits.js';

describe('vector log1p', () => {
  const log1pV = vectorized(log1pStatements);
  const check = (xs: readonly number[]) => expect(mismatches('log1p', xs, log1pV(xs), Math.log1p)).toEqual([]);

  test('matches Math.log1p bit for bit at every branch edge, ±0, ±∞, NaN and subnormals, in either lane', () => {
    const edges = log1pEdges();
    check(edges);
    check([0.5, ...edges]);
  });

  test('matches Math.log1p bit for bit on a million random arguments that reach every branch', () => {
    const xs = random.log1p(1_000_000);
    for (let at = 0; at < xs.length; at += 200_000) check([...xs.subarray(at, at + 200_000)]);
  });
});
