/**
 * The WebAssembly SIMD twin of kernels.ts: the same per-parameter arithmetic for one network shape,
 * with two λ per f64x2 (lane 0 and lane 1 each do exactly the operations of one λ, in the JS
 * kernel's order), so both produce identical bits. exp and log1p (evaluation only) are exp.ts's and
 * log1p.ts's vector ports of the fdlibm code the JS kernels run (fdlibm.ts): the module imports
 * nothing but its memory, so no host function, which may round differently per CPU, is called.
 *
 * Memory: the tanh tables at TABLES, then the hidden outputs of the pattern in flight at HIDDEN;
 * everything else, from dataStart(hidden) on, is placed by the caller and passed as byte addresses.
 * A pair's parameters are one block of `size` v128 — parameter k of both λ at 16·k — and its
 * coefficients (L2: c = 1 − ηλ, L1: ηλ) one v128.
 *
 * Unlike kernels.ts, which unrolls everything, the passes over hidden units are loops (each
 * parameter's operations and their order unchanged, so the bits are too): unrolled, one pair's
 * B = 1 step was about 19 KB of x86 code, more than the CPU's cache of decoded instructions holds,
 * and instruction fetch and decode held it back. Looping gave 14–20 % more pattern-epochs/s at
 * B = 1, 13 % at B = 10 and 46 % with L1, whose update is longer.
 */
import { F64, I32, OP, SIMD, V128, encodeModule, type FuncDef } from './binary.js';
import {
  Fn, add, and, bump, div, doWhile, get, gt, horner, i32, i32Add, i32Mul, load, loadSplat, lt, mul, neg, or, pmax, pmin, repeat,
  select, set, splat, splatBits, splatF64, store, sub, whileLoop, type Expr,
} from './expr.js';
import type { Layout } from '../mlp.js';
import type { Reg } from '../task.js';
import { TANH, TANH_TABLES } from '../tanh.js';
import { expStatements } from './exp.js';
import { log1pStatements } from './log1p.js';

/** Byte address of tanh's table of 2^(j/64). */
export const TABLES = { exp2: 0 };
/** Byte address of h_j, j = 0…hidden − 1, one v128 each: right after the table. */
const HIDDEN = TABLES.exp2 + 8 * TANH_TABLES.exp2.length;

/**
 * Hidden units whose tanhs the forward pass computes side by side. At 10-15-1 B = 1, with the
 * loops: groups of 2 and 3 are fastest, 4 and 5 are 3–10 % slower (more values live than
 * registers). Unrolled, one at a time was 11–23 % slower than groups of 2 to 4.
 */
const UNIT_GROUP = 3;

/** Where the caller's data may start for a network of `hidden` units. */
export function dataStart(hidden: number): number {
  return HIDDEN + 16 * hidden;
}

/**
 * The i32 locals the loops over hidden units walk: unit j's W row, b₁ and v in a block of `size`
 * v128 (a pair's parameters, or its gradient) and h_j. A loop reads through those it needs;
 * TurboFan drops the others' updates.
 */
class UnitCursor {
  readonly w: number;
  readonly b: number;
  readonly v: number;
  readonly h: number;

  constructor(
    fn: Fn,
    private readonly lay: Layout,
  ) {
    [this.w, this.b, this.v, this.h] = [fn.local(I32), fn.local(I32), fn.local(I32), fn.local(I32)];
  }

  /** At unit 0 of the block at address local `block`. */
  start(block: number): Expr[] {
    const { b1, v } = this.lay;
    return [set(this.w, get(block)), set(this.b, i32Add(get(block), i32(b1 * 16))), set(this.v, i32Add(get(block), i32(v * 16))), set(this.h, i32(HIDDEN))];
  }

  /** On by `units` units. */
  advance(units: number): Expr[] {
    return [bump(this.w, units * this.lay.dim * 16), bump(this.b, units * 16), bump(this.v, units * 16), bump(this.h, units * 16)];
  }
}

/**
 * Shape-specific emitters, shared by the three functions. A temporary dead after its statement
 * reuses one local (V8 allows 50 000 locals a function; one per weight would pass it at the
 * largest shapes the limits allow, and TurboFan renames them anyway).
 */
class Emitter {
  private tanhLocals?: { v: number[]; i: number[] };

  constructor(
    readonly fn: Fn,
    readonly lay: Layout,
  ) {}

  v(): number {
    return this.fn.local(V128);
  }

