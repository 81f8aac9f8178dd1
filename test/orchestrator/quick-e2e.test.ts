import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Analysis } from '../../orchestrator/analysis/analysis-types.js';
import { runCli } from '../helpers/cli.js';

test('the quick preset end to end: every task, λ* per N, a slope with CI, and the report files', async () => {
  const store = mkdtempSync(join(tmpdir(), 'lambdastar-quick-'));
  const run = await runCli(['run', '--preset', 'quick', '--store', store]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/48 cells · 1056 points: 0 reused, 1056 trained now · 48 tasks in 1 round\(s\) · 0 failed/);
  expect(run.stdout).toMatch(/log-log slope -?\d/);
  const reportLine = /report: (.*report\.html)/.exec(run.stdout);
  expect(reportLine).not.toBeNull();
  const dir = join(reportLine?.[1] ?? '', '..');
  const analysis = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8')) as Analysis;
  expect(analysis.cells).toEqual({ planned: 48, complete: 48, incomplete: [] });
  expect(analysis.points).toBe(48 * 22);
  const g = analysis.groups[0];
  expect(g.points.map((p) => p.n)).toEqual([40, 80, 160, 320, 640, 1280]);
  for (const p of g.points) expect(p.lambdaStars).toHaveLength(8);
  // λ* falls with N: the fitted log-log slope is negative and its CI is finite.
  expect(g.slope?.value).toBeLessThan(0);
  expect(g.slope?.ci95?.every(Number.isFinite)).toBe(true);
  const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
  expect(csv).toHaveLength(1 + 48 * 22);
  for (const f of ['loss-vs-lambda', 'lambda-star-linear', 'lambda-star-loglog', 'init-factors', 'l1-vs-l2']) {
    expect(readFileSync(join(dir, 'figures', `${f}.svg`), 'utf8')).toMatch(/^<svg/);
  }
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).toContain('<svg');
  expect(existsSync(join(store, 'sweeps', analysis.sweepId, 'manifest.json'))).toBe(true);

  // Running it again trains nothing and rebuilds the identical analysis.
  const again = await runCli(['run', '--preset', 'quick', '--store', store, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ points: 1056, pointsReused: 1056, pointsTrained: 0, tasksRun: 0 });
  expect(readFileSync(join(dir, 'analysis.json'), 'utf8')).toBe(JSON.stringify(analysis, null, 2) + '\n');
});
