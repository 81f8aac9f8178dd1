/** `--out`: checked before any work, so a report folder that cannot be written is said up front. */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Throws a `UsageError` unless `dir` is a folder, or can be created as one, that this process may write. */
export async function checkOutFolder(dir: string, flag = '--out'): Promise<void> {
  for (let d = resolve(dir); ; d = dirname(d)) {
    let isDir: boolean;
    try {
      isDir = (await stat(d)).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && dirname(d) !== d) continue;
      throw new UsageError(`${flag}: cannot use ${dir} (${(err as NodeJS.ErrnoException).code}); point ${flag} at a folder you can write to`);
    }
    if (!isDir) throw new UsageError(`${flag}: ${d} is a file, not a folder; point ${flag} at a folder (it is created if missing)`);
    try {
      await access(d, constants.W_OK);
    } catch (err) {
      throw new UsageError(`${flag}: cannot write to ${d} (${(err as NodeJS.ErrnoException).code}); point ${flag} at a folder you can write to`);
    }
    return;
  }
}