  /** The pattern at index local `i`: its inputs splatted into x_k locals and its target. */
  loadPattern(xPtr: number, dPtr: number, i: number, xs: number[], d: number | undefined): Expr[] {
    const row = this.fn.local(I32);
    const out: Expr[] = [set(row, i32Add(get(xPtr), i32Mul(get(i), i32(this.lay.dim * 8))))];
    xs.forEach((x, k) => out.push(set(x, loadSplat(row, k * 8))));
    if (d !== undefined) {
      const at = this.fn.local(I32);
      out.push(set(at, i32Add(get(dPtr), i32Mul(get(i), i32(8)))), set(d, loadSplat(at, 0)));
    }
    return out;
  }

  /**
   * h_j = tanh(s): tanhStatements' operations, lane by lane. EXP2[k & 63] is read per lane; the
   * product with POW2[(k >> 6) + 64] = 2^(k >> 6) is exact (a normal number scaled by a power of two
   * that keeps it normal), so it is formed by adding k >> 6 to the exponent field instead.
   */
  tanh(out: number, s: Expr): Expr[] {
    this.tanhLocals ??= { v: [this.v(), this.v(), this.v(), this.v(), this.v(), this.v(), this.v()], i: [this.fn.local(I32), this.fn.local(I32)] };
    const [t, shifted, k, r, p, em1, base] = this.tanhLocals.v;
    const [k0, k1] = this.tanhLocals.i;
    const poly = mul(get(r), horner(get(r), [1, ...TANH.taylor]));
    const expIndex = (lane: number): Expr => (c) => (c.get(lane), c.i32(63), c.emit(OP.i32And), c.i32(3), c.emit(OP.i32Shl));
    return [
      // pmax(t, lo) = t < lo ? lo : t and pmin(t, hi) = hi < t ? hi : t: Math.max/min's values here
      // (NaN passes through; the bounds are not zeros, so ±0 never meet).
      set(t, pmin(pmax(mul(splat(-2), s), splat(-TANH.clamp)), splat(TANH.clamp))),
      set(shifted, add(mul(get(t), splat(TANH.invLn2x64)), splat(TANH.round))),
      set(k, sub(get(shifted), splat(TANH.round))),
      set(r, sub(sub(get(t), mul(get(k), splat(TANH.ln2by64Hi))), mul(get(k), splat(TANH.ln2by64Lo)))),
      set(p, poly),
      // k + 1.5·2^52 holds k (|k| < 2^31) in its low bits, two's complement: ToInt32(k) as JS's
      // `k & 63` takes it, and (k >> 6) << 52 = (k & ~63) << 46 mod 2^64. For a NaN t every path
      // gives a NaN h whatever these hold.
      (c) => (c.get(shifted), c.simd(SIMD.i32x4ExtractLane, 0), c.set(k0), c.get(shifted), c.simd(SIMD.i32x4ExtractLane, 2), c.set(k1)),
      (c) => {
        expIndex(k0)(c);
        c.simdMem(SIMD.load64Splat, 3, TABLES.exp2);
        c.set(base);
        expIndex(k1)(c);
        c.get(base);
        c.simdMem(SIMD.load64Lane, 3, TABLES.exp2, 1);
        and(get(shifted), splatBits(0xffffffffffffffc0n))(c);
        c.i32(46).simd(SIMD.i64x2Shl).simd(SIMD.i64x2Add).set(base);
      },
      set(em1, add(sub(get(base), splat(1)), mul(get(base), get(p)))),
      set(out, div(neg(get(em1)), add(splat(2), get(em1)))),
    ];
  }

