/**
 * Provenance through the CLI: a local run stores it with every result, `verify` shows it for both
 * sides of a mismatch, and the manifest's protocol block records the options the sweep ran — while
 * a store whose manifest was written the old way (the protocol's defaults) still reads and re-runs.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Provenance } from '../../functions/provenance.js';
import { metricsDigest } from '../../functions/trainer/digest.js';
import { canonicalJson } from '../../functions/trainer/ids.js';
import { DEFAULT_OPTIONS } from '../../functions/trainer/task.js';
import { poolWorkerUrl } from '../../orchestrator/paths.js';
import { preset } from '../../orchestrator/spec/presets.js';
import { canonicalize, specSchema } from '../../orchestrator/spec/spec-schema.js';
import { buildManifest } from '../../orchestrator/store/manifest-io.js';
import { errorLines, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lambdastar-provenance-'));
const spec = join(dir, 'spec.json');
const pristine = join(dir, 'pristine');
const poolHash = createHash('sha256').update(readFileSync(fileURLToPath(poolWorkerUrl()))).digest('hex');

beforeAll(async () => {
  writeFileSync(spec, JSON.stringify({ n: [10, 20], lambdas: [1e-3, 1e-2], seeds: 2, epochs: 5, valSize: 50 }));
  const run = await runCli(['run', '--spec', spec, '--store', pristine, '--no-report', '--no-progress']);
  expect(run.code).toBe(0);
});

const resultFiles = (store: string) =>
  readdirSync(join(store, 'cells')).sort().flatMap((c) => readdirSync(join(store, 'cells', c)).sort().map((f) => join(store, 'cells', c, f)));
const manifestFile = (store: string) => {
  const [sweep] = readdirSync(join(store, 'sweeps'));
  return join(store, 'sweeps', sweep, 'manifest.json');
};
const copy = (name: string) => {
  const store = join(dir, name);
  cpSync(pristine, store, { recursive: true });
  return store;
};

test('`task` records the CLI chunk that holds the trainer, by its hash', async () => {
  const run = await runCli(['task', '--n', '10', '--seed', '1', '--lambdas', '1e-3', '--epochs', '2', '--val-size', '20', '--json']);
  expect(run.code).toBe(0);
  const { bundle, kernel } = (JSON.parse(run.stdout) as { provenance: Provenance }).provenance;
  expect(kernel).toBe('wasm-simd');
  const chunk = readFileSync(join('dist', 'cli-chunks', bundle.file));
  expect(createHash('sha256').update(chunk).digest('hex')).toBe(bundle.sha256);
  expect(chunk.toString('utf8')).toMatch(/^function runTask\(/m);
});

test('a local run stores each result with the provenance of the pool worker that trained it', () => {
  const files = resultFiles(pristine);
  expect(files).toHaveLength(4);
  for (const f of files) {
    const p = (JSON.parse(readFileSync(f, 'utf8')) as { provenance: Provenance }).provenance;
    expect(p).toMatchObject({ bundle: { file: 'pool-worker.mjs', sha256: poolHash }, kernel: 'wasm-simd', node: process.version, platform: process.platform, arch: process.arch, executor: { kind: 'local' } });
  }
});

test('verify shows, for each mismatch, where the stored result and the local re-run were produced', async () => {
  const store = copy('mismatch');
  const fromLambda: Provenance = {
    bundle: { file: 'index.mjs', sha256: 'b'.repeat(64) }, node: 'v24.1.0', platform: 'linux', arch: 'arm64', at: '2025-03-01T10:00:00.000Z',
    executor: { kind: 'lambda', functionName: 'lambdastar-trainer', functionVersion: '3', memoryMb: 1769, region: 'eu-west-1' },
  };
  // Two results whose numbers were edited (digests recomputed): one from a Lambda, one from before provenance.
  const [first, second] = resultFiles(store);
  const edit = (file: string, provenance: Provenance | undefined) => {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    r.metrics[0].valLoss += 1e-9;
    r.digest = metricsDigest(r.metrics);
    r.provenance = provenance;
    writeFileSync(file, JSON.stringify(r));
  };
  edit(first, fromLambda);
  edit(second, undefined);
  const text = await runCli(['verify', '--store', store, '--all']);
  expect(text.code).toBe(1);
  const lines = text.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('MISMATCH') && l.includes(first.slice(store.length + 1)));
  expect(lines[at + 1]).toBe('  stored by lambda lambdastar-trainer:3 · 1769 MB · eu-west-1 · bundle index.mjs bbbbbbbbbbbb · Node v24.1.0 · linux/arm64 · 2025-03-01 10:00:00Z');
  // fromLambda records no kernel (stored before it was recorded), so its line names none; the re-run names the one that ran.
  const rerun = `  re-run by local · bundle pool-worker.mjs ${poolHash.slice(0, 12)} · kernel wasm-simd · Node ${process.version} · ${process.platform}/${process.arch} · `;
  expect(lines[at + 2].startsWith(rerun)).toBe(true);
  const other = lines.findIndex((l) => l.startsWith('MISMATCH') && l.includes(second.slice(store.length + 1)));
  expect(lines[other + 1]).toBe('  stored by unknown (written before provenance was recorded)');
  expect(lines[other + 2].startsWith(rerun)).toBe(true);

  const json = await runCli(['verify', '--store', store, '--all', '--json']);
  const report = JSON.parse(json.stdout) as { mismatches: { where: string; storedProvenance: Provenance | null; localProvenance: Provenance | null }[] };
  const byFile = (f: string) => report.mismatches.find((m) => m.where.endsWith(f.slice(store.length + 1)));
  expect(byFile(first)?.storedProvenance).toEqual(fromLambda);
  expect(byFile(second)?.storedProvenance).toBeNull();
  for (const m of report.mismatches) expect(m.localProvenance).toMatchObject({ bundle: { file: 'pool-worker.mjs', sha256: poolHash }, executor: { kind: 'local' } });
});

describe("the manifest's protocol block", () => {
  const protocol = (name: string) => buildManifest(canonicalize(specSchema.parse(preset(name)))).protocol;

  test('records the options the sweep runs: quick validates on 5000 patterns, not the default 20000', () => {
    expect(protocol('quick')).toEqual({ ...DEFAULT_OPTIONS, valSize: 5000 });
    expect(protocol('protocol-sensitivity')).toMatchObject({ batchSize: [1, 10, 3240], standardize: [false, true], valSize: 20000 });
    expect(JSON.parse(readFileSync(manifestFile(pristine), 'utf8')).protocol).toMatchObject({ epochs: 5, valSize: 50 });
  });

  test('a store whose manifest holds the old protocol block still reads, and a re-run of its spec leaves the manifest as it is', async () => {
    const store = copy('old-manifest');
    const file = manifestFile(store);
    const { checksum: _, ...body } = JSON.parse(readFileSync(file, 'utf8'));
    const old = { ...body, protocol: { ...DEFAULT_OPTIONS } };
    const text = `${JSON.stringify({ ...old, checksum: createHash('sha256').update(canonicalJson(old)).digest('hex') }, null, 2)}\n`;
    writeFileSync(file, text);
    const rerun = await runCli(['run', '--spec', spec, '--store', store, '--no-report', '--no-progress']);
    expect(errorLines(rerun.stderr)).toEqual([]);
    expect(rerun.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect((await runCli(['report', '--store', store, '--out', join(dir, 'old-manifest-report')])).code).toBe(0);
  });
});
