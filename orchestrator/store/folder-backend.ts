/**
 * Objects as files under a root folder. Every write goes to a temporary file first; a result then
 * appears by `link` (atomic, and fails if the name exists), so a killed process never leaves a
 * partial file under a result's name, and a failed write leaves no temporary file behind.
 *
 * What is not a plain file where an object should be — a folder, a FIFO, a broken or looping link —
 * is said so (`NotAFileError`), never read (a FIFO would block) and never taken as missing.
 */
import { link, lstat, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { discardTemp, isAbandonedTemp, probeWritable, writeFileAtomic, writeTemp } from '../fs/atomic-file.js';
import type { ObjectBackend } from './object-backend.js';

/** Something other than a plain file (or folder) where the store expects one: bad input, named. */
export class NotAFileError extends Error {
  readonly code = 'NOT_A_FILE';
  constructor(readonly path: string, readonly detail: string) {
    super(`${path}: ${detail}; move it out of the store`);
  }
}

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

export class FolderBackend implements ObjectBackend {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    return join(this.root, ...key.split('/').filter(Boolean));
  }

  async read(key: string): Promise<string | undefined> {
    const path = this.path(key);
    let kind;
    try {
      kind = await stat(path);
    } catch (err) {
      if (code(err) === 'ELOOP') throw new NotAFileError(path, 'a link that loops');
      if (code(err) === 'ENOTDIR') throw new NotAFileError(path, 'inside something that is not a folder');
      if (code(err) !== 'ENOENT') throw err;
      // Missing, unless a link is there that points nowhere.
      if (await exists(path)) throw new NotAFileError(path, 'a broken link');
      return undefined;
    }
    if (kind.isDirectory()) throw new NotAFileError(path, 'a folder where a file should be');
    if (!kind.isFile()) throw new NotAFileError(path, 'not a regular file');
    return readFile(path, 'utf8');
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const path = this.path(key);
    const temp = await writeTemp(path, body);
    try {
      await link(temp, path);
      return true;
    } catch (err) {
      if (code(err) === 'EEXIST') return false;
      throw err;
    } finally {
      await discardTemp(temp);
    }
  }

  checkWritable(): Promise<void> {
    return probeWritable(this.root);
  }

  put(key: string, body: string): Promise<void> {
    return writeFileAtomic(this.path(key), body);
  }

  /**
   * Every name in the folder but sub-folders' (the store decides what a name is). A temporary file
   * a killed writer left behind is removed on the way (never a result: those appear whole by link).
   */
  async *listNames(dir: string): AsyncIterable<string> {
    for (const entry of await this.entries(dir)) {
      if (isAbandonedTemp(entry.name)) {
        // Best effort: a read-only store (a reviewer's copy) is read all the same.
        await rm(join(this.path(dir), entry.name), { force: true }).catch(() => undefined);
        continue;
      }
      if (!entry.isDirectory() || entry.name.endsWith('.json')) yield entry.name;
    }
  }

  async listFolders(dir: string): Promise<string[]> {
    return (await this.entries(dir)).filter((e) => e.isDirectory()).map((e) => e.name);
  }

  private async entries(dir: string) {
    const path = this.path(dir);
    try {
      return await readdir(path, { withFileTypes: true });
    } catch (err) {
      if (code(err) === 'ENOTDIR') throw new NotAFileError(path, 'a file where a folder should be');
      if (code(err) === 'ELOOP') throw new NotAFileError(path, 'a link that loops');
      if (code(err) !== 'ENOENT') throw err;
      if (await exists(path)) throw new NotAFileError(path, 'a broken link where a folder should be');
      return [];
    }
  }
}

/** Whether anything (a broken link too) is at `path`. */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