  /**
   * Forward pass of the pair at `pb`: stores h_j at HIDDEN + 16·j and leaves the logit in `a`
   * (b₂ + v₀h₀ + v₁h₁ + …, in j's order, as kernels.ts sums it). A loop takes UNIT_GROUP units a
   * turn: their dot products, then their tanhs, each stored and added to the logit; the remaining
   * H mod UNIT_GROUP units get one more turn, unrolled.
   *
   * Why in memory: TurboFan places pure arithmetic late, next to its uses, so with h_j in locals
   * the second half of every tanh sank below all the units' dot products, and their intermediates
   * spilled (at 10-15-1, 15 % more instructions per pattern). A store keeps its place among the
   * weight loads, so a group's tanhs are done before the next group's loads; a group's tanhs are
   * independent chains, which the CPU overlaps (one unit at a time left their latency exposed).
   */
  forward(pb: number, xs: number[], a: number): Expr[] {
    const { dim, hidden } = this.lay;
    const unit = new UnitCursor(this.fn, this.lay);
    const h = this.v();
    const sums = Array.from({ length: UNIT_GROUP }, () => this.v());
    // `size` units from the cursor on; then the cursor moves past them.
    const group = (size: number): Expr[] => {
      const out: Expr[] = [];
      for (let u = 0; u < size; u++) {
        let s: Expr = load(unit.b, u * 16);
        for (let k = 0; k < dim; k++) s = add(s, mul(load(unit.w, (u * dim + k) * 16), get(xs[k])));
        out.push(set(sums[u], s));
      }
      for (let u = 0; u < size; u++) {
        out.push(...this.tanh(h, get(sums[u])), store(unit.h, u * 16, get(h)), set(a, add(get(a), mul(load(unit.v, u * 16), get(h)))));
      }
      return [...out, ...unit.advance(size)];
    };
    const whole = Math.floor(hidden / UNIT_GROUP);
    const out: Expr[] = [set(a, load(pb, this.lay.b2 * 16)), ...unit.start(pb)];
    if (whole > 0) out.push(...repeat(this.fn.local(I32), whole, group(UNIT_GROUP)));
    if (hidden % UNIT_GROUP > 0) out.push(...group(hidden % UNIT_GROUP));
    return out;
  }

  /** δ = σ(a) − d = 1/(1 + e^−a) − d, as kernels.ts computes it. */
  delta(out: number, a: number, d: number): Expr[] {
    const [minusA, e] = [this.v(), this.v()];
    return [
      set(minusA, neg(get(a))),
      ...expStatements(this.fn, e, minusA),
      set(out, sub(div(splat(1), add(splat(1), get(e))), get(d))),
    ];
  }
}

/** `w − step` for a parameter, regularized by `coef` or not, as kernels.ts's `update`. */
function update(w: Expr, regularized: boolean, reg: Reg, coef: number, step: Expr): Expr {
  if (!regularized) return sub(w, step);
  if (reg === 'l2') return sub(mul(w, get(coef)), step);
  // sign(w) ∈ {1, −1, 0} (NaN → 0) from the two comparison masks.
  const sign = (wv: Expr) => or(and(gt(wv, splat(0)), splat(1)), and(lt(wv, splat(0)), splat(-1)));
  return sub(sub(w, mul(get(coef), sign(w))), step);
}

/** online(xPtr, dPtr, orderPtr, n, pPtr, cPtr, pairs, η): one B = 1 epoch over order[0…n). */
function online(lay: Layout, reg: Reg, regularizeBiases: boolean): FuncDef {
  const fn = new Fn([I32, I32, I32, I32, I32, I32, I32, F64]);
  const [xPtr, dPtr, orderPtr, n, pPtr, cPtr, pairs, eta] = [0, 1, 2, 3, 4, 5, 6, 7];
  const e = new Emitter(fn, lay);
  const [b, i, pb, cb, q] = [fn.local(I32), fn.local(I32), fn.local(I32), fn.local(I32), fn.local(I32)];
  const [etaV, d, coef, a, delta, ed] = [e.v(), e.v(), e.v(), e.v(), e.v(), e.v()];
  const xs = Array.from({ length: lay.dim }, () => e.v());
  const perPair: Expr[] = [set(coef, load(cb, 0)), ...e.forward(pb, xs, a)];
  perPair.push(
    ...e.delta(delta, a, d),
    set(ed, mul(get(etaV), get(delta))),
    store(pb, lay.b2 * 16, update(load(pb, lay.b2 * 16), regularizeBiases, reg, coef, get(ed))),
  );
  const [v, h, edh] = [e.v(), e.v(), e.v()];
  // The update, one hidden unit per turn of a loop: the same operations in the same order as
  // unrolled, in 1/H of the code.
  const unit = new UnitCursor(fn, lay);
  const updateUnit: Expr[] = [
    set(v, load(unit.v, 0)),
    set(h, load(unit.h, 0)),
    set(edh, mul(mul(get(ed), get(v)), sub(splat(1), mul(get(h), get(h))))),
    store(unit.v, 0, update(get(v), true, reg, coef, mul(get(ed), get(h)))),
    store(unit.b, 0, update(load(unit.b, 0), regularizeBiases, reg, coef, get(edh))),
  ];
  for (let k = 0; k < lay.dim; k++) updateUnit.push(store(unit.w, k * 16, update(load(unit.w, k * 16), true, reg, coef, mul(get(edh), get(xs[k])))));
  perPair.push(...unit.start(pb), ...repeat(fn.local(I32), lay.hidden, [...updateUnit, ...unit.advance(1)]));
  const code = fn.body(
    set(etaV, splatF64(get(eta))),
    set(b, i32(0)),
    whileLoop(lt32(get(b), get(n)), [
      set(i, loadI32(orderPtr, b)),
      ...e.loadPattern(xPtr, dPtr, i, xs, d),
      set(pb, get(pPtr)), set(cb, get(cPtr)), set(q, get(pairs)),
      doWhile([...perPair, bump(pb, lay.size * 16), bump(cb, 16), bump(q, -1)], get(q)),
      bump(b, 1),
    ]),
  );
  return { name: 'online', type: { params: fn.params, results: [] }, locals: fn.locals, code };
}

