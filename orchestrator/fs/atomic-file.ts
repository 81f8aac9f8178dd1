/**
 * Files that appear whole or not at all: written to a temporary file beside the target, then
 * renamed (or linked) into place; the temporary file is removed if anything fails on the way.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * Creates `dir` and its missing parents one level at a time. (Node 20's recursive mkdir never
 * returns under some paths, e.g. /proc/x; one level at a time fails there with ENOENT instead.)
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      if ((await stat(d)).isDirectory()) break;
      throw Object.assign(new Error(`${d} is a file, not a folder`), { code: 'ENOTDIR' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw err;
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Whether files can be written in `dir`: its missing levels are created one at a time, a probe file
 * is written and removed, and the levels it created are removed again — nothing is left behind.
 */
export async function probeWritable(dir: string): Promise<void> {
  const made: string[] = [];
  try {
    const missing: string[] = [];
    for (let d = resolve(dir); !(await exists(d)) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      await mkdir(d);
      made.push(d);
    }
    await discardTemp(await writeTemp(join(dir, '.lambdastar-write-check'), ''));
  } finally {
    for (const d of made.reverse()) await rmdir(d).catch(() => {});
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Temporary files this process has made and not yet renamed or removed. */
const liveTemps = new Set<string>();

/**
 * Removes this process's temporary files at once, for an exit that cannot wait for the writes in
 * flight (a second Ctrl-C): nothing is left behind but what was complete.
 */
export function removeTempFilesSync(): void {
  for (const temp of liveTemps) rmSync(temp, { force: true });
  liveTemps.clear();
}

/** Removes a temporary file made by `writeTemp` (after it was linked into place, or on failure). */
export async function discardTemp(temp: string): Promise<void> {
  await rm(temp, { force: true });
  liveTemps.delete(temp);
}

/**
 * The name of a temporary file beside `path`; stores and `status` skip such names. It names its
 * writer (host and process) so that one left by a killed process can be told and removed.
 */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Whether `name` is a temporary file whose writer is gone: written on this host by a process that
 * no longer runs (killed mid-write). One from another host, or from a live process, is not.
 */
export function isAbandonedTemp(name: string): boolean {
  const m = /\.tmp-(.+)-(\d+)-[0-9a-f]{8}$/.exec(name);
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Writes `body` to a fresh temporary file beside `path` and returns its name; nothing is left behind on failure. */
export async function writeTemp(path: string, body: string | Uint8Array | Iterable<string>): Promise<string> {
  await makeFolder(dirname(path));
  const temp = tempPathFor(path);
  liveTemps.add(temp);
  try {
    if (typeof body === 'string' || body instanceof Uint8Array) await writeFile(temp, body);
    else {
      const out = createWriteStream(temp);
      const closed = finished(out);
      // Surface a write error (a full disk) instead of waiting on a drain that never comes.
      const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
      for (const chunk of body) if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      out.end();
      await closed;
    }
    return temp;
  } catch (err) {
    await discardTemp(temp);
    throw err;
  }
}

/** Replaces `path` with `body` atomically. */
export async function writeFileAtomic(path: string, body: string | Uint8Array | Iterable<string>): Promise<void> {
  const temp = await writeTemp(path, body);
  try {
    await rename(temp, path);
    liveTemps.delete(temp);
  } catch (err) {
    await discardTemp(temp);
    throw err;
  }
}
