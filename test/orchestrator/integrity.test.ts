/**
 * Integrity on read, through the CLI: a stored object that is not what its key says is reported as
 * corrupt by `report`, `run` and `verify`, named, with exit code 2 — never used, overwritten or
 * deleted; one whose numbers were edited with a matching digest is caught by `verify` re-training.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { metricsDigest } from '../../functions/trainer/digest.js';
import { errorLines, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-integrity-'));
const spec = join(dir, 'spec.json');
const pristine = join(dir, 'pristine');

/** Every file under a folder, with its bytes. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

function objects(store: string): { cell: string; file: string }[] {
  const cells = join(store, 'cells');
  return readdirSync(cells).sort().flatMap((cell) => readdirSync(join(cells, cell)).sort().map((file) => ({ cell, file })));
}

beforeAll(async () => {
  writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 }));
  const run = await runCli(['run', '--spec', spec, '--store', pristine, '--no-report', '--no-progress']);
  expect(run.code).toBe(0);
});

/** A copy of the pristine store with one object changed; returns the store and that object's path. */
function corrupted(name: string, change: (store: string, victim: { cell: string; file: string }, others: { cell: string; file: string }[]) => string): { store: string; object: string } {
  const store = join(dir, name);
  cpSync(pristine, store, { recursive: true });
  const [victim, ...others] = objects(store);
  return { store, object: change(store, victim, others) };
}

const path = (store: string, o: { cell: string; file: string }) => join(store, 'cells', o.cell, o.file);
const edit = (store: string, o: { cell: string; file: string }, f: (text: string) => string) => {
  writeFileSync(path(store, o), f(readFileSync(path(store, o), 'utf8')));
  return path(store, o);
};

const cases: [string, Parameters<typeof corrupted>[1], RegExp][] = [
  ['an edited task field', (s, v) => edit(s, v, (t) => t.replace('"n":10', '"n":50').replace('"n":20', '"n":50')), /holds another task than its name says|does not match its task/],
  ['a result stored under another cell', (s, v, others) => {
    const other = others.find((o) => o.cell !== v.cell)!;
    const moved = join(s, 'cells', other.cell, v.file);
    renameSync(path(s, v), moved);
    return moved;
  }, /holds another task than its name says/],
  ['an edited metric', (s, v) => edit(s, v, (t) => t.replace(/"valLoss":[0-9.e-]+/, '"valLoss":0.25')), /its digest does not match its metrics/],
  ['a truncated object', (s, v) => edit(s, v, (t) => t.slice(0, 60)), /not valid JSON, perhaps truncated/],
  ['an empty object', (s, v) => edit(s, v, () => ''), /corrupt result \(empty\)/],
];

describe.each(cases)('%s', (name, change, detail) => {
  test.each([['report'], ['run'], ['verify']])('`%s` names the object, exits 2, and writes or changes nothing', async (command) => {
    const { store, object } = corrupted(`${name.replace(/\W+/g, '-')}-${command}`, change);
    const before = snapshot(store);
    const out = join(dir, `out-${name.replace(/\W+/g, '-')}-${command}`);
    const args = command === 'run' ? ['run', '--spec', spec, '--store', store, '--out', out, '--no-progress'] : [command, '--store', store, ...(command === 'report' ? ['--out', out] : ['--all'])];
    const result = await runCli(args);
    expect(result.code).toBe(2);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(relative(store, object));
    expect(lines[0]).toMatch(detail);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(store)).toEqual(before);
    expect(existsSync(out)).toBe(false);
  });
});

test('an edited metric whose digest was recomputed reads as valid, and `verify --all` catches it by re-training, naming the object', async () => {
  const { store, object } = corrupted('recomputed-digest', (s, v) =>
    edit(s, v, (t) => {
      const r = JSON.parse(t);
      r.metrics[0].valLoss += 1e-9;
      r.digest = metricsDigest(r.metrics);
      return JSON.stringify(r);
    }),
  );
  expect((await runCli(['report', '--store', store, '--out', join(dir, 'recomputed-report')])).code).toBe(0);
  const verify = await runCli(['verify', '--store', store, '--all']);
  expect(verify.code).toBe(1);
  expect(verify.stdout).toMatch(new RegExp(`MISMATCH \\S*${relative(store, object)}: stored [0-9a-f]+… local [0-9a-f]+… \\(λ=0\\.001 valLoss: stored`));
  expect(verify.stdout).toMatch(/all 4 stored results of the sweep read back intact; re-trained 4: 3 reproduce bit for bit, 1 do not/);
});

