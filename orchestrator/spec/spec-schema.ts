/**
 * The sweep spec: axes (n, seeds, initFactors, regs), the λ to evaluate — a fixed grid (`lambdas`)
 * or an adaptive search (`search`) — and the training options of PROTOCOL §1–4, each a single value
 * or a list (a list makes it an axis too).
 */
import { z } from 'zod';
import type { TrainingOptions } from '../../functions/trainer/task.js';
import { DEFAULT_OPTIONS } from '../../functions/trainer/task.js';
import { LIMITS, taskTooLarge } from '../../functions/limits.js';
import { lambdaListSchema, lambdaSchema, nSchema, regSchema, seedSchema, trainingOptionsShape } from '../../functions/trainer/validation.js';
import type { AdaptiveSearch } from '../search/adaptive.js';
import { DEFAULT_SEARCH } from '../search/adaptive.js';

const initSchema = z.number().refine((v) => Number.isFinite(v) && v > 0, { error: 'must be a finite number > 0 (init variance factor)' });

/** A non-empty list, no longer than a sweep's cell limit (a longer axis could never fit). */
const axis = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `must be a non-empty list of ${what}` })
    .min(1, { error: `must not be empty: list at least one ${what}` })
    .max(LIMITS.cells, { error: `must list at most ${LIMITS.cells} ${what} (a sweep holds at most ${LIMITS.cells} cells)` });

/** Text printed to a terminal and into reports: no control characters. */
const label = z.string({ error: 'must be a string' }).refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { error: 'must not contain control characters (newlines, escapes)' });

/** Each training option as a value or a non-empty list of values. */
const optionAxes = Object.fromEntries(
  Object.entries(trainingOptionsShape).map(([name, schema]) => {
    const inner = schema.unwrap();
    return [name, z.union([inner, axis(inner, `${name} values`)], { error: `must be a value or a list of values` }).optional()];
  }),
) as unknown as { [K in keyof TrainingOptions]: z.ZodOptional<z.ZodType<TrainingOptions[K] | TrainingOptions[K][]>> };

const ascendingDistinct = (ls: readonly number[]) => ls.every((l, i) => i === 0 || l > ls[i - 1]);

/** Adaptive λ* search settings (orchestrator/search/adaptive.ts); every field has a default. */
const searchFields = {
  start: lambdaListSchema
    .min(2, { error: 'must list at least two λ values to start from, e.g. one per decade' })
    .default(DEFAULT_SEARCH.start),
  resolution: z.number({ error: 'must be a number' })
    .refine((v) => Number.isFinite(v) && v >= 1.01 && v <= 10, { error: 'must be a ratio between 1.01 and 10, e.g. 1.189 (2^(1/4))' })
    .default(DEFAULT_SEARCH.resolution),
  bounds: z.tuple([lambdaSchema, lambdaSchema], { error: 'must be [lowest λ, highest λ], e.g. [1e-8, 1000]' })
    .refine(([lo, hi]) => lo < hi, { error: 'must be [lowest λ, highest λ] with lowest < highest' })
    .default(DEFAULT_SEARCH.bounds),
  maxRounds: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' })
    .min(1, { error: 'must be ≥ 1' }).max(50, { error: 'must be ≤ 50 rounds' })
    .default(DEFAULT_SEARCH.maxRounds),
  extendFactor: z.number({ error: 'must be a number' })
    .refine((v) => Number.isFinite(v) && v >= 1.5 && v <= 1000, { error: 'must be a ratio between 1.5 and 1000, e.g. 10 (a decade)' })
    .default(DEFAULT_SEARCH.extendFactor),
};
const startInsideBounds: [(s: { start: number[]; bounds: [number, number] }) => boolean, { error: string; path: string[] }] = [
  (s) => s.start.every((l) => l >= s.bounds[0] && l <= s.bounds[1]),
  { error: 'start λ values must lie inside the bounds', path: ['start'] },
];

const searchSchema = z
  .strictObject({ mode: z.literal('adaptive', { error: 'must be "adaptive" (a fixed grid is given as "lambdas" instead)' }), ...searchFields }, {
    error: 'must be an object such as {"mode": "adaptive"}',
  })
  .refine(...startInsideBounds);

