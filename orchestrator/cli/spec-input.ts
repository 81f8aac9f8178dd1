/** `--preset NAME` or `--spec FILE` → a validated, canonical sweep spec. */
import { readFileSync, statSync } from 'node:fs';
import { describeIssue } from '../../functions/trainer/validation.js';
import { preset } from '../spec/presets.js';
import type { CanonicalSpec } from '../spec/spec-schema.js';
import { canonicalize, specSchema } from '../spec/spec-schema.js';
import { UsageError } from '../errors.js';
import { checkPlanSize } from '../plan/planner.js';

export interface SpecFlags {
  preset?: string;
  spec?: string;
}

/** A spec is small: read it only when it is a regular file of at most this many bytes. */
const MAX_SPEC_BYTES = 16 * 1024 ** 2;

function readSpecText(path: string): string {
  try {
    const s = statSync(path);
    if (!s.isFile()) throw new UsageError(`--spec: ${path} is not a regular file; give a JSON file`);
    if (s.size > MAX_SPEC_BYTES) throw new UsageError(`--spec: ${path} is ${(s.size / 1024 ** 2).toFixed(0)} MB; a spec is at most 16 MB`);
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--spec: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
}

export function loadSpec(flags: SpecFlags): CanonicalSpec {
  if (flags.preset && flags.spec) throw new UsageError('give either --preset or --spec, not both');
  if (!flags.preset && !flags.spec) throw new UsageError('say what to sweep: --preset quick (or another preset) or --spec FILE.json');
  let raw: unknown;
  let where: string;
  if (flags.spec) {
    where = flags.spec;
    const text = readSpecText(flags.spec);
    try {
      // A byte-order mark is not JSON, but editors write one.
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new UsageError(`--spec: ${flags.spec} is not valid JSON (${(err as Error).message}); fix its syntax`);
    }
  } else {
    where = `preset ${flags.preset}`;
    raw = preset(flags.preset ?? '');
  }
  const parsed = specSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${describeIssue(parsed.error, 'spec')} (in ${where})`);
  const spec = canonicalize(parsed.data);
  checkPlanSize(spec);
  return spec;
}