test('a manifest cut down by hand (an N removed) is named as corrupt by status, report and verify — never used to shrink the sweep', async () => {
  const store = join(dir, 'shrunk');
  cpSync(pristine, store, { recursive: true });
  const [sweep] = readdirSync(join(store, 'sweeps'));
  const path = join(store, 'sweeps', sweep, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  m.spec.n = [10];
  writeFileSync(path, JSON.stringify(m));
  for (const args of [['status'], ['report', '--out', join(dir, 'shrunk-report')], ['verify']]) {
    const result = await runCli([...args, '--store', store]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([`lambdastar: ${store}/sweeps/${sweep}/manifest.json: corrupt manifest (its spec does not match its sweep id (edited?)); restore it from a backup, or delete it and run the sweep's spec again`]);
  }
});

test('a manifest whose label was edited (its name) is named as corrupt: the checksum covers all of it', async () => {
  const store = join(dir, 'relabelled');
  cpSync(pristine, store, { recursive: true });
  const [sweep] = readdirSync(join(store, 'sweeps'));
  const path = join(store, 'sweeps', sweep, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  m.spec.name = 'HACKED';
  writeFileSync(path, JSON.stringify(m));
  const result = await runCli(['status', '--store', store]);
  expect(result.code).toBe(2);
  expect(errorLines(result.stderr)).toEqual([expect.stringMatching(/manifest\.json: corrupt manifest \(its checksum does not match its content \(edited\?\)\)/)]);
});

test('status counts a cell holding a corrupt object as corrupt, not done, and ignores stray files', async () => {
  const { store } = corrupted('status-corrupt', (s, v) => edit(s, v, () => '{"taskId":'));
  const [first] = objects(store);
  writeFileSync(join(store, 'cells', first.cell, 'notes.txt'), 'a stray file');
  writeFileSync(join(store, 'cells', first.cell, `${first.file}.tmp-1-abcd`), 'an abandoned temporary file');
  const status = await runCli(['status', '--store', store, '--json']);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ cells: 4, done: 3, open: 0, corrupt: 1 })]);
  const text = await runCli(['status', '--store', store]);
  expect(text.stdout).toMatch(/3\/4 cells done .* 1 cell\(s\) with corrupt objects — see `lambdastar verify`/);
});

test('a temporary file a killed writer of this host left is removed when the cell is read; a live writer\'s, or another host\'s, is left', async () => {
  const store = join(dir, 'abandoned-temps');
  cpSync(pristine, store, { recursive: true });
  const [first] = objects(store);
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  const temp = (host: string, pid: number) => join(store, 'cells', first.cell, `${first.file}.tmp-${host}-${pid}-0123abcd`);
  for (const [host, pid] of [[hostname(), gone], [hostname(), process.pid], ['another-host', gone]] as const) writeFileSync(temp(host, pid), 'half a wri');
  const status = await runCli(['status', '--store', store, '--json']);
  expect(status.code).toBe(0);
  expect([existsSync(temp(hostname(), gone)), existsSync(temp(hostname(), process.pid)), existsSync(temp('another-host', gone))]).toEqual([false, true, true]);
});

test('two stored results that disagree on a point: report and run name both (exit 2); verify re-trains both and names the one that does not reproduce', async () => {
  const store = join(dir, 'conflict');
  cpSync(pristine, store, { recursive: true });
  const [victim] = objects(store);
  const original = JSON.parse(readFileSync(join(store, 'cells', victim.cell, victim.file), 'utf8'));
  // A second, self-consistent object of the same cell holding one of its λ with other numbers.
  const task = { ...original.task, lambdas: [original.task.lambdas[0]] };
  const metrics = [{ ...original.metrics[0], valLoss: original.metrics[0].valLoss + 1e-6 }];
  const { taskId } = await import('../../functions/trainer/ids.js');
  const forged = { ...original, taskId: taskId(task), task, metrics, digest: metricsDigest(metrics) };
  const forgedPath = join(store, 'cells', victim.cell, `${forged.taskId}.json`);
  writeFileSync(forgedPath, JSON.stringify(forged));
  for (const args of [['report', '--out', join(dir, 'conflict-report')], ['run', '--spec', spec, '--no-progress']]) {
    const result = await runCli([args[0], '--store', store, ...args.slice(1)]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/disagrees with .* on λ = 0\.001 .*run `lambdastar verify` to find the one that does not reproduce/);
  }
  const verify = await runCli(['verify', '--store', store, '--json']);
  expect(verify.code).toBe(1);
  const report = JSON.parse(verify.stdout) as { conflicts: unknown[]; mismatches: { where: string }[] };
  expect(report.conflicts).toHaveLength(1);
  expect(report.mismatches.map((m) => m.where)).toEqual([expect.stringContaining(`${forged.taskId}.json`)]);
  const status = JSON.parse((await runCli(['status', '--store', store, '--json'])).stdout) as { corrupt: number }[];
  expect(status[0].corrupt).toBe(1);
});

test('a corrupt failure record stops a run before anything is trained or written', async () => {
  const store = join(dir, 'bad-failures');
  cpSync(pristine, store, { recursive: true });
  const [sweep] = readdirSync(join(store, 'sweeps'));
  writeFileSync(join(store, 'sweeps', sweep, 'failures.json'), '[{"taskId": "<script>"}]');
  rmSync(join(store, 'cells'), { recursive: true });
  const before = snapshot(store);
  const run = await runCli(['run', '--spec', spec, '--store', store, '--no-progress', '--no-report']);
  expect(run.code).toBe(2);
  expect(errorLines(run.stderr)).toEqual([expect.stringMatching(/failures\.json: corrupt failure record \(not a list of failed tasks\); delete it/)]);
  expect(snapshot(store)).toEqual(before);
});
