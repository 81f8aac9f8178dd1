/**
 * `--out` and `--dump`: checked before any work by writing (and removing) a probe there, so a
 * place that cannot be written is said up front, and nothing of the probe is left behind.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { reportFiles } from '../../functions/keys.js';
import { cannotWrite, UsageError } from '../errors.js';
import { discardTemp, probeWritable, writeTemp } from '../fs/atomic-file.js';

const errCode = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

async function kind(path: string): Promise<'file' | 'folder' | 'other' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}

async function probe(dir: string, flag: string): Promise<void> {
  try {
    await probeWritable(dir);
  } catch (err) {
    throw cannotWrite(`${flag}: cannot write to ${dir} (${errCode(err)}); point ${flag} at a folder you can write to`, err);
  }
}

function checkGiven(value: string, flag: string): void {
  if (value.trim() === '') throw new UsageError(`${flag}: is empty; give a path`);
  if (value.startsWith('-')) throw new UsageError(`${flag}: "${value}" looks like a flag, not a path; give a path (./${value} if you mean it)`);
}

/** Throws a `UsageError` unless the report can be written into `dir` (a folder, created if missing). */
export async function checkOutFolder(dir: string, flag = '--out'): Promise<void> {
  checkGiven(dir, flag);
  const here = await kind(dir);
  if (here !== undefined && here !== 'folder') throw new UsageError(`${flag}: ${dir} is not a folder; point ${flag} at a folder (it is created if missing)`);
  const files = reportFiles(dir);
  for (const f of [files.analysis, files.csv, files.html]) {
    const k = await kind(f);
    if (k !== undefined && k !== 'file') throw new UsageError(`${flag}: ${f} is in the way (not a file); remove it or choose another ${flag}`);
  }
  const figures = dirname(files.figure('x'));
  if (![undefined, 'folder'].includes(await kind(figures))) throw new UsageError(`${flag}: ${figures} is in the way (not a folder); remove it or choose another ${flag}`);
  await probe(dir, flag);
}

/** Throws a `UsageError` unless a file can be written at `path`. */
export async function checkOutFile(path: string, flag: string): Promise<void> {
  checkGiven(path, flag);
  const k = await kind(path);
  if (k !== undefined && k !== 'file') throw new UsageError(`${flag}: ${path} is not a file; give a file name`);
  await probe(dirname(resolve(path)), flag);
  // The name itself must be writable too (too long a name, say).
  try {
    await discardTemp(await writeTemp(path, ''));
  } catch (err) {
    throw cannotWrite(`${flag}: cannot write ${path} (${errCode(err)}); give another file name`, err);
  }
}
