/**
 * `npm run torture`: faults and fuzz against the built CLI, every answer checked, counts at the end.
 * - random SIGKILLs of the process group during runs and resumes: the analysis must be byte-identical
 *   to an uninterrupted run;
 * - SIGINT mid-run: exit 130, a partial report, and a resume that completes;
 * - a full disk (a small tmpfs, where this machine lets us mount one): exit 3 naming the store, no
 *   temporary files left, and a resume with space that completes;
 * - tampered and truncated results: `report`, `run` and `verify` name the object, exit 2, change nothing;
 * - a generated corpus of bad specs and flag sets: exit 2, one line on stderr, no stack trace,
 *   nothing written.
 * TORTURE_ROUNDS scales the random parts (default 8).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const CLI = resolve('bin/lambdastar.mjs');
const rounds = Number(process.env.TORTURE_ROUNDS ?? 8);
const root = mkdtempSync(join(tmpdir(), 'lambdastar-torture-'));
const counts: Record<string, { ok: number; failed: number; skipped?: string }> = {};
const failures: string[] = [];

function tally(part: string, ok: boolean, why = ''): void {
  counts[part] ??= { ok: 0, failed: 0 };
  if (ok) counts[part].ok++;
  else {
    counts[part].failed++;
    failures.push(`${part}: ${why}`);
  }
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in its own process group; `kill(afterMs)` SIGKILLs the whole group. */
function cli(args: string[], opts: { killAfterMs?: number; onStart?: (pid: number) => void } = {}): Promise<Run> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    opts.onStart?.(child.pid ?? 0);
    const timer = opts.killAfterMs === undefined ? undefined : setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // It had already ended.
      }
    }, opts.killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    });
  });
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const debris = (store: string) => files(store).filter((f) => /\.tmp-\d+-[0-9a-f]+$/.test(f));
const snapshot = (store: string) => new Map(files(store).map((f) => [relative(store, f), readFileSync(f, 'utf8')]));
const sameSnapshot = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '');
const oneLine = (r: Run) => errorLines(r.stderr).length === 1 && errorLines(r.stderr)[0].startsWith('lambdastar: ') && !/\n\s+at /.test(r.stderr);

const specFile = join(root, 'spec.json');
writeFileSync(specFile, JSON.stringify({ n: [40, 80, 160, 320], seeds: 4, epochs: 120, valSize: 2000, search: { mode: 'adaptive', start: [1e-3, 1e-2, 1e-1, 1] } }));
const analysisOf = (out: string) => readFileSync(join(out, 'analysis.json'), 'utf8');

console.log(`torture: ${root}`);
// The reference: one uninterrupted run.
const reference = join(root, 'reference');
const ref = await cli(['run', '--spec', specFile, '--store', reference, '--out', join(root, 'reference-report'), '--no-progress']);
if (ref.code !== 0) throw new Error(`the reference run failed: ${ref.stderr}`);
const referenceAnalysis = analysisOf(join(root, 'reference-report'));

// 1. Random SIGKILLs during runs and resumes.
for (let r = 0; r < rounds; r++) {
  const store = join(root, `killed-${r}`);
  const out = join(root, `killed-${r}-report`);
  let kills = 0;
  for (;;) {
    const run = await cli(['run', '--spec', specFile, '--store', store, '--out', out, '--no-progress'], { killAfterMs: kills < 6 ? 150 + Math.random() * 2500 : undefined });
    if (run.signal === 'SIGKILL') {
      kills++;
      tally('SIGKILL: store readable after the kill', (await cli(['status', '--store', store])).code === 0 || !existsSync(store), `round ${r}`);
      continue;
    }
    tally('SIGKILL: resumed run completes', run.code === 0, `round ${r}: exit ${run.code} ${run.stderr}`);
    break;
  }
  tally('SIGKILL: analysis byte-identical to an uninterrupted run', existsSync(out) && analysisOf(out) === referenceAnalysis, `round ${r} after ${kills} kills`);
  counts['SIGKILL: kills'] = { ok: (counts['SIGKILL: kills']?.ok ?? 0) + kills, failed: 0 };
}