/**
 * batch(xPtr, dPtr, orderPtr, n, B, pPtr, gPtr, cPtr, pairs, η): one epoch of mini-batches. Per
 * batch and pair, the gradient sums pattern by pattern in `order` (as the JS kernel's), then the
 * mean is applied and g cleared.
 */
function batch(lay: Layout, reg: Reg, regularizeBiases: boolean): FuncDef {
  const fn = new Fn([I32, I32, I32, I32, I32, I32, I32, I32, I32, F64]);
  const [xPtr, dPtr, orderPtr, n, size, pPtr, gPtr, cPtr, pairs, eta] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const e = new Emitter(fn, lay);
  const [start, end, b, i, pb, cb, q] = Array.from({ length: 7 }, () => fn.local(I32));
  const [scale, d, coef, a, delta] = [e.v(), e.v(), e.v(), e.v(), e.v()];
  const xs = Array.from({ length: lay.dim }, () => e.v());
  const accumulate = (base: number, at: number, x: Expr): Expr => store(base, at * 16, add(load(base, at * 16), x));
  const perPattern: Expr[] = [
    set(i, loadI32(orderPtr, b)),
    ...e.loadPattern(xPtr, dPtr, i, xs, d),
    ...e.forward(pb, xs, a),
    ...e.delta(delta, a, d),
    accumulate(gPtr, lay.b2, get(delta)),
  ];
  // Back-propagation and the batch mean's application, one hidden unit per turn of a loop (each
  // parameter's operations and their order as unrolled; parameters are independent of each other).
  const [h, dh, step] = [e.v(), e.v(), e.v()];
  const [p, g, counter] = [new UnitCursor(fn, lay), new UnitCursor(fn, lay), fn.local(I32)];
  perPattern.push(
    ...p.start(pb),
    ...g.start(gPtr),
    ...repeat(counter, lay.hidden, [
      set(h, load(p.h, 0)),
      set(dh, mul(mul(get(delta), load(p.v, 0)), sub(splat(1), mul(get(h), get(h))))),
      accumulate(g.v, 0, mul(get(delta), get(h))),
      accumulate(g.b, 0, get(dh)),
      ...Array.from({ length: lay.dim }, (_, k) => accumulate(g.w, k, mul(get(dh), get(xs[k])))),
      ...p.advance(1),
      ...g.advance(1),
    ]),
  );
  /** Parameter `at` (relative to `pBase`, its gradient to `gBase`) takes its step; its gradient is cleared. */
  const applyAt = (pBase: number, gBase: number, at: number, regularized: boolean): Expr[] => [
    set(step, mul(get(scale), load(gBase, at * 16))),
    store(gBase, at * 16, splat(0)),
    store(pBase, at * 16, update(load(pBase, at * 16), regularized, reg, coef, get(step))),
  ];
  const apply: Expr[] = [
    ...p.start(pb),
    ...g.start(gPtr),
    ...repeat(counter, lay.hidden, [
      ...Array.from({ length: lay.dim }, (_, k) => applyAt(p.w, g.w, k, true)).flat(),
      ...applyAt(p.b, g.b, 0, regularizeBiases),
      ...applyAt(p.v, g.v, 0, true),
      ...p.advance(1),
      ...g.advance(1),
    ]),
    ...applyAt(pb, gPtr, lay.b2, regularizeBiases),
  ];
  const code = fn.body(
    set(start, i32(0)),
    whileLoop(lt32(get(start), get(n)), [
      // end = min(start + B, n)
      (c) => {
        c.get(start).get(size).emit(OP.i32Add).set(end);
        c.get(end).get(n).get(end).get(n).emit(OP.i32LtS, OP.select).set(end);
      },
      (c) => c.get(eta).get(end).get(start).emit(OP.i32Sub, OP.f64ConvertI32S, OP.f64Div).simd(SIMD.f64x2Splat).set(scale),
      set(pb, get(pPtr)), set(cb, get(cPtr)), set(q, get(pairs)),
      doWhile([
        set(coef, load(cb, 0)),
        set(b, get(start)),
        doWhile([...perPattern, bump(b, 1)], lt32(get(b), get(end))),
        ...apply,
        bump(pb, lay.size * 16), bump(cb, 16), bump(q, -1),
      ], get(q)),
      set(start, get(end)),
    ]),
  );
  return { name: 'batch', type: { params: fn.params, results: [] }, locals: fn.locals, code };
}

