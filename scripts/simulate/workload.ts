/**
 * The simulated sweep's tasks, as the planner makes them: the thesis' cells — both N grids, L1 and
 * L2, init factors 0.1, 1 and 10, as many seeds as it takes — each one task of the extended λ grid
 * (22 λ), longest first. A fixed calibration predicts their seconds (0.09 … 13 s); a seeded draw
 * decides how long each actually runs.
 */
import type { Rng } from '../../functions/trainer/rng.js';
import type { Calibration } from '../../orchestrator/cost/cost-model.js';
import { taskSeconds } from '../../orchestrator/cost/cost-model.js';
import type { PlannedTask } from '../../orchestrator/plan/planner.js';
import { planCells, taskFor } from '../../orchestrator/plan/planner.js';
import { EXTENDED_LAMBDAS, INITIAL_N, LATER_N } from '../../orchestrator/spec/grids.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';

/** `calibrate()` measured 1.8e-9 … 3.1e-9 s per unit on a development machine; fixed so runs repeat. */
export const CALIBRATION: Calibration = { secondsPerCostUnit: 2e-9 };
export const MEMORY_MB = 1769;

/** Actual ÷ predicted: lognormal(0, sigma), and for a share of tasks a further factor in [lo, hi]. */
export interface TailModel {
  sigma: number;
  outlierRate: number;
  outlierFactor: readonly [number, number];
}

export const TAIL: TailModel = { sigma: 0.3, outlierRate: 0.01, outlierFactor: [3, 10] };

export interface Workload {
  /** Longest first, as the planner orders them; ids unique. */
  tasks: PlannedTask[];
  /** Seconds by task id: predicted from the calibration, and actual. */
  predicted: Map<string, number>;
  actual: Map<string, number>;
}

const N_GRID = [...new Set([...INITIAL_N, ...LATER_N])].sort((a, b) => a - b);
const REGS = ['l1', 'l2'] as const;
const INIT_FACTORS = [0.1, 1, 10];

/** `count` tasks: whole seeds of every cell shape, the shortest cells of the last seeds left out. */
export function workload(count: number, rng: Rng, tail: TailModel = TAIL): Workload {
  const shapes = N_GRID.length * REGS.length * INIT_FACTORS.length;
  const spec = canonicalize(specSchema.parse({
    n: N_GRID, regs: [...REGS], initFactors: INIT_FACTORS, seeds: Math.ceil(count / shapes), lambdas: EXTENDED_LAMBDAS,
  }));
  const tasks: PlannedTask[] = [];
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  for (const { cell } of planCells(spec)) {
    if (tasks.length === count) break;
    const t = taskFor(cell, EXTENDED_LAMBDAS);
    const seconds = taskSeconds(t.task, CALIBRATION, MEMORY_MB);
    let factor = Math.exp(tail.sigma * rng.normal());
    if (rng.uniform() < tail.outlierRate) factor *= tail.outlierFactor[0] + (tail.outlierFactor[1] - tail.outlierFactor[0]) * rng.uniform();
    tasks.push(t);
    predicted.set(t.id, seconds);
    actual.set(t.id, seconds * factor);
  }
  return { tasks, predicted, actual };
}