// 2. SIGINT mid-run.
for (let r = 0; r < Math.max(2, rounds / 2); r++) {
  const store = join(root, `sigint-${r}`);
  const out = join(root, `sigint-${r}-report`);
  let pid = 0;
  const running = cli(['run', '--spec', specFile, '--store', store, '--out', out, '--no-progress', '--concurrency', '1'], { onStart: (p) => (pid = p) });
  while (files(join(store, 'cells')).filter((f) => f.endsWith('.json')).length < 1 + r) await new Promise((w) => setTimeout(w, 20));
  process.kill(pid, 'SIGINT');
  const run = await running;
  tally('SIGINT: exit 130', run.code === 130, `round ${r}: exit ${run.code}`);
  tally('SIGINT: partial report', existsSync(join(out, 'report.html')) && readFileSync(join(out, 'report.html'), 'utf8').includes('interrupted'), `round ${r}`);
  const resumed = await cli(['run', '--spec', specFile, '--store', store, '--out', out, '--no-progress']);
  tally('SIGINT: resume completes, analysis identical', resumed.code === 0 && analysisOf(out) === referenceAnalysis, `round ${r}: exit ${resumed.code}`);
}

// 3. A full disk, on a tmpfs too small for the sweep.
const disk = join(root, 'disk');
mkdirSync(disk);
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160k', 'tmpfs', disk], { stdio: 'ignore' });
  mounted = true;
} catch {
  counts['full disk'] = { ok: 0, failed: 0, skipped: 'cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)' };
}
if (mounted) {
  try {
    const store = join(disk, 'store');
    const full = await cli(['run', '--spec', specFile, '--store', store, '--no-report', '--no-progress']);
    tally('full disk: exit 3', full.code === 3, `exit ${full.code}: ${full.stderr}`);
    tally('full disk: one line naming the store and the object', oneLine(full) && full.stderr.includes(`--store ${store}: could not write`) && full.stderr.includes('no space left'), full.stderr);
    tally('full disk: no temporary files left', debris(store).length === 0, debris(store).join(', '));
    execFileSync('mount', ['-o', 'remount,size=64m', disk]);
    const out = join(root, 'disk-report');
    const resumed = await cli(['run', '--spec', specFile, '--store', store, '--out', out, '--no-progress']);
    tally('full disk: resume with space completes, analysis identical', resumed.code === 0 && analysisOf(out) === referenceAnalysis, resumed.stderr);
    tally('full disk: no debris after the resume', debris(store).length === 0, debris(store).join(', '));
  } finally {
    execFileSync('umount', [disk]);
  }
}

// 4. Tampered and truncated results.
const results = files(join(reference, 'cells')).filter((f) => f.endsWith('.json'));
const tamperings: [string, (file: string, store: string) => void][] = [
  ['edited metric', (f) => writeFileSync(f, readFileSync(f, 'utf8').replace(/"valLoss":[0-9.e-]+/, '"valLoss":0.3'))],
  ['truncated', (f) => writeFileSync(f, readFileSync(f, 'utf8').slice(0, 50))],
  ['empty', (f) => writeFileSync(f, '')],
  ['edited task field', (f) => writeFileSync(f, readFileSync(f, 'utf8').replace(/"seed":(\d+)/, (_m, s: string) => `"seed":${Number(s) + 7}`))],
  ['moved to another cell', (f, store) => {
    const cells = readdirSync(join(store, 'cells'));
    const other = cells.find((c) => !f.includes(c)) ?? cells[0];
    renameSync(f, join(store, 'cells', other, f.split('/').at(-1) ?? 'x.json'));
  }],
];
for (let r = 0; r < rounds; r++) {
  for (const [kind, tamper] of tamperings) {
    const store = join(root, `tampered-${r}-${kind.replace(/\W+/g, '-')}`);
    cpSync(reference, store, { recursive: true });
    const victim = join(store, relative(reference, results[Math.floor(Math.random() * results.length)]));
    tamper(victim, store);
    const before = snapshot(store);
    for (const args of [['report', '--out', join(store, '..', `${store}-out`)], ['run', '--spec', specFile, '--no-progress'], ['verify', '--all']]) {
      const res = await cli([args[0], '--store', store, ...args.slice(1)]);
      tally(`tampered (${kind}): ${args[0]} exits 2 naming the object, changes nothing`, res.code === 2 && oneLine(res) && sameSnapshot(before, snapshot(store)), `exit ${res.code}: ${res.stderr}`);
    }
  }
}

