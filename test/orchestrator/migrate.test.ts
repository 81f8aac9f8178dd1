/** A store written by lambdastar 0.1 (layout 1): refused with what to do, then migrated and reused. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { serializeResult } from '../../functions/results.js';
import { runTask } from '../../functions/trainer/run-task.js';
import { DEFAULT_OPTIONS, TRAINER_VERSION } from '../../functions/trainer/task.js';
import { planCells, taskFor } from '../../orchestrator/plan/planner.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { errorLines, runCli } from '../helpers/cli.js';

const body = { name: 'old', n: [10, 20], lambdas: [1e-3, 1e-1], seeds: 2, epochs: 5, valSize: 50 };

/** A sweep as lambdastar 0.1 stored it: `<sweepId>/manifest.json` with task ids, `<sweepId>/results/<taskId>.json`. */
function layout1Store(): string {
  const root = mkdtempSync(join(tmpdir(), 'lambdastar-layout1-'));
  const spec = canonicalize(specSchema.parse(body));
  const oldId = '0123456789ab';
  const tasks = [...planCells(spec)].map((c) => taskFor(c.cell, spec.lambdas ?? []));
  mkdirSync(join(root, oldId, 'results'), { recursive: true });
  writeFileSync(
    join(root, oldId, 'manifest.json'),
    JSON.stringify({ sweepId: oldId, trainerVersion: TRAINER_VERSION, protocol: { ...DEFAULT_OPTIONS }, spec, taskIds: tasks.map((t) => t.id) }),
  );
  for (const t of tasks) writeFileSync(join(root, oldId, 'results', `${t.id}.json`), serializeResult(runTask(t.task, t.id)));
  // One corrupt object: reported and skipped, never copied.
  writeFileSync(join(root, oldId, 'results', 'ffffffffffffffff.json'), '{"taskId":');
  return root;
}

test('a layout-1 store is refused with the command that fixes it; `migrate` copies its results under their cells, and the sweep then reuses all of them', async () => {
  const store = layout1Store();
  const refused = await runCli(['status', '--store', store]);
  expect(refused.code).toBe(2);
  expect(errorLines(refused.stderr)).toEqual([
    `lambdastar: --store: ${store} holds 1 sweep(s) in the layout of lambdastar 0.1 (e.g. 0123456789ab/results/); run \`lambdastar migrate --store ${store}\` once to make their results readable`,
  ]);

  const migrated = await runCli(['migrate', '--store', store, '--json']);
  const summary = JSON.parse(migrated.stdout) as { sweeps: { from: string; to: string; name: string }[]; results: number; alreadyThere: number; skipped: string[] };
  expect(summary.results).toBe(4);
  expect(summary.skipped).toHaveLength(1);
  expect(summary.skipped[0]).toMatch(/0123456789ab\/results\/ffffffffffffffff\.json: corrupt result \(not valid JSON/);
  expect(migrated.code).toBe(1);
  const newId = summary.sweeps[0].to;
  expect(summary.sweeps).toEqual([{ from: '0123456789ab', to: newId, name: 'old' }]);
  // The old folder is untouched.
  expect(existsSync(join(store, '0123456789ab', 'results', 'ffffffffffffffff.json'))).toBe(true);

  const status = await runCli(['status', '--store', store, '--json']);
  expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ sweepId: newId, cells: 4, done: 4, points: 8 })]);
  const specFile = join(store, '..', `${newId}.json`);
  writeFileSync(specFile, JSON.stringify(body));
  const rerun = await runCli(['run', '--spec', specFile, '--store', store, '--json', '--no-progress']);
  expect(rerun.code).toBe(0);
  expect(JSON.parse(rerun.stdout)).toMatchObject({ sweepId: newId, pointsReused: 8, pointsTrained: 0 });
  // Migrating again copies nothing new.
  const again = JSON.parse((await runCli(['migrate', '--store', store, '--json'])).stdout) as { results: number; alreadyThere: number };
  expect([again.results, again.alreadyThere]).toEqual([0, 4]);
  expect(readFileSync(join(store, 'lambdastar-store.json'), 'utf8')).toBe('{"layout":2}\n');
});
