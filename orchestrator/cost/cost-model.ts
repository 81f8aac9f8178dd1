/**
 * What a sweep will cost on Lambda, before it runs (pure). Prices are AWS's published us-east-1
 * list prices; change PRICES for another region.
 */
import { taskCost } from '../../functions/trainer/work.js';
import type { PlannedTask } from '../plan/planner.js';

export const PRICES = {
  /** $ per GB-second. */
  gbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 },
  /** $ per request. */
  request: 0.2 / 1e6,
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
} as const;

export type Architecture = keyof typeof PRICES.gbSecond;

/** One vCPU: the trainer is single-threaded, so more memory buys no speed. */
const FULL_VCPU_MB = 1769;
/** Start-up and S3 round trips per invocation, measured on the order of tens of ms. */
const INVOCATION_OVERHEAD_S = 0.05;

export interface Calibration {
  /** Seconds per unit of `predictedCost` on one local core. */
  secondsPerCostUnit: number;
}

export interface CostEstimate {
  tasks: number;
  invocations: number;
  computeSeconds: number;
  gbSeconds: number;
  lambdaDollars: number;
  requestDollars: number;
  s3Puts: number;
  s3Gets: number;
  s3Dollars: number;
  totalDollars: number;
  wallSeconds: number;
  memoryMb: number;
  architecture: Architecture;
  concurrency: number;
}

/** Seconds one task takes in a function of `memoryMb` (CPU share scales with memory up to one vCPU). */
export function taskSeconds(task: PlannedTask['task'], cal: Calibration, memoryMb: number): number {
  const share = Math.min(1, memoryMb / FULL_VCPU_MB);
  return (taskCost(task) * cal.secondsPerCostUnit) / share;
}

export function lambdaDollars(gbSeconds: number, architecture: Architecture): number {
  return gbSeconds * PRICES.gbSecond[architecture];
}

/** One invocation of `ms` billed duration: its compute and its request. */
export function invocationDollars(ms: number, memoryMb: number, architecture: Architecture): number {
  return lambdaDollars((ms / 1000) * (memoryMb / 1024), architecture) + PRICES.request;
}

export function estimateCost(
  batches: PlannedTask[][],
  cal: Calibration,
  opts: { memoryMb: number; architecture: Architecture; concurrency: number },
): CostEstimate {
  let compute = 0;
  let longest = 0;
  let tasks = 0;
  for (const b of batches) {
    const s = b.reduce((sum, t) => sum + taskSeconds(t.task, cal, opts.memoryMb), 0) + INVOCATION_OVERHEAD_S;
    compute += s;
    longest = Math.max(longest, s);
    tasks += b.length;
  }
  const invocations = batches.length;
  const gbSeconds = (compute * opts.memoryMb) / 1024;
  const lambda = lambdaDollars(gbSeconds, opts.architecture);
  const requestDollars = invocations * PRICES.request;
  // One PUT per result; one GET per result when the report reads them back.
  const s3Puts = tasks;
  const s3Gets = tasks;
  const s3Dollars = s3Puts * PRICES.s3Put + s3Gets * PRICES.s3Get;
  return {
    tasks,
    invocations,
    computeSeconds: compute,
    gbSeconds,
    lambdaDollars: lambda,
    requestDollars,
    s3Puts,
    s3Gets,
    s3Dollars,
    totalDollars: lambda + requestDollars + s3Dollars,
    wallSeconds: Math.max(longest, compute / Math.max(1, Math.min(opts.concurrency, invocations))),
    memoryMb: opts.memoryMb,
    architecture: opts.architecture,
    concurrency: opts.concurrency,
  };
}
