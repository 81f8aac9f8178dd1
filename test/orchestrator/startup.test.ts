/**
 * The CLI loads only what a command uses: `--help`, `plan`, `task` and `status` on a folder never
 * load the AWS SDK, vega or the PNG renderer (#12). Tracked by the modules each run imports, not by
 * a timer; a command that draws figures is the control that the tracking sees them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-startup-'));
const TRACE_HOOK = resolve('test/helpers/module-trace.mjs');

/** The packages (under node_modules) a CLI run imported, and its exit code. */
async function packagesLoaded(args: string[]): Promise<{ code: number | null; packages: Set<string> }> {
  const trace = join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const run = await runCli(args, { env: { NODE_OPTIONS: `--import=${TRACE_HOOK}`, LAMBDASTAR_MODULE_TRACE: trace } });
  const urls = readFileSync(trace, 'utf8').split('\n');
  const packages = new Set(urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  return { code: run.code, packages };
}

const HEAVY = ['vega', 'vega-lite', '@aws-sdk/client-s3', '@aws-sdk/client-lambda', '@resvg/resvg-js'];

describe('what each command loads', () => {
  test('--help loads commander and nothing heavy (not even zod)', async () => {
    const { code, packages } = await packagesLoaded(['--help']);
    expect(code).toBe(0);
    expect([...packages].sort()).toEqual(['commander']);
  });

  test.each([
    ['plan', ['plan', '--preset', 'quick']],
    ['task', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--epochs', '2', '--val-size', '20']],
    ['status', ['status', '--store', join(dir, 'empty-store')]],
  ])('%s loads neither the AWS SDK nor vega', async (_name, args) => {
    const { code, packages } = await packagesLoaded(args);
    expect(code).toBe(0);
    expect(HEAVY.filter((p) => packages.has(p))).toEqual([]);
  });

  test('control: a run that writes its report loads vega, and --png the PNG renderer', async () => {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-1], seeds: 1, epochs: 2, valSize: 20 }));
    const { code, packages } = await packagesLoaded(['run', '--spec', spec, '--store', join(dir, 'store'), '--no-progress', '--png']);
    expect(code).toBe(0);
    expect(['vega', 'vega-lite', '@resvg/resvg-js'].filter((p) => packages.has(p))).toEqual(['vega', 'vega-lite', '@resvg/resvg-js']);
  });
});
