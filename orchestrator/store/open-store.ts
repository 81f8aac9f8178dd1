/** Maps `--store` to a result store: `s3://bucket/prefix` or a local folder (default ./runs). */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { prefixProblem } from '../../functions/keys.js';
import { cannotWrite } from '../errors.js';
import { FolderBackend } from './folder-backend.js';
import { ObjectResultStore } from './object-result-store.js';
import type { ResultStore } from './result-store.js';

export class StoreLocationError extends Error {
  readonly code = 'BAD_STORE';
}

export interface StoreOptions {
  /** Opens an s3:// location (the S3 adapter's factory; injected so the folder path needs no SDK). */
  openS3?: (bucket: string, prefix: string, location: string) => ResultStore;
}

/** S3's rules for bucket names (lower case, digits, dots and hyphens; 3 to 63 characters). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Url(location: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!m || !m[1]) throw new StoreLocationError(`--store: "${location}" is not an S3 URL; write it as s3://bucket/prefix`);
  if (!BUCKET.test(m[1])) throw new StoreLocationError(`--store: "${m[1]}" is not an S3 bucket name (lower-case letters, digits, dots, hyphens; 3–63 characters)`);
  const prefix = m[2].replace(/\/+$/, '');
  const problem = prefixProblem(prefix);
  if (problem) throw new StoreLocationError(`--store: the prefix "${prefix.slice(0, 80)}" ${problem}; write it as s3://bucket/a/b`);
  return { bucket: m[1], prefix };
}

export function openStore(location: string, opts: StoreOptions = {}): ResultStore {
  if (location.trim() === '') throw new StoreLocationError('--store: is empty; give a folder (e.g. ./runs) or s3://bucket/prefix');
  if (location.startsWith('-')) throw new StoreLocationError(`--store: "${location}" looks like a flag, not a folder; give a folder (./${location} if you mean it)`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('s3://')) {
    throw new StoreLocationError(`--store: "${location}" is not a store; give a folder or an s3://bucket/prefix URL`);
  }
  if (location.startsWith('s3://')) {
    const { bucket, prefix } = parseS3Url(location);
    if (!opts.openS3) throw new StoreLocationError('--store: S3 stores are not available in this build');
    return opts.openS3(bucket, prefix, location);
  }
  const root = resolve(location);
  try {
    if (!statSync(root).isDirectory()) {
      throw new StoreLocationError(`--store: ${location} is a file, not a folder; point --store at a folder (it is created if missing)`);
    }
  } catch (err) {
    if (err instanceof StoreLocationError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw cannotWrite(`--store: cannot use ${location} (${(err as Error).message}); point --store at a writable folder`, err);
    }
  }
  return new ObjectResultStore(new FolderBackend(root), '', location);
}
