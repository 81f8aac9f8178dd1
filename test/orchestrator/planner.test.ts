import { describe, expect, test } from 'vitest';
import { planTasks, predictedCost, sweepId, taskCount } from '../../orchestrator/plan/planner.js';
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
    ['thesis-fig1', 10],
    ['thesis-fig2', 140],
    ['thesis-fig3', 300],
    ['thesis-fig4-ext', 200],
    ['quick', 48],
  ])('preset %s plans %i tasks, one per (N, seed, init, reg), each carrying every λ', (name, count) => {
    const s = spec(PRESETS[name]);
    const tasks = [...planTasks(s)];
    expect(tasks).toHaveLength(count);
    expect(taskCount(s)).toBe(count);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(count);
    for (const t of tasks) expect(t.task.lambdas).toEqual(s.lambdas);
  });

  test('ids are stable: same spec (any key order, any axis order) → same sweep id and task ids', () => {
    const a = spec({ n: [20, 10], lambdas: [1e-2, 1e-3], seeds: 2, regs: ['l2', 'l1'] });
    const b = spec({ regs: ['l1', 'l2'], seeds: [0, 1], lambdas: [1e-3, 1e-2], n: [10, 20] });
    expect(sweepId(a)).toBe(sweepId(b));
    expect([...planTasks(a)].map((t) => t.id).sort()).toEqual([...planTasks(b)].map((t) => t.id).sort());
    const c = spec({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, regs: ['l1', 'l2'], epochs: 400 });
    expect(sweepId(c)).not.toBe(sweepId(a));
    expect(sweepId(a)).toMatch(/^[0-9a-f]{12}$/);
  });

  test('longest tasks first', () => {
    const costs = [...planTasks(spec(PRESETS['thesis-fig2']))].map((t) => predictedCost(t.task));
    for (let i = 1; i < costs.length; i++) expect(costs[i]).toBeLessThanOrEqual(costs[i - 1]);
  });

  test('a list of training options is an axis', () => {
    const s = spec({ n: [10], lambdas: [1e-3], seeds: 1, batchSize: [1, 10], standardize: [true, false] });
    const tasks = [...planTasks(s)];
    expect(tasks).toHaveLength(4);
    expect(new Set(tasks.map((t) => `${t.task.batchSize}/${t.task.standardize}`)).size).toBe(4);
  });
});
