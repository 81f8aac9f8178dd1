/**
 * Every object key and folder path lambdastar uses, decided here and nowhere else.
 *
 * Layout 2 (a store is a folder or an S3 prefix):
 *   lambdastar-store.json              {"layout": 2}: what wrote the store
 *   cells/<cellId>/<taskId>.json       one trained task: a cell and the λ it carried, shared by every sweep
 *   sweeps/<sweepId>/manifest.json     the sweep's spec (its points follow from it)
 *   sweeps/<sweepId>/failures.json     tasks that failed on the sweep's last run
 *   sweeps/<sweepId>/report/           analysis.json, results.csv, figures, report.html (folder stores)
 * Layout 1 (lambdastar 0.1) kept everything of a sweep in `<sweepId>/`, results in `<sweepId>/results/`.
 */

import { LIMITS } from './limits.js';

export const STORE_LAYOUT = 2;

/**
 * Why `prefix` cannot name a store, or undefined when it can: parts joined by "/", none of them
 * empty, "." or ".." (a key that climbs out of its store), at most LIMITS.prefixBytes bytes (the
 * cell and task ids follow it in keys of at most 1024). The empty prefix is the bucket's root.
 */
export function prefixProblem(prefix: string): string | undefined {
  if (Buffer.byteLength(prefix) > LIMITS.prefixBytes) return `must be at most ${LIMITS.prefixBytes} bytes (UTF-8)`;
  if (prefix !== '' && prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return 'must be a key prefix like a/b: no empty, "." or ".." part, no leading or trailing "/"';
  }
  return undefined;
}

const join = (...parts: string[]) => parts.filter(Boolean).join('/');

export function layoutKey(prefix: string): string {
  return join(prefix, 'lambdastar-store.json');
}

function cellsFolder(prefix: string): string {
  return join(prefix, 'cells');
}

export function cellFolder(prefix: string, cellId: string): string {
  return join(cellsFolder(prefix), cellId);
}

/** Where one trained task is stored; the trainer is handed the store's `prefix`. */
export function resultKey(prefix: string, cellId: string, taskId: string): string {
  return join(cellFolder(prefix, cellId), `${taskId}.json`);
}

const RESULT_NAME = /^([0-9a-f]{16})\.json$/;

/** The task id a result object's name carries, or undefined for any other file (temp files, strays). */
export function taskIdOfResultName(name: string): string | undefined {
  return RESULT_NAME.exec(name)?.[1];
}

export function sweepsFolder(prefix: string): string {
  return join(prefix, 'sweeps');
}

/** Sweep ids are 12 hex digits; anything else (a path, `..`) never becomes a key. */
export const SWEEP_ID = /^[0-9a-f]{12}$/;

export function sweepFolder(prefix: string, sweepId: string): string {
  if (!SWEEP_ID.test(sweepId)) throw new RangeError(`not a sweep id: ${JSON.stringify(sweepId)}`);
  return join(sweepsFolder(prefix), sweepId);
}

export function manifestKey(prefix: string, sweepId: string): string {
  return join(sweepFolder(prefix, sweepId), 'manifest.json');
}

export function failuresKey(prefix: string, sweepId: string): string {
  return join(sweepFolder(prefix, sweepId), 'failures.json');
}

/**
 * The default report folder: inside the sweep's folder for a folder store, and under
 * ./lambdastar-reports/<sweepId> for a store that is not a local folder (S3).
 */
export function defaultReportFolder(location: string, sweepId: string): string {
  if (/^s3:\/\//.test(location)) return join('lambdastar-reports', sweepId);
  return join(sweepFolder(location.replace(/(.)\/+$/, '$1'), sweepId), 'report');
}

/** Whether a top-level folder name is a sweep folder of layout 1. */
export function isLayout1SweepFolder(name: string): boolean {
  return SWEEP_ID.test(name);
}

/** Layout 1's keys, read only by `lambdastar migrate`. */
export const layout1 = {
  manifestKey: (prefix: string, sweepId: string) => join(prefix, sweepId, 'manifest.json'),
  resultsFolder: (prefix: string, sweepId: string) => join(prefix, sweepId, 'results'),
  resultKey: (prefix: string, sweepId: string, name: string) => join(prefix, sweepId, 'results', name),
};

/** The files of a report folder. */
export function reportFiles(dir: string) {
  return {
    analysis: join(dir, 'analysis.json'),
    csv: join(dir, 'results.csv'),
    html: join(dir, 'report.html'),
    figure: (name: string) => join(dir, 'figures', `${name}.svg`),
  };
}