export const specSchema = z
  .strictObject({
    name: label.optional(),
    description: label.optional(),
    n: axis(nSchema, 'N values (training-set sizes)'),
    lambdas: lambdaListSchema.optional(),
    search: searchSchema.optional(),
    seeds: z.union([
      z.number().int({ error: 'must be a whole count of seeds' }).min(1, { error: 'must be ≥ 1' })
        .max(LIMITS.cells, { error: `must be ≤ ${LIMITS.cells} (a sweep holds at most ${LIMITS.cells} cells)` }),
      axis(seedSchema, 'seeds').max(LIMITS.cells, { error: `must list at most ${LIMITS.cells} seeds` }),
    ], { error: 'must be a count of seeds or a list of seeds' }).default(10),
    initFactors: axis(initSchema, 'init factors').default([1]),
    regs: axis(regSchema, 'regularizers ("l1", "l2")').default(['l2']),
    ...optionAxes,
  })
  .superRefine((s, ctx) => {
    // The largest task the spec can make (every axis at its largest) must fit.
    const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
    const largest = (v: number | number[] | undefined, fallback: number) => (v === undefined ? fallback : max([v].flat()));
    const why = taskTooLarge({
      n: max(s.n),
      valSize: largest(s.valSize, DEFAULT_OPTIONS.valSize),
      inputDim: largest(s.inputDim, DEFAULT_OPTIONS.inputDim),
      hidden: largest(s.hidden, DEFAULT_OPTIONS.hidden),
      lambdaCount: s.lambdas?.length ?? s.search?.start.length ?? 1,
    });
    if (why) ctx.addIssue({ code: 'custom', path: [why.field], message: why.message });
    if ((s.lambdas === undefined) === (s.search === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [s.lambdas === undefined ? 'lambdas' : 'search'],
        message: s.lambdas === undefined
          ? 'is required: give a fixed λ grid ("lambdas": [1e-4, 1e-3, …]) or an adaptive search ("search": {"mode": "adaptive"})'
          : 'give either "lambdas" (a fixed grid) or "search" (adaptive), not both',
      });
    }
  });

export type SpecInput = z.input<typeof specSchema>;

/**
 * A spec with every default applied and every axis a sorted list: the form that is hashed.
 * Exactly one of `lambdas` (a fixed grid) and `search` is set.
 */
export interface CanonicalSpec {
  name?: string;
  description?: string;
  n: number[];
  lambdas?: number[];
  search?: AdaptiveSearch;
  seeds: number[];
  initFactors: number[];
  regs: ('l1' | 'l2')[];
  options: { [K in keyof TrainingOptions]: TrainingOptions[K][] };
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const ascending = (xs: readonly number[]): number[] => unique(xs).sort((a, b) => a - b);
/** Numbers ascending, false before true: every axis in one order, whatever order the spec gave. */
const ordered = <T extends number | boolean>(xs: readonly T[]): T[] => unique(xs).sort((a, b) => Number(a) - Number(b));

export function canonicalize(spec: z.output<typeof specSchema>): CanonicalSpec {
  const options = {} as Record<string, unknown[]>;
  for (const name of Object.keys(DEFAULT_OPTIONS) as (keyof TrainingOptions)[]) {
    const value = spec[name] ?? DEFAULT_OPTIONS[name];
    options[name] = ordered(Array.isArray(value) ? value : [value]);
  }
  const out: CanonicalSpec = {
    n: ascending(spec.n),
    seeds: typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : ascending(spec.seeds),
    initFactors: ascending(spec.initFactors),
    regs: unique(spec.regs).sort(),
    options: options as CanonicalSpec['options'],
  };
  if (spec.lambdas) out.lambdas = ascending(spec.lambdas);
  if (spec.search) {
    const { mode: _mode, ...search } = spec.search;
    out.search = { ...search, start: ascending(search.start) };
  }
  if (spec.name !== undefined) out.name = spec.name;
  if (spec.description !== undefined) out.description = spec.description;
  return out;
}

/** The canonical form as stored in a manifest, checked field by field when read back. */
export const canonicalSpecSchema = z.strictObject({
  name: label.optional(),
  description: label.optional(),
  n: axis(nSchema, 'N values').refine(ascendingDistinct, { error: 'must be ascending' }),
  lambdas: axis(lambdaSchema, 'λ values').refine(ascendingDistinct, { error: 'must be ascending' }).optional(),
  search: z.strictObject(searchFields).refine(...startInsideBounds).refine((x) => ascendingDistinct(x.start), { error: 'start must be ascending' }).optional(),
  seeds: axis(seedSchema, 'seeds').refine(ascendingDistinct, { error: 'must be ascending' }),
  initFactors: axis(initSchema, 'init factors').refine(ascendingDistinct, { error: 'must be ascending' }),
  regs: axis(regSchema, 'regularizers'),
  options: z.strictObject(
    Object.fromEntries(Object.entries(trainingOptionsShape).map(([name, schema]) => [name, axis(schema.unwrap(), name)])) as unknown as {
      [K in keyof TrainingOptions]: z.ZodType<TrainingOptions[K][]>;
    },
  ),
}).refine((s) => (s.lambdas === undefined) !== (s.search === undefined), { error: 'needs exactly one of "lambdas" and "search"' });
