/**
 * Seeded randomness (PROTOCOL §5).
 *
 * Generator: xoshiro128** (Blackman & Vigna) — 128 bits of state in four uint32 words, using only
 * 32-bit integer operations (`Math.imul`, shifts), so every engine on every CPU produces the same
 * sequence. A uniform takes two outputs: 27 + 26 bits → a double in [0, 1) with 53 random bits.
 * Normal deviates use Marsaglia's polar method, which needs only `sqrt` and `log`, never `sin`/`cos`:
 * `Math.sqrt` is correctly rounded by IEEE, `log` is fdlibm.ts's (the same bits on every CPU,
 * which V8's C++ `Math.log` does not promise).
 *
 * Stream derivation: a stream is named by a list of words (seed, purpose, …). The words are folded
 * through the murmur3 finalizer into four state words, each from a different starting constant, so
 * (seed 1, purpose A) and (seed 2, purpose A) share nothing. Floats in a name (init factor) enter as
 * the two halves of their IEEE-754 bits.
 */

import { log } from './fdlibm.js';

/** What each independent stream is for; the number is part of the derivation, never change it. */
const Purpose = {
  trainingData: 1,
  validationData: 2,
  initialWeights: 3,
  shuffle: 4,
} as const;
type PurposeName = keyof typeof Purpose;

export interface Rng {
  /** A uint32. */
  nextUint32(): number;
  /** A double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal deviate. */
  normal(): number;
  /** An integer in [0, n), unbiased (n ≤ 2^32). */
  below(n: number): number;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const floatView = new DataView(new ArrayBuffer(8));

/** The words that name a stream: integers as one uint32 each (two for larger ones), floats as their bits. */
function nameWords(parts: readonly number[]): number[] {
  const words: number[] = [];
  for (const p of parts) {
    if (Number.isInteger(p) && p >= 0 && p <= 0xffffffff) {
      words.push(0, p >>> 0);
    } else {
      floatView.setFloat64(0, p);
      words.push(1, floatView.getUint32(0), floatView.getUint32(4));
    }
  }
  return words;
}

class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state;
    // An all-zero state would stay zero forever.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  below(n: number): number {
    // Rejection sampling on the top of the uint32 range keeps it unbiased.
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A generator seeded by the stream name `parts` (e.g. seed, purpose, N, init factor). */
export function deriveRng(parts: readonly number[]): Rng {
  const words = nameWords(parts);
  const state: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    let h = fmix32(0x243f6a88 + Math.imul(i + 1, 0x9e3779b9));
    for (const w of words) h = fmix32((h ^ w) + 0x7f4a7c15);
    state[i] = h;
  }
  return new Xoshiro128(state);
}

/** The stream for one purpose of one task, e.g. `streamFor(seed, 'shuffle', n)`. */
export function streamFor(seed: number, purpose: PurposeName, ...rest: number[]): Rng {
  return deriveRng([seed, Purpose[purpose], ...rest]);
}
