import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { defaultReportFolder, reportFiles } from '../../functions/keys.js';
import type { Analysis } from '../../orchestrator/analysis/analysis-types.js';
import { sweepId } from '../../orchestrator/plan/planner.js';
import { preset } from '../../orchestrator/spec/presets.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { runCli } from '../helpers/cli.js';

/** Every distinct content `file` has while `running` is pending, read every 50 ms. */
async function versionsWhile(file: string, running: Promise<unknown>): Promise<string[]> {
  let over = false;
  void running.finally(() => (over = true));
  const seen: string[] = [];
  while (!over) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (text !== undefined && text !== seen.at(-1)) seen.push(text);
    await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

test('the quick preset end to end: every task, λ* per N, a slope with CI, the report files, and the report kept current while it runs', async () => {
  const store = mkdtempSync(join(tmpdir(), 'lambdastar-quick-'));
  const html = reportFiles(defaultReportFolder(store, sweepId(canonicalize(specSchema.parse(preset('quick')))))).html;
  const running = runCli(['run', '--preset', 'quick', '--store', store, '--report-every', '1']);
  const versions = await versionsWhile(html, running);
  const run = await running;
  expect(run.code).toBe(0);
  // Read during the run: at least two versions that say the sweep is running and the report partial.
  // (The last one read may already be the final report, written just before the process ended.)
  const live = versions.filter((v) => v.includes('data-running="true"'));
  expect(live.length).toBeGreaterThanOrEqual(2);
  for (const v of live) {
    expect(v).toContain('id="live-status"');
    expect(v).toContain('id="partial"');
    expect(v).toMatch(/>[^<]*\bpartial\b/);
  }
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
  // One reg and one init factor: the λ*–N figure and the loss panels, no copies of them.
  expect(readdirSync(join(dir, 'figures')).sort()).toEqual(['lambda-star-loglog.svg', 'loss-vs-lambda.svg']);
  for (const f of ['loss-vs-lambda', 'lambda-star-loglog']) {
    expect(readFileSync(join(dir, 'figures', `${f}.svg`), 'utf8')).toMatch(/^<svg/);
  }
  expect(join(dir, 'report.html')).toBe(html);
  const final = readFileSync(html, 'utf8');
  expect(final).toContain('<svg');
  expect(final).not.toContain('data-running="true"');
  expect(final).not.toContain('id="partial"');
  expect(existsSync(join(store, 'sweeps', analysis.sweepId, 'manifest.json'))).toBe(true);

  // Running it again trains nothing and rebuilds the identical analysis.
  const again = await runCli(['run', '--preset', 'quick', '--store', store, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ points: 1056, pointsReused: 1056, pointsTrained: 0, tasksRun: 0 });
  expect(readFileSync(join(dir, 'analysis.json'), 'utf8')).toBe(JSON.stringify(analysis, null, 2) + '\n');
});
