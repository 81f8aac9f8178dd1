import { describe, expect, test } from 'vitest';
import { I32, V128, encodeModule } from '../../functions/trainer/wasm/binary.js';
import { expStatements } from '../../functions/trainer/wasm/exp.js';
import { Fn, bump, get, i32, i32Add, i32Mul, load, set, store, whileLoop } from '../../functions/trainer/wasm/expr.js';
import { deriveRng } from '../../functions/trainer/rng.js';

/** A module whose `run(ptr, pairs)` replaces each f64x2 at ptr… by its vector exp. */
function vectorExp(): { run: (ptr: number, pairs: number) => void; memory: WebAssembly.Memory } {
  const fn = new Fn([I32, I32]);
  const [i, at, x, y] = [fn.local(I32), fn.local(I32), fn.local(V128), fn.local(V128)];
  const lessThan = (c: Parameters<ReturnType<typeof get>>[0]) => (get(i)(c), get(1)(c), c.emit(0x48));
  const code = fn.body(
    set(i, i32(0)),
    whileLoop(lessThan, [
      set(at, i32Add(get(0), i32Mul(get(i), i32(16)))),
      set(x, load(at, 0)),
      ...expStatements(fn, y, x),
      store(at, 0, get(y)),
      bump(i, 1),
    ]),
  );
  const bytes = encodeModule({ imports: [], functions: [{ name: 'run', type: { params: fn.params, results: [] }, locals: fn.locals, code }], memoryPages: 256 });
  const memory = new WebAssembly.Memory({ initial: 256 });
  const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { memory } }).exports as { run: (ptr: number, pairs: number) => void };
  return { run, memory };
}

function bits(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
}

function nextUp(x: number, steps: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  const b = v.getBigInt64(0);
  v.setBigInt64(0, x >= 0 ? b + BigInt(steps) : b - BigInt(steps));
  return v.getFloat64(0);
}

/** Each branch edge of fdlibm's exp, with its neighbours a few ulps either side. */
function edges(): number[] {
  const ln2 = Math.LN2;
  const points = [0, 2 ** -28, 2 ** -54, 0.5 * ln2, 0.34657383, 1.5 * ln2, 1.0397205, 1, 1024 * ln2, 709.436, 709.78, 709.782712893384,
    -708.39641853226, -707.7, -708.4, -745.1332191019411, -745.13321910194122, 10, 37, 0.5];
  const out: number[] = [-0, Infinity, -Infinity, NaN, Number.MIN_VALUE, Number.MAX_VALUE];
  for (const p of points) for (const sign of [1, -1]) for (let s = -3; s <= 3; s++) out.push(nextUp(sign * p, s));
  for (let k = -1080; k <= 1030; k++) for (const d of [-0.5, -0.25, 0, 0.25, 0.4999999, 0.5]) out.push((k + d) * ln2);
  return out;
}

describe('vector exp', () => {
  const { run, memory } = vectorExp();
  const check = (xs: number[]) => {
    const n = xs.length + (xs.length % 2);
    const mem = new Float64Array(memory.buffer, 0, n);
    mem.fill(0);
    mem.set(xs);
    run(0, n / 2);
    const wrong = xs.flatMap((x, j) => (bits(mem[j]) === bits(Math.exp(x)) || (Number.isNaN(mem[j]) && Number.isNaN(Math.exp(x))) ? [] : [x]));
    expect(wrong.slice(0, 5).map((x) => `exp(${x}): ${mem[xs.indexOf(x)]} ≠ Math.exp ${Math.exp(x)}`)).toEqual([]);
  };

  test('matches Math.exp bit for bit at every branch edge, ±0, ±∞ and NaN', () => check(edges()));

  test('matches Math.exp bit for bit on a million random arguments over its whole range', () => {
    const rng = deriveRng([7, 7, 7]);
    for (let batch = 0; batch < 5; batch++) {
      const xs = Array.from({ length: 200_000 }, (_, j) => {
        const u = rng.uniform();
        if (j % 3 === 0) return (u * 2 - 1) * 750;
        if (j % 3 === 1) return (u * 2 - 1) * 40;
        return (rng.uniform() < 0.5 ? -1 : 1) * 2 ** (u * 70 - 60);
      });
      check(xs);
    }
  });
});
