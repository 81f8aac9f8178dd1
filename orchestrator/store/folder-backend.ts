/**
 * Objects as files under a root folder. Every write goes to a temporary file first; a result then
 * appears by `link` (atomic, and fails if the name exists), so a killed process never leaves a
 * partial file under a result's name, and a failed write leaves no temporary file behind.
 */
import { link, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeCheckKey } from '../../functions/keys.js';
import { discardTemp, makeFolder, writeFileAtomic, writeTemp } from '../fs/atomic-file.js';
import type { ObjectBackend } from './object-backend.js';

export class FolderBackend implements ObjectBackend {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    return join(this.root, ...key.split('/').filter(Boolean));
  }

  async read(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const path = this.path(key);
    const temp = await writeTemp(path, body);
    try {
      await link(temp, path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await discardTemp(temp);
    }
  }

  async checkWritable(): Promise<void> {
    await makeFolder(this.root);
    await discardTemp(await writeTemp(this.path(writeCheckKey('')), ''));
  }

  put(key: string, body: string): Promise<void> {
    return writeFileAtomic(this.path(key), body);
  }

  /** Files, and folders where a file was expected (so a store can name them as corrupt). */
  async *listNames(dir: string): AsyncIterable<string> {
    for (const entry of await this.entries(dir)) if (entry.isFile() || entry.isDirectory()) yield entry.name;
  }

  async listFolders(dir: string): Promise<string[]> {
    return (await this.entries(dir)).filter((e) => e.isDirectory()).map((e) => e.name);
  }

  private async entries(dir: string) {
    try {
      return await readdir(this.path(dir), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
