import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { metricsDigest } from '../../functions/trainer/digest.js';
import type { LambdaMetrics } from '../../functions/trainer/task.js';
import { TRAINER_VERSION } from '../../functions/trainer/task.js';
import { predictionInterval } from '../../orchestrator/analysis/stats.js';
import { planCells, taskFor } from '../../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../../orchestrator/store/manifest-io.js';
import { openStore } from '../../orchestrator/store/open-store.js';
import { runCli } from '../helpers/cli.js';

const NS = [10, 20, 40, 80, 160, 320, 640];
// λ* = 0.5·N^−1 exactly on the grid; the two seeds sit one grid step apart in a pattern that
// varies with N, so the means scatter around the power law.
const trueLambda = (n: number) => 0.5 / n;
const GRID = [...new Set(NS.flatMap((n) => [trueLambda(n) / 2, trueLambda(n), trueLambda(n) * 2]))].sort((a, b) => a - b);

function metricsWithMinimumAt(lambdaStar: number): LambdaMetrics[] {
  return GRID.map((lambda) => {
    const v = 0.4 + Math.abs(Math.log2(lambda / lambdaStar)) / 10;
    return { lambda, trainLoss: 0.3, trainObjective: 0.31, valLoss: v, valError: 0.2, weightNorm: 1 };
  });
}

async function syntheticStore(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lambdastar-predict-'));
  const store = openStore(dir);
  const spec = canonicalize(specSchema.parse({ n: NS, lambdas: GRID, seeds: 2 }));
  const manifest = buildManifest(spec);
  await store.putManifest(manifest);
  for (const { cell } of planCells(spec)) {
    const { id, task } = taskFor(cell, GRID);
    const k = NS.indexOf(task.n);
    const shift = task.seed === 0 ? 0 : [1, -1, 0][k % 3];
    const metrics = metricsWithMinimumAt(trueLambda(task.n) * 2 ** shift);
    await store.putResult({ taskId: id, task, trainerVersion: TRAINER_VERSION, metrics, digest: metricsDigest(metrics), wallMs: 1 });
  }
  return dir;
}

describe('predict', () => {
  test('prediction interval against a textbook case: a prediction (not a confidence) interval, with n − 2 degrees of freedom', () => {
    // x = 1…5, y = 2, 4, 5, 4, 5: ŷ = 2.2 + 0.6x, SSE = 2.4, s = √0.8, Sxx = 10, x̄ = 3.
    // At x0 = 6: ŷ = 5.8; t(0.975, 3) = 3.182446 (tables); half-width t·s·√(1 + 1/5 + 9/10) = 4.12492.
    // A confidence interval (√(1/5 + 9/10)) would give 2.98530; t with 4 df (2.776445) would give 3.59830.
    const p = predictionInterval([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], 6);
    expect(p.value).toBeCloseTo(5.8, 12);
    expect((p.hi - p.lo) / 2).toBeCloseTo(3.182446 * Math.sqrt(0.8) * Math.sqrt(2.1), 5);
    expect((p.hi - p.lo) / 2).toBeCloseTo(4.12492, 4);
    // Exact data: a zero-width interval on the line.
    const exact = predictionInterval([0, 1, 2, 3], [1, 3, 5, 7], 10);
    expect(exact.value).toBeCloseTo(21, 12);
    expect(exact.hi - exact.lo).toBeCloseTo(0, 12);
    expect(() => predictionInterval([0, 1], [0, 1], 3)).toThrow(RangeError);
  });

  test('recovers a known power law: slope −1 inside its CI, the true λ* inside the prediction interval', async () => {
    const dir = await syntheticStore();
    const run = await runCli(['predict', '--store', dir, '--n', '200', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const p = JSON.parse(run.stdout) as { lambdaStar: number; interval: [number, number]; fit: { slope: { value: number; ci95: [number, number] } }; outsideFittedRange: boolean; warning: string | null };
    expect(p.fit.slope.ci95[0]).toBeLessThan(-1);
    expect(p.fit.slope.ci95[1]).toBeGreaterThan(-1);
    expect(p.fit.slope.value).toBeCloseTo(-1, 1);
    // The seeds' mean sits between λ* and 1.5·λ*; the interval must cover the law's value there.
    expect(p.interval[0]).toBeLessThan(trueLambda(200) * 1.25);
    expect(p.interval[1]).toBeGreaterThan(trueLambda(200) * 1.25);
    expect(p.interval[0]).toBeLessThan(p.lambdaStar);
    expect(p.interval[1]).toBeGreaterThan(p.lambdaStar);
    expect(p.outsideFittedRange).toBe(false);
    expect(p.warning).toBeNull();

    const text = await runCli(['predict', '--store', dir, '--n', '5000']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/predicted λ\* at N = 5000 \(L2 f=1\): [\d.]+e-4, 95 % prediction interval \[/);
    expect(text.stdout).toMatch(/warning: N = 5000 lies outside the fitted range 10 … 640: this is an extrapolation/);
  });

  test('asking for a group the sweep does not have is a one-line error', async () => {
    const dir = await syntheticStore();
    const run = await runCli(['predict', '--store', dir, '--n', '100', '--reg', 'l1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('lambdastar: --reg/--init-factor: no group matches; the sweep has L2 f=1');
  });
});
