/**
 * Training that diverges (λ or the learning rate far too large) is an answer, not a failure: the λ
 * is stored as diverged, counted as such, never λ*, and the stored result reads back intact.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Analysis } from '../../orchestrator/analysis/analysis-types.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-diverged-'));

function specFile(name: string, body: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

test('λ = 1e300 diverges: stored as diverged for that λ, counted, never λ*; status complete; verify reproduces it', async () => {
  const store = join(dir, 'lambda');
  const run = await runCli(['run', '--spec', specFile('lambda', { n: [10, 20, 40], lambdas: [1e-3, 1e-1, 1e300], seeds: 2, epochs: 5, valSize: 50 }), '--store', store, '--json', '--no-progress']);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout) as { failed: unknown[]; reportDir: string; sweepId: string };
  expect(summary.failed).toEqual([]);
  const cells = join(store, 'cells');
  const stored = readdirSync(cells).flatMap((c) => readdirSync(join(cells, c)).map((f) => JSON.parse(readFileSync(join(cells, c, f), 'utf8'))));
  for (const r of stored) expect(r.metrics[2]).toEqual({ lambda: 1e300, diverged: true });
  const analysis = JSON.parse(readFileSync(join(summary.reportDir, 'analysis.json'), 'utf8')) as Analysis;
  const points = analysis.groups[0].points;
  expect(points.map((p) => p.divergedPoints)).toEqual([2, 2, 2]);
  for (const p of points) expect(p.lambdaStars.every((l) => l < 1)).toBe(true);
  expect(analysis.groups[0].warnings.join(' ')).toMatch(/Training diverged for 6 point\(s\) at N = 10, 20, 40/);
  const csv = readFileSync(join(summary.reportDir, 'results.csv'), 'utf8').trim().split('\n');
  expect(csv.filter((l) => l.includes(',1e+300,'))).toHaveLength(6);
  expect(csv.find((l) => l.includes(',1e+300,'))).toMatch(/,1e\+300,,,,,,1,0$/);
  expect(JSON.parse((await runCli(['status', '--store', store, '--json'])).stdout)).toEqual([expect.objectContaining({ done: 6, open: 0, corrupt: 0 })]);
  const verify = await runCli(['verify', '--store', store, '--all', '--json']);
  expect(verify.code).toBe(0);
  expect(JSON.parse(verify.stdout)).toMatchObject({ stored: 6, matched: 6, mismatches: [] });
});

test('a learning rate of 1e308 diverges at every λ: the cells are done, the report says there is no λ*', async () => {
  const store = join(dir, 'eta');
  const run = await runCli(['run', '--spec', specFile('eta', { n: [10, 20], lambdas: [1e-3, 1e-1], seeds: 1, epochs: 3, valSize: 20, learningRate: 1e308 }), '--store', store, '--json', '--no-progress']);
  expect(run.code).toBe(0);
  const summary = JSON.parse(run.stdout) as { failed: unknown[]; reportDir: string; cellsDone: number };
  expect(summary.failed).toEqual([]);
  expect(summary.cellsDone).toBe(2);
  const analysis = JSON.parse(readFileSync(join(summary.reportDir, 'analysis.json'), 'utf8')) as Analysis;
  expect(analysis.groups[0].points).toEqual([]);
  expect(analysis.groups[0].warnings.join(' ')).toMatch(/At N = 10, 20 training diverged at every λ of every seed: there is no λ\*; lower the learning rate/);
});
