import { createHash } from 'node:crypto';
import type { Cell, Task } from './task.js';
import { TRAINER_VERSION } from './task.js';

/** JSON with object keys sorted at every level: equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function shortHash(text: string, length = 16): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Every field of a cell, sorted: `JSON.stringify(cell, CELL_KEYS)` is its canonical JSON, fast.
 * A test checks it names every field of `Cell`, so a new option cannot drop out of the ids.
 */
export const CELL_KEYS = [
  'batchSize', 'epochs', 'hidden', 'initFactor', 'inputDim', 'learningRate', 'n', 'reg', 'regularizeBiases',
  'seed', 'separation', 'sigma', 'standardize', 'valSize',
] as const satisfies readonly (keyof Cell)[];

/**
 * `JSON.stringify(task, [...CELL_KEYS, 'lambdas'].sort())`, written out: the same text (a test
 * holds that), several times faster, and ids are computed for every task of every sweep. The λ
 * list sits between inputDim and learningRate, in sorted key order; without it, a cell's JSON.
 */
export function cellJson(t: Cell, lambdas?: readonly number[]): string {
  const l = lambdas === undefined ? '' : `"lambdas":${JSON.stringify(lambdas)},`;
  return (
    `{"batchSize":${t.batchSize},"epochs":${t.epochs},"hidden":${t.hidden},"initFactor":${t.initFactor},"inputDim":${t.inputDim},${l}` +
    `"learningRate":${t.learningRate},"n":${t.n},"reg":${JSON.stringify(t.reg)},"regularizeBiases":${t.regularizeBiases},"seed":${t.seed},` +
    `"separation":${t.separation},"sigma":${t.sigma},"standardize":${t.standardize},"valSize":${t.valSize}}`
  );
}

/** A cell's id: a hash of its canonical JSON and the trainer version, so new numerics get new ids. */
export function cellId(cell: Cell): string {
  return shortHash(`${TRAINER_VERSION}\ncell\n${cellJson(cell)}`);
}

/** A task's id: a hash of its canonical JSON (cell and λ list) and the trainer version. */
export function taskId(task: Task): string {
  return shortHash(`${TRAINER_VERSION}\n${cellJson(task, task.lambdas)}`);
}
