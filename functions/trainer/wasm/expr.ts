/**
 * Expression trees over the WebAssembly stack machine, so the kernel generator reads like the
 * arithmetic it emits: `add(x, mul(y, z))` emits x, y, z, mul, add. Every f64x2 operation acts lane
 * by lane with exactly the IEEE-754 rounding of the scalar operation (WebAssembly never fuses).
 */
import { Code, OP, SIMD, V128, type ValType } from './binary.js';

export type Expr = (c: Code) => void;

/**
 * A function under construction: its parameters, then locals allocated on demand. Vector constants
 * live in locals set once on entry: re-materializing a v128 constant at each use costs several
 * instructions, reading a local at most one.
 */
export class Fn {
  readonly locals: ValType[] = [];
  private readonly constants = new Map<string, { local: number; bytes: number[] }>();

  constructor(readonly params: ValType[]) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  /** The local holding the f64 `value` in both lanes. */
  constant(value: number): number {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    return this.constantBits(view.getBigUint64(0, true));
  }

  /** The local holding the 64 bits `bits` in both lanes (bit patterns no f64 value can carry, too). */
  constantBits(bits: bigint): number {
    const key = bits.toString(16);
    let entry = this.constants.get(key);
    if (!entry) {
      const view = new DataView(new ArrayBuffer(16));
      view.setBigUint64(0, bits, true);
      view.setBigUint64(8, bits, true);
      entry = { local: this.local(V128), bytes: [...new Uint8Array(view.buffer)] };
      this.constants.set(key, entry);
    }
    return entry.local;
  }

  /** The function's code: the constants' set-up, then `statements` in order. */
  body(...statements: Expr[]): Code {
    const main = new Code(this);
    for (const s of statements) s(main);
    const code = new Code(this);
    for (const { local, bytes } of this.constants.values()) code.simd(SIMD.const, ...bytes).set(local);
    return code.append(main);
  }
}


export const get = (local: number): Expr => (c) => c.get(local);
export const set = (local: number, e: Expr): Expr => (c) => (e(c), c.set(local));

function binary(op: number): (a: Expr, b: Expr) => Expr {
  return (a, b) => (c) => (a(c), b(c), c.simd(op));
}

export const add = binary(SIMD.f64x2Add);
export const sub = binary(SIMD.f64x2Sub);
export const mul = binary(SIMD.f64x2Mul);
export const div = binary(SIMD.f64x2Div);
export const pmin = binary(SIMD.f64x2Pmin);
export const pmax = binary(SIMD.f64x2Pmax);
export const gt = binary(SIMD.f64x2Gt);
export const lt = binary(SIMD.f64x2Lt);
export const ge = binary(SIMD.f64x2Ge);
export const le = binary(SIMD.f64x2Le);
export const eq = binary(SIMD.f64x2Eq);
export const ne = binary(SIMD.f64x2Ne);
export const and = binary(SIMD.and);
export const or = binary(SIMD.or);
export const neg = (a: Expr): Expr => (c) => (a(c), c.simd(SIMD.f64x2Neg));
export const abs = (a: Expr): Expr => (c) => (a(c), c.simd(SIMD.f64x2Abs));
export const trunc = (a: Expr): Expr => (c) => (a(c), c.simd(SIMD.f64x2Trunc));

/** Per lane (bit by bit), `ifTrue` where the comparison mask is set, else `ifFalse`. */
export const select = (ifTrue: Expr, ifFalse: Expr, mask: Expr): Expr => (c) => (ifTrue(c), ifFalse(c), mask(c), c.simd(SIMD.bitselect));

/** c₀ + x·(c₁ + x·(c₂ + …)), innermost first: the order a written-out Horner form evaluates in. */
export const horner = (x: Expr, coefficients: readonly number[]): Expr =>
  coefficients.slice(0, -1).reduceRight<Expr>((inner, c) => add(splat(c), mul(x, inner)), splat(coefficients[coefficients.length - 1]));

/** Both lanes x. */
export const splat = (x: number): Expr => (c) => c.get(c.fn.constant(x));

/** Both 64-bit lanes `bits`. */
export const splatBits = (bits: bigint): Expr => (c) => c.get(c.fn.constantBits(bits));

export const splatF64 = (e: Expr): Expr => (c) => (e(c), c.simd(SIMD.f64x2Splat));

/** v128 at address local `base` + `offset`. */
export const load = (base: number, offset: number): Expr => (c) => (c.get(base), c.simdMem(SIMD.load, 4, offset));
export const store = (base: number, offset: number, e: Expr): Expr => (c) => (c.get(base), e(c), c.simdMem(SIMD.store, 4, offset));

/** The f64 at address local `base` + `offset` in both lanes. */
export const loadSplat = (base: number, offset: number): Expr => (c) => (c.get(base), c.simdMem(SIMD.load64Splat, 3, offset));

// Scalar i32 helpers for addresses and counters.
export const i32 = (n: number): Expr => (c) => c.i32(n);
export const i32Add = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.emit(OP.i32Add));
export const i32Mul = (a: Expr, b: Expr): Expr => (c) => (a(c), b(c), c.emit(OP.i32Mul));

/** `local += by` for an i32 local. */
export const bump = (local: number, by: number): Expr => set(local, i32Add(get(local), i32(by)));

/**
 * A loop running `body` while `cond` holds, tested before each pass (`cond` is an i32 expression).
 */
export const whileLoop = (cond: Expr, body: Expr[]): Expr => (c) => {
  c.emit(OP.block, OP.void, OP.loop, OP.void);
  cond(c);
  c.emit(OP.i32Eqz, OP.brIf, 1);
  for (const s of body) s(c);
  c.emit(OP.br, 0, OP.end, OP.end);
};

/** A loop running `body` at least once, again while `cond` holds after it. */
export const doWhile = (body: Expr[], cond: Expr): Expr => (c) => {
  c.emit(OP.loop, OP.void);
  for (const s of body) s(c);
  cond(c);
  c.emit(OP.brIf, 0, OP.end);
};

/** `body` run `times` ≥ 1 times, counting down in the i32 local `counter`. */
export const repeat = (counter: number, times: number, body: Expr[]): Expr[] => [
  set(counter, i32(times)),
  doWhile([...body, bump(counter, -1)], get(counter)),
];
