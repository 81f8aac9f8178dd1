/** `--preset NAME` or `--spec FILE` → a validated, canonical sweep spec. */
import { readFileSync } from 'node:fs';
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

export function loadSpec(flags: SpecFlags): CanonicalSpec {
  if (flags.preset && flags.spec) throw new UsageError('give either --preset or --spec, not both');
  if (!flags.preset && !flags.spec) throw new UsageError('say what to sweep: --preset quick (or another preset) or --spec FILE.json');
  let raw: unknown;
  let where: string;
  if (flags.spec) {
    where = flags.spec;
    let text: string;
    try {
      text = readFileSync(flags.spec, 'utf8');
    } catch (err) {
      throw new UsageError(`--spec: cannot read ${flags.spec} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
    }
    try {
      raw = JSON.parse(text);
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
