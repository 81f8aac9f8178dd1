/**
 * The sweep spec: axes (n, lambdas, seeds, initFactors, regs) plus the training options of
 * PROTOCOL §1–4, each a single value or a list (a list makes it an axis too).
 */
import { z } from 'zod';
import type { TrainingOptions } from '../../functions/trainer/task.js';
import { DEFAULT_OPTIONS } from '../../functions/trainer/task.js';
import { lambdaSchema, regSchema, trainingOptionsShape } from '../../functions/trainer/validation.js';

const nSchema = z.number({ error: 'must be a number of training patterns' })
  .int({ error: 'must be an integer number of training patterns' })
  .min(2, { error: 'must be ≥ 2 training patterns' });
const seedSchema = z.number().int({ error: 'must be an integer seed' }).min(0, { error: 'must be ≥ 0' });
const initSchema = z.number().refine((v) => Number.isFinite(v) && v > 0, { error: 'must be a finite number > 0 (init variance factor)' });

const axis = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `must be a non-empty list of ${what}` }).min(1, { error: `must not be empty: list at least one ${what}` });

/** Each training option as a value or a non-empty list of values. */
const optionAxes = Object.fromEntries(
  Object.entries(trainingOptionsShape).map(([name, schema]) => {
    const inner = schema.unwrap();
    return [name, z.union([inner, axis(inner, `${name} values`)], { error: `must be a value or a list of values` }).optional()];
  }),
) as unknown as { [K in keyof TrainingOptions]: z.ZodOptional<z.ZodType<TrainingOptions[K] | TrainingOptions[K][]>> };

export const specSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  n: axis(nSchema, 'N values (training-set sizes)'),
  lambdas: axis(lambdaSchema, 'λ values'),
  seeds: z.union([
    z.number().int({ error: 'must be a whole count of seeds' }).min(1, { error: 'must be ≥ 1' }),
    axis(seedSchema, 'seeds'),
  ], { error: 'must be a count of seeds or a list of seeds' }).default(10),
  initFactors: axis(initSchema, 'init factors').default([1]),
  regs: axis(regSchema, 'regularizers ("l1", "l2")').default(['l2']),
  ...optionAxes,
});

export type SpecInput = z.input<typeof specSchema>;

/** A spec with every default applied and every axis a sorted list: the form that is hashed. */
export interface CanonicalSpec {
  name?: string;
  description?: string;
  n: number[];
  lambdas: number[];
  seeds: number[];
  initFactors: number[];
  regs: ('l1' | 'l2')[];
  options: { [K in keyof TrainingOptions]: TrainingOptions[K][] };
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const ascending = (xs: readonly number[]): number[] => unique(xs).sort((a, b) => a - b);

export function canonicalize(spec: z.output<typeof specSchema>): CanonicalSpec {
  const options = {} as Record<string, unknown[]>;
  for (const name of Object.keys(DEFAULT_OPTIONS) as (keyof TrainingOptions)[]) {
    const value = spec[name] ?? DEFAULT_OPTIONS[name];
    options[name] = unique(Array.isArray(value) ? value : [value]);
  }
  const out: CanonicalSpec = {
    n: ascending(spec.n),
    lambdas: ascending(spec.lambdas),
    seeds: typeof spec.seeds === 'number' ? Array.from({ length: spec.seeds }, (_, i) => i) : ascending(spec.seeds),
    initFactors: ascending(spec.initFactors),
    regs: unique(spec.regs).sort(),
    options: options as CanonicalSpec['options'],
  };
  if (spec.name !== undefined) out.name = spec.name;
  if (spec.description !== undefined) out.description = spec.description;
  return out;
}
