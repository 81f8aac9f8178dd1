import { describe, expect, test } from 'vitest';
import { CELL_KEYS, cellJson } from '../../functions/trainer/ids.js';
import { DEFAULT_OPTIONS } from '../../functions/trainer/task.js';
import { predictedCost } from '../../functions/trainer/work.js';
import { cellCount, planCells, sweepId } from '../../orchestrator/plan/planner.js';
import { workRange } from '../../orchestrator/plan/work.js';
import { EXTENDED_LAMBDAS, THESIS_LAMBDAS } from '../../orchestrator/spec/grids.js';
import { PRESETS } from '../../orchestrator/spec/presets.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';

const spec = (raw: unknown) => canonicalize(specSchema.parse(raw));

describe('planner', () => {
  test('the thesis λ grids: 14 values to 2e-2 and 22 to 2, as exact decimals', () => {
    expect(THESIS_LAMBDAS).toEqual([1e-5, 2e-5, 4e-5, 8e-5, 1e-4, 2e-4, 4e-4, 8e-4, 1e-3, 2e-3, 4e-3, 8e-3, 1e-2, 2e-2]);
    expect(EXTENDED_LAMBDAS).toHaveLength(22);
    expect(EXTENDED_LAMBDAS.slice(14)).toEqual([4e-2, 8e-2, 0.1, 0.2, 0.4, 0.8, 1, 2]);
  });

  test.each([
    ['thesis-fig1', 10, 14],
    ['thesis-fig2', 140, 14],
    ['thesis-fig3', 300, 14],
    ['thesis-fig4-ext', 200, 22],
    ['quick', 48, 22],
  ])('preset %s plans %i cells, one per (N, seed, init, reg), each with %i grid λ', (name, count, lambdas) => {
    const s = spec(PRESETS[name]);
    const cells = [...planCells(s)];
    expect(cells).toHaveLength(count);
    expect(cellCount(s)).toBe(count);
    expect(new Set(cells.map((c) => c.id)).size).toBe(count);
    expect(s.lambdas).toHaveLength(lambdas);
    expect(workRange(s).points).toEqual([count * lambdas, count * lambdas]);
  });

  test('the adaptive presets: the thesis N and seeds, one λ per decade to start, refined to 2^(1/4); a range of work', () => {
    for (const name of ['thesis-fig2-adaptive', 'thesis-fig3-adaptive', 'thesis-fig4-adaptive']) {
      const s = spec(PRESETS[name]);
      const grid = spec(PRESETS[name.replace('-adaptive', '')]);
      expect(s.lambdas).toBeUndefined();
      expect(s.search?.start).toEqual([1e-3, 1e-2, 1e-1, 1]);
      expect(s.search?.resolution).toBe(2 ** 0.25);
      expect([...planCells(s)].map((c) => c.id)).toEqual([...planCells(grid)].map((c) => c.id));
      const [lo, hi] = workRange(s).points;
      expect(lo).toBe(cellCount(s) * 4);
      expect(hi).toBe(cellCount(s) * (4 + 2 * (s.search?.maxRounds ?? 0)));
    }
  });

  test('a cell is everything but λ: the cells of a preset on both grids have the same ids', () => {
    const fig2 = new Set([...planCells(spec(PRESETS['thesis-fig2']))].map((c) => c.id));
    expect([...planCells(spec(PRESETS['thesis-fig2-ext']))].every((c) => fig2.has(c.id))).toBe(true);
  });

  test('the cell id covers every field of a cell: a new training option cannot drop out of the ids', () => {
    const fields = [...Object.keys(DEFAULT_OPTIONS), 'n', 'seed', 'initFactor', 'reg'].sort();
    expect([...CELL_KEYS].sort()).toEqual(fields);
    const [c] = planCells(spec({ n: [10], lambdas: [1], seeds: 1 }));
    expect(Object.keys(c.cell).sort()).toEqual(fields);
  });

  test("a cell's canonical JSON, written out for speed, is exactly JSON.stringify's with the sorted keys", () => {
    const cells = [
      ...[...planCells(spec(PRESETS['protocol-sensitivity']))].slice(0, 5).map((c) => c.cell),
      { n: 2, seed: 4294967295, initFactor: 1e-7, reg: 'l1' as const, inputDim: 1000, hidden: 1, separation: -0.5, sigma: 1e21, valSize: 1, standardize: false, learningRate: 0.30000000000000004, epochs: 1, batchSize: 9007199254740991, regularizeBiases: true },
    ];
    for (const c of cells) {
      expect(cellJson(c)).toBe(JSON.stringify(c, [...CELL_KEYS]));
      const lambdas = [1e-300, 3.3e-3, 0.1, 2, 1e300];
      expect(cellJson(c, lambdas)).toBe(JSON.stringify({ ...c, lambdas }, [...CELL_KEYS, 'lambdas'].sort()));
    }
  });

  test('sweep identity is the set of points: any key or axis order, any name or description → the same id; anything else → another', () => {
    const a = spec({ n: [20, 10], lambdas: [1e-2, 1e-3], seeds: 2, regs: ['l2', 'l1'] });
    const b = spec({ name: 'b', description: 'the same points', regs: ['l1', 'l2'], seeds: [0, 1], lambdas: [1e-3, 1e-2], n: [10, 20] });
    expect(sweepId(a)).toBe(sweepId(b));
    // Option axes too: their order in the spec does not matter.
    const c = spec({ n: [10], lambdas: [1e-3], seeds: 1, batchSize: [10, 1], standardize: [true, false] });
    const d = spec({ n: [10], lambdas: [1e-3], seeds: 1, batchSize: [1, 10, 10], standardize: [false, true] });
    expect(sweepId(c)).toBe(sweepId(d));
    expect([...planCells(c)].map((x) => x.id)).toEqual([...planCells(d)].map((x) => x.id));
    expect([...planCells(a)].map((c) => c.id).sort()).toEqual([...planCells(b)].map((c) => c.id).sort());
    for (const other of [
      { n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, regs: ['l1', 'l2'], epochs: 400 },
      { n: [10, 20], lambdas: [1e-3, 1e-2, 1e-1], seeds: 2, regs: ['l1', 'l2'] },
      { n: [10, 20], search: { mode: 'adaptive' }, seeds: 2, regs: ['l1', 'l2'] },
      { n: [10, 20], search: { mode: 'adaptive', resolution: 1.1 }, seeds: 2, regs: ['l1', 'l2'] },
    ]) {
      expect(sweepId(spec(other))).not.toBe(sweepId(a));
    }
    expect(sweepId(a)).toMatch(/^[0-9a-f]{12}$/);
  });

  test('longest cells first', () => {
    const costs = [...planCells(spec(PRESETS['thesis-fig2']))].map((c) => predictedCost(c.cell, 1));
    for (let i = 1; i < costs.length; i++) expect(costs[i]).toBeLessThanOrEqual(costs[i - 1]);
  });

  test('a list of training options is an axis', () => {
    const s = spec({ n: [10], lambdas: [1e-3], seeds: 1, batchSize: [1, 10], standardize: [true, false] });
    const cells = [...planCells(s)];
    expect(cells).toHaveLength(4);
    expect(new Set(cells.map((c) => `${c.cell.batchSize}/${c.cell.standardize}`)).size).toBe(4);
  });
});