/**
 * evaluate(xPtr, dPtr, n, pb, outPtr): Σ cross-entropy and misclassified count of both networks of
 * the pair at `pb` over patterns 0…n−1, written as f64 [loss0, loss1, wrong0, wrong1] at outPtr;
 * per lane, evaluatorFor's scalar operations.
 */
function evaluate(lay: Layout): FuncDef {
  const fn = new Fn([I32, I32, I32, I32, I32]);
  const [xPtr, dPtr, n, pb, outPtr] = [0, 1, 2, 3, 4];
  const e = new Emitter(fn, lay);
  const i = fn.local(I32);
  const a = e.v();
  const xs = Array.from({ length: lay.dim }, () => e.v());
  const [dS, al, log] = [fn.local(F64), fn.local(F64), fn.local(F64)];
  const [minusAbs, expMinusAbs, log1pV] = [e.v(), e.v(), e.v()];
  const losses = [fn.local(F64), fn.local(F64)];
  const wrongs = [fn.local(I32), fn.local(I32)];
  const lane = (L: number): Expr => (c) => {
    c.get(a).simd(SIMD.f64x2ExtractLane, L).set(al);
    // loss += (a > 0 ? a + log1p(exp(−a)) : log1p(exp(a))) − d·a, with log1p(exp(∓a)) from `log1pV`
    c.get(losses[L]);
    c.get(log1pV).simd(SIMD.f64x2ExtractLane, L).set(log);
    c.get(al).f64(0).emit(OP.f64Gt, OP.if, F64);
    c.get(al).get(log).emit(OP.f64Add);
    c.emit(OP.else).get(log).emit(OP.end);
    c.get(dS).get(al).emit(OP.f64Mul, OP.f64Sub, OP.f64Add).set(losses[L]);
    // wrong += (a ≥ 0 ? 1 : 0) ≠ d
    c.get(wrongs[L]).f64(1).f64(0).get(al).f64(0).emit(OP.f64Ge, OP.select).get(dS).emit(OP.f64Ne, OP.i32Add).set(wrongs[L]);
  };
  const dAt = fn.local(I32);
  const code = fn.body(
    set(i, i32(0)),
    whileLoop(lt32(get(i), get(n)), [
      ...e.loadPattern(xPtr, dPtr, i, xs, undefined),
      ...e.forward(pb, xs, a),
      set(dAt, i32Add(get(dPtr), i32Mul(get(i), i32(8)))),
      (c) => c.get(dAt).mem(OP.f64Load, 3, 0).set(dS),
      set(minusAbs, select(neg(get(a)), get(a), gt(get(a), splat(0)))),
      ...expStatements(fn, expMinusAbs, minusAbs),
      ...log1pStatements(fn, log1pV, expMinusAbs),
      lane(0),
      lane(1),
      bump(i, 1),
    ]),
    (c) => {
      [losses[0], losses[1]].forEach((l, k) => c.get(outPtr).get(l).mem(OP.f64Store, 3, k * 8));
      [wrongs[0], wrongs[1]].forEach((w, k) => c.get(outPtr).get(w).emit(OP.f64ConvertI32S).mem(OP.f64Store, 3, 16 + k * 8));
    },
  );
  return { name: 'evaluate', type: { params: fn.params, results: [] }, locals: fn.locals, code };
}

const lt32 = (x: Expr, y: Expr): Expr => (c) => (x(c), y(c), c.emit(OP.i32LtS));

/** The i32 at base + 4·index. */
const loadI32 = (base: number, index: number): Expr => (c) => {
  c.get(base).get(index).i32(2).emit(OP.i32Shl, OP.i32Add).mem(OP.i32Load, 2, 0);
};

/** The module's bytes for one network shape, regularizer and bias option. */
export function kernelModule(lay: Layout, reg: Reg, regularizeBiases: boolean): Uint8Array {
  return encodeModule({
    functions: [online(lay, reg, regularizeBiases), batch(lay, reg, regularizeBiases), evaluate(lay)],
    memoryPages: 1,
  });
}
