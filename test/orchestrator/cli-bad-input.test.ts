import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
  ['unknown spec field', ['--spec', spec('unknown', { ...ok, lambda: [1] })], /spec: unknown field "lambda"/],
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

test('a corrupt result file: report names it, exits 2 and writes no report', async () => {
  const store = join(dir, 'corrupt-store');
  const first = await runCli(['run', '--spec', spec('c', ok), '--store', store, '--no-report', '--json']);
  expect(first.code).toBe(0);
  const { sweepId } = JSON.parse(first.stdout) as { sweepId: string };
  const results = join(store, sweepId, 'results');
  const victim = readdirSync(results)[0];
  writeFileSync(join(results, victim), '{"taskId": "trunc');
  const report = await runCli(['report', '--store', store]);
  expect(report.code).toBe(2);
  expect(report.stderr).toMatch(new RegExp(`${victim}: corrupt result \\(not valid JSON, perhaps truncated\\); delete it so the task runs again`));
  expect(existsSync(join(store, sweepId, 'report'))).toBe(false);
});

test('report on an unknown sweep names the known ones', async () => {
  const run = await runCli(['report', '--store', join(dir, 'corrupt-store'), '--sweep', 'feedface0000']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--sweep: no sweep "feedface0000" in .*; known: [0-9a-f]{12}/);
});
