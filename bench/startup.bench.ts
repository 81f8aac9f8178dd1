/**
 * CLI start-up: `lambdastar --help` and a `task` of a few milliseconds of training, against bare
 * `node -e 0`, measured in the same run (median of 15 each, after one warm-up).
 * Bar (issue #12): `--help` at most 2× `node -e 0`.
 */
import { spawnSync } from 'node:child_process';

const RUNS = 15;

function medianMs(args: string[]): number {
  spawnSync(process.execPath, args, { stdio: 'ignore' });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const bare = medianMs(['-e', '0']);
const help = medianMs(['bin/lambdastar.mjs', '--help']);
const task = medianMs(['bin/lambdastar.mjs', 'task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--epochs', '2', '--val-size', '20']);
console.log(`node -e 0            ${bare.toFixed(0).padStart(5)} ms`);
console.log(`lambdastar --help    ${help.toFixed(0).padStart(5)} ms  = ${(help / bare).toFixed(2)}× node -e 0 (target ≤ 2×)`);
console.log(`lambdastar task      ${task.toFixed(0).padStart(5)} ms  (a task of a few ms of training)`);
