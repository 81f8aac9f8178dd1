/** `--store` as the commands use it: the store, and where its reports go by default. */
import { join } from 'node:path';
import type { ResultStore } from '../store/result-store.js';
import { openStore } from '../store/open-store.js';

export function openStoreFromFlags(location: string): ResultStore {
  return openStore(location);
}

/** `<store>/<sweep>/report` for a folder store; `./lambdastar-reports/<sweep>` for a remote one. */
export function defaultReportDir(location: string, sweepId: string): string {
  return location.startsWith('s3://') ? join('lambdastar-reports', sweepId) : join(location, sweepId, 'report');
}
