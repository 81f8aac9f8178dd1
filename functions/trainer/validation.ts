/**
 * Schemas for everything that crosses a boundary into the trainer, with messages that name the
 * field and say how to fix it.
 */
import { z } from 'zod';
import { LIMITS, taskTooLarge } from '../limits.js';
import { DEFAULT_OPTIONS } from './task.js';

/** A message that says "is required" when the value is missing and `text` otherwise. */
const msg = (text: string) => (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : text);

const int = (what: string, min: number, max?: number) => {
  const schema = z.number({ error: msg(`must be a number (${what})`) })
    .int({ error: msg(`must be an integer (${what})`) })
    .min(min, { error: `must be ≥ ${min} (${what})` });
  return max === undefined ? schema : schema.max(max, { error: `must be ≤ ${max} (${what})` });
};
const positive = (what: string) =>
  z.number({ error: msg(`must be a number (${what})`) })
    .refine((v) => Number.isFinite(v) && v > 0, { error: `must be a finite number > 0 (${what})` });

export const lambdaSchema = positive('a regularization strength λ, e.g. 1e-3');
export const regSchema = z.enum(['l1', 'l2'], { error: msg('must be "l1" or "l2"') });

/** Training options; each field optional, defaulting to the protocol. */
export const trainingOptionsShape = {
  inputDim: int('input dimension D', 1, LIMITS.inputDim).default(DEFAULT_OPTIONS.inputDim),
  hidden: int('hidden units H', 1, LIMITS.hidden).default(DEFAULT_OPTIONS.hidden),
  separation: z.number().refine(Number.isFinite, { error: 'must be a finite number (class separation s)' })
    .default(DEFAULT_OPTIONS.separation),
  sigma: positive('class std σ').default(DEFAULT_OPTIONS.sigma),
  valSize: int('validation patterns per seed', 1, LIMITS.valSize).default(DEFAULT_OPTIONS.valSize),
  standardize: z.boolean({ error: msg('must be true or false') }).default(DEFAULT_OPTIONS.standardize),
  learningRate: positive('learning rate η').default(DEFAULT_OPTIONS.learningRate),
  epochs: int('training epochs', 1, LIMITS.epochs).default(DEFAULT_OPTIONS.epochs),
  batchSize: int('mini-batch size B; use a value ≥ N for full batch', 1).default(DEFAULT_OPTIONS.batchSize),
  regularizeBiases: z.boolean({ error: msg('must be true or false') }).default(DEFAULT_OPTIONS.regularizeBiases),
};

export const nSchema = int('training patterns N', 2, LIMITS.n);
export const seedSchema = int('replicate seed', 0, LIMITS.seed);

/** A list of λ one task can carry. */
export const lambdaListSchema = z.array(lambdaSchema, { error: msg('must be a list of λ values, e.g. [1e-4, 1e-3]') })
  .min(1, { error: 'must list at least one λ' })
  .max(LIMITS.lambdasPerTask, { error: `must list at most ${LIMITS.lambdasPerTask} λ values` });

export const taskSchema = z
  .strictObject({
    n: nSchema,
    seed: seedSchema,
    initFactor: positive('init variance factor f'),
    reg: regSchema,
    lambdas: lambdaListSchema.refine((ls) => ls.every((l, i) => i === 0 || l > ls[i - 1]), { error: 'must be ascending, without repeats' }),
    ...trainingOptionsShape,
  })
  .superRefine((t, ctx) => {
    const why = taskTooLarge({ ...t, lambdaCount: t.lambdas.length });
    if (why) ctx.addIssue({ code: 'custom', path: [why.field], message: why.message });
  });

type Issue = z.ZodError['issues'][number];

/**
 * The issue worth reporting first: an unknown (misspelt) key explains the others, such as a required
 * field "missing". For a value that may take several forms (a count or a list), the form it
 * matched in type says what is wrong with it ("at most 100000 seeds"), not the union's summary.
 */
function firstIssue(error: { issues: Issue[] }): Issue | undefined {
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (issue?.code !== 'invalid_union') return issue;
  const branch = issue.errors.find((b) => b.length > 0 && !b.every((i) => i.code === 'invalid_type' && i.path.length === 0));
  const inner = branch && firstIssue({ issues: branch });
  return inner ? { ...inner, path: [...issue.path, ...inner.path] } : issue;
}

/**
 * One line naming the first problem: `root.path.to[0].field: message`; with `topName`, the
 * top-level field is named by it instead (`--init-factor: message` for a command-line flag).
 */
export function describeIssue(error: z.ZodError, root: string, topName?: (field: string) => string): string {
  const issue = firstIssue(error);
  if (!issue) return `${root}: invalid`;
  const [head, ...rest] = issue.path;
  let path = topName && typeof head === 'string' ? topName(head) : root;
  for (const part of topName && typeof head === 'string' ? rest : issue.path) {
    path += typeof part === 'number' ? `[${part}]` : `${path ? '.' : ''}${String(part)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `${path}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove it or check its spelling`;
  }
  return `${path}: ${issue.message}`;
}
