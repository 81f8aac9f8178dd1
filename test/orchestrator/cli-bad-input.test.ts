import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PRESETS } from '../../orchestrator/spec/presets.js';
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
  ['N < 2', ['--spec', spec('n', { ...ok, n: [1, 10] })], /spec\.n\[0\]: must be ≥ 2 \(training patterns N\)/],
  ['an empty axis', ['--spec', spec('empty', { ...ok, regs: [] })], /spec\.regs: must not be empty/],
  ['a non-integer seed count', ['--spec', spec('seeds', { ...ok, seeds: 2.5 })], /spec\.seeds: must be a count of seeds or a list/],
  ['no spec at all', [], /say what to sweep: --preset quick/],
  ['a store path that is a file', ['--spec', spec('good', ok), '--store', fileStore], /--store: .*a-file is a file, not a folder/],
  ['a bad concurrency', ['--spec', spec('good2', ok), '--concurrency', '0'], /^lambdastar: .*--concurrency must be a whole number ≥ 1/],
  ['an unknown flag', ['--spec', spec('good2b', ok), '--concurency', '2'], /^lambdastar: unknown option '--concurency'.*Did you mean --concurrency\?/],
  ['N = 1e9 (the memory a task needs)', ['--spec', spec('bigN', { ...ok, n: [1e9] })], /spec\.n\[0\]: must be ≤ 10000000 \(training patterns N\)/],
  ['N = 1e7 with 20000 validation patterns and D = 100', ['--spec', spec('mem', { ...ok, n: [1e7], inputDim: 100 })], /spec\.n: a task with n = 10000000, valSize = 10 and inputDim = 100 needs [\d.]+ GB of memory; a task may use at most 1\.00 GB: lower n, valSize or inputDim/],
  ['D = H = 1000 (the kernel size)', ['--spec', spec('kernel', { ...ok, inputDim: 1000, hidden: 1000 })], /spec\.hidden: inputDim × hidden = 1000000 weights; the trainer generates code per weight and allows at most 40000/],
  ['10 million cells (the plan size)', ['--spec', spec('huge', { ...ok, n: Array.from({ length: 1000 }, (_, i) => i + 2), seeds: 10000 })], /spec: 10000000 cells \(1000 N × 10000 seeds × 1 init factors × 1 regs × 1 option variants\); a sweep may hold at most 100000: split it/],
  ['a seed beyond uint32', ['--spec', spec('seed', { ...ok, seeds: [4294967296] })], /spec\.seeds\[0\]: must be ≤ 4294967295 \(replicate seed\)/],
  ['1001 λ values', ['--spec', spec('many', { ...ok, lambdas: Array.from({ length: 1001 }, (_, i) => (i + 1) / 1000) })], /spec\.lambdas: must list at most 1000 λ values/],
  ['a concurrency of a billion threads', ['--spec', spec('good3', ok), '--concurrency', '1000000000'], /--concurrency: at most \d+ \(4 worker threads per core on this machine's \d+; more only add memory\); got 1000000000/],
  ['an empty --store', ['--spec', spec('good4', ok), '--store', ''], /--store: is empty; give a folder/],
  ['a --store that cannot be created', ['--spec', spec('good5', ok), '--store', '/proc/lambdastar'], /--store: cannot write to \/proc\/lambdastar \(ENOENT\); point --store at a folder you can write to/],
  ['an --out that is a file', ['--spec', spec('good6', ok), '--out', fileStore], /--out: .*a-file is not a folder; point --out at a folder/],
  ['an --out that cannot be created', ['--spec', spec('good7', ok), '--out', '/proc/lambdastar'], /--out: cannot write to \/proc\/lambdastar \(ENOENT\); point --out at a folder you can write to/],
  ['an empty --out', ['--spec', spec('good8', ok), '--out', ''], /--out: is empty; give a path/],
  ['a --store that looks like a flag', ['--spec', spec('good9', ok), '--store', '--no-progress'], /--store: "--no-progress" looks like a flag/],
  ['a --store that is another kind of URL', ['--spec', spec('good10', ok), '--store', 'file:///tmp/x'], /--store: "file:\/\/\/tmp\/x" is not a store/],
  ['an S3 bucket name S3 would refuse', ['--spec', spec('good11', ok), '--store', 's3://BUCKET!/x'], /--store: "BUCKET!" is not an S3 bucket name/],
  ['an S3 prefix that climbs out of its store', ['--spec', spec('good14', ok), '--store', 's3://bucket/lab/../other'], /^lambdastar: --store: the prefix "lab\/..\/other" must be a key prefix like a\/b: no empty, "." or ".." part/],
  ['an S3 prefix longer than keys allow', ['--spec', spec('good15', ok), '--store', `s3://bucket/${'€'.repeat(171)}`], /^lambdastar: --store: the prefix "€+" must be at most 512 bytes/],
  ['--function without --backend lambda', ['--spec', spec('good12', ok), '--function', 'f'], /--function: only with --backend lambda/],
  ['a spec that is not a regular file', ['--spec', '/dev/zero'], /--spec: \/dev\/zero is not a regular file/],
  ['a name with a newline', ['--spec', spec('nl', { ...ok, name: 'a\nb' })], /spec\.name: must not contain control characters/],
  ['130000 N values', ['--spec', spec('longn', { ...ok, n: Array.from({ length: 130000 }, () => 20) })], /spec\.n: must list at most 100000 N values/],
  ['200000 seeds', ['--spec', spec('longseeds', { ...ok, seeds: Array.from({ length: 2e5 }, (_, i) => i) })], /spec\.seeds: must list at most 100000 seeds/],
  ['a 29 MB spec', ['--spec', spec('huge-file', { ...ok, seeds: Array.from({ length: 4e6 }, (_, i) => i) })], /--spec: .*huge-file\.json is 29 MB; a spec is at most 16 MB/],
];

describe('bad input to `lambdastar run`: one line, exit code 2, nothing written', () => {
  test.each(cases)('%s', async (_name, args, message) => {
    const store = join(dir, `store-${Math.random().toString(36).slice(2)}`);
    const run = await runCli(['run', '--store', store, ...args, '--no-progress']);
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

describe('bad input to the other commands', () => {
  const store = join(dir, 'other-store');
  test.each([
    ['plan of 10 million cells answers at once with the size and the limit', ['plan', '--spec', spec('huge2', { ...ok, n: Array.from({ length: 1000 }, (_, i) => i + 2), seeds: 10000 })], /a sweep may hold at most 100000/],
    ['a sweep id that is a path', ['report', '--store', store, '--sweep', '../other/0123456789ab'], /--sweep: "\.\.\/other\/0123456789ab" is not a sweep id \(12 hex digits/],
    ['status of a sweep id that is a path', ['status', '--store', store, '--sweep', '../../etc'], /--sweep: "\.\.\/\.\.\/etc" is not a sweep id/],
    ['a loss figure for an N the sweep lacks', ['report', '--store', store, '--loss-n', '77'], /--loss-n: the sweep has no N = 77; choose one of 10, 20/],
    ['task with an unknown regularizer', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--reg', 'l3'], /--reg.*l3/],
    ['task with a bad init factor', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--init-factor', '-1'], /--init-factor: must be a finite number > 0/],
    ['task --dump into /proc', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--dump', '/proc/lambdastar.json'], /--dump: cannot write/],
    ['task --dump onto a folder', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--dump', dir], /--dump: .* is not a file; give a file name/],
    ['task --dump with an empty name', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--dump', ''], /--dump: is empty/],
    ['task --dump of too many numbers', ['task', '--n', '100000', '--seed', '1', '--lambdas', '1e-3', '--dump', join(dir, 'big.json')], /--dump: this task's inputs and batch orders are \d+ numbers; a dump holds at most 5000000/],
    ['report into a folder whose analysis.json is a folder', ['report', '--store', store, '--out', join(dir, 'odd-out')], /--out: .*odd-out\/analysis\.json is in the way \(not a file\)/],
    ['plan with --memory beyond Lambda', ['plan', '--spec', spec('mem2', ok), '--memory', '99999999'], /--memory must be at most 10240/],
  ])('%s', async (_name, args, message) => {
    if (!existsSync(store)) expect((await runCli(['run', '--spec', spec('other', ok), '--store', store, '--no-report', '--no-progress'])).code).toBe(0);
    mkdirSync(join(dir, 'odd-out', 'analysis.json'), { recursive: true });
    const run = await runCli(args);
    expect(run.code).toBe(2);
    const lines = errorLines(run.stderr).filter((l) => !/^\(run with/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'other'))).toBe(false);
    expect(existsSync(join(dir, 'big.json'))).toBe(false);
  });

  test.each(['run', 'plan'])('`%s --help` names every preset, and only presets', async (command) => {
    const help = (await runCli([command, '--help'])).stdout;
    const listed = /a named sweep: ([^]*?)\n\s+--spec/.exec(help)?.[1].split(/[,\s]+/).filter(Boolean);
    expect(listed?.sort()).toEqual(Object.keys(PRESETS).sort());
  });

  test('--version prints the version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
