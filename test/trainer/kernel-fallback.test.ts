/**
 * The JS kernels are the fallback and the reference: the bundled Lambda handler, run in a Node
 * process whose WebAssembly has been removed, trains with them and gives the same bits as the
 * WebAssembly SIMD kernels; LAMBDASTAR_KERNEL=js pins them where SIMD is available; a value that is
 * not a kernel fails each task with one line naming the variable. Each case is a real child process
 * (the engine is chosen once per process), running dist/trainer/index.mjs (`npm run build`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { TrainerResponse } from '../../functions/handler.js';
import { taskId } from '../../functions/trainer/ids.js';
import { jsEngine } from '../../functions/trainer/js-engine.js';
import { runTask } from '../../functions/trainer/run-task.js';
import { withDefaults } from '../../functions/trainer/task.js';
import { wasmEngine } from '../../functions/trainer/wasm/wasm-engine.js';
import { errorLines, runCli } from '../helpers/cli.js';

const run = promisify(execFile);

// Small tasks of both penalties, an odd number of λ (one SIMD lane left empty) and B = 1 and 10.
const tasks = [
  withDefaults({ n: 60, seed: 5, initFactor: 1, reg: 'l2', lambdas: [1e-4, 1e-3, 1e-2], epochs: 20, valSize: 200, batchSize: 10 }),
  withDefaults({ n: 40, seed: 8, initFactor: 0.1, reg: 'l1', lambdas: [2e-3], epochs: 30, valSize: 300, regularizeBiases: true }),
];
const event = { tasks: tasks.map((task) => ({ id: taskId(task), task })), inline: true };

/** Removes WebAssembly before any other module loads, as a runtime without it would be. */
const NO_WEBASSEMBLY = 'data:text/javascript,delete%20globalThis.WebAssembly';
/** Imports the bundled handler, hands it the event and prints what it answered. */
const INVOKE = `
const [bundle, event] = process.argv.slice(1);
const { handler } = await import(bundle);
const response = await handler(JSON.parse(event));
process.stdout.write(JSON.stringify({ webAssembly: typeof WebAssembly, response }));
`;

interface Invocation {
  /** `typeof WebAssembly` in the child. */
  webAssembly: string;
  response: TrainerResponse;
}

/** Runs the event through the bundled handler in a fresh `node`, with LAMBDASTAR_KERNEL as given (or unset). */
async function invokeInChild(opts: { withoutWebAssembly: boolean; kernel?: string }): Promise<Invocation> {
  const { LAMBDASTAR_KERNEL: _, ...env } = process.env;
  const args = [
    ...(opts.withoutWebAssembly ? ['--import', NO_WEBASSEMBLY] : []),
    '--input-type=module',
    '-e',
    INVOKE,
    '--',
    pathToFileURL(resolve('dist/trainer/index.mjs')).href,
    JSON.stringify(event),
  ];
  const { stdout } = await run(process.execPath, args, { env: opts.kernel === undefined ? env : { ...env, LAMBDASTAR_KERNEL: opts.kernel } });
  return JSON.parse(stdout) as Invocation;
}

// The reference: the JS kernels in this process.
const expected = tasks.map((task) => runTask(task, undefined, jsEngine).digest);

describe('the JS kernels: fallback and reference', () => {
  test('in this process both engines give these tasks the same digests', () => {
    expect(tasks.map((task) => runTask(task, undefined, wasmEngine).digest)).toEqual(expected);
  });

  test.each([
    ['without WebAssembly, the bundled handler falls back to the JS kernels', { withoutWebAssembly: true }, 'undefined', 'js'],
    ['with WebAssembly SIMD, LAMBDASTAR_KERNEL=js pins the JS kernels', { withoutWebAssembly: false, kernel: 'js' }, 'object', 'js'],
    ['with WebAssembly SIMD and LAMBDASTAR_KERNEL unset, it runs the WebAssembly SIMD kernels', { withoutWebAssembly: false }, 'object', 'wasm-simd'],
  ] as const)('%s, with the same bits', async (_name, opts, webAssembly, kernel) => {
    const child = await invokeInChild(opts);
    expect(child.webAssembly).toBe(webAssembly);
    expect(child.response).toMatchObject({ ok: true, failures: [] });
    if (!child.response.ok) return;
    expect(child.response.results.map((r) => r.id)).toEqual(event.tasks.map((t) => t.id));
    for (const { result } of child.response.results) expect(result.provenance).toMatchObject({ bundle: { file: 'index.mjs' }, kernel });
    expect(child.response.results.map((r) => r.result.digest)).toEqual(expected);
  });

  test.each([
    ['LAMBDASTAR_KERNEL=bogus: each task fails with one line naming the variable', { withoutWebAssembly: false, kernel: 'bogus' }, /^LAMBDASTAR_KERNEL: "bogus" is not a kernel; use js or wasm-simd, or unset it$/],
    ['LAMBDASTAR_KERNEL=wasm-simd without WebAssembly: each task fails, never silently on the JS kernels', { withoutWebAssembly: true, kernel: 'wasm-simd' }, /^LAMBDASTAR_KERNEL=wasm-simd: this runtime has no WebAssembly SIMD; unset it/],
  ] as const)('%s', async (_name, opts, message) => {
    const { response } = await invokeInChild(opts);
    expect(response).toMatchObject({ ok: true, results: [] });
    if (!response.ok) return;
    expect(response.failures.map((f) => f.id)).toEqual(event.tasks.map((t) => t.id));
    for (const failure of response.failures) {
      expect(failure.code).toBe('Error');
      expect(failure.message).toMatch(message);
      expect(failure.message).not.toContain('\n');
    }
  });
});

describe('the CLI refuses a bad LAMBDASTAR_KERNEL once, before any task', () => {
  test.each([
    ['task', ['task', '--n', '20', '--lambdas', '0.001', '--epochs', '2']],
    ['run', ['run', '--preset', 'quick', '--no-progress']],
  ])('%s: exit 2, one line naming the variable, nothing written', async (_name, args) => {
    const dir = await mkdtemp(join(tmpdir(), 'lambdastar-kernel-'));
    const cli = await runCli([...args, ...(args[0] === 'run' ? ['--store', join(dir, 'runs'), '--out', join(dir, 'report')] : [])], {
      cwd: dir,
      env: { LAMBDASTAR_KERNEL: 'bogus' },
    });
    expect(cli.code).toBe(2);
    expect(errorLines(cli.stderr).filter((l) => !l.includes('AWS SDK') && l.startsWith('lambdastar:'))).toEqual([
      'lambdastar: LAMBDASTAR_KERNEL: "bogus" is not a kernel; use js or wasm-simd, or unset it',
    ]);
    expect(await readdir(dir)).toEqual([]);
  });
});

