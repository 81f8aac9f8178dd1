/**
 * `plan --pilot --target-ci --max-seeds`, as a user runs it: a tiny pilot trained by `run` into a
 * folder store, then the seeds a larger spec needs; bad input refused in one line, nothing written.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-plan-ci-'));
const store = join(dir, 'store');
const tiny = { n: [10, 20, 40, 80], lambdas: [1e-4, 1e-3, 1e-2, 1e-1, 1], epochs: 5, valSize: 50 };

function specFile(name: string, body: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

const study = specFile('study', { ...tiny, name: 'study', seeds: 10 });

/** Every file in the store with its size and modification time. */
function snapshot(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
    const s = statSync(join(root, f));
    return `${f} ${s.size} ${s.mtimeMs}`;
  });
}

interface SeedPlanJson {
  pilot: { sweepId: string; name: string };
  targetCi: number;
  maxSeeds: number;
  groups: {
    label: string;
    pilot: { ns: number[]; seeds: number[]; halfWidth: number | null };
    atSpecSeeds: { seeds: number; halfWidth: number };
    advice: { status: string; needed: number | null; recommended: number; halfWidth: number };
    estimate: { seeds: number; cells: number; points: { min: number; max: number } };
  }[];
}

beforeAll(async () => {
  for (const [name, seeds] of [['pilot', 3], ['one-seed', 1]] as const) {
    const run = await runCli(['run', '--spec', specFile(name, { ...tiny, name, seeds }), '--store', store, '--no-report', '--no-progress']);
    expect(run.code).toBe(0);
  }
});

describe('plan --pilot --target-ci', () => {
  test('prints the plan, then per group the pilot, the prediction at the spec\'s seeds and the seeds for the target with their cost', async () => {
    const run = await runCli(['plan', '--spec', study, '--store', store, '--pilot', 'pilot', '--target-ci', '100']);
    expect(errorLines(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^sweep [0-9a-f]{12} \(study\)$/);
    expect(run.stdout).toMatch(/seeds per N for the slope's 95 % CI to reach ±100, from pilot [0-9a-f]{12} \(pilot\); modelled on the report's lead slope/);
    expect(run.stdout).toMatch(/\nL2 f=1: pilot 3 seeds over 4 N, (CI ±[\d.e+-]+|no CI); ≈ ±[\d.e+-]+ at this spec's 10 seeds\n/);
    expect(run.stdout).toMatch(/\n {2}lack of fit: (detected|not detected) \(F = [\d.]+ (>|≤) [\d.]+\)/);
    // A target this wide is reached with the fewest seeds the planner recommends.
    expect(run.stdout).toMatch(/\n {2}target ±100: 2 seeds per N \(≈ ±[\d.e+-]+\)\n {2}with 2 seeds: 8 cells, 40 points, [\d.]+ G λ-pattern-epochs; local about [\d.]+ (s|min|h) on \d+ cores; lambda \$[\d.]+, wall ≈ [\d.]+ (s|min|h)/);
  });

  test('--json carries the seed plan; the cap binds (or the floor does) for a target too tight, and the estimate is the spec at the recommended seeds', async () => {
    const args = ['plan', '--spec', study, '--store', store, '--pilot', 'pilot', '--target-ci', '0.001', '--max-seeds', '3'];
    const json = await runCli([...args, '--json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { cells: number; seedPlan: SeedPlanJson };
    expect(out.cells).toBe(40);
    const p = out.seedPlan;
    expect(p).toMatchObject({ pilot: { name: 'pilot' }, targetCi: 0.001, maxSeeds: 3 });
    const g = p.groups[0];
    expect(g).toMatchObject({ label: 'L2 f=1', pilot: { ns: [10, 20, 40, 80], seeds: [3, 3, 3, 3] }, atSpecSeeds: { seeds: 10 } });
    expect(['cap', 'unreachable']).toContain(g.advice.status);
    expect(g.advice.recommended).toBeLessThanOrEqual(3);
    expect(g.advice.halfWidth).toBeGreaterThan(0.001);
    expect(g.estimate).toMatchObject({ seeds: g.advice.recommended, cells: 4 * g.advice.recommended, points: { min: 20 * g.advice.recommended } });

    const text = await runCli(args);
    expect(text.stdout).toMatch(g.advice.status === 'cap'
      ? /\n {2}target ±0\.001: cap 3 binds: reaches ≈ ±[\d.e+-]+ \(the target needs \d+ seeds\)\n {2}with 3 seeds: 12 cells/
      : /\n {2}target ±0\.001: unreachable: floor ≈ ±[\d.e+-]+ from lack of fit; \d seeds come within 10 % of it/);
  });

  test('without --pilot the plan is unchanged: no seed plan', async () => {
    const run = await runCli(['plan', '--spec', study, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('seedPlan');
  });

  test.each([
    ['a target of 0', ['--pilot', 'pilot', '--target-ci', '0'], /--target-ci must be a number > 0/],
    ['a target without a pilot', ['--target-ci', '0.1'], /--target-ci: needs a pilot sweep .*add --pilot <sweep id or name>/],
    ['an unknown pilot name', ['--pilot', 'nope', '--target-ci', '0.1'], /--pilot: no sweep named "nope" in .*store; give a sweep id or name there/],
    ['an unknown pilot id', ['--pilot', '0123456789ab', '--target-ci', '0.1'], /--pilot: no sweep 0123456789ab in .*store/],
    ['a cap below two seeds', ['--pilot', 'pilot', '--target-ci', '0.1', '--max-seeds', '1'], /--max-seeds must be a whole number ≥ 2/],
    ['a cap too large for one sweep', ['--pilot', 'pilot', '--target-ci', '0.1', '--max-seeds', '30000'], /--max-seeds: with 30000 seeds per N the spec has 120000 cells .*; lower --max-seeds$/],
    ['a pilot of one seed', ['--pilot', 'one-seed', '--target-ci', '0.1'], /--pilot: sweep [0-9a-f]{12} \(one-seed\) has at most 1 seed with a λ\* per N in L2 f=1: .*run the pilot with 3 or more seeds/],
  ])('%s: exit 2, one line naming the flag and the fix, nothing written', async (_name, flags, message) => {
    const before = snapshot(store);
    const run = await runCli(['plan', '--spec', study, '--store', store, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(errorLines(run.stderr)).toEqual([expect.stringMatching(message)]);
    expect(snapshot(store)).toEqual(before);
  });

  test('a pilot without the spec\'s groups: exit 2, naming what differs', async () => {
    const other = specFile('other', { ...tiny, seeds: 10, epochs: 7 });
    const run = await runCli(['plan', '--spec', other, '--store', store, '--pilot', 'pilot', '--target-ci', '0.1']);
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(/--pilot: sweep [0-9a-f]{12} \(pilot\) has none of the spec's groups \(reg × init factor × training options\): they differ in epochs: pilot 5, spec 7; pilot the same protocol/),
    ]);
  });
});
