/**
 * Helpers for bit-exact checks of the math ports: bit patterns, neighbours in ulps, argument
 * generators, and a small WebAssembly module that runs one vector port over an array.
 */
import { I32, V128, encodeModule } from '../../functions/trainer/wasm/binary.js';
import { type Expr, Fn, bump, get, i32, i32Add, i32Mul, load, set, store, whileLoop } from '../../functions/trainer/wasm/expr.js';
import type { Rng } from '../../functions/trainer/rng.js';

const view = new DataView(new ArrayBuffer(8));

export function bits(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

/** Same bits, or both NaN (a NaN's payload and sign are not part of any result). */
export function sameBits(a: number, b: number): boolean {
  return bits(a) === bits(b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** The double `steps` ulps away from x, away from zero for positive steps (towards it for negative). */
export function nextUp(x: number, steps: number): number {
  view.setFloat64(0, x);
  const b = view.getBigInt64(0);
  view.setBigInt64(0, b + BigInt(steps));
  return view.getFloat64(0);
}

/** The double with high word `hi` and low word `lo`. */
export function fromWords(hi: number, lo = 0): number {
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** Each point and its neighbours up to `width` ulps either side, with both signs. */
export function around(points: readonly number[], width = 3): number[] {
  const out: number[] = [];
  for (const p of points) for (const sign of [1, -1]) for (let s = -width; s <= width; s++) out.push(nextUp(sign * p, s));
  return out;
}

/** The specials every function is checked on. */
export const SPECIALS = [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** -1022, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1];

/** ±m·2^e with e uniform in [lo, hi] and m uniform in [1, 2): every exponent in the range equally often. */
export function overExponents(rng: Rng, lo: number, hi: number, signs: 'positive' | 'both' = 'both'): number {
  const e = lo + rng.below(hi - lo + 1);
  const x = (1 + rng.uniform()) * 2 ** e;
  return signs === 'both' && rng.below(2) === 1 ? -x : x;
}

/**
 * Arguments for which `port` differs from `reference` in bits, as readable lines (at most 5), so a
 * failure names them.
 */
export function mismatches(name: string, xs: ArrayLike<number>, got: ArrayLike<number>, reference: (x: number) => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < xs.length && out.length < 5; i++) {
    const want = reference(xs[i]);
    if (!sameBits(got[i], want)) out.push(`${name}(${xs[i]}): ${got[i]} ≠ ${want}`);
  }
  return out;
}

/**
 * A vector port as a function over an array: a module whose `run(ptr, pairs)` replaces each f64x2
 * in memory by the statements' result, the way the kernels use them.
 */
export function vectorized(statements: (fn: Fn, out: number, x: number) => Expr[]): (xs: readonly number[]) => Float64Array {
  const fn = new Fn([I32, I32]);
  const [i, at, x, y] = [fn.local(I32), fn.local(I32), fn.local(V128), fn.local(V128)];
  const lessThan: Expr = (c) => (get(i)(c), get(1)(c), c.emit(0x48));
  const code = fn.body(
    set(i, i32(0)),
    whileLoop(lessThan, [
      set(at, i32Add(get(0), i32Mul(get(i), i32(16)))),
      set(x, load(at, 0)),
      ...statements(fn, y, x),
      store(at, 0, get(y)),
      bump(i, 1),
    ]),
  );
  const bytes = encodeModule({ functions: [{ name: 'run', type: { params: fn.params, results: [] }, locals: fn.locals, code }], memoryPages: 256 });
  const memory = new WebAssembly.Memory({ initial: 256 });
  const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { memory } }).exports as { run: (ptr: number, pairs: number) => void };
  return (xs) => {
    const n = xs.length + (xs.length % 2);
    const mem = new Float64Array(memory.buffer, 0, n);
    mem.fill(0);
    mem.set(xs);
    run(0, n / 2);
    return mem.slice(0, xs.length);
  };
}