// 5. A corpus of bad specs and flag sets.
const good = { n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 3, valSize: 20 };
const badValues: unknown[] = [null, -1, 0, 0.5, 1e9, 1e308, -Infinity, 'x', '', true, [], [null], [-1], [0], ['1'], {}, { a: 1 }, [1.5], [4294967296], NaN];
// What each field accepts, restated from the README and the protocol (independently of the schema):
// a generated value is bad input exactly when its field does not accept it.
const int = (lo: number, hi: number) => (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const list = (item: (v: unknown) => boolean) => (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(item);
const valueOrList = (item: (v: unknown) => boolean) => (v: unknown) => item(v) || list(item)(v);
const accepts: Record<string, (v: unknown) => boolean> = {
  n: list(int(2, 1e7)),
  lambdas: list(positive),
  seeds: (v) => int(1, 100_000)(v) || list(int(0, 2 ** 32 - 1))(v),
  initFactors: list(positive),
  regs: list((v) => v === 'l1' || v === 'l2'),
  inputDim: valueOrList(int(1, 1000)),
  hidden: valueOrList(int(1, 1000)),
  separation: valueOrList(finite),
  sigma: valueOrList(positive),
  valSize: valueOrList(int(1, 1e6)),
  standardize: valueOrList((v) => typeof v === 'boolean'),
  learningRate: valueOrList(positive),
  epochs: valueOrList(int(1, 1e6)),
  batchSize: valueOrList(int(1, Number.MAX_SAFE_INTEGER)),
  regularizeBiases: valueOrList((v) => typeof v === 'boolean'),
  name: (v) => typeof v === 'string',
};
const specs: [string, unknown][] = [];
for (const [field, accepted] of Object.entries(accepts)) {
  // JSON has no NaN or Infinity: they arrive as null.
  for (const value of badValues.map((v) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown)) {
    if (!accepted(value)) specs.push([`${field} = ${JSON.stringify(value)}`, { ...good, [field]: value }]);
  }
}
for (const key of ['lambda', 'seed', 'N', 'init_factors', 'learning_rate', 'mode', 'toString', '__proto__x']) specs.push([`unknown key ${key}`, { ...good, [key]: 1 }]);
for (const [label, search] of [
  ['search: grid mode', { mode: 'grid' }], ['search: no mode', {}], ['search: start of one', { mode: 'adaptive', start: [1e-3] }],
  ['search: start outside bounds', { mode: 'adaptive', start: [1e-3, 10], bounds: [1e-4, 1] }], ['search: bounds reversed', { mode: 'adaptive', bounds: [1, 1e-4] }],
  ['search: resolution 1', { mode: 'adaptive', resolution: 1 }], ['search: resolution 100', { mode: 'adaptive', resolution: 100 }],
  ['search: 0 rounds', { mode: 'adaptive', maxRounds: 0 }], ['search: 1000 rounds', { mode: 'adaptive', maxRounds: 1000 }],
  ['search: extendFactor 1', { mode: 'adaptive', extendFactor: 1 }], ['search: unknown key', { mode: 'adaptive', step: 2 }], ['search: a string', 'adaptive'],
] as const) {
  const { lambdas: _l, ...rest } = good;
  specs.push([label, { ...rest, search }]);
}
specs.push(['both lambdas and search', { ...good, search: { mode: 'adaptive' } }], ['neither lambdas nor search', { n: [10] }], ['not an object', [1, 2]], ['a number', 42]);
specs.push(['10 million cells', { ...good, n: Array.from({ length: 1000 }, (_, i) => i + 2), seeds: 10000 }], ['a 71 MB kernel', { ...good, inputDim: 1000, hidden: 1000 }]);
const texts: [string, string][] = [['malformed JSON', '{"n": [10,'], ['empty file', ''], ['binary', '\u0000\u0001\u0002'], ['a BOM and garbage', '\ufeff{{']];
const flagSets: [string, string[]][] = [
  ['concurrency 0', ['--concurrency', '0']], ['concurrency -1', ['--concurrency', '-1']], ['concurrency abc', ['--concurrency', 'abc']],
  ['concurrency 1e9', ['--concurrency', '1000000000']], ['concurrency 1.5', ['--concurrency', '1.5']], ['max-attempts 0', ['--max-attempts', '0']],
  ['backend gpu', ['--backend', 'gpu']], ['lambda without a function', ['--backend', 'lambda']], ['store empty', ['--store', '']],
  ['store /proc', ['--store', '/proc/lambdastar-torture']], ['store a file', ['--store', specFile]], ['out a file', ['--out', specFile]],
  ['an unknown flag', ['--frobnicate']], ['preset and spec', ['--preset', 'quick']], ['unknown preset', ['--preset', 'nope'], ],
  ['preset toString', ['--preset', 'toString']], ['preset __proto__', ['--preset', '__proto__']], ['target-seconds 0', ['--target-seconds', '0']],
  ['invocation-timeout -5', ['--invocation-timeout', '-5']], ['memory 0', ['--memory', '0']], ['arch sparc', ['--arch', 'sparc']],
];
const otherCommands: [string, string[]][] = [
  ['report --sweep ../x', ['report', '--sweep', '../other/0123456789ab']], ['report --sweep abc', ['report', '--sweep', 'abc']],
  ['status --sweep /etc', ['status', '--sweep', '/etc/passwd']], ['verify --sample 0', ['verify', '--sample', '0']],
  ['verify --seed x', ['verify', '--seed', 'x']], ['predict without --n', ['predict']], ['predict --n -3', ['predict', '--n', '-3']],
  ['task without --lambdas', ['task', '--n', '10', '--seed', '1']], ['task --lambdas 1,x', ['task', '--n', '10', '--seed', '1', '--lambdas', '1,x']],
  ['task --n 1', ['task', '--n', '1', '--seed', '1', '--lambdas', '1e-3']], ['task --n 1e9', ['task', '--n', '1000000000', '--seed', '1', '--lambdas', '1e-3']],
  ['task --reg l3', ['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--reg', 'l3']], ['task --seed 2^32', ['task', '--n', '10', '--seed', '4294967296', '--lambdas', '1e-3']],
  ['an unknown command', ['frobnicate']], ['plan of a bad spec', ['plan', '--spec', join(root, 'nope.json')]],
];

let corpus = 0;
async function expectBadInput(label: string, args: string[], store: string): Promise<void> {
  corpus++;
  const res = await cli([...args]);
  const lines = errorLines(res.stderr).filter((l) => !/^\(run with --help/.test(l));
  const ok = res.code === 2 && lines.length === 1 && !/\n\s+at /.test(res.stderr) && !existsSync(store);
  tally('corpus: exit 2, one line, no stack, nothing written', ok, `${label}: exit ${res.code}, ${lines.length} lines: ${lines.slice(0, 2).join(' | ')}`);
}
for (const [label, spec] of specs) {
  const file = join(root, `bad-${corpus}.json`);
  writeFileSync(file, JSON.stringify(spec) ?? 'null');
  const store = join(root, `bad-store-${corpus}`);
  await expectBadInput(`spec ${label}`, ['run', '--spec', file, '--store', store, '--no-progress'], store);
}
for (const [label, text] of texts) {
  const file = join(root, `bad-${corpus}.json`);
  writeFileSync(file, text);
  const store = join(root, `bad-store-${corpus}`);
  await expectBadInput(`spec ${label}`, ['run', '--spec', file, '--store', store, '--no-progress'], store);
}
for (const [label, flags] of flagSets) {
  const store = join(root, `bad-store-${corpus}`);
  const hasStore = flags.includes('--store');
  await expectBadInput(`flags ${label}`, ['run', '--spec', specFile, ...(hasStore ? [] : ['--store', store]), ...flags, '--no-progress'], store);
}
for (const [label, args] of otherCommands) {
  const store = join(root, `bad-store-${corpus}`);
  await expectBadInput(`command ${label}`, [...args, ...(args[0] === 'task' || args[0] === 'frobnicate' || args[0] === 'plan' ? [] : ['--store', reference])], store);
}

console.log('');
for (const [part, c] of Object.entries(counts)) {
  console.log(`${c.skipped ? 'SKIPPED' : c.failed === 0 ? 'ok     ' : 'FAILED '} ${part}: ${c.skipped ?? `${c.ok} passed, ${c.failed} failed`}`);
}
console.log(`corpus: ${corpus} bad specs and flag sets`);
for (const f of failures.slice(0, 30)) console.log(`  ✗ ${f}`);
if (statSync(root).isDirectory()) rmSync(root, { recursive: true, force: true });
process.exitCode = failures.length > 0 ? 1 : 0;
