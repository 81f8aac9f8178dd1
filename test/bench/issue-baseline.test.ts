/**
 * bench:trainer scales the issue's quoted figures by the issue's own trainer (commit cc39248),
 * rebuilt from git history. The scaling compares like with like only if that trainer does the work
 * today's does: the same networks, trained to the same bits (the trainer's version is unchanged
 * since), so the speed-up measured against it is the kernels', not a different computation's.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { BASELINE_COMMIT, issueBaseline } from '../../bench/issue-baseline.js';
import { jsEngine } from '../../functions/trainer/js-engine.js';
import { trainingRun } from '../../functions/trainer/run-task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { wasmEngine } from '../../functions/trainer/wasm/wasm-engine.js';

// A shallow clone may lack the commit; the bench then says so instead of scaling.
const hasCommit = (() => {
  try {
    execFileSync('git', ['cat-file', '-e', `${BASELINE_COMMIT}^{commit}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the issue baseline (bench/issue-baseline.ts)', () => {
  test.skipIf(!hasCommit).each([1, 7, 60])('trains the same bits as today\'s engines, B = %i', async (batchSize) => {
    const baseline = await issueBaseline();
    if ('missing' in baseline) throw new Error(baseline.missing);
    const lambdas = [1e-4, 3e-3, 0.05];
    const old = baseline.train(60, batchSize, 3, lambdas);
    const run = () => trainingRun(withDefaults({ n: 60, seed: 1, initFactor: 1, reg: 'l2', lambdas, batchSize, epochs: 3, valSize: 10 }));
    for (const engine of [jsEngine, wasmEngine]) expect([...engine.run(run()).params]).toEqual([...old]);
    expect(baseline.rate(60, batchSize, 3, lambdas)).toBeGreaterThan(0);
  });

  test.runIf(!hasCommit)('without the commit (a shallow clone), says why it is missing', async () => {
    const baseline = await issueBaseline();
    expect('missing' in baseline && baseline.missing).toMatch(/^no issue baseline: commit cc39248 not buildable here \(.+\)$/);
  });
});
