import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { errorLines, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-bad-'));
const spec = (name: string, body: unknown) => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
  return path;
};
const ok = { n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 1, epochs: 2, valSize: 10 };
const fileStore = join(dir, 'a-file');
writeFileSync(fileStore, 'not a folder');

const cases: [string, string[], RegExp][] = [
  ['malformed JSON spec', ['--spec', spec('broken', '{"n": [10,')], /--spec: .*broken\.json is not valid JSON.*fix its syntax/],
  ['missing spec file', ['--spec', join(dir, 'nope.json')], /--spec: cannot read .*nope\.json/],
  ['a misspelt spec key', ['--spec', spec('unknown', { n: [10], lambda: [1] })], /^lambdastar: spec: unknown field "lambda"; remove it or check its spelling/],
  ['neither λ grid nor search', ['--spec', spec('nolambdas', { n: [10] })], /spec\.lambdas: is required: give a fixed λ grid \("lambdas": \[1e-4, 1e-3, …\]\) or an adaptive search/],
  ['both λ grid and search', ['--spec', spec('both', { ...ok, search: { mode: 'adaptive' } })], /spec\.search: give either "lambdas" \(a fixed grid\) or "search" \(adaptive\), not both/],
  ['a search start outside its bounds', ['--spec', spec('start', { n: [10], search: { mode: 'adaptive', start: [1e-3, 1e-1], bounds: [1e-4, 1e-2] } })], /spec\.search\.start: start λ values must lie inside the bounds/],
  ['a search resolution of 1', ['--spec', spec('res', { n: [10], search: { mode: 'adaptive', resolution: 1 } })], /spec\.search\.resolution: must be a ratio between 1\.01 and 10/],
  ['an unknown search mode', ['--spec', spec('mode', { n: [10], search: { mode: 'grid' } })], /spec\.search\.mode: must be "adaptive"/],
  ['a preset name that is an object property', ['--preset', 'toString'], /--preset: unknown preset "toString"; choose one of quick/],
  ['unknown preset', ['--preset', 'thesis-fig9'], /--preset: unknown preset "thesis-fig9"; choose one of quick, thesis-fig1/],
  ['λ ≤ 0', ['--spec', spec('lambda', { ...ok, lambdas: [1e-3, 0] })], /spec\.lambdas\[1\]: must be a finite number > 0/],
  ['N < 2', ['--spec', spec('n', { ...ok, n: [1, 10] })], /spec\.n\[0\]: must be ≥ 2 training patterns/],
  ['an empty axis', ['--spec', spec('empty', { ...ok, regs: [] })], /spec\.regs: must not be empty/],
  ['a non-integer seed count', ['--spec', spec('seeds', { ...ok, seeds: 2.5 })], /spec\.seeds: must be a count of seeds or a list/],
  ['no spec at all', [], /say what to sweep: --preset quick/],
  ['a store path that is a file', ['--spec', spec('good', ok), '--store', fileStore], /--store: .*a-file is a file, not a folder/],
  ['a bad concurrency', ['--spec', spec('good2', ok), '--concurrency', '0'], /--concurrency must be a whole number ≥ 1/],
];

describe('bad input to `lambdastar run`: one line, exit code 2, nothing written', () => {
  test.each(cases)('%s', async (_name, args, message) => {
    const store = join(dir, `store-${Math.random().toString(36).slice(2)}`);
    const run = await runCli(['run', '--store', store, ...args]);
    expect(run.code).toBe(2);
    const lines = errorLines(run.stderr).filter((l) => !/NodeVersionSupportWarning|node >=22|running node|a\.co|trace-warnings|^\(run with/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(store)).toBe(false);
  });
});

test('report on an unknown sweep names the known ones', async () => {
  const store = join(dir, 'known-store');
  expect((await runCli(['run', '--spec', spec('known', ok), '--store', store, '--no-report', '--no-progress'])).code).toBe(0);
  const run = await runCli(['report', '--store', store, '--sweep', 'feedface0000']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--sweep: no sweep "feedface0000" in .*; known: [0-9a-f]{12}/);
});
