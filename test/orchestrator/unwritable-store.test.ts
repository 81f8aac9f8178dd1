/**
 * A store or report folder that exists but cannot be written is the environment's failure (exit 3);
 * a path that cannot exist is the input's (exit 2). Both say so in one line naming the flag.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { exitCodeOf } from '../../orchestrator/errors.js';
import { FolderBackend } from '../../orchestrator/store/folder-backend.js';
import { ObjectResultStore } from '../../orchestrator/store/object-result-store.js';
import { errorLines, runCli } from '../helpers/cli.js';

/** A folder backend whose write check fails the way the system would. */
class RefusingBackend extends FolderBackend {
  constructor(private readonly code: string) {
    super(mkdtempSync(join(tmpdir(), 'lambdastar-refusing-')));
  }
  override checkWritable(): Promise<void> {
    return Promise.reject(Object.assign(new Error(`${this.code}: refused`), { code: this.code }));
  }
}

describe('the class of a store that cannot be written', () => {
  test.each([
    ['EROFS', 3], ['EACCES', 3], ['EPERM', 3], ['ENOSPC', 3], ['ENOENT', 2], ['ENOTDIR', 2],
  ])('%s gives exit code %i', async (code, exit) => {
    const store = new ObjectResultStore(new RefusingBackend(code), '', '/mnt/results');
    const err = await store.checkWritable().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`--store: cannot write to /mnt/results (${code}); point --store at a folder you can write to`);
    expect(exitCodeOf(err)).toBe(exit);
  });
});

/** Whether this machine refuses folders under /sys with EPERM (Linux sysfs does, even to root). */
async function sysRefuses(): Promise<boolean> {
  const probe = '/sys/lambdastar-probe';
  try {
    await mkdir(probe);
    await rmdir(probe);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe.skipIf(!(await sysRefuses()))('the CLI on a place the system will not let it write', () => {
  test.each([
    ['--store', /^lambdastar: --store: cannot write to \/sys\/lambdastar \(EPERM\); point --store at a folder you can write to$/],
    ['--out', /^lambdastar: --out: cannot write to \/sys\/lambdastar \(EPERM\); point --out at a folder you can write to$/],
  ])('%s /sys/lambdastar exits 3 with one line', async (flag, message) => {
    const store = join(mkdtempSync(join(tmpdir(), 'lambdastar-unwritable-')), 'store');
    const args = flag === '--store' ? ['--store', '/sys/lambdastar'] : ['--store', store, '--out', '/sys/lambdastar'];
    const run = await runCli(['run', '--preset', 'quick', ...args, '--no-progress']);
    expect(run.code).toBe(3);
    const lines = errorLines(run.stderr).filter((l) => !/^\(run with/.test(l));
    expect(lines).toEqual([expect.stringMatching(message)]);
    expect(existsSync(store)).toBe(false);
  });
});
