/** The study command refuses bad input before it trains anything: exit 2, one line, nothing written. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines } from '../helpers/cli.js';

const SCRIPT = ['scripts/run-ts.mjs', 'scripts/study-init-epochs.ts'].map((p) => resolve(p));

function study(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stderr }));
  });
}

describe('study:init-epochs: bad input', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lambdastar-study-cli-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const cases: [string, (dir: string) => Promise<string[]>, RegExp][] = [
    ['an --out holding files the study did not write', async (dir) => {
      await mkdir(join(dir, 'out'), { recursive: true });
      await writeFile(join(dir, 'out', 'notes.txt'), 'mine');
      return ['--out', join(dir, 'out')];
    }, /--out: .* holds notes\.txt, which the study did not write/],
    ['a runs.json that is not JSON', async (dir) => {
      await mkdir(join(dir, 'out'), { recursive: true });
      await writeFile(join(dir, 'out', 'runs.json'), '{oops');
      return ['--out', join(dir, 'out')];
    }, /runs\.json: not JSON .*; fix it, or delete it/],
    ['a runs.json of the wrong shape', async (dir) => {
      await mkdir(join(dir, 'out'), { recursive: true });
      await writeFile(join(dir, 'out', 'runs.json'), '[{"started": 1}]');
      return ['--out', join(dir, 'out')];
    }, /runs\.json: not a list of run records \(at 0\.started: /],
    ['an empty --out', async () => ['--out', ''], /--out: is empty; give a path/],
    ['an unknown flag', async () => ['--frobnicate'], /study:init-epochs: unknown option '--frobnicate'/],
    ['a store that is a file', async (dir) => {
      await writeFile(join(dir, 'store-file'), 'x');
      return ['--store', join(dir, 'store-file'), '--out', join(dir, 'out')];
    }, /store/],
  ];

  it.each(cases)('%s', async (_, setup, message) => {
    const dir = await mkdtemp(join(root, 'case-'));
    const args = await setup(dir);
    const before = await readdir(dir, { recursive: true });
    const { code, stderr } = await study(args);
    expect(code).toBe(2);
    const lines = errorLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    // Nothing written: no store, no documents.
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(before.sort());
  }, 120_000);
});
