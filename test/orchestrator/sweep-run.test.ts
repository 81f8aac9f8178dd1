import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseResult } from '../../functions/results.js';
import { CLI, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-sweep-'));
function specFile(name: string, body: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

interface RunJson {
  sweepId: string;
  total: number;
  alreadyDone: number;
  completed: number;
  failed: { taskId: string; attempts: number; message: string }[];
  reportDir?: string;
}

describe('sweeps through the CLI', () => {
  test('a task that throws is retried once, then recorded; the sweep finishes, the report lists it, exit 1; a rerun completes it', async () => {
    const spec = specFile('fail', { n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 });
    const store = join(dir, 'fail-store');
    const plan = JSON.parse((await runCli(['plan', '--spec', spec, '--json'])).stdout) as { sweepId: string; tasks: number };
    expect(plan.tasks).toBe(4);
    // An uninterrupted twin run gives the task ids and the analysis to compare with.
    const twin = join(dir, 'twin-store');
    expect((await runCli(['run', '--spec', spec, '--store', twin])).code).toBe(0);
    const victim = JSON.parse(readFileSync(join(twin, plan.sweepId, 'manifest.json'), 'utf8')).taskIds[1] as string;

    const failing = await runCli(['run', '--spec', spec, '--store', store, '--json'], { env: { LAMBDASTAR_TEST_FAIL_TASKS: victim } });
    expect(failing.code).toBe(1);
    const summary = JSON.parse(failing.stdout) as RunJson;
    expect(summary.completed).toBe(3);
    expect(summary.failed).toEqual([{ taskId: victim, attempts: 2, message: `injected failure for task ${victim}` }]);
    expect(existsSync(join(store, plan.sweepId, 'results', `${victim}.json`))).toBe(false);
    const html = readFileSync(join(summary.reportDir ?? '', 'report.html'), 'utf8');
    expect(html).toContain('Failed tasks');
    expect(html).toContain(victim);

    const status = await runCli(['status', '--store', store, '--json']);
    expect(JSON.parse(status.stdout)).toEqual([{ sweepId: plan.sweepId, name: null, total: 4, done: 3, failed: 1, missing: 1 }]);

    const rerun = await runCli(['run', '--spec', spec, '--store', store, '--json']);
    expect(rerun.code).toBe(0);
    const again = JSON.parse(rerun.stdout) as RunJson;
    expect([again.alreadyDone, again.completed, again.failed.length]).toEqual([3, 1, 0]);
    expect(readFileSync(join(store, plan.sweepId, 'report', 'analysis.json'), 'utf8')).toBe(
      readFileSync(join(twin, plan.sweepId, 'report', 'analysis.json'), 'utf8'),
    );
  });

  test('resume after SIGKILL: no task lost, none run twice, no partial file, analysis identical to an uninterrupted run', async () => {
    const spec = specFile('kill', { n: [60, 120, 240], lambdas: [1e-3, 1e-2, 1e-1], seeds: 6, epochs: 150, valSize: 2000 });
    const killed = join(dir, 'killed-store');
    const child = spawn(process.execPath, [CLI, 'run', '--spec', spec, '--store', killed, '--no-report', '--concurrency', '2'], { stdio: 'ignore' });
    const sweep = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const sweeps = existsSync(killed) ? readdirSync(killed) : [];
        const results = sweeps[0] ? join(killed, sweeps[0], 'results') : '';
        const n = results && existsSync(results) ? readdirSync(results).filter((f) => f.endsWith('.json')).length : 0;
        if (n >= 4) {
          child.kill('SIGKILL');
          clearInterval(timer);
          resolve(sweeps[0]);
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run finished before it could be killed'));
      });
    });
    await new Promise((r) => child.on('close', r));
    const resultsDir = join(killed, sweep, 'results');
    const survivors = readdirSync(resultsDir).filter((f) => /^[0-9a-f]{16}\.json$/.test(f));
    for (const f of survivors) expect(() => parseResult(readFileSync(join(resultsDir, f), 'utf8'), f)).not.toThrow();
    expect(survivors.length).toBeGreaterThanOrEqual(4);
    expect(survivors.length).toBeLessThan(18);

    const resumed = await runCli(['run', '--spec', spec, '--store', killed, '--json']);
    expect(resumed.code).toBe(0);
    const s = JSON.parse(resumed.stdout) as RunJson;
    expect(s.total).toBe(18);
    expect(s.alreadyDone).toBe(survivors.length);
    expect(s.completed).toBe(18 - survivors.length);

    const clean = join(dir, 'clean-store');
    const straight = await runCli(['run', '--spec', spec, '--store', clean, '--json']);
    expect(straight.code).toBe(0);
    expect(readFileSync(join(killed, sweep, 'report', 'analysis.json'), 'utf8')).toBe(
      readFileSync(join(clean, sweep, 'report', 'analysis.json'), 'utf8'),
    );
    expect(readFileSync(join(killed, sweep, 'report', 'results.csv'), 'utf8')).toBe(readFileSync(join(clean, sweep, 'report', 'results.csv'), 'utf8'));
  });
});
