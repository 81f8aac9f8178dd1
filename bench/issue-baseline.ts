/**
 * The trainer as it stood when issue #12 was filed (commit cc39248, JS kernels only), rebuilt from
 * git history so it runs beside today's trainer. The issue quotes its targets from another, faster
 * machine: C's figures and, measured there too, this baseline's. Timing the baseline here gives
 * the factor between the machines, so the quoted C can be judged on this one: C ran quoted-C ÷
 * quoted-baseline times as fast as the baseline.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { packageRoot } from '../orchestrator/paths.js';

export const BASELINE_COMMIT = 'cc39248bb0faf4487cc16f18f0c54a7a0899b7da';

/** The issue's figures for its baseline, 14 λ trained together, per λ (pattern-epochs/s). */
export const QUOTED_BASELINE_14: Record<string, number> = { 'B=1': 3.5e6, 'B=10': 3.2e6, 'B=full': 3.4e6 };

/** The task both functions train: seed 1, init factor 1, L2, the protocol's other defaults. */
export interface IssueBaseline {
  /** Pattern-epochs per second per λ of the baseline. */
  rate(n: number, batchSize: number, epochs: number, lambdas: readonly number[]): number;
  /** The trained parameters, one block per λ. */
  train(n: number, batchSize: number, epochs: number, lambdas: readonly number[]): Float64Array;
}

// The task bench/trainer.bench.ts times, through the baseline's own entry points; only training is
// timed, as the issue's bench did.
const ENTRY = `
import { trainAll } from './functions/trainer/train.js';
import { prepareTask } from './functions/trainer/run-task.js';
import { streamFor } from './functions/trainer/rng.js';
import { withDefaults } from './functions/trainer/task.js';
function timedTraining(n, batchSize, epochs, lambdas) {
  const task = withDefaults({ n, seed: 1, initFactor: 1, reg: 'l2', lambdas, batchSize, epochs, valSize: 10 });
  const prep = prepareTask(task);
  const params = new Float64Array(prep.lay.size * lambdas.length);
  for (let l = 0; l < lambdas.length; l++) params.set(prep.init, l * prep.lay.size);
  const start = performance.now();
  trainAll(params, prep.lay, task.lambdas, prep.train, task, streamFor(1, 'shuffle', n));
  return { params, seconds: (performance.now() - start) / 1000 };
}
export function rate(n, batchSize, epochs, lambdas) {
  return (n * epochs * lambdas.length) / timedTraining(n, batchSize, epochs, lambdas).seconds;
}
export function train(n, batchSize, epochs, lambdas) {
  return timedTraining(n, batchSize, epochs, lambdas).params;
}
`;

/** The last line a failed command wrote to stderr (its first is only "Command failed: …"). */
function reason(e: unknown): string {
  const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
  return stderr.split('\n').pop() || (e as Error).message.split('\n')[0];
}

/**
 * The baseline, extracted and bundled once into dist/ (keyed by the commit and ENTRY), or why it
 * cannot be (no git, a shallow clone without the commit).
 */
export async function issueBaseline(): Promise<IssueBaseline | { missing: string }> {
  const root = packageRoot();
  const key = createHash('sha256').update(`${BASELINE_COMMIT}\n${ENTRY}`).digest('hex').slice(0, 12);
  const dir = join(root, 'dist', 'issue-baseline', key);
  const bundle = join(dir, 'baseline.mjs');
  if (!existsSync(bundle)) {
    const partial = `${dir}.${process.pid}`;
    try {
      mkdirSync(partial, { recursive: true });
      const tar = join(partial, 'functions.tar');
      execFileSync('git', ['-C', root, 'archive', '-o', tar, BASELINE_COMMIT, 'functions'], { stdio: 'pipe' });
      execFileSync('tar', ['-xf', tar, '-C', partial], { stdio: 'pipe' });
      writeFileSync(join(partial, 'entry.mjs'), ENTRY);
      await build({ entryPoints: [join(partial, 'entry.mjs')], outfile: join(partial, 'baseline.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
      // A concurrent run may have finished first: its bundle is the same, keep it.
      if (!existsSync(bundle)) renameSync(partial, dir);
    } catch (e) {
      if (!existsSync(bundle)) return { missing: `no issue baseline: commit ${BASELINE_COMMIT.slice(0, 7)} not buildable here (${reason(e)})` };
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return (await import(pathToFileURL(bundle).href)) as IssueBaseline;
}
