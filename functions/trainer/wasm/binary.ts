/**
 * Just enough of the WebAssembly binary format to emit the trainer's kernels: one module with an
 * imported memory (its only import) and functions built from expression trees.
 *
 * Why hand-rolled: the kernels are generated per network shape at run time (like the JS kernels),
 * so the generator must run wherever the trainer does, with no compiler. The format needed is
 * small: LEB128 numbers, five sections, and the opcodes below (WebAssembly core 2.0 + SIMD128).
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function f64Bytes(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return [...new Uint8Array(view.buffer)];
}

function utf8(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...u32(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

/** The instruction stream of one function body, and the function it belongs to (for its locals). */
export class Code {
  readonly bytes: number[] = [];

  constructor(readonly fn: { constant(value: number): number; constantBits(bits: bigint): number }) {}

  emit(...b: number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }

  append(other: Code): this {
    for (const x of other.bytes) this.bytes.push(x);
    return this;
  }

  simd(op: number, ...imm: number[]): this {
    return this.emit(0xfd, ...u32(op), ...imm);
  }

  i32(n: number): this {
    return this.emit(0x41, ...s32(n));
  }

  f64(x: number): this {
    return this.emit(0x44, ...f64Bytes(x));
  }

  get(local: number): this {
    return this.emit(0x20, ...u32(local));
  }

  set(local: number): this {
    return this.emit(0x21, ...u32(local));
  }


  /** A memory access opcode with its memarg (alignment as log2 bytes, static offset). */
  mem(op: number, align: number, offset: number): this {
    return this.emit(op, ...u32(align), ...u32(offset));
  }

  simdMem(op: number, align: number, offset: number, ...imm: number[]): this {
    return this.simd(op, ...u32(align), ...u32(offset), ...imm);
  }
}

/** Opcodes used by the kernels, by their text-format names. */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d,
  void: 0x40,
  i32Load: 0x28, f64Load: 0x2b, f64Store: 0x39,
  i32Eqz: 0x45, i32LtS: 0x48,
  f64Ne: 0x62, f64Gt: 0x64, f64Ge: 0x66,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74,
  f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3,
  f64ConvertI32S: 0xb7, select: 0x1b,
} as const;

/** SIMD128 opcodes (after the 0xfd prefix). */
export const SIMD = {
  load: 0x00, load64Splat: 0x0a, store: 0x0b, const: 0x0c,
  i32x4ExtractLane: 0x1b, f64x2Splat: 0x14, f64x2ExtractLane: 0x21,
  f64x2Eq: 0x47, f64x2Ne: 0x48, f64x2Lt: 0x49, f64x2Gt: 0x4a, f64x2Le: 0x4b, f64x2Ge: 0x4c, and: 0x4e, or: 0x50, bitselect: 0x52,
  load64Lane: 0x57,
  f64x2Trunc: 0x7a, i64x2Shl: 0xcb, i64x2ShrU: 0xcd, i64x2Add: 0xce,
  f64x2Abs: 0xec, f64x2Neg: 0xed, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3,
  f64x2Pmin: 0xf6, f64x2Pmax: 0xf7,
} as const;

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface FuncDef {
  name: string;
  type: FuncType;
  /** Local types beyond the parameters, in index order. */
  locals: ValType[];
  code: Code;
}

export interface ModuleDef {
  functions: FuncDef[];
  /** The memory is imported as m.memory, with at least this many pages (64 KiB each). */
  memoryPages: number;
}

function section(id: number, body: number[]): number[] {
  return [id, ...u32(body.length), ...body];
}

function encodeType(t: FuncType): number[] {
  return [0x60, ...u32(t.params.length), ...t.params, ...u32(t.results.length), ...t.results];
}

/** Run-length groups of equal local types, as the code section stores them. */
function localGroups(locals: ValType[]): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < locals.length; ) {
    let j = i;
    while (j < locals.length && locals[j] === locals[i]) j++;
    groups.push([...u32(j - i), locals[i]]);
    i = j;
  }
  return groups;
}

export function encodeModule(def: ModuleDef): Uint8Array {
  const types = def.functions.map((f) => f.type);
  const importEntries = [[...utf8('m'), ...utf8('memory'), 0x02, 0x00, ...u32(def.memoryPages)]];
  const funcEntries = def.functions.map((_, i) => u32(i));
  const exportEntries = def.functions.map((f, i) => [...utf8(f.name), 0x00, ...u32(i)]);
  const bodies = def.functions.map((f) => {
    const body = [...vec(localGroups(f.locals)), ...f.code.bytes, OP.end];
    return [...u32(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types.map(encodeType))),
    ...section(2, vec(importEntries)),
    ...section(3, vec(funcEntries)),
    ...section(7, vec(exportEntries)),
    ...section(10, vec(bodies)),
  ]);
}
